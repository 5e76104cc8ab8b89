import { describe, expect, it } from 'vitest';
import type { AlertNotification } from '../../main/engine/alerts/decisions';
import { NAMED_MEMBERS, type UserCreditsNotification } from '../../main/engine/alerts/user-credits';
import { notificationFor } from '../../main/electron/notifications/notification-content';
import type { AlertToShow, DesktopAlert } from '../../main/services/app-events';
import type { MemberCredits } from '../../shared/snapshot';
import { DE, EN, failing, meter, NOW, snapshot } from '../support/builders';

const DAY = 86_400_000;

function level(
  overrides: Partial<Extract<AlertNotification, { type: 'level' }>> = {},
): Extract<AlertNotification, { type: 'level' }> {
  return {
    type: 'level',
    accountId: 'gis',
    accountLabel: 'GIS org',
    meterId: 'credits',
    meterLabel: 'Credits',
    level: 'critical',
    remaining: 25,
    limit: 1000,
    unit: 'credits',
    ...overrides,
  };
}

function alert(
  notification: DesktopAlert,
  meters = [meter({ remaining: 25, resetsAt: new Date(NOW.getTime() + 9 * DAY).toISOString() })],
): AlertToShow {
  return {
    notification,
    snapshot:
      notification.type === 'outage'
        ? failing(notification.accountId, notification.kind)
        : snapshot(notification.accountId, meters),
  };
}

function member(
  username: string,
  assigned: number | null,
  available: number | null,
  memberLevel: 'warning' | 'critical',
  fullName?: string,
): MemberCredits {
  return { username, ...(fullName ? { fullName } : {}), assigned, available, unlimited: false, level: memberLevel };
}

function members(users: MemberCredits[], lowCount = users.length): UserCreditsNotification {
  const worst = users.some((user) => user.level === 'critical') ? 'critical' : 'warning';
  return { type: 'userCredits', accountId: 'gis', accountLabel: 'GIS org', level: worst, users, lowCount };
}

const en = (alerts: AlertToShow[]) => notificationFor(alerts, NOW, EN);
const de = (alerts: AlertToShow[]) => notificationFor(alerts, NOW, DE);

describe('one alert', () => {
  it('says which account, which meter, what is left and when it resets', () => {
    expect(en([alert(level())])).toEqual({
      title: '“GIS org”: Credits critically low',
      body: '25 credits left of 1,000 (3 %). It resets in 9 days.',
      accountId: 'gis',
      urgency: 'critical',
    });
    expect(de([alert(level())])).toEqual({
      title: '„GIS org“: Credits fast aufgebraucht',
      body: 'Noch 25 Credits von 1.000 (3 %). Wird in 9 Tagen zurückgesetzt.',
      accountId: 'gis',
      urgency: 'critical',
    });
  });

  it('says when a meter runs out at the current pace, when the forecast gave the level', () => {
    const exhaustsAt = new Date(NOW.getTime() + 3 * DAY).toISOString();
    const forecast = alert(level({ level: 'warning', remaining: 400, forecast: { exhaustsAt, beforeReset: true } }));
    expect(en([forecast])).toMatchObject({
      title: '“GIS org”: Credits running low',
      body: '400 credits left of 1,000 (40 %). At the current pace it runs out in 3 days; it resets in 9 days.',
      urgency: 'normal',
    });
    expect(de([forecast])).toMatchObject({
      title: '„GIS org“: Credits knapp',
      body: 'Noch 400 Credits von 1.000 (40 %). Bei diesem Verbrauch in 3 Tagen aufgebraucht; zurückgesetzt wird in 9 Tagen.',
    });
    const tomorrow = alert(
      level({ forecast: { exhaustsAt: new Date(NOW.getTime() + DAY).toISOString(), beforeReset: null } }),
      [meter({ remaining: 25 })],
    );
    expect(en([tomorrow])?.body).toBe('25 credits left of 1,000 (3 %). At the current pace it runs out tomorrow.');
    expect(de([tomorrow])?.body).toBe('Noch 25 Credits von 1.000 (3 %). Bei diesem Verbrauch morgen aufgebraucht.');
  });

  it('writes money and bytes in their own terms, and says when the amount is unknown', () => {
    const money = alert(
      level({ meterId: 'balance', meterLabel: 'Balance', unit: 'money', remaining: 4.5, limit: null }),
      [meter({ id: 'balance', unit: 'money', currency: 'EUR', remaining: 4.5, limit: null })],
    );
    expect(en([money])?.body).toBe('€4.50 left.');
    expect(de([money])?.body).toBe('Noch 4,50\u00a0€.');
    const bytes = alert(
      level({
        meterId: 'storage',
        meterLabel: 'Storage',
        unit: 'bytes',
        remaining: 2_000_000_000,
        limit: 10_000_000_000,
      }),
      [meter({ id: 'storage', unit: 'bytes' })],
    );
    expect(en([bytes])?.body).toBe('2 GB left of 10 GB (20 %).');
    expect(de([bytes])?.body).toBe('Noch 2 GB von 10 GB (20 %).');
    expect(en([alert(level({ remaining: null }))])?.body).toBe(
      'Headroom cannot tell how much of Credits is left. It resets in 9 days.',
    );
    expect(de([alert(level({ remaining: null }))])?.body).toBe(
      'Headroom kann nicht erkennen, wie viel von Credits übrig ist. Wird in 9 Tagen zurückgesetzt.',
    );
  });

  it('counts with the right plural', () => {
    const one = alert(
      level({ meterId: 'requests', meterLabel: 'Requests', unit: 'requests', remaining: 1, limit: null }),
      [meter({ id: 'requests', unit: 'requests', remaining: 1, limit: null })],
    );
    const two = alert(
      level({ meterId: 'requests', meterLabel: 'Requests', unit: 'requests', remaining: 2, limit: null }),
      [meter({ id: 'requests', unit: 'requests', remaining: 2, limit: null })],
    );
    expect([en([one])?.body, en([two])?.body]).toEqual(['1 request left.', '2 requests left.']);
    expect([de([one])?.body, de([two])?.body]).toEqual(['Noch 1 Anfrage.', 'Noch 2 Anfragen.']);
  });

  it('tells to fix the credentials when they are refused', () => {
    const outage: AlertNotification = {
      type: 'outage',
      accountId: 'fx',
      accountLabel: 'FX rates',
      kind: 'auth',
      message: "Open Exchange Rates rejected the App ID of 'FX rates'.",
    };
    expect(en([alert(outage)])).toEqual({
      title: '“FX rates”: sign-in refused',
      body: "Open Exchange Rates rejected the App ID of 'FX rates'. Fix the credentials in Settings; Headroom checks again as soon as they change.",
      accountId: 'fx',
      urgency: 'critical',
    });
    expect(de([alert(outage)])).toMatchObject({
      title: '„FX rates“: Anmeldung abgelehnt',
      body: expect.stringContaining('Korrigieren Sie die Zugangsdaten in den Einstellungen') as string,
    });
    const network: AlertNotification = { ...outage, kind: 'network', message: 'The host could not be reached.' };
    expect(en([alert(network)])).toMatchObject({
      title: '“FX rates” cannot be checked',
      body: expect.stringContaining('keeps trying') as string,
    });
    expect(de([alert(network)])).toMatchObject({
      title: '„FX rates“ kann nicht geprüft werden',
      body: expect.stringContaining('versucht es weiter') as string,
    });
    const config: AlertNotification = { ...outage, kind: 'config', message: 'The portal URL is missing.' };
    expect(en([alert(config)])?.title).toBe('“FX rates” needs its settings fixed');
    expect(de([alert(config)])?.title).toBe('„FX rates“: Einstellungen müssen korrigiert werden');
  });
});

