import { describe, expect, it } from 'vitest';
import type { AlertNotification } from '../../main/core/alerts/decisions';
import { notificationFor } from '../../main/notifications/notification-content';
import type { AlertToShow } from '../../main/services/app-events';
import { failing, meter, NOW, snapshot } from './builders';

const DAY = 86_400_000;

function level(overrides: Partial<Extract<AlertNotification, { type: 'level' }>> = {}): Extract<AlertNotification, { type: 'level' }> {
  return { type: 'level', accountId: 'gis', accountLabel: 'GIS org', meterId: 'credits', meterLabel: 'Credits', level: 'critical', remaining: 25, limit: 1000, unit: 'credits', ...overrides };
}

function alert(notification: AlertNotification, meters = [meter({ remaining: 25, resetsAt: new Date(NOW.getTime() + 9 * DAY).toISOString() })]): AlertToShow {
  return { notification, snapshot: notification.type === 'outage' ? failing(notification.accountId, notification.kind) : snapshot(notification.accountId, meters) };
}

describe('one alert', () => {
  it('says which account, which meter, what is left and when it resets', () => {
    expect(notificationFor([alert(level())], NOW)).toEqual({
      title: "'GIS org': Credits critically low",
      body: '25 credits left of 1,000 (3 %). It resets in 9 d.',
      accountId: 'gis',
      urgency: 'critical',
    });
  });

  it('says when a meter runs out at the current pace, when the forecast gave the level', () => {
    const exhaustsAt = new Date(NOW.getTime() + 3 * DAY).toISOString();
    const content = notificationFor([alert(level({ level: 'warning', remaining: 400, forecast: { exhaustsAt, beforeReset: true } }))], NOW);
    expect(content).toMatchObject({ title: "'GIS org': Credits running low", body: '400 credits left of 1,000 (40 %). At the current pace it runs out in 3 d; it resets in 9 d.', urgency: 'normal' });
  });

  it('writes money and bytes in their own terms, and says when the amount is unknown', () => {
    const money = alert(level({ meterId: 'balance', meterLabel: 'Balance', unit: 'money', remaining: 4.5, limit: null }), [meter({ id: 'balance', unit: 'money', currency: 'EUR', remaining: 4.5, limit: null })]);
    expect(notificationFor([money], NOW)?.body).toBe('€4.50 left.');
    const bytes = alert(level({ meterId: 'storage', meterLabel: 'Storage', unit: 'bytes', remaining: 2_000_000_000, limit: 10_000_000_000 }), [meter({ id: 'storage', unit: 'bytes' })]);
    expect(notificationFor([bytes], NOW)?.body).toBe('2 GB left of 10 GB (20 %).');
    expect(notificationFor([alert(level({ remaining: null }))], NOW)?.body).toBe('Headroom cannot tell how much credits is left. It resets in 9 d.');
  });

  it('tells to fix the credentials when they are refused', () => {
    const outage: AlertNotification = { type: 'outage', accountId: 'fx', accountLabel: 'FX rates', kind: 'auth', message: "Open Exchange Rates rejected the App ID of 'FX rates'." };
    expect(notificationFor([alert(outage)], NOW)).toEqual({
      title: "'FX rates': sign-in refused",
      body: "Open Exchange Rates rejected the App ID of 'FX rates'. Fix the credentials in Settings; Headroom checks again as soon as they change.",
      accountId: 'fx',
      urgency: 'critical',
    });
    const network: AlertNotification = { ...outage, kind: 'network', message: 'The host could not be reached.' };
    expect(notificationFor([alert(network)], NOW)).toMatchObject({ title: "'FX rates' cannot be checked", body: expect.stringContaining('keeps trying') as string });
    const config: AlertNotification = { ...outage, kind: 'config', message: 'The portal URL is missing.' };
    expect(notificationFor([alert(config)], NOW)?.title).toBe("'FX rates' needs its settings fixed");
  });
});

describe('several alerts in one round', () => {
  it('become one summary that opens the dashboard', () => {
    const alerts = [
      alert(level()),
      alert(level({ accountId: 'fx', accountLabel: 'FX rates', meterId: 'requests', meterLabel: 'Requests', level: 'warning', remaining: 150, limit: 1000 })),
      alert({ type: 'outage', accountId: 'spark', accountLabel: 'Spark', kind: 'auth', message: 'refused' }),
    ];
    expect(notificationFor(alerts, NOW)).toEqual({
      title: '3 alerts on 3 accounts',
      body: ['• GIS org: Credits critically low (3 % left)', '• FX rates: Requests running low (15 % left)', '• Spark: sign-in refused, fix the credentials in Settings'].join('\n'),
      urgency: 'critical',
    });
  });

  it('open that account when they are all about one, and list at most four lines', () => {
    const alerts = Array.from({ length: 6 }, (_, index) => alert(level({ meterId: `m${index}`, meterLabel: `Meter ${index}`, level: 'warning' })));
    const content = notificationFor(alerts, NOW);
    expect(content).toMatchObject({ title: "'GIS org': 6 alerts", accountId: 'gis', urgency: 'normal' });
    expect(content?.body.split('\n')).toHaveLength(5);
    expect(content?.body.split('\n')[4]).toBe('and 2 more — open the dashboard to see them');
  });

  it('say nothing for an empty round', () => {
    expect(notificationFor([], NOW)).toBeNull();
  });
});
