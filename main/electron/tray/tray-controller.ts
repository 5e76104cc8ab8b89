import { localizedSnapshots } from '../../../shared/i18n/engine-names';
import { inDisplayCurrency, moneyDisplayOf } from '../../../shared/money';
import type { Snapshot } from '../../../shared/snapshot';
import type { AppServices } from '../../services/app-services';
import { trayModel, type TrayModel } from './tray-model';

/** Where the model is drawn: AppTray in the app (Electron's Tray), a recorder in tests. */
export interface TrayView {
  update(model: TrayModel): void;
}

/** The services the tray is drawn from. */
export type TraySource = Pick<AppServices, 'localization' | 'onEvent'> & {
  settings: Pick<AppServices['settings'], 'get'>;
  polling: Pick<AppServices['polling'], 'snapshots'>;
  exchangeRates: Pick<AppServices['exchangeRates'], 'status'>;
};

/** The checks of a round arrive 250 ms apart or in a burst: one redraw per burst shows every snapshot. */
export const TRAY_REDRAW_MS = 100;

/**
 * Keeps the tray in step with the services: redrawn shortly after snapshots and refresh rounds (one
 * redraw per burst), at once when the preferences change (a new language rebuilds the menu in it
 * before the person looks again), and when an update is ready to install. Electron-free: the view
 * is injected.
 */
export class TrayController {
  private refreshing = false;
  private ready: { version: string; restart: () => void } | null = null;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly unsubscribe: () => void;

  constructor(
    private readonly platform: NodeJS.Platform,
    private readonly source: TraySource,
    private readonly view: TrayView,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.unsubscribe = source.onEvent((...event) => {
      if (event[0] === 'snapshots:refreshing') this.refreshing = event[1].refreshing;
      if (event[0] === 'app:state-changed') this.redraw();
      else this.scheduleRedraw();
    });
  }

  /** What the tray shows now. */
  model(): TrayModel {
    const { accounts, preferences } = this.source.settings.get();
    const { t, locale } = this.source.localization();
    return trayModel({
      platform: this.platform,
      now: this.now(),
      accounts,
      snapshots: this.inDisplayCurrency(localizedSnapshots(this.source.polling.snapshots(), t), preferences),
      preferences,
      refreshing: this.refreshing,
      updateReady: this.ready?.version ?? null,
      t,
      locale,
    });
  }

  /** Money as the dashboard shows it: the remaining amounts in the display currency (levels are untouched). */
  private inDisplayCurrency(snapshots: Snapshot[], preferences: { displayCurrency: string | null }): Snapshot[] {
    const money = moneyDisplayOf(preferences.displayCurrency, this.source.exchangeRates.status());
    if (!money) return snapshots;
    return snapshots.map((snapshot) => ({
      ...snapshot,
      meters: snapshot.meters.map((meter) => inDisplayCurrency(meter, money).meter),
    }));
  }

  redraw(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.view.update(this.model());
  }

  scheduleRedraw(): void {
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      this.redraw();
    }, TRAY_REDRAW_MS);
  }

  /**
   * The updater (main/electron/updater) downloaded `version`: the menu offers "Restart to update", which
   * calls `restart` (the updater's quit-and-install). A later call replaces an earlier one.
   */
  setUpdateReady(version: string, restart: () => void): void {
    this.ready = { version, restart };
    this.redraw();
  }

  /** The ready update is gone (installed, or withdrawn by the updater): the menu no longer offers it. */
  clearUpdateReady(): void {
    this.ready = null;
    this.redraw();
  }

  /** The menu's "Restart to update": false when no update is ready (a menu drawn before it went away). */
  restartToUpdate(): boolean {
    if (!this.ready) return false;
    this.ready.restart();
    return true;
  }

  dispose(): void {
    this.unsubscribe();
    clearTimeout(this.timer);
    this.timer = undefined;
  }
}
