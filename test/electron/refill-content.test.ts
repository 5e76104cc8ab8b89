import { describe, expect, it } from 'vitest';
import type { AlertNotification } from '../../main/engine/alerts/decisions';
import type { RefillNotification } from '../../main/engine/alerts/refills';
import { notificationFor } from '../../main/electron/notifications/notification-content';
import type { AlertToShow } from '../../main/services/app-events';
import { DE, EN, meter, NOW, snapshot } from '../support/builders';

const DAY = 86_400_000;
const NEXT_RESET = new Date(NOW.getTime() + 30 * DAY).toISOString();

function refill(overrides: Partial<RefillNotification> = {}): RefillNotification {
  return {
    type: 'refill',
    accountId: 'gis',
    accountLabel: 'GIS org',
    meterId: 'credits',
    meterLabel: 'Credits',
    kind: 'reset',
    basis: 'remaining',
    before: 120,
    after: 10_000,
    limit: 10_000,
    unit: 'credits',
    resetsAt: NEXT_RESET,
    ...overrides,
  };
}

function alert(notification: AlertNotification): AlertToShow {
  return { notification, snapshot: snapshot(notification.accountId, [meter({ remaining: 10_000 })]) };
}

const en = (alerts: AlertToShow[]) => notificationFor(alerts, NOW, EN);
const de = (alerts: AlertToShow[]) => notificationFor(alerts, NOW, DE);

describe('refill notifications', () => {
  it('say that a quota reset, how much it has again and when the new period ends', () => {
    expect(en([alert(refill())])).toEqual({
      title: 'Quota reset: “GIS org” has 10,000 credits again',
      body: 'Credits: up from 120 to 10,000 credits left of 10,000 (100 %). It resets in 30 days.',
      accountId: 'gis',
      urgency: 'normal',
    });
    expect(de([alert(refill())])).toEqual({
      title: 'Kontingent zurückgesetzt: „GIS org“ hat wieder 10.000 Credits',
      body: 'Credits: gestiegen von 120 auf noch 10.000 Credits von 10.000 (100 %). Wird in 30 Tagen zurückgesetzt.',
      accountId: 'gis',
      urgency: 'normal',
    });
  });

  it('write a top-up of a balance in its currency', () => {
    const topUp = refill({
      meterId: 'balance',
      meterLabel: 'Balance',
      kind: 'topUp',
      before: 2.5,
      after: 52.5,
      limit: null,
      unit: 'money',
      currency: 'EUR',
      resetsAt: undefined,
    });
    expect(en([alert(topUp)])).toMatchObject({
      title: 'Topped up: “GIS org” now has €52.50',
      body: 'Balance: up from €2.50 to €52.50 left.',
    });
    expect(de([alert(topUp)])).toMatchObject({
      title: 'Aufgeladen: „GIS org“ hat jetzt 52,50\u00a0€',
      body: 'Guthaben: gestiegen von 2,50\u00a0€ auf noch 52,50\u00a0€.',
    });
  });

  it('say how much is used in the new period of a meter that counts only its use', () => {
    const hits = refill({
      meterId: 'hits',
      meterLabel: 'Hits',
      basis: 'used',
      before: 9_800,
      after: 1,
      limit: null,
      unit: 'hits',
    });
    expect(en([alert(hits)])).toMatchObject({
      title: 'Quota reset: a new period of Hits for “GIS org”',
      body: 'Hits: 1 hit used so far, down from 9,800. It resets in 30 days.',
    });
    expect(de([alert(hits)])).toMatchObject({
      title: 'Kontingent zurückgesetzt: neuer Zeitraum für Hits von „GIS org“',
      body: 'Hits: bisher 1 Hit verbraucht, vorher 9.800. Wird in 30 Tagen zurückgesetzt.',
    });
  });

  it('take one line each in a summary, and leave it at normal urgency', () => {
    const round = [alert(refill()), alert(refill({ accountId: 'oai', accountLabel: 'OpenAI', kind: 'topUp' }))];
    expect(en(round)).toEqual({
      title: '2 alerts on 2 accounts',
      body: '• GIS org: Credits reset\n• OpenAI: Credits topped up',
      urgency: 'normal',
    });
    expect(de(round)?.body).toBe('• GIS org: Credits zurückgesetzt\n• OpenAI: Credits aufgeladen');
  });
});
