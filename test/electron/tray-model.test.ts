import { describe, expect, it } from 'vitest';
import {
  meterFigure,
  percentFigure,
  remainingFigure,
  shortCountdown,
  shownMeter,
  tightestOverall,
} from '../../main/electron/tray/tray-figures';
import {
  accountLine,
  MAX_MENU_ACCOUNTS,
  trayModel,
  trayTitle,
  type TrayInput,
  type TrayMenuItem,
} from '../../main/electron/tray/tray-model';
import { minutesUntilTomorrowMorning, trayState } from '../../main/electron/tray/tray-state';
import { account, DE, EN, failing, meter, NOW, preferences, snapshot } from '../support/builders';

function input(overrides: Partial<TrayInput> = {}): TrayInput {
  return {
    platform: 'darwin',
    now: NOW,
    accounts: [account('a'), account('b')],
    snapshots: [
      snapshot('a', [meter({ remaining: 700, level: 'ok' })]),
      snapshot('b', [meter({ id: 'requests', label: 'Requests', unit: 'requests', remaining: 70, level: 'critical' })]),
    ],
    preferences: preferences(),
    refreshing: false,
    updateReady: null,
    t: EN.t,
    locale: EN.locale,
    ...overrides,
  };
}

function labels(items: readonly TrayMenuItem[]): string[] {
  return items.map((item) => (item.kind === 'separator' ? '---' : item.label));
}

describe('the icon state', () => {
  const accounts = [account('a'), account('b')];
  it('is paused while notifications are paused, whatever the meters say', () => {
    expect(
      trayState({ accounts, snapshots: [snapshot('a', [meter({ level: 'critical' })])], notificationsPaused: true }),
    ).toBe('paused');
  });

  it('ranks critical, then a failing account, then warning, then ok', () => {
    const critical = snapshot('a', [meter({ level: 'critical' })]);
    const warning = snapshot('a', [meter({ level: 'warning' })]);
    expect(trayState({ accounts, snapshots: [critical, failing('b', 'network')], notificationsPaused: false })).toBe(
      'critical',
    );
    expect(trayState({ accounts, snapshots: [warning, failing('b', 'network')], notificationsPaused: false })).toBe(
      'error',
    );
    expect(trayState({ accounts, snapshots: [warning, snapshot('b', [meter()])], notificationsPaused: false })).toBe(
      'warning',
    );
    expect(
      trayState({ accounts, snapshots: [snapshot('a', [meter({ level: 'unknown' })])], notificationsPaused: false }),
    ).toBe('ok');
    expect(trayState({ accounts, snapshots: [], notificationsPaused: false })).toBe('ok');
  });

  it('ignores disabled accounts', () => {
    expect(
      trayState({
        accounts: [account('a', { enabled: false })],
        snapshots: [snapshot('a', [meter({ level: 'critical' })])],
        notificationsPaused: false,
      }),
    ).toBe('ok');
  });
});

