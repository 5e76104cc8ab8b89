import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { AppEventArgs, AppEventListener } from '../../main/services/app-events';
import { TRAY_REDRAW_MS, TrayController, type TraySource } from '../../main/electron/tray/tray-controller';
import type { TrayMenuItem, TrayModel } from '../../main/electron/tray/tray-model';
import { Localizations } from '../../shared/i18n/localizations';
import type { AppState } from '../../shared/ipc';
import { exchangeRatesSchema } from '../../shared/money';
import { defaultSettings, type Settings } from '../../shared/settings';
import type { Snapshot } from '../../shared/snapshot';
import { account, meter, NOW, snapshot } from '../support/builders';

/** Services as far as the tray reads them: settings to change, events to send, the system's languages. */
const RATES = exchangeRatesSchema.parse({
  base: 'USD',
  date: '2026-12-07',
  source: 'openexchangerates',
  sourceLabel: 'FX',
  rates: { EUR: 0.8 },
});

function source(
  systemLanguages: string[] = ['en-US'],
  snapshots: Snapshot[] = [snapshot('a', [meter({ remaining: 70 })])],
) {
  const localizations = new Localizations();
  const listeners = new Set<AppEventListener>();
  let settings: Settings = { ...defaultSettings(), accounts: [account('a')] };
  const fake: TraySource & {
    emit(...args: AppEventArgs): void;
    setLanguage(language: Settings['preferences']['language']): void;
    set(next: Settings): void;
  } = {
    settings: { get: () => settings },
    polling: { snapshots: () => snapshots },
    exchangeRates: { status: () => ({ rates: RATES, problem: null, account: null }) },
    localization: () => localizations.for(settings.preferences.language, systemLanguages),
    onEvent: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    emit: (...args) => {
      for (const listener of listeners) listener(...args);
    },
    setLanguage: (language) => {
      settings = { ...settings, preferences: { ...settings.preferences, language } };
    },
    set: (next) => {
      settings = next;
    },
  };
  return fake;
}

function recorder() {
  const models: TrayModel[] = [];
  return { models, view: { update: (model: TrayModel) => models.push(model) } };
}

const labels = (model: TrayModel | undefined): string[] =>
  (model?.menu ?? []).flatMap((item: TrayMenuItem) => (item.kind === 'separator' ? [] : [item.label]));
const state = (language: Settings['preferences']['language']): AppState => ({
  version: '0.1.0',
  preferences: { ...defaultSettings().preferences, language },
  keychain: { available: true },
  notices: [],
  pausedUntil: null,
  platform: 'linux',
  exchangeRates: null,
});

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('the tray controller', () => {
  it('speaks the system language under "system", and the chosen one at once when the preference changes', () => {
    const services = source(['de-AT', 'en-US']);
    const { models, view } = recorder();
    const controller = new TrayController('linux', services, view, () => NOW);
    controller.redraw();
    expect(labels(models.at(-1))).toContain('Jetzt aktualisieren');
    expect(models.at(-1)?.tooltip).toBe('Headroom\nAccount a: 7\u00a0%');

    services.setLanguage('en');
    services.emit('app:state-changed', state('en'));
    // No timer ran: the redraw was immediate.
    expect(labels(models.at(-1))).toContain('Refresh now');
    expect(models.at(-1)?.tooltip).toBe('Headroom\nAccount a: 7%');
    controller.dispose();
  });

  it('shows a money meter’s remaining amount in the display currency, and in its own without one', () => {
    const balance = meter({ id: 'balance', unit: 'money', currency: 'USD', used: null, limit: null, remaining: 250 });
    const fake = source(['en-US'], [snapshot('a', [balance])]);
    const base = defaultSettings();
    const tray = { pinned: { accountId: 'a', meterId: 'balance' }, figure: 'remaining' as const, showCountdown: false };
    fake.set({ ...base, accounts: [account('a')], preferences: { ...base.preferences, tray } });
    const { view } = recorder();
    const controller = new TrayController('darwin', fake, view, () => NOW);
    expect(controller.model().title).toBe('$250');
    fake.set({ ...base, accounts: [account('a')], preferences: { ...base.preferences, tray, displayCurrency: 'EUR' } });
    expect(controller.model().title).toBe('€200');
    // A currency the rates cannot convert leaves the amount as reported.
    fake.set({ ...base, accounts: [account('a')], preferences: { ...base.preferences, tray, displayCurrency: 'CHF' } });
    expect(controller.model().title).toBe('$250');
    controller.dispose();
  });

  it('redraws once per burst of snapshots, and shows a refresh round', () => {
    const services = source();
    const { models, view } = recorder();
    const controller = new TrayController('linux', services, view, () => NOW);
    services.emit('snapshots:refreshing', { refreshing: true });
    services.emit('snapshots:changed', []);
    services.emit('snapshots:changed', []);
    expect(models).toHaveLength(0);
    vi.advanceTimersByTime(TRAY_REDRAW_MS);
    expect(models).toHaveLength(1);
    expect(labels(models[0])).toContain('Refreshing…');
    services.emit('snapshots:refreshing', { refreshing: false });
    vi.advanceTimersByTime(TRAY_REDRAW_MS);
    expect(labels(models.at(-1))).toContain('Refresh now');
    controller.dispose();
    services.emit('snapshots:changed', []);
    vi.advanceTimersByTime(TRAY_REDRAW_MS);
    expect(models).toHaveLength(2);
  });

  it('offers "Restart to update" once told an update is ready, and restarts through the updater', () => {
    const services = source();
    const { models, view } = recorder();
    const controller = new TrayController('linux', services, view, () => NOW);
    controller.redraw();
    expect(labels(models.at(-1)).some((label) => label.startsWith('Restart'))).toBe(false);
    expect(controller.restartToUpdate()).toBe(false);

    const restarts: string[] = [];
    controller.setUpdateReady('1.4.0', () => restarts.push('1.4.0'));
    expect(labels(models.at(-1)).slice(-3)).toEqual(['About Headroom', 'Restart to update to 1.4.0', 'Quit Headroom']);
    services.setLanguage('de');
    services.emit('app:state-changed', state('de'));
    expect(labels(models.at(-1)).slice(-3)).toEqual([
      'Über Headroom',
      'Neu starten, um auf 1.4.0 zu aktualisieren',
      'Headroom beenden',
    ]);
    expect(controller.restartToUpdate()).toBe(true);
    expect(restarts).toEqual(['1.4.0']);

    controller.clearUpdateReady();
    expect(labels(models.at(-1)).slice(-2)).toEqual(['Über Headroom', 'Headroom beenden']);
    expect(controller.restartToUpdate()).toBe(false);
    expect(restarts).toEqual(['1.4.0']);
    controller.dispose();
  });
});
