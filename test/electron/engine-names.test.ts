import { describe, expect, it } from 'vitest';
import type { AlertNotification } from '../../main/engine/alerts/decisions';
import { serviceTypeLabel } from '../../main/engine/providers/arcgis/service-types';
import { DEMO_SCENARIOS, demoMeters } from '../../main/engine/providers/demo/demo-provider';
import { notificationFor } from '../../main/electron/notifications/notification-content';
import { TrayController } from '../../main/electron/tray/tray-controller';
import type { TrayModel } from '../../main/electron/tray/tray-model';
import { localizedMeters, localizedSnapshots, meterName } from '../../shared/i18n/engine-names';
import { de } from '../../shared/i18n/locales/de';
import { en } from '../../shared/i18n/locales/en';
import { defaultSettings } from '../../shared/settings';
import { account, DE, EN, meter, NOW, snapshot } from '../support/builders';
import { bundledRates } from '../../main/services/exchange-rates/bundled-rates';

/**
 * The engine names built-in meters and ArcGIS services in English, from the catalog; the shell says them in the
 * person's language.
 */
describe('the engine’s names in the person’s language', () => {
  const storage = meter({ id: 'storage', label: 'Storage', unit: 'bytes' });
  const credits = meter({
    breakdown: [
      { key: 'geocode', label: serviceTypeLabel('geocode'), used: 54 },
      { key: 'SpAnalysis', label: serviceTypeLabel('SpAnalysis'), used: 26 },
      { key: 'hologram', label: serviceTypeLabel('hologram'), used: 1 },
    ],
  });

  it('takes the engine’s English names from the catalog', () => {
    expect([serviceTypeLabel('geocode'), serviceTypeLabel('SpAnalysis'), serviceTypeLabel('hologram')]).toEqual([
      'Geocoding',
      'Spatial analysis',
      'Other (hologram)',
    ]);
    const names: string[] = Object.values(en.names.meter);
    const labels = DEMO_SCENARIOS.flatMap((scenario) => demoMeters(scenario, NOW).map((reading) => reading.label));
    expect(labels.filter((label) => !names.includes(label))).toEqual([]);
  });

  it('says the meters and the ArcGIS services in German, an unknown service as “Sonstige”', () => {
    const [storageDe, creditsDe] = localizedMeters('arcgis', [storage, credits], DE.t);
    expect(storageDe?.label).toBe('Speicher');
    expect(creditsDe?.label).toBe('Credits');
    expect(creditsDe?.breakdown?.map((item) => item.label)).toEqual([
      'Geokodierung',
      'Räumliche Analyse',
      'Sonstige (hologram)',
    ]);
    expect(meterName('arcgis', 'subscription', 'Subscription', DE.t)).toBe(de.names.meter.subscription);
    expect(meterName('openexchangerates', 'requests', 'Requests', DE.t)).toBe('Anfragen');
  });

  it('says a meter per currency in German with its currency: Stripe’s and DeepSeek’s balances', () => {
    expect(meterName('stripe', 'available-jpy', 'Available balance (JPY)', DE.t)).toBe('Verfügbares Guthaben (JPY)');
    expect(meterName('deepseek', 'balance-cny', 'Balance (CNY)', DE.t)).toBe(`${de.names.meter.balance} (CNY)`);
    expect(meterName('stripe', 'available-usd', 'Available balance (USD)', EN.t)).toBe('Available balance (USD)');
    // A label the engine did not give that way stays as it is.
    expect(meterName('stripe', 'available-usd', 'Available balance (EUR)', DE.t)).toBe('Available balance (EUR)');
    expect(meterName('deepseek', 'credits-usd', 'Prepaid (USD)', DE.t)).toBe('Prepaid (USD)');
  });

  it('keeps names it did not give: a custom endpoint’s own, and a built-in meter named otherwise', () => {
    const custom = meter({ id: 'requests', label: 'Requests', unit: 'requests' });
    expect(localizedMeters('custom', [custom], DE.t)[0]).toBe(custom);
    expect(meterName('arcgis', 'storage', 'Cloud storage', DE.t)).toBe('Cloud storage');
    expect(meterName('spark', 'calls', 'Calls', DE.t)).toBe('Calls');
  });

  it('changes nothing in English: the same snapshots come back', () => {
    const snapshots = [snapshot('gis', [storage, credits], { provider: 'arcgis' })];
    const said = localizedSnapshots(snapshots, EN.t);
    expect(said[0]).toBe(snapshots[0]);
  });

  it('names the meter in German in notifications and the tray', () => {
    const gis = snapshot(
      'gis',
      [meter({ id: 'storage', label: 'Storage', unit: 'bytes', level: 'critical', remaining: 5, limit: 100 })],
      { provider: 'arcgis', label: 'GIS' },
    );
    const alert: Extract<AlertNotification, { type: 'level' }> = {
      type: 'level',
      accountId: 'gis',
      accountLabel: 'GIS',
      meterId: 'storage',
      meterLabel: 'Storage',
      level: 'critical',
      remaining: 5,
      limit: 100,
      unit: 'bytes',
    };
    expect(notificationFor([{ notification: alert, snapshot: gis }], NOW, DE)?.title).toContain('Speicher');
    expect(notificationFor([{ notification: alert, snapshot: gis }], NOW, EN)?.title).toContain('Storage');
  });

  it('names the meter in German in the tray menu', () => {
    const settings = {
      ...defaultSettings(),
      accounts: [account('fx', { provider: 'openexchangerates', label: 'FX' })],
    };
    const fx = snapshot(
      'fx',
      [meter({ id: 'requests', label: 'Requests', unit: 'requests', unlimited: true, limit: null, remaining: null })],
      { provider: 'openexchangerates', label: 'FX' },
    );
    const models: TrayModel[] = [];
    const controller = new TrayController(
      'linux',
      {
        settings: { get: () => settings },
        polling: { snapshots: () => [fx] },
        exchangeRates: { status: () => ({ rates: bundledRates(), problem: null, account: null }) },
        localization: () => DE,
        onEvent: () => () => undefined,
      },
      { update: (model) => models.push(model) },
      () => NOW,
    );
    controller.redraw();
    controller.dispose();
    expect(models[0]?.menu.flatMap((item) => (item.kind === 'separator' ? [] : [item.label]))).toContain(
      '✓ FX — Anfragen: unbegrenzt',
    );
  });
});