describe('figures', () => {
  it('never shows an unknown figure as 0%', () => {
    const en = EN.locale;
    expect(percentFigure(meter({ remaining: null }), en)).toBe('—');
    expect(percentFigure(meter({ limit: null }), en)).toBe('—');
    expect(remainingFigure(meter({ remaining: null }), en)).toBe('—');
    expect(percentFigure(meter({ remaining: 4, limit: 1000 }), en)).toBe('0.4%');
    expect(percentFigure(meter({ remaining: 0, limit: 1000 }), en)).toBe('0%');
    expect(percentFigure(meter({ remaining: 995, limit: 1000 }), en)).toBe('99.5%');
    expect(percentFigure(meter({ unlimited: true }), en)).toBe('∞');
  });

  it('keeps the remaining amount to a few characters, in its unit', () => {
    const en = EN.locale;
    expect(remainingFigure(meter({ remaining: 1234 }), en)).toBe('1.2K');
    expect(remainingFigure(meter({ remaining: 2_500_000 }), en)).toBe('2.5M');
    expect(remainingFigure(meter({ unit: 'money', currency: 'EUR', remaining: 35.5 }), en)).toBe('€35.5');
    expect(remainingFigure(meter({ unit: 'money', currency: 'USD', remaining: 250 }), en)).toBe('$250');
    expect(remainingFigure(meter({ unit: 'bytes', remaining: 3_400_000_000 }), en)).toBe('3.4 GB');
    expect(remainingFigure(meter({ unit: 'days', remaining: 29.9, limit: null }), en)).toBe('29');
  });

  it('writes figures the German way in German', () => {
    const de = DE.locale;
    expect(percentFigure(meter({ remaining: 4, limit: 1000 }), de)).toBe('0,4\u00a0%');
    expect(percentFigure(meter({ remaining: 70, limit: 1000 }), de)).toBe('7\u00a0%');
    expect(remainingFigure(meter({ remaining: 2_500_000 }), de)).toBe('2,5\u00a0Mio.');
    expect(remainingFigure(meter({ unit: 'money', currency: 'EUR', remaining: 35.5 }), de)).toBe('35,5\u00a0€');
    expect(remainingFigure(meter({ unit: 'bytes', remaining: 3_400_000_000 }), de)).toBe('3,4 GB');
    expect(shortCountdown(new Date(NOW.getTime() + 5 * 86_400_000), NOW, DE)).toBe('5 T');
    expect(shortCountdown(new Date(NOW.getTime() + 20 * 60_000), NOW, DE)).toBe('20 Min.');
    expect(shortCountdown(new Date(NOW.getTime() - 1), NOW, DE)).toBe('jetzt');
  });

  it('shows the countdown to reset when asked', () => {
    const resetsAt = new Date(NOW.getTime() + 5 * 86_400_000).toISOString();
    const m = meter({ remaining: 70, limit: 1000, resetsAt });
    expect(meterFigure(m, { pinned: null, figure: 'percent', showCountdown: true }, NOW, EN)).toBe('7% · 5d');
    expect(meterFigure(m, { pinned: null, figure: 'both', showCountdown: false }, NOW, EN)).toBe('7% · 70');
    expect(
      meterFigure(meter({ remaining: 70 }), { pinned: null, figure: 'remaining', showCountdown: true }, NOW, EN),
    ).toBe('70');
    expect(meterFigure(m, { pinned: null, figure: 'both', showCountdown: true }, NOW, DE)).toBe('7\u00a0% · 70 · 5 T');
    expect(shortCountdown(new Date(NOW.getTime() + 90 * 60_000), NOW, EN)).toBe('2h');
    expect(shortCountdown(new Date(NOW.getTime() + 20 * 60_000), NOW, EN)).toBe('20m');
    expect(shortCountdown(new Date(NOW.getTime() - 1), NOW, EN)).toBe('now');
  });

  it('finds the tightest meter: worst level, then least left; unlimited meters never', () => {
    const snapshots = [
      snapshot('a', [
        meter({ id: 'x', remaining: 10, limit: 100, level: 'warning' }),
        meter({ id: 'y', unlimited: true, remaining: null, limit: null, level: 'ok' }),
      ]),
      snapshot('b', [meter({ id: 'z', remaining: 40, limit: 1000, level: 'warning' })]),
    ];
    expect(tightestOverall(snapshots)?.meter.id).toBe('z');
    expect(shownMeter(snapshots, { accountId: 'a', meterId: 'y' })?.meter.id).toBe('y');
    // A pinned meter that is gone falls back to the tightest.
    expect(shownMeter(snapshots, { accountId: 'gone', meterId: 'x' })?.meter.id).toBe('z');
  });
});

describe('the macOS title', () => {
  it('shows the tightest figure by default', () => {
    expect(trayModel(input()).title).toBe('7%');
  });

  it('shows the pinned meter and the figure the person chose', () => {
    const chosen = preferences({
      tray: { pinned: { accountId: 'a', meterId: 'credits' }, figure: 'both', showCountdown: false },
    });
    expect(trayTitle({ ...input(), preferences: chosen })).toBe('70% · 700');
  });

  it('says "—" when nothing is known yet, and nothing without accounts; only macOS has a title', () => {
    expect(trayModel(input({ snapshots: [] })).title).toBe('—');
    expect(trayModel(input({ snapshots: [snapshot('a', [meter({ remaining: null })])] })).title).toBe('—');
    expect(trayModel(input({ accounts: [], snapshots: [] })).title).toBe('');
    expect(trayModel(input({ platform: 'win32' })).title).toBe('');
  });
});

