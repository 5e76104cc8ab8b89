import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AlertNotification } from '../../main/engine/alerts/decisions';
import type { UserCreditsNotification } from '../../main/engine/alerts/user-credits';
import { notificationFor } from '../../main/electron/notifications/notification-content';
import type { AlertToShow } from '../../main/services/app-events';
import { MAX_MENU_ACCOUNTS, trayModel, type TrayInput, type TrayMenuItem } from '../../main/electron/tray/tray-model';
import { de } from '../../shared/i18n/locales/de';
import { en } from '../../shared/i18n/locales/en';
import type { ErrorKind, Meter, MeterUnit } from '../../shared/snapshot';
import { account, DE, failing, meter, NOW, preferences, snapshot } from '../support/builders';

/**
 * Nothing English is left in what the tray and notifications say in German: every text they can
 * produce, over every state, is checked against the English catalog's words (those German does
 * not share, such as "Headroom" or "Credits"), and their sources hold no sentence of their own.
 */

type Tree = { [key: string]: string | Tree };
function texts(tree: Tree): string[] {
  return Object.values(tree).flatMap((value) => (typeof value === 'string' ? [value] : texts(value)));
}
const words = (text: string): string[] =>
  text
    .replace(/\{\{\w+\}\}/g, ' ')
    .toLowerCase()
    .match(/\p{L}{3,}/gu) ?? [];

const germanWords = new Set(texts(de as Tree).flatMap(words));
const shellSections = ['tray', 'notifications', 'quantity', 'shell'] as const;
const englishOnly = new Set(
  shellSections
    .flatMap((section) => texts(en[section] as Tree).flatMap(words))
    .filter((word) => !germanWords.has(word)),
);

function englishIn(text: string): string[] {
  return words(text).filter((word) => englishOnly.has(word));
}

const DAY = 86_400_000;
const KINDS: ErrorKind[] = ['auth', 'rate_limited', 'network', 'timeout', 'server', 'bad_response', 'config'];
const UNITS: MeterUnit[] = ['credits', 'requests', 'hits', 'transactions', 'characters', 'bytes', 'money', 'days'];

function unitMeter(unit: MeterUnit, remaining: number): Meter {
  return meter({
    id: unit,
    label: 'Credits',
    unit,
    remaining,
    limit: unit === 'days' ? null : remaining * 10,
    level: 'warning',
    resetsAt: new Date(NOW.getTime() + 3 * DAY).toISOString(),
    ...(unit === 'money' ? { currency: 'EUR' } : {}),
  });
}

function germanTrays(): string[] {
  const accounts = [
    ...KINDS.map((kind, index) => account(kind, { label: `Konto ${index}` })),
    ...UNITS.flatMap((unit) => [account(`${unit}-1`, { label: 'Konto' }), account(`${unit}-2`, { label: 'Konto' })]),
    account('unbegrenzt', { label: 'Konto' }),
    account('leer', { label: 'Konto' }),
    account('neu', { label: 'Konto' }),
    account('aus', { label: 'Konto', enabled: false }),
  ];
  const snapshots = [
    ...KINDS.map((kind) => failing(kind, kind)),
    ...UNITS.flatMap((unit) => [
      snapshot(`${unit}-1`, [unitMeter(unit, 1)]),
      snapshot(`${unit}-2`, [unitMeter(unit, 12_345)]),
    ]),
    snapshot('unbegrenzt', [meter({ unlimited: true, remaining: null, limit: null })]),
    snapshot('leer', []),
  ];
  const base: TrayInput = {
    platform: 'darwin',
    now: NOW,
    accounts,
    snapshots,
    preferences: preferences(),
    refreshing: false,
    updateReady: null,
    t: DE.t,
    locale: DE.locale,
  };
  const pausedUntil = new Date(NOW.getTime() + 2 * DAY).toISOString();
  const inputs: TrayInput[] = [
    base,
    {
      ...base,
      refreshing: true,
      updateReady: '2.0.0',
      preferences: preferences({
        pausedUntil,
        launchAtLogin: true,
        tray: { pinned: null, figure: 'both', showCountdown: true },
      }),
    },
    { ...base, accounts: [], snapshots: [] },
    {
      ...base,
      accounts: [
        ...accounts,
        ...Array.from({ length: MAX_MENU_ACCOUNTS }, (_, index) => account(`mehr-${index}`, { label: 'Konto' })),
      ],
    },
    { ...base, platform: 'win32' },
  ];
  const labels = (items: readonly TrayMenuItem[]): string[] =>
    items.flatMap((item) =>
      item.kind === 'separator' ? [] : item.kind === 'submenu' ? [item.label, ...labels(item.items)] : [item.label],
    );
  return inputs.flatMap((input) => {
    const model = trayModel(input);
    return [model.title, model.tooltip, ...labels(model.menu)];
  });
}

