import { describe, expect, it } from 'vitest';
import { meterFigure, percentFigure, remainingFigure, shortCountdown, shownMeter, tightestOverall } from '../../main/tray/tray-figures';
import { accountLine, MAX_MENU_ACCOUNTS, trayModel, trayTitle, type TrayInput, type TrayMenuItem } from '../../main/tray/tray-model';
import { minutesUntilTomorrowMorning, trayState } from '../../main/tray/tray-state';
import { account, failing, meter, NOW, preferences, snapshot } from './builders';

function input(overrides: Partial<TrayInput> = {}): TrayInput {
  return {
    platform: 'darwin',
    now: NOW,
    accounts: [account('a'), account('b')],
    snapshots: [snapshot('a', [meter({ remaining: 700, level: 'ok' })]), snapshot('b', [meter({ id: 'requests', label: 'Requests', unit: 'requests', remaining: 70, level: 'critical' })])],
    preferences: preferences(),
    refreshing: false,
    ...overrides,
  };
}

function labels(items: readonly TrayMenuItem[]): string[] {
  return items.map((item) => (item.kind === 'separator' ? '---' : item.label));
}

describe('the icon state', () => {
  const accounts = [account('a'), account('b')];
  it('is paused while notifications are paused, whatever the meters say', () => {
    expect(trayState({ accounts, snapshots: [snapshot('a', [meter({ level: 'critical' })])], notificationsPaused: true })).toBe('paused');
  });

  it('ranks critical, then a failing account, then warning, then ok', () => {
    const critical = snapshot('a', [meter({ level: 'critical' })]);
    const warning = snapshot('a', [meter({ level: 'warning' })]);
    expect(trayState({ accounts, snapshots: [critical, failing('b', 'network')], notificationsPaused: false })).toBe('critical');
    expect(trayState({ accounts, snapshots: [warning, failing('b', 'network')], notificationsPaused: false })).toBe('error');
    expect(trayState({ accounts, snapshots: [warning, snapshot('b', [meter()])], notificationsPaused: false })).toBe('warning');
    expect(trayState({ accounts, snapshots: [snapshot('a', [meter({ level: 'unknown' })])], notificationsPaused: false })).toBe('ok');
    expect(trayState({ accounts, snapshots: [], notificationsPaused: false })).toBe('ok');
  });

  it('ignores disabled accounts', () => {
    expect(trayState({ accounts: [account('a', { enabled: false })], snapshots: [snapshot('a', [meter({ level: 'critical' })])], notificationsPaused: false })).toBe('ok');
  });
});