describe('the tooltip', () => {
  it('lists each account with its tightest meter, or its error in a few words', () => {
    const tooltip = trayModel(
      input({
        accounts: [account('a'), account('b'), account('c'), account('d', { enabled: false })],
        snapshots: [snapshot('a', [meter({ remaining: 700 })]), failing('b', 'auth')],
      }),
    ).tooltip;
    expect(tooltip.split('\n')).toEqual([
      'Headroom',
      'Account a: 70%',
      'Account b: sign-in refused',
      'Account c: checking…',
    ]);
  });

  it("fits Windows' 127 characters by leaving out whole lines", () => {
    const accounts = Array.from({ length: 12 }, (_, index) =>
      account(`account-${index}`, { label: `A long account name number ${index}` }),
    );
    const tooltip = trayModel(input({ platform: 'win32', accounts, snapshots: [] })).tooltip;
    expect(tooltip.length).toBeLessThanOrEqual(127);
    expect(tooltip.endsWith('\n…')).toBe(true);
    expect(trayModel(input({ platform: 'linux', accounts, snapshots: [] })).tooltip.split('\n')).toHaveLength(13);
  });

  it('says when notifications are paused', () => {
    const pausedUntil = new Date(NOW.getTime() + 3_600_000).toISOString();
    const model = trayModel(input({ preferences: preferences({ pausedUntil }) }));
    expect(model.state).toBe('paused');
    expect(model.tooltip.split('\n')[1]).toMatch(/^Notifications paused until \d\d?:\d\d[ \u202f][AP]M$/);
    const german = trayModel(input({ preferences: preferences({ pausedUntil }), t: DE.t, locale: DE.locale }));
    expect(german.tooltip.split('\n')[1]).toMatch(/^Benachrichtigungen pausiert bis \d\d:\d\d$/);
  });
});

describe('the menu', () => {
  it('has one line per account, then the commands, in this order', () => {
    const model = trayModel(input());
    expect(labels(model.menu)).toEqual([
      '✓ Account a — 700 credits left (70%)',
      '‼ Account b — 70 requests left (7%)',
      '---',
      'Refresh now',
      'Open dashboard',
      'Settings…',
      '---',
      'Pause notifications',
      'Launch at login',
      'Open logs folder',
      '---',
      'About Headroom',
      'Quit Headroom',
    ]);
    expect(model.menu[0]).toMatchObject({
      kind: 'action',
      enabled: true,
      action: { type: 'open-dashboard', accountId: 'a' },
    });
    const pause = model.menu.find((item) => item.kind === 'submenu');
    expect(
      pause?.kind === 'submenu'
        ? pause.items.map((item) => (item.kind === 'action' ? [item.label, item.enabled, item.action] : null))
        : null,
    ).toEqual([
      ['For 1 hour', true, { type: 'pause', minutes: 60 }],
      [
        expect.stringMatching(/^Until tomorrow \(8:00[ \u202f]AM\)$/),
        true,
        { type: 'pause', minutes: minutesUntilTomorrowMorning(NOW) },
      ],
      ['Resume notifications', false, { type: 'pause', minutes: null }],
    ]);
  });

  it('enables and labels by state: refreshing, no accounts, paused, launch at login', () => {
    const refreshing = trayModel(input({ refreshing: true })).menu.find(
      (item) => item.kind === 'action' && item.action.type === 'refresh',
    );
    expect(refreshing).toMatchObject({ label: 'Refreshing…', enabled: false });
    const empty = trayModel(input({ accounts: [], snapshots: [] })).menu;
    expect(empty[0]).toMatchObject({
      label: 'No accounts yet: add one in Settings…',
      action: { type: 'open-settings' },
    });
    expect(empty.find((item) => item.kind === 'action' && item.action.type === 'refresh')).toMatchObject({
      enabled: false,
    });
    const pausedUntil = new Date(NOW.getTime() + 3_600_000).toISOString();
    const paused = trayModel(input({ preferences: preferences({ pausedUntil, launchAtLogin: true }) })).menu;
    const submenu = paused.find((item) => item.kind === 'submenu');
    expect(submenu?.label).toMatch(/^Notifications paused until /);
    expect(submenu?.kind === 'submenu' ? submenu.items[2] : null).toMatchObject({
      label: 'Resume notifications',
      enabled: true,
    });
    expect(paused.find((item) => item.kind === 'checkbox')).toMatchObject({ label: 'Launch at login', checked: true });
  });

  it('says what each account is doing in its line', () => {
    expect(accountLine(account('a'), undefined, EN)).toBe('… Account a — checking');
    expect(accountLine(account('a', { enabled: false }), undefined, EN)).toBe('– Account a — off');
    expect(accountLine(account('a'), failing('a', 'rate_limited', [meter()]), EN)).toBe(
      '✕ Account a — rate limited, retrying later',
    );
    expect(accountLine(account('a'), snapshot('a', []), EN)).toBe('? Account a — no meters');
    expect(accountLine(account('a'), snapshot('a', [meter({ level: 'warning', remaining: 150 })]), EN)).toBe(
      '⚠ Account a — 150 credits left (15%)',
    );
    expect(
      accountLine(account('a'), snapshot('a', [meter({ remaining: 900, limit: null, level: 'unknown' })]), EN),
    ).toBe('? Account a — 900 credits left');
    expect(
      accountLine(account('a'), snapshot('a', [meter({ unlimited: true, remaining: null, limit: null })]), EN),
    ).toBe('✓ Account a — Credits: unlimited');
  });

  it('lists the accounts that need a look first when there are too many for a menu', () => {
    const accounts = Array.from({ length: MAX_MENU_ACCOUNTS + 5 }, (_, index) => account(`a${index}`));
    const snapshots = accounts.map((entry, index) =>
      snapshot(entry.id, [meter({ level: index === 24 ? 'critical' : index === 23 ? 'warning' : 'ok' })]),
    );
    snapshots[22] = failing('a22', 'auth');
    const lines = trayModel(input({ accounts, snapshots })).menu.slice(0, MAX_MENU_ACCOUNTS + 1);
    expect(lines.slice(0, 4).map((item) => (item.kind === 'action' ? item.action : null))).toEqual([
      { type: 'open-dashboard', accountId: 'a22' },
      { type: 'open-dashboard', accountId: 'a24' },
      { type: 'open-dashboard', accountId: 'a23' },
      { type: 'open-dashboard', accountId: 'a0' },
    ]);
    expect(lines[MAX_MENU_ACCOUNTS]).toMatchObject({
      label: '5 more accounts: open the dashboard',
      action: { type: 'open-dashboard' },
    });
  });

  it('escapes "&" on Windows, where it would mark a shortcut key', () => {
    const model = trayModel(input({ platform: 'win32', accounts: [account('a', { label: 'R&D' })], snapshots: [] }));
    expect(model.menu[0]).toMatchObject({ label: '… R&&D — checking' });
  });
});

