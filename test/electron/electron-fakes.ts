import { vi } from 'vitest';

/**
 * Stand-ins for the parts of Electron the glue uses, for `vi.mock('electron', …)`: they record what
 * was asked of them so a test can check the glue's calls. Electron's binary is never loaded.
 */

type Listener = (...args: unknown[]) => void;

export class FakeEmitter {
  readonly listeners = new Map<string, Listener[]>();

  on(event: string, listener: Listener): this {
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), listener]);
    return this;
  }

  once(event: string, listener: Listener): this {
    const wrapped: Listener = (...args) => {
      this.off(event, wrapped);
      listener(...args);
    };
    return this.on(event, wrapped);
  }

  off(event: string, listener: Listener): this {
    this.listeners.set(
      event,
      (this.listeners.get(event) ?? []).filter((candidate) => candidate !== listener),
    );
    return this;
  }

  emit(event: string, ...args: unknown[]): void {
    for (const listener of this.listeners.get(event) ?? []) listener(...args);
  }

  count(event: string): number {
    return this.listeners.get(event)?.length ?? 0;
  }
}

export class FakeWebContents extends FakeEmitter {
  readonly sent: [string, unknown][] = [];
  windowOpenHandler: ((details: { url: string }) => { action: string }) | undefined;

  send(channel: string, payload: unknown): void {
    this.sent.push([channel, payload]);
  }

  isDevToolsOpened(): boolean {
    return false;
  }

  setWindowOpenHandler(handler: (details: { url: string }) => { action: string }): void {
    this.windowOpenHandler = handler;
  }
}

export class FakeBrowserWindow extends FakeEmitter {
  static readonly instances: FakeBrowserWindow[] = [];
  readonly webContents = new FakeWebContents();
  url: string | undefined;
  visible = false;
  destroyed = false;
  position: [number, number] | undefined;

  constructor(readonly options: Record<string, unknown>) {
    super();
    FakeBrowserWindow.instances.push(this);
  }

  loadURL(url: string): Promise<void> {
    this.url = url;
    return Promise.resolve();
  }

  show(): void {
    this.visible = true;
  }

  hide(): void {
    this.visible = false;
  }

  focus(): void {
    // Focus is the OS's business; nothing to record.
  }

  isVisible(): boolean {
    return this.visible;
  }

  isDestroyed(): boolean {
    return this.destroyed;
  }

  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    this.visible = false;
    this.emit('closed');
  }

  getSize(): [number, number] {
    return [Number(this.options.width ?? 0), Number(this.options.height ?? 0)];
  }

  setPosition(x: number, y: number): void {
    this.position = [x, y];
  }
}

export class FakeImage {
  readonly representations: { scaleFactor: number; buffer: Buffer }[] = [];
  template = false;

  addRepresentation(representation: { scaleFactor: number; buffer: Buffer }): void {
    this.representations.push(representation);
  }

  setTemplateImage(template: boolean): void {
    this.template = template;
  }
}

export interface FakeMenu {
  template: {
    label?: string;
    type?: string;
    enabled?: boolean;
    checked?: boolean;
    click?: () => void;
    submenu?: unknown;
  }[];
}

export class FakeTray extends FakeEmitter {
  static readonly instances: FakeTray[] = [];
  image: FakeImage;
  title: string | undefined;
  tooltip: string | undefined;
  contextMenu: FakeMenu | undefined;
  poppedUp: FakeMenu | undefined;
  destroyed = false;
  imageChanges = 0;

  constructor(image: FakeImage) {
    super();
    this.image = image;
    FakeTray.instances.push(this);
  }

  setImage(image: FakeImage): void {
    this.image = image;
    this.imageChanges++;
  }

  setTitle(title: string): void {
    this.title = title;
  }

  setToolTip(tooltip: string): void {
    this.tooltip = tooltip;
  }

  setContextMenu(menu: FakeMenu): void {
    this.contextMenu = menu;
  }

  popUpContextMenu(menu: FakeMenu): void {
    this.poppedUp = menu;
  }

  setIgnoreDoubleClickEvents(): void {
    // Only the macOS tray cares.
  }

  getBounds(): { x: number; y: number; width: number; height: number } {
    return { x: 1500, y: 0, width: 22, height: 24 };
  }

  destroy(): void {
    this.destroyed = true;
  }
}

export class FakeNotification extends FakeEmitter {
  static supported = true;
  static readonly shown: FakeNotification[] = [];

  constructor(readonly options: Record<string, unknown>) {
    super();
  }

  static isSupported(): boolean {
    return FakeNotification.supported;
  }

  show(): void {
    FakeNotification.shown.push(this);
  }
}

export class FakeSession extends FakeEmitter {
  permission: ((contents: unknown, permission: string, callback: (granted: boolean) => void) => void) | undefined;
  check: (() => boolean) | undefined;
  device: (() => boolean) | undefined;
  headers:
    | ((
        details: { url: string; responseHeaders?: Record<string, string[]> },
        callback: (response: unknown) => void,
      ) => void)
    | undefined;
  readonly webRequest = {
    onHeadersReceived: (listener: NonNullable<FakeSession['headers']>): void => {
      this.headers = listener;
    },
  };