describe('members low on their credits (ArcGIS Online credit budgeting)', () => {
  it('names one member with the figures', () => {
    const note = alert(members([member('amara', 500, 10, 'critical', 'Amara Okafor')]));
    expect(en([note])).toEqual({
      title: '“GIS org”: Amara Okafor (amara) has almost no credits left',
      body: 'Amara Okafor (amara): 10 of 500 credits left (2 %)',
      accountId: 'gis',
      urgency: 'critical',
    });
    expect(de([note])).toEqual({
      title: '„GIS org“: Amara Okafor (amara) hat kaum noch Credits',
      body: 'Amara Okafor (amara): noch 10 von 500 Credits (2 %)',
      accountId: 'gis',
      urgency: 'critical',
    });
    const warning = alert(members([member('ben', 1000, 150, 'warning')]));
    expect(en([warning])).toMatchObject({
      title: '“GIS org”: ben is low on credits',
      body: 'ben: 150 of 1,000 credits left (15 %)',
      urgency: 'normal',
    });
    expect(de([warning])).toMatchObject({
      title: '„GIS org“: ben hat nur noch wenige Credits',
      body: 'ben: noch 150 von 1.000 Credits (15 %)',
    });
  });

  it(`names the first ${NAMED_MEMBERS} of many, then "and N more", and counts those already low`, () => {
    const many = Array.from({ length: NAMED_MEMBERS + 3 }, (_, index) =>
      member(`m${index + 1}`, 1000, 100 + index, 'warning'),
    );
    const note = alert(members(many, many.length + 1));
    const english = en([note]);
    expect(english?.title).toBe('“GIS org”: 8 members are low on credits');
    expect(english?.body.split('\n')).toEqual([
      'm1: 100 of 1,000 credits left (10 %)',
      'm2: 101 of 1,000 credits left (10 %)',
      'm3: 102 of 1,000 credits left (10 %)',
      'm4: 103 of 1,000 credits left (10 %)',
      'm5: 104 of 1,000 credits left (10 %)',
      'and 3 more',
      '1 other member was already low.',
    ]);
    const german = de([note]);
    expect(german?.title).toBe('„GIS org“: 8 Mitglieder haben nur noch wenige Credits');
    expect(german?.body.split('\n').slice(4)).toEqual([
      'm5: noch 104 von 1.000 Credits (10 %)',
      'und 3 weitere',
      'Ein weiteres Mitglied hatte schon wenige Credits.',
    ]);
  });

  it('says "and 1 more" and "N others" with the right plural', () => {
    const six = Array.from({ length: NAMED_MEMBERS + 1 }, (_, index) => member(`m${index + 1}`, 100, 10, 'warning'));
    const note = alert(members(six, six.length + 2));
    expect(en([note])?.body.split('\n').slice(-2)).toEqual(['and 1 more', '2 other members were already low.']);
    expect(de([note])?.body.split('\n').slice(-2)).toEqual([
      'und 1 weiteres',
      '2 weitere Mitglieder hatten schon wenige Credits.',
    ]);
  });

  it('writes a member without an allocation figure plainly', () => {
    const note = alert(members([member('zoe', 0, 0, 'critical')]));
    expect(en([note])?.body).toBe('zoe: 0 of 0 credits left');
    expect(de([note])?.body).toBe('zoe: noch 0 von 0 Credits');
  });
});