describe('pause until tomorrow', () => {
  it('lasts until 08:00 the next morning, or this morning in the small hours', () => {
    const afternoon = new Date(2026, 2, 10, 14, 0);
    expect(minutesUntilTomorrowMorning(afternoon)).toBe(18 * 60);
    const night = new Date(2026, 2, 10, 2, 30);
    expect(minutesUntilTomorrowMorning(night)).toBe(5 * 60 + 30);
  });
});

describe('the menu in German', () => {
  const german = (overrides: Partial<TrayInput> = {}): TrayInput => input({ t: DE.t, locale: DE.locale, ...overrides });

  it('says everything in German, figures written the German way', () => {
    const model = trayModel(
      german({
        accounts: [account('a'), account('b'), account('c'), account('d', { enabled: false }), account('e')],
        snapshots: [
          snapshot('a', [meter({ remaining: 1234, limit: 10_000, level: 'warning' })]),
          failing('b', 'auth'),
          snapshot('e', []),
        ],
      }),
    );
    expect(labels(model.menu)).toEqual([
      '⚠ Account a — 1234 Credits übrig (12\u00a0%)',
      '✕ Account b — Anmeldung abgelehnt',
      '… Account c — wird geprüft',
      '– Account d — aus',
      '? Account e — keine Zähler',
      '---',
      'Jetzt aktualisieren',
      'Übersicht öffnen',
      'Einstellungen …',
      '---',
      'Benachrichtigungen pausieren',
      'Beim Anmelden starten',
      'Protokollordner öffnen',
      '---',
      'Über Headroom',
      'Headroom beenden',
    ]);
    const pause = model.menu.find((item) => item.kind === 'submenu');
    expect(pause?.kind === 'submenu' ? labels(pause.items) : null).toEqual([
      'Für 1 Stunde',
      'Bis morgen (08:00)',
      'Benachrichtigungen fortsetzen',
    ]);
    expect(model.tooltip.split('\n')).toEqual([
      'Headroom',
      'Account a: 12\u00a0%',
      'Account b: Anmeldung abgelehnt',
      'Account c: wird geprüft …',
      'Account e: keine Zähler',
    ]);
    expect(model.title).toBe('12\u00a0%');
  });

  it('says the states in German: refreshing, paused, no accounts, unlimited', () => {
    expect(
      trayModel(german({ refreshing: true })).menu.find(
        (item) => item.kind === 'action' && item.action.type === 'refresh',
      ),
    ).toMatchObject({ label: 'Wird aktualisiert …' });
    expect(trayModel(german({ accounts: [], snapshots: [] })).menu[0]).toMatchObject({
      label: 'Noch keine Konten: in den Einstellungen hinzufügen …',
    });
    expect(trayModel(german({ accounts: [], snapshots: [] })).tooltip).toBe('Headroom\nNoch keine Konten');
    const pausedUntil = new Date(NOW.getTime() + 3_600_000).toISOString();
    expect(
      trayModel(german({ preferences: preferences({ pausedUntil }) })).menu.find((item) => item.kind === 'submenu')
        ?.label,
    ).toMatch(/^Benachrichtigungen pausiert bis \d\d:\d\d$/);
    expect(
      accountLine(account('a'), snapshot('a', [meter({ unlimited: true, remaining: null, limit: null })]), DE),
    ).toBe('✓ Account a — Credits: unbegrenzt');
    expect(accountLine(account('a'), failing('a', 'rate_limited'), DE)).toBe(
      '✕ Account a — Anfragelimit erreicht, später erneut',
    );
  });

  it('counts with the right plural in both languages', () => {
    const many = (count: number) =>
      Array.from({ length: MAX_MENU_ACCOUNTS + count }, (_, index) => account(`a${index}`));
    const more = (language: typeof EN, count: number) =>
      trayModel(input({ t: language.t, locale: language.locale, accounts: many(count), snapshots: [] })).menu[
        MAX_MENU_ACCOUNTS
      ];
    expect(more(EN, 1)).toMatchObject({ label: '1 more account: open the dashboard' });
    expect(more(EN, 3)).toMatchObject({ label: '3 more accounts: open the dashboard' });
    expect(more(DE, 1)).toMatchObject({ label: 'Ein weiteres Konto: Übersicht öffnen' });
    expect(more(DE, 3)).toMatchObject({ label: '3 weitere Konten: Übersicht öffnen' });
    const line = (language: typeof EN, unit: 'requests' | 'credits', remaining: number) =>
      accountLine(account('a'), snapshot('a', [meter({ unit, remaining, limit: null })]), language);
    expect(line(EN, 'requests', 1)).toBe('✓ Account a — 1 request left');
    expect(line(EN, 'requests', 2)).toBe('✓ Account a — 2 requests left');
    expect(line(DE, 'requests', 1)).toBe('✓ Account a — 1 Anfrage übrig');
    expect(line(DE, 'requests', 2)).toBe('✓ Account a — 2 Anfragen übrig');
    expect(line(DE, 'credits', 1)).toBe('✓ Account a — 1 Credit übrig');
  });
});

