import type { Session, WebContents } from 'electron';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { AlertToShow } from '../../main/services/app-events';
import { AppTray, menuTemplate } from '../../main/electron/tray/app-tray';
import { trayModel } from '../../main/electron/tray/tray-model';
import { Notifier } from '../../main/electron/notifications/notifier';
import { hardenSession, hardenWebContents } from '../../main/electron/windows/harden';
import { IDLE_DESTROY_MS, WindowManager } from '../../main/electron/windows/window-manager';
import { CONTENT_SECURITY_POLICY } from '../../main/services/app-protocol/app-origin';
import { account, DE, EN, meter, NOW, preferences, snapshot } from '../support/builders';
import {
  FakeBrowserWindow,
  FakeNotification,
  FakeSession,
  FakeTray,
  FakeWebContents,
  type FakeImage,
  type FakeMenu,
} from './electron-fakes';

vi.mock('electron', async () => (await import('./electron-fakes')).electronFake);

const logs: { level: string; message: string }[] = [];
const log = (level: 'info' | 'warn' | 'error', message: string): void => {
  logs.push({ level, message });
};

beforeEach(() => {
  logs.length = 0;
  FakeBrowserWindow.instances.length = 0;
  FakeTray.instances.length = 0;
  FakeNotification.shown.length = 0;
  FakeNotification.supported = true;
});

describe('windows', () => {
  function manager(platform: NodeJS.Platform = 'darwin'): WindowManager {
    return new WindowManager({
      platform,
      preloadPath: '/app/out/preload/index.cjs',
      log,
      trayBounds: () => ({ x: 1500, y: 0, width: 22, height: 24 }),
      backgroundColor: () => '#ffffff',
      title: (kind) => (kind === 'dashboard' ? 'Headroom' : 'Headroom-Einstellungen'),
    });
  }

  it('make every window sandboxed, isolated, without Node, shown only on ready-to-show', () => {
    const windows = manager();
    expect(windows.show({ view: 'settings', accountId: 'gis' })).toBe(true);
    const [window] = FakeBrowserWindow.instances;
    expect(window?.options.webPreferences).toEqual({
      preload: '/app/out/preload/index.cjs',
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
    });
    expect(window?.url).toBe('app://headroom/index.html#/settings/gis');
    // Titled in the person's language until the page sets its own.
    expect(window?.options.title).toBe('Headroom-Einstellungen');
    expect(window?.visible).toBe(false);
    window?.emit('ready-to-show');
    expect(window?.visible).toBe(true);
  });

  it('reuse an open window, telling its page where to go', () => {
    const windows = manager();
    windows.show({ view: 'dashboard' });
    windows.show({ view: 'dashboard', accountId: 'fx' });
    expect(FakeBrowserWindow.instances).toHaveLength(1);
    expect(FakeBrowserWindow.instances[0]?.webContents.sent).toEqual([
      ['app:navigate', { view: 'dashboard', accountId: 'fx' }],
    ]);
  });

  it('place the popover by the tray, hide it on blur and destroy it once idle', () => {
    vi.useFakeTimers();
    try {
      const windows = manager('darwin');
      windows.show({ view: 'dashboard' });
      const popover = FakeBrowserWindow.instances[0];
      popover?.emit('ready-to-show');
      expect(popover?.position).toEqual([1321, 31]);
      popover?.emit('blur');
      expect(popover?.visible).toBe(false);
      expect(popover?.destroyed).toBe(false);
      vi.advanceTimersByTime(IDLE_DESTROY_MS);
      expect(popover?.destroyed).toBe(true);
      // Destroyed when closed: the next show makes a new one.
      windows.show({ view: 'dashboard' });
      expect(FakeBrowserWindow.instances).toHaveLength(2);
    } finally {
      vi.useRealTimers();
    }
  });

  it('toggle the popover from the tray, and treat the click that blurred it as closing it', () => {
    const windows = manager('win32');
    windows.toggleDashboard();
    const popover = FakeBrowserWindow.instances[0];
    popover?.emit('ready-to-show');
    expect(popover?.visible).toBe(true);
    windows.toggleDashboard();
    expect(popover?.visible).toBe(false);
    popover?.show();
    popover?.emit('blur');
    windows.toggleDashboard();
    expect(popover?.visible).toBe(false);
  });

  it('do not hide the Linux dashboard on blur, and forward events to every open page', () => {
    const windows = manager('linux');
    windows.show({ view: 'dashboard' });
    windows.show({ view: 'settings' });
    const [dashboard, settings] = FakeBrowserWindow.instances;
    expect(dashboard?.count('blur')).toBe(0);
    windows.broadcast('snapshots:refreshing', { refreshing: true });
    expect(dashboard?.webContents.sent).toEqual([['snapshots:refreshing', { refreshing: true }]]);
    expect(settings?.webContents.sent).toEqual([['snapshots:refreshing', { refreshing: true }]]);
    windows.closeAll();
    expect(FakeBrowserWindow.instances.every((window) => window.destroyed)).toBe(true);
  });

  it('close a window whose page cannot load, saying why', async () => {
    const windows = manager();
    vi.spyOn(FakeBrowserWindow.prototype, 'loadURL').mockRejectedValue(new Error('ERR_FILE_NOT_FOUND'));
    windows.show({ view: 'settings' });
    await new Promise((resolve) => setImmediate(resolve));
    expect(FakeBrowserWindow.instances[0]?.destroyed).toBe(true);
    expect(logs.at(-1)?.message).toContain('is the renderer built');
  });
});