describe('figures', () => {
  it('never shows an unknown figure as 0%', () => {
    expect(percentFigure(meter({ remaining: null }))).toBe('—');
    expect(percentFigure(meter({ limit: null }))).toBe('—');
    expect(remainingFigure(meter({ remaining: null }))).toBe('—');
    expect(percentFigure(meter({ remaining: 4, limit: 1000 }))).toBe('0.4%');
    expect(percentFigure(meter({ remaining: 0, limit: 1000 }))).toBe('0%');
    expect(percentFigure(meter({ remaining: 995, limit: 1000 }))).toBe('99.5%');
    expect(percentFigure(meter({ unlimited: true }))).toBe('∞');
  });

  it('keeps the remaining amount to a few characters, in its unit', () => {
    expect(remainingFigure(meter({ remaining: 1234 }))).toBe('1.2K');
    expect(remainingFigure(meter({ remaining: 2_500_000 }))).toBe('2.5M');
    expect(remainingFigure(meter({ unit: 'money', currency: 'EUR', remaining: 35.5 }))).toBe('€35.5');
    expect(remainingFigure(meter({ unit: 'bytes', remaining: 3_400_000_000 }))).toBe('3.4 GB');
  });

  it('shows the countdown to reset when asked', () => {
    const resetsAt = new Date(NOW.getTime() + 5 * 86_400_000).toISOString();
    const m = meter({ remaining: 70, limit: 1000, resetsAt });
    expect(meterFigure(m, { pinned: null, figure: 'percent', showCountdown: true }, NOW)).toBe('7% · 5d');
    expect(meterFigure(m, { pinned: null, figure: 'both', showCountdown: false }, NOW)).toBe('7% · 70');
    expect(meterFigure(meter({ remaining: 70 }), { pinned: null, figure: 'remaining', showCountdown: true }, NOW)).toBe('70');
    expect(shortCountdown(new Date(NOW.getTime() + 90 * 60_000), NOW)).toBe('2h');
    expect(shortCountdown(new Date(NOW.getTime() + 20 * 60_000), NOW)).toBe('20m');
    expect(shortCountdown(new Date(NOW.getTime() - 1), NOW)).toBe('now');
  });

  it('finds the tightest meter: worst level, then least left; unlimited meters never', () => {
    const snapshots = [
      snapshot('a', [meter({ id: 'x', remaining: 10, limit: 100, level: 'warning' }), meter({ id: 'y', unlimited: true, remaining: null, limit: null, level: 'ok' })]),
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
    const chosen = preferences({ tray: { pinned: { accountId: 'a', meterId: 'credits' }, figure: 'both', showCountdown: false } });
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
    const tooltip = trayModel(input({ accounts: [account('a'), account('b'), account('c'), account('d', { enabled: false })], snapshots: [snapshot('a', [meter({ remaining: 700 })]), failing('b', 'auth')] })).tooltip;
    expect(tooltip.split('\n')).toEqual(['Headroom', 'Account a: 70%', 'Account b: sign-in refused', 'Account c: checking…']);
  });

  it('fits Windows\' 127 characters by leaving out whole lines', () => {
    const accounts = Array.from({ length: 12 }, (_, index) => account(`account-${index}`, { label: `A long account name number ${index}` }));
    const tooltip = trayModel(input({ platform: 'win32', accounts, snapshots: [] })).tooltip;
    expect(tooltip.length).toBeLessThanOrEqual(127);
    expect(tooltip.endsWith('\n…')).toBe(true);
    expect(trayModel(input({ platform: 'linux', accounts, snapshots: [] })).tooltip.split('\n')).toHaveLength(13);
  });

  it('says when notifications are paused', () => {
    const pausedUntil = new Date(NOW.getTime() + 3_600_000).toISOString();
    const model = trayModel(input({ preferences: preferences({ pausedUntil }) }));
    expect(model.state).toBe('paused');
    expect(model.tooltip.split('\n')[1]).toMatch(/^Notifications paused until \d\d:\d\d$/);
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
      'Quit Headroom',
    ]);
    expect(model.menu[0]).toMatchObject({ kind: 'action', enabled: true, action: { type: 'open-dashboard', accountId: 'a' } });
    const pause = model.menu.find((item) => item.kind === 'submenu');
    expect(pause?.kind === 'submenu' ? pause.items.map((item) => (item.kind === 'action' ? [item.label, item.enabled, item.action] : null)) : null).toEqual([
      ['For 1 hour', true, { type: 'pause', minutes: 60 }],
      ['Until tomorrow (8:00)', true, { type: 'pause', minutes: minutesUntilTomorrowMorning(NOW) }],
      ['Resume notifications', false, { type: 'pause', minutes: null }],
    ]);
  });

  it('enables and labels by state: refreshing, no accounts, paused, launch at login', () => {
    const refreshing = trayModel(input({ refreshing: true })).menu.find((item) => item.kind === 'action' && item.action.type === 'refresh');
    expect(refreshing).toMatchObject({ label: 'Refreshing…', enabled: false });
    const empty = trayModel(input({ accounts: [], snapshots: [] })).menu;
    expect(empty[0]).toMatchObject({ label: 'No accounts yet: add one in Settings…', action: { type: 'open-settings' } });
    expect(empty.find((item) => item.kind === 'action' && item.action.type === 'refresh')).toMatchObject({ enabled: false });
    const pausedUntil = new Date(NOW.getTime() + 3_600_000).toISOString();
    const paused = trayModel(input({ preferences: preferences({ pausedUntil, launchAtLogin: true }) })).menu;
    const submenu = paused.find((item) => item.kind === 'submenu');
    expect(submenu?.label).toMatch(/^Notifications paused until /);
    expect(submenu?.kind === 'submenu' ? submenu.items[2] : null).toMatchObject({ label: 'Resume notifications', enabled: true });
    expect(paused.find((item) => item.kind === 'checkbox')).toMatchObject({ label: 'Launch at login', checked: true });
  });

  it('says what each account is doing in its line', () => {
    expect(accountLine(account('a'), undefined)).toBe('… Account a — checking');
    expect(accountLine(account('a', { enabled: false }), undefined)).toBe('– Account a — off');
    expect(accountLine(account('a'), failing('a', 'rate_limited', [meter()]))).toBe('✕ Account a — rate limited, retrying later');
    expect(accountLine(account('a'), snapshot('a', []))).toBe('? Account a — no meters');
    expect(accountLine(account('a'), snapshot('a', [meter({ level: 'warning', remaining: 150 })]))).toBe('⚠ Account a — 150 credits left (15%)');
    expect(accountLine(account('a'), snapshot('a', [meter({ remaining: 900, limit: null, level: 'unknown' })]))).toBe('? Account a — 900 credits left');
    expect(accountLine(account('a'), snapshot('a', [meter({ unlimited: true, remaining: null, limit: null })]))).toBe('✓ Account a — Credits: unlimited');
  });

  it('lists the accounts that need a look first when there are too many for a menu', () => {
    const accounts = Array.from({ length: MAX_MENU_ACCOUNTS + 5 }, (_, index) => account(`a${index}`));
    const snapshots = accounts.map((entry, index) => snapshot(entry.id, [meter({ level: index === 24 ? 'critical' : index === 23 ? 'warning' : 'ok' })]));
    snapshots[22] = failing('a22', 'auth');
    const lines = trayModel(input({ accounts, snapshots })).menu.slice(0, MAX_MENU_ACCOUNTS + 1);
    expect(lines.slice(0, 4).map((item) => (item.kind === 'action' ? item.action : null))).toEqual([
      { type: 'open-dashboard', accountId: 'a22' },
      { type: 'open-dashboard', accountId: 'a24' },
      { type: 'open-dashboard', accountId: 'a23' },
      { type: 'open-dashboard', accountId: 'a0' },
    ]);
    expect(lines[MAX_MENU_ACCOUNTS]).toMatchObject({ label: '5 more accounts: open the dashboard', action: { type: 'open-dashboard' } });
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
