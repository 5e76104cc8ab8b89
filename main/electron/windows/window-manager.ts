import { BrowserWindow, screen, type Rectangle } from 'electron';
import type { IpcEvent, View } from '../../../shared/ipc';
import type { AppEventArgs, AppLog } from '../../services/app-events';
import { viewUrl } from '../../services/app-protocol/app-origin';
import { popoverPosition } from './popover-position';
import { dashboardWindowOptions, hidesOnBlur, settingsWindowOptions, type WindowKind } from './window-options';

export interface WindowManagerOptions {
  platform: NodeJS.Platform;
  preloadPath: string;
  log: AppLog;
  /** Where the tray icon is, for the popover; null when the OS does not say. */
  trayBounds: () => Rectangle | null;
  backgroundColor: () => string;
  /** A window's title in the person's language, until its page sets its own. */
  title: (kind: WindowKind) => string;
}

/** A popover hidden this long is destroyed: an idle tray app holds no renderer. */
export const IDLE_DESTROY_MS = 60_000;
/** A tray click this soon after the popover hid on blur is the click that hid it: it closes, not reopens. */
const BLUR_CLICK_MS = 300;

/**
 * The dashboard popover and the settings window: made on demand, shown on `ready-to-show`, and
 * destroyed when closed (a hidden popover after IDLE_DESTROY_MS), so nothing runs while the app
 * only sits in the tray. Security settings come from window-options.ts and harden.ts.
 */
export class WindowManager {
  private readonly windows = new Map<WindowKind, BrowserWindow>();
  private readonly idleTimers = new Map<WindowKind, ReturnType<typeof setTimeout>>();
  private hiddenOnBlurAt = 0;

  constructor(private readonly options: WindowManagerOptions) {}

  /** Shows the window of a view (made if needed) at that view; returns whether a window shows it. */
  show(view: View): boolean {
    const kind: WindowKind = view.view;
    const existing = this.live(kind);
    if (existing) {
      this.cancelIdle(kind);
      existing.webContents.send('app:navigate', view satisfies IpcEvent<'app:navigate'>);
      this.reveal(kind, existing);
      return true;
    }
    const window = new BrowserWindow({
      ...(kind === 'dashboard'
        ? dashboardWindowOptions(this.options.platform, this.options.backgroundColor(), this.options.title(kind))
        : settingsWindowOptions(this.options.backgroundColor(), this.options.title(kind))),
      // Every window: the page sandboxed and isolated from its preload, no Node anywhere (workers and
      // frames included), web security on, no <webview>, and no middle-click ("auxclick") openings
      // that would bypass the window-open handler.
      webPreferences: {
        // Accepted PRELOAD_JS_CHECK (a review item): the preload (main/preload/preload.ts) exposes only
        // HeadroomApi's invoke and on, for the contract's channels, and never Electron's event object.
        preload: this.options.preloadPath, // eng-disable PRELOAD_JS_CHECK
        contextIsolation: true,
        sandbox: true,
        nodeIntegration: false,
        nodeIntegrationInWorker: false,
        nodeIntegrationInSubFrames: false,
        webSecurity: true,
        allowRunningInsecureContent: false,
        experimentalFeatures: false,
        webviewTag: false,
        navigateOnDragDrop: false,
        safeDialogs: true,
        spellcheck: false,
        disableBlinkFeatures: 'Auxclick',
      },
    });
    this.windows.set(kind, window);
    window.once('ready-to-show', () => {
      this.reveal(kind, window);
    });
    window.on('closed', () => {
      this.cancelIdle(kind);
      if (this.windows.get(kind) === window) this.windows.delete(kind);
    });
    if (hidesOnBlur(kind, this.options.platform)) {
      window.on('blur', () => {
        if (window.webContents.isDevToolsOpened()) return;
        window.hide();
        this.hiddenOnBlurAt = Date.now();
        this.scheduleIdle(kind, window);
      });
    }
    window.webContents.on('render-process-gone', (_event, details) => {
      this.options.log(
        'error',
        `The ${kind} window's page stopped (${details.reason}); it is closed and opens afresh next time.`,
      );
      window.destroy();
    });
    window.loadURL(viewUrl(view)).catch((error: unknown) => {
      this.options.log(
        'error',
        `The ${kind} window could not load its page; is the renderer built (out/renderer)?`,
        error,
      );
      window.destroy();
    });
    return true;
  }

  /**
   * The tray icon was clicked: the popover opens, or closes when it is open (or has just hidden on that very click).
   */
  toggleDashboard(): void {
    const dashboard = this.live('dashboard');
    if (dashboard?.isVisible() || Date.now() - this.hiddenOnBlurAt < BLUR_CLICK_MS) {
      dashboard?.hide();
      if (dashboard) this.scheduleIdle('dashboard', dashboard);
      return;
    }
    this.show({ view: 'dashboard' });
  }

  /** Sends an event to every window's page. */
  broadcast(...[channel, payload]: AppEventArgs): void {
    for (const window of this.windows.values()) {
      if (!window.isDestroyed()) window.webContents.send(channel, payload);
    }
  }

  closeAll(): void {
    for (const [kind, window] of this.windows) {
      this.cancelIdle(kind);
      if (!window.isDestroyed()) window.destroy();
    }
    this.windows.clear();
  }

  private live(kind: WindowKind): BrowserWindow | undefined {
    const window = this.windows.get(kind);
    return window && !window.isDestroyed() ? window : undefined;
  }

  private reveal(kind: WindowKind, window: BrowserWindow): void {
    if (kind === 'dashboard' && hidesOnBlur(kind, this.options.platform)) this.placeByTray(window);
    window.show();
    window.focus();
  }

  private placeByTray(window: BrowserWindow): void {
    const tray = this.options.trayBounds() ?? { x: 0, y: 0, width: 0, height: 0 };
    const display = tray.width > 0 ? screen.getDisplayMatching(tray) : screen.getPrimaryDisplay();
    const [width = 0, height = 0] = window.getSize();
    const { x, y } = popoverPosition({
      tray,
      window: { width, height },
      workArea: display.workArea,
      display: display.bounds,
    });
    window.setPosition(x, y, false);
  }

  private scheduleIdle(kind: WindowKind, window: BrowserWindow): void {
    this.cancelIdle(kind);
    const timer = setTimeout(() => {
      this.idleTimers.delete(kind);
      if (!window.isDestroyed() && !window.isVisible()) window.destroy();
    }, IDLE_DESTROY_MS);
    timer.unref();
    this.idleTimers.set(kind, timer);
  }

  private cancelIdle(kind: WindowKind): void {
    clearTimeout(this.idleTimers.get(kind));
    this.idleTimers.delete(kind);
  }
}