function germanNotifications(): string[] {
  const level = (
    overrides: Partial<Extract<AlertNotification, { type: 'level' }>>,
  ): Extract<AlertNotification, { type: 'level' }> => ({
    type: 'level',
    accountId: 'gis',
    accountLabel: 'GIS',
    meterId: 'credits',
    meterLabel: 'Credits',
    level: 'critical',
    remaining: 25,
    limit: 1000,
    unit: 'credits',
    ...overrides,
  });
  const members = (count: number, lowCount: number): UserCreditsNotification => ({
    type: 'userCredits',
    accountId: 'gis',
    accountLabel: 'GIS',
    level: 'critical',
    lowCount,
    users: Array.from({ length: count }, (_, index) => ({
      username: `m${index}`,
      fullName: `Mitglied ${index}`,
      assigned: 100,
      available: index,
      unlimited: false,
      level: index === 0 ? 'critical' : 'warning',
    })),
  });
  const show = (
    notification: AlertToShow['notification'],
    meters: Meter[] = [unitMeter('credits', 25)],
  ): AlertToShow => ({ notification, snapshot: snapshot(notification.accountId, meters) });
  const exhaustsAt = new Date(NOW.getTime() + DAY).toISOString();
  const alerts: AlertToShow[] = [
    ...(['warning', 'critical'] as const).flatMap((severity) => [
      show(level({ level: severity })),
      show(level({ level: severity, forecast: { exhaustsAt, beforeReset: true } })),
      show(level({ level: severity, remaining: null })),
      show(level({ level: severity, limit: null }), [meter({ remaining: 25, limit: null })]),
    ]),
    ...UNITS.flatMap((unit) =>
      [1, 2].map((remaining) =>
        show(level({ meterId: unit, unit, remaining, limit: 100 }), [unitMeter(unit, remaining)]),
      ),
    ),
    ...KINDS.map((kind): AlertToShow => ({
      notification: { type: 'outage', accountId: kind, accountLabel: 'GIS', kind, message: 'Fehler 401.' },
      snapshot: failing(kind, kind),
    })),
    show(members(1, 1)),
    show(members(2, 2)),
    show(members(6, 7)),
    show(members(9, 12)),
  ];
  const contents = [
    ...alerts.map((alert) => notificationFor([alert], NOW, DE)),
    notificationFor(alerts, NOW, DE),
    notificationFor(alerts.slice(0, 5), NOW, DE),
    notificationFor(alerts.slice(-4), NOW, DE),
    notificationFor(alerts.filter((alert) => alert.notification.accountId === 'gis').slice(0, 3), NOW, DE),
  ];
  return contents.flatMap((content) => (content ? [content.title, ...content.body.split('\n')] : []));
}

describe('German in the tray and notifications', () => {
  it('knows which English words to look for', () => {
    // The check is only as good as this list: the words of the old English literals are in it.
    for (const word of [
      'left',
      'checking',
      'refused',
      'alerts',
      'accounts',
      'more',
      'dashboard',
      'low',
      'resets',
      'pace',
      'members',
      'already',
      'quit',
      'update',
    ])
      expect(englishOnly.has(word), word).toBe(true);
    expect(englishIn('3 alerts on 2 accounts')).toEqual(['alerts', 'accounts']);
  });

  it('translates every text of the tray and notifications that has words', () => {
    type Leaves = Map<string, string>;
    const leaves = (tree: Tree, prefix: string, out: Leaves = new Map()): Leaves => {
      for (const [key, value] of Object.entries(tree)) {
        if (typeof value === 'string') out.set(`${prefix}.${key}`, value);
        else leaves(value, `${prefix}.${key}`, out);
      }
      return out;
    };
    const untranslated = shellSections.flatMap((section) => {
      const german = leaves(de[section], section);
      return [...leaves(en[section] as Tree, section)]
        .filter(([key, text]) => german.get(key) === text && words(text).some((word) => word !== 'headroom'))
        .map(([key]) => key);
    });
    expect(untranslated).toEqual([]);
  });

  it('leaves no English word in any tray text', () => {
    const said = germanTrays();
    expect(said.length).toBeGreaterThan(60);
    expect(said.filter((text) => englishIn(text).length > 0)).toEqual([]);
  });

  it('leaves no English word in any notification', () => {
    const said = germanNotifications();
    expect(said.length).toBeGreaterThan(60);
    expect(said.filter((text) => englishIn(text).length > 0)).toEqual([]);
  });

  it('keeps every sentence in the catalogs, none in the tray model or notification code', () => {
    const root = join(import.meta.dirname, '../..');
    const files = [
      'main/electron/tray/tray-model.ts',
      'main/electron/tray/tray-figures.ts',
      'main/electron/tray/tray-state.ts',
      'main/electron/notifications/notification-content.ts',
      'main/electron/notifications/user-credits-content.ts',
    ];
    for (const file of files) {
      const code = readFileSync(join(root, file), 'utf8')
        .replace(/\/\*[\s\S]*?\*\//g, '')
        .replace(/^\s*\/\/.*$/gm, '')
        .replace(/\s\/\/ .*$/gm, '');
      const literals = [...code.matchAll(/'([^'\n]*)'|"([^"\n]*)"|`([^`]*)`/g)].map(
        (match) => match[1] ?? match[2] ?? match[3] ?? '',
      );
      // Two words in a row is prose; keys, units and imports are single words.
      const prose = literals.filter((literal) => /\p{L}{2,}[ ,]+\p{L}{2,}/u.test(literal.replace(/\$\{[^}]*\}/g, '')));
      expect(prose, file).toEqual([]);
    }
  });
});