describe('about and updates', () => {
  const tail = (model: ReturnType<typeof trayModel>) =>
    model.menu.slice(-3).map((item) => (item.kind === 'action' ? [item.label, item.action] : item.kind));

  it('offers "About Headroom" always, and "Restart to update" only once an update is downloaded', () => {
    expect(tail(trayModel(input()))).toEqual([
      'separator',
      ['About Headroom', { type: 'about' }],
      ['Quit Headroom', { type: 'quit' }],
    ]);
    expect(tail(trayModel(input({ updateReady: '1.4.0' })))).toEqual([
      ['About Headroom', { type: 'about' }],
      ['Restart to update to 1.4.0', { type: 'restart-to-update' }],
      ['Quit Headroom', { type: 'quit' }],
    ]);
    expect(
      trayModel(input()).menu.some((item) => item.kind === 'action' && item.action.type === 'restart-to-update'),
    ).toBe(false);
  });

  it('says them in German', () => {
    expect(tail(trayModel(input({ t: DE.t, locale: DE.locale })))).toEqual([
      'separator',
      ['Über Headroom', { type: 'about' }],
      ['Headroom beenden', { type: 'quit' }],
    ]);
    expect(tail(trayModel(input({ t: DE.t, locale: DE.locale, updateReady: '1.4.0' })))).toEqual([
      ['Über Headroom', { type: 'about' }],
      ['Neu starten, um auf 1.4.0 zu aktualisieren', { type: 'restart-to-update' }],
      ['Headroom beenden', { type: 'quit' }],
    ]);
  });
});