describe('hardening', () => {
  it('denies every permission, download and device, and gives remote responses a CSP that runs nothing', () => {
    const session = new FakeSession();
    hardenSession(session as unknown as Session, log);
    const answers: boolean[] = [];
    for (const permission of ['media', 'geolocation', 'notifications', 'clipboard-read'])
      session.permission?.({}, permission, (granted) => answers.push(granted));
    expect(answers).toEqual([false, false, false, false]);
    expect([session.check?.(), session.device?.()]).toEqual([false, false]);
    const download = {
      prevented: false,
      preventDefault() {
        this.prevented = true;
      },
    };
    session.emit('will-download', download);
    expect(download.prevented).toBe(true);
    const responses: unknown[] = [];
    session.headers?.({ url: 'https://example.com/x', responseHeaders: { 'X-A': ['1'] } }, (response) =>
      responses.push(response),
    );
    session.headers?.({ url: 'app://headroom/index.html' }, (response) => responses.push(response));
    expect(responses).toEqual([
      { responseHeaders: { 'X-A': ['1'], 'Content-Security-Policy': ["default-src 'none'; frame-ancestors 'none'"] } },
      {},
    ]);
    expect(CONTENT_SECURITY_POLICY).not.toContain("'unsafe");
  });

  it('blocks navigation away from the app and new windows; http(s) links go to the browser', () => {
    const contents = new FakeWebContents();
    const opened: string[] = [];
    hardenWebContents(contents as unknown as WebContents, (url) => opened.push(url), log);
    const attempt = (event: string, url: string): boolean => {
      const navigation = {
        prevented: false,
        preventDefault() {
          this.prevented = true;
        },
      };
      contents.emit(event, navigation, url);
      return navigation.prevented;
    };
    expect(attempt('will-navigate', 'https://evil.example/')).toBe(true);
    expect(attempt('will-navigate', 'file:///etc/passwd')).toBe(true);
    expect(attempt('will-redirect', 'https://evil.example/')).toBe(true);
    expect(attempt('will-navigate', 'app://headroom/index.html')).toBe(false);
    expect(attempt('will-attach-webview', 'app://headroom/index.html')).toBe(true);
    expect(contents.windowOpenHandler?.({ url: 'https://docs.example.com/a' })).toEqual({ action: 'deny' });
    expect(contents.windowOpenHandler?.({ url: 'file:///etc/passwd' })).toEqual({ action: 'deny' });
    expect(opened).toEqual(['https://docs.example.com/a']);
    expect(logs.filter((entry) => entry.level === 'warn')).toHaveLength(4);
  });
});