describe('several alerts in one round', () => {
  const round = () => [
    alert(level()),
    alert(
      level({
        accountId: 'fx',
        accountLabel: 'FX rates',
        meterId: 'requests',
        meterLabel: 'Requests',
        level: 'warning',
        remaining: 150,
        limit: 1000,
      }),
    ),
    alert({ type: 'outage', accountId: 'spark', accountLabel: 'Spark', kind: 'auth', message: 'refused' }),
  ];

  it('become one summary that opens the dashboard', () => {
    expect(en(round())).toEqual({
      title: '3 alerts on 3 accounts',
      body: [
        '• GIS org: Credits critically low (3 % left)',
        '• FX rates: Requests running low (15 % left)',
        '• Spark: sign-in refused, fix the credentials in Settings',
      ].join('\n'),
      urgency: 'critical',
    });
    expect(de(round())).toEqual({
      title: '3 Meldungen zu 3 Konten',
      body: [
        '• GIS org: Credits fast aufgebraucht (3 % übrig)',
        '• FX rates: Anfragen knapp (15 % übrig)',
        '• Spark: Anmeldung abgelehnt, Zugangsdaten in den Einstellungen korrigieren',
      ].join('\n'),
      urgency: 'critical',
    });
  });

  it('count alerts and accounts with their own plurals', () => {
    const two = [alert(level()), alert(members([member('amara', 500, 10, 'critical', 'Amara Okafor')]))];
    const onTwo = [
      ...two,
      alert({ type: 'outage', accountId: 'spark', accountLabel: 'Spark', kind: 'network', message: 'down' }),
    ];
    expect(en(two)?.title).toBe('“GIS org”: 2 alerts');
    expect(de(two)?.title).toBe('„GIS org“: 2 Meldungen');
    expect(en(onTwo)?.title).toBe('3 alerts on 2 accounts');
    expect(de(onTwo)?.title).toBe('3 Meldungen zu 2 Konten');
    expect(en(onTwo)?.body.split('\n')).toEqual([
      '• GIS org: Credits critically low (3 % left)',
      '• GIS org: Amara Okafor (amara) is low on credits',
      '• Spark: cannot be checked',
    ]);
    expect(de(onTwo)?.body.split('\n').slice(1)).toEqual([
      '• GIS org: Amara Okafor (amara) hat nur noch wenige Credits',
      '• Spark: kann nicht geprüft werden',
    ]);
    const several = [
      alert(level()),
      alert(members([member('a', 100, 1, 'critical'), member('b', 100, 10, 'warning')])),
    ];
    expect(en(several)?.body.split('\n')[1]).toBe('• GIS org: 2 members are low on credits');
    expect(de(several)?.body.split('\n')[1]).toBe('• GIS org: 2 Mitglieder haben nur noch wenige Credits');
  });

  it('open that account when they are all about one, and list at most four lines', () => {
    const alerts = Array.from({ length: 6 }, (_, index) =>
      alert(level({ meterId: `m${index}`, meterLabel: `Meter ${index}`, level: 'warning' })),
    );
    const content = en(alerts);
    expect(content).toMatchObject({ title: '“GIS org”: 6 alerts', accountId: 'gis', urgency: 'normal' });
    expect(content?.body.split('\n')).toHaveLength(5);
    expect(content?.body.split('\n')[4]).toBe('and 2 more — open the dashboard to see them');
    expect(de(alerts)?.body.split('\n')[4]).toBe('und 2 weitere – in der Übersicht zu sehen');
    expect(en(alerts.slice(0, 5))?.body.split('\n')[4]).toBe('and 1 more — open the dashboard to see it');
    expect(de(alerts.slice(0, 5))?.body.split('\n')[4]).toBe('und 1 weitere – in der Übersicht zu sehen');
  });

  it('say nothing for an empty round', () => {
    expect(en([])).toBeNull();
  });
});
