import { Menu, nativeImage, Tray, type MenuItemConstructorOptions, type NativeImage } from 'electron';
import type { AppLog } from '../../services/app-events';
import { trayIconSet } from './tray-icon';
import type { TrayAction, TrayMenuItem, TrayModel } from './tray-model';
import type { TrayState } from './tray-state';

/** The menu model as Electron's menu template; every click goes to `onAction`. */
export function menuTemplate(
  items: readonly TrayMenuItem[],
  onAction: (action: TrayAction) => void,
): MenuItemConstructorOptions[] {
  return items.map((item): MenuItemConstructorOptions => {
    switch (item.kind) {
      case 'separator':
        return { type: 'separator' };
      case 'submenu':
        return { label: item.label, submenu: menuTemplate(item.items, onAction) };
      case 'checkbox':
        return {
          type: 'checkbox',
          label: item.label,
          checked: item.checked,
          click: () => {
            onAction(item.action);
          },
        };
      case 'action':
        return {
          label: item.label,
          enabled: item.enabled,
          click: () => {
            onAction(item.action);
          },
        };
    }
  });
}

export function trayImage(state: TrayState, platform: NodeJS.Platform): NativeImage {
  const set = trayIconSet(state, platform);
  const image = nativeImage.createEmpty();
  for (const representation of set.representations)
    image.addRepresentation({ scaleFactor: representation.scaleFactor, buffer: representation.png });
  if (set.template) image.setTemplateImage(true);
  return image;
}

/**
 * The tray icon, its title (macOS), tooltip and menu, redrawn from a TrayModel. A left click opens
 * the dashboard popover on macOS and Windows; on macOS the menu is on the right click (a menu set
 * with setContextMenu would take the left click too). On Linux the menu takes every click and
 * carries the entries.
 */
export class AppTray {
  private readonly tray: Tray;
  private readonly images = new Map<TrayState, NativeImage>();
  private state: TrayState | undefined;
  private template: MenuItemConstructorOptions[] = [];

  constructor(
    private readonly platform: NodeJS.Platform,
    private readonly onAction: (action: TrayAction) => void,
    onClick: () => void,
    private readonly log: AppLog,
  ) {
    this.tray = new Tray(this.image('ok'));
    if (platform === 'darwin') {
      this.tray.setIgnoreDoubleClickEvents(true);
      this.tray.on('right-click', () => {
        this.tray.popUpContextMenu(Menu.buildFromTemplate(this.template));
      });
    }
    if (platform === 'darwin' || platform === 'win32') this.tray.on('click', onClick);
  }

  update(model: TrayModel): void {
    try {
      if (model.state !== this.state) {
        this.tray.setImage(this.image(model.state));
        this.state = model.state;
      }
      if (this.platform === 'darwin') this.tray.setTitle(model.title, { fontType: 'monospacedDigit' });
      this.tray.setToolTip(model.tooltip);
      this.template = menuTemplate(model.menu, this.onAction);
      if (this.platform !== 'darwin') this.tray.setContextMenu(Menu.buildFromTemplate(this.template));
    } catch (error) {
      this.log('error', 'The tray could not be updated.', error);
    }
  }

  bounds(): Electron.Rectangle | null {
    const bounds = this.tray.getBounds();
    return bounds.width > 0 && bounds.height > 0 ? bounds : null;
  }

  destroy(): void {
    this.tray.destroy();
  }

  private image(state: TrayState): NativeImage {
    let image = this.images.get(state);
    if (!image) {
      image = trayImage(state, this.platform);
      this.images.set(state, image);
    }
    return image;
  }
}