describe('the tray', () => {
  const input = {
    now: NOW,
    accounts: [account('a')],
    snapshots: [snapshot('a', [meter({ remaining: 70, level: 'critical' })])],
    preferences: preferences(),
    refreshing: false,
    updateReady: null,
    t: EN.t,
    locale: EN.locale,
  };

  it('shows the model: icon per state, title on macOS, tooltip, and the menu on the right click', () => {
    const actions: unknown[] = [];
    let clicks = 0;
    const tray = new AppTray(
      'darwin',
      (action) => actions.push(action),
      () => clicks++,
      log,
    );
    const fake = FakeTray.instances[0];
    tray.update(trayModel({ ...input, platform: 'darwin' }));
    expect(fake?.title).toBe('7%');
    expect(fake?.tooltip).toBe('Headroom\nAccount a: 7%');
    expect(fake?.image.template).toBe(true);
    expect(fake?.image.representations.map((entry) => entry.scaleFactor)).toEqual([1, 2]);
    // macOS: the left click opens the popover, the menu waits for the right click.
    expect(fake?.contextMenu).toBeUndefined();
    fake?.emit('click');
    expect(clicks).toBe(1);
    fake?.emit('right-click');
    const menu = fake?.poppedUp as FakeMenu;
    expect(menu.template[0]?.label).toBe('‼ Account a — 70 credits left (7%)');
    menu.template[0]?.click?.();
    expect(actions).toEqual([{ type: 'open-dashboard', accountId: 'a' }]);
    // The image is only replaced when the state changes.
    const changes = fake?.imageChanges;
    tray.update(trayModel({ ...input, platform: 'darwin' }));
    expect(fake?.imageChanges).toBe(changes);
    tray.update(trayModel({ ...input, platform: 'darwin', snapshots: [] }));
    expect(fake?.imageChanges).toBe((changes ?? 0) + 1);
  });

  it('puts the menu on the icon on Windows and Linux, with coloured icons', () => {
    new AppTray(
      'linux',
      () => undefined,
      () => undefined,
      log,
    ).update(trayModel({ ...input, platform: 'linux' }));
    const fake = FakeTray.instances[0];
    expect(fake?.title).toBeUndefined();
    expect(fake?.contextMenu?.template.map((item) => item.label ?? item.type)).toContain('Open dashboard');
    expect((fake?.image as FakeImage).template).toBe(false);
    expect(fake?.count('click')).toBe(0);
  });

  it("maps submenus, checkboxes and separators to Electron's template", () => {
    const clicked: unknown[] = [];
    const template = menuTemplate(trayModel({ ...input, platform: 'win32' }).menu, (action) => clicked.push(action));
    const pause = template.find((item) => item.label === 'Pause notifications');
    const submenu = pause?.submenu as { label: string; click: () => void }[];
    submenu[0]?.click();
    expect(clicked).toEqual([{ type: 'pause', minutes: 60 }]);
    expect(template.find((item) => item.label === 'Launch at login')).toMatchObject({
      type: 'checkbox',
      checked: false,
    });
    expect(template.filter((item) => item.type === 'separator')).toHaveLength(3);
    expect(template.at(-2)).toMatchObject({ label: 'About Headroom', enabled: true });
    (template.at(-2)?.click as (() => void) | undefined)?.();
    expect(clicked.at(-1)).toEqual({ type: 'about' });
    const withUpdate = menuTemplate(trayModel({ ...input, platform: 'win32', updateReady: '1.4.0' }).menu, (action) =>
      clicked.push(action),
    );
    expect(withUpdate.at(-2)).toMatchObject({ label: 'Restart to update to 1.4.0', enabled: true });
    (withUpdate.at(-2)?.click as (() => void) | undefined)?.();
    expect(clicked.at(-1)).toEqual({ type: 'restart-to-update' });
  });
});

describe('notifications', () => {
  const alert: AlertToShow = {
    notification: {
      type: 'level',
      accountId: 'gis',
      accountLabel: 'GIS org',
      meterId: 'credits',
      meterLabel: 'Credits',
      level: 'critical',
      remaining: 25,
      limit: 1000,
      unit: 'credits',
    },
    snapshot: snapshot('gis', [meter({ remaining: 25 })]),
  };

  it('shows one notification per round; a click opens the dashboard at the account', () => {
    const opened: (string | undefined)[] = [];
    new Notifier(
      (accountId) => opened.push(accountId),
      log,
      () => EN,
      () => NOW,
    ).show([alert]);
    expect(FakeNotification.shown).toHaveLength(1);
    const shown = FakeNotification.shown[0];
    expect(shown?.options).toMatchObject({
      title: '“GIS org”: Credits critically low',
      urgency: 'critical',
      timeoutType: 'never',
    });
    shown?.emit('click');
    expect(opened).toEqual(['gis']);
  });

  it('speaks the language of the moment it shows', () => {
    let words = EN;
    const notifier = new Notifier(
      () => undefined,
      log,
      () => words,
      () => NOW,
    );
    notifier.show([alert]);
    words = DE;
    notifier.show([alert]);
    expect(FakeNotification.shown.map((shown) => shown.options.title)).toEqual([
      '“GIS org”: Credits critically low',
      '„GIS org“: Credits fast aufgebraucht',
    ]);
    expect(FakeNotification.shown[1]?.options.body).toBe('Noch 25 Credits von 1.000 (3 %).');
  });

  it('logs the alert where the system has no notifications', () => {
    FakeNotification.supported = false;
    new Notifier(
      () => undefined,
      log,
      () => EN,
      () => NOW,
    ).show([alert]);
    expect(FakeNotification.shown).toEqual([]);
    expect(logs.map((entry) => entry.message)).toEqual([
      'Alert: “GIS org”: Credits critically low',
      expect.stringContaining('shows no notifications') as string,
    ]);
  });
});
