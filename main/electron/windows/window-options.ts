import type { BrowserWindowConstructorOptions } from 'electron';

export type WindowKind = 'dashboard' | 'settings';

export const DASHBOARD_SIZE = { width: 380, height: 560 } as const;
export const SETTINGS_SIZE = { width: 860, height: 660 } as const;

/**
 * A window's size, frame and behaviour; its webPreferences are set where it is made (window-manager.ts), in plain
 * sight.
 */
export type WindowShape = Omit<BrowserWindowConstructorOptions, 'webPreferences'>;

/**
 * The dashboard: a small frameless popover by the tray on macOS and Windows, hidden when it loses
 * focus. On Linux, where tray icons give no reliable position or click, a small ordinary window.
 */
export function dashboardWindowOptions(platform: NodeJS.Platform, backgroundColor: string, title: string): WindowShape {
  const popover = platform === 'darwin' || platform === 'win32';
  return {
    ...DASHBOARD_SIZE,
    show: false,
    title,
    backgroundColor,
    resizable: !popover,
    minimizable: !popover,
    maximizable: false,
    fullscreenable: false,
    ...(popover ? { frame: false, skipTaskbar: true, alwaysOnTop: true, movable: false } : { autoHideMenuBar: true }),
  };
}

export function settingsWindowOptions(backgroundColor: string, title: string): WindowShape {
  return {
    ...SETTINGS_SIZE,
    minWidth: 640,
    minHeight: 480,
    show: false,
    title,
    backgroundColor,
    autoHideMenuBar: true,
    fullscreenable: false,
  };
}

/** Whether the popover hides when it loses focus (the macOS and Windows popover does). */
export function hidesOnBlur(kind: WindowKind, platform: NodeJS.Platform): boolean {
  return kind === 'dashboard' && (platform === 'darwin' || platform === 'win32');
}