  setPermissionRequestHandler(handler: NonNullable<FakeSession['permission']>): void {
    this.permission = handler;
  }

  setPermissionCheckHandler(handler: () => boolean): void {
    this.check = handler;
  }

  setDevicePermissionHandler(handler: () => boolean): void {
    this.device = handler;
  }
}

/** What `before-quit` listeners get: an event that may be prevented. */
export interface FakeQuitEvent {
  defaultPrevented: boolean;
  preventDefault(): void;
}

export class FakeApp extends FakeEmitter {
  lock = true;
  quitted = false;
  quitRequests = 0;
  readonly exits: number[] = [];
  readonly paths = new Map<string, string>();
  readonly dock = {
    hidden: false,
    hide(): void {
      this.hidden = true;
    },
  };
  isPackaged = false;
  openAtLogin = false;
  /** What app.getPreferredSystemLanguages() answers. */
  systemLanguages = ['en-US'];
  aboutPanel: Record<string, unknown> | undefined;
  aboutShown = 0;

  requestSingleInstanceLock(): boolean {
    return this.lock;
  }

  /** Like Electron's: `before-quit` first, and only an unprevented one quits. */
  quit(): void {
    this.quitRequests++;
    const event: FakeQuitEvent = {
      defaultPrevented: false,
      preventDefault() {
        this.defaultPrevented = true;
      },
    };
    this.emit('before-quit', event);
    if (!event.defaultPrevented) this.quitted = true;
  }

  exit(code: number): void {
    this.exits.push(code);
  }

  whenReady(): Promise<void> {
    return Promise.resolve();
  }

  setAppUserModelId(): void {
    // Windows only; nothing to record.
  }

  setPath(name: string, value: string): void {
    this.paths.set(name, value);
  }

  getPath(name: string): string {
    return this.paths.get(name) ?? `/nonexistent/${name}`;
  }

  getAppPath(): string {
    return '/app';
  }

  setLoginItemSettings(settings: { openAtLogin: boolean }): void {
    this.openAtLogin = settings.openAtLogin;
  }

  getLoginItemSettings(): { openAtLogin: boolean } {
    return { openAtLogin: this.openAtLogin };
  }

  getPreferredSystemLanguages(): string[] {
    return [...this.systemLanguages];
  }

  getVersion(): string {
    return '0.1.0';
  }

  setAboutPanelOptions(options: Record<string, unknown>): void {
    this.aboutPanel = options;
  }

  showAboutPanel(): void {
    this.aboutShown++;
  }
}

const display = {
  bounds: { x: 0, y: 0, width: 1920, height: 1080 },
  workArea: { x: 0, y: 25, width: 1920, height: 1055 },
};

/** The module `vi.mock('electron', () => electronFake)` hands to the code under test. */
export const electronFake = {
  BrowserWindow: FakeBrowserWindow,
  Tray: FakeTray,
  Notification: FakeNotification,
  Menu: { buildFromTemplate: (template: FakeMenu['template']): FakeMenu => ({ template }) },
  nativeImage: { createEmpty: (): FakeImage => new FakeImage() },
  screen: { getDisplayMatching: () => display, getPrimaryDisplay: () => display },
  contextBridge: { exposeInMainWorld: vi.fn<(name: string, api: unknown) => void>() },
  ipcRenderer: { invoke: vi.fn(), on: vi.fn(), removeListener: vi.fn() },
  app: new FakeApp(),
  ipcMain: {
    handlers: new Map<string, (event: unknown, ...args: unknown[]) => Promise<unknown>>(),
    handle(channel: string, handler: (event: unknown, ...args: unknown[]) => Promise<unknown>): void {
      this.handlers.set(channel, handler);
    },
    removeHandler(channel: string): void {
      this.handlers.delete(channel);
    },
  },
  protocol: {
    privileged: [] as unknown[],
    handlers: new Map<string, (request: Request) => Promise<Response>>(),
    registerSchemesAsPrivileged(schemes: unknown[]): void {
      this.privileged.push(...schemes);
    },
    handle(scheme: string, handler: (request: Request) => Promise<Response>): void {
      this.handlers.set(scheme, handler);
    },
  },
  session: { defaultSession: new FakeSession() },
  shell: { openExternal: vi.fn(() => Promise.resolve()), openPath: vi.fn(() => Promise.resolve('')) },
  dialog: { showErrorBox: vi.fn(), showSaveDialog: vi.fn(() => Promise.resolve({ canceled: true })) },
  nativeTheme: { themeSource: 'system', shouldUseDarkColors: false },
  net: {
    online: true,
    isOnline(): boolean {
      return this.online;
    },
  },
  powerMonitor: new FakeEmitter(),
};
