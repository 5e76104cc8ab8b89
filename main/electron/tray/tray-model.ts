import type { TFunction } from 'i18next';
import type { Account } from '../../../shared/account';
import { quantity } from '../../../shared/i18n/quantity';
import { attentionRank } from '../../../shared/levels';
import { DEFAULT_TRAY_DISPLAY, type Preferences, type TrayDisplay } from '../../../shared/settings';
import type { ErrorKind, Level, Snapshot } from '../../../shared/snapshot';
import { isSnoozed } from '../../engine/alerts/decisions';
import { meterFigure, percentFigure, remainingFigure, shownMeter, tightestMeter, UNKNOWN_FIGURE } from './tray-figures';
import { minutesUntilTomorrowMorning, trayState, type TrayState } from './tray-state';

/** Everything the tray is drawn from: it is a pure function of these. */
export interface TrayInput {
  platform: NodeJS.Platform;
  now: Date;
  accounts: readonly Account[];
  snapshots: readonly Snapshot[];
  preferences: Preferences;
  /** A refresh round is under way. */
  refreshing: boolean;
  /** The version of an update that is downloaded and installs on restart; null while there is none. */
  updateReady: string | null;
  /** The words, in the person's language (shared/i18n/locales), and the locale of numbers and times. */
  t: TFunction;
  locale: string;
}

export type TrayAction =
  | { type: 'open-dashboard'; accountId?: string }
  | { type: 'open-settings' }
  | { type: 'refresh' }
  | { type: 'pause'; minutes: number | null }
  | { type: 'toggle-launch-at-login' }
  | { type: 'open-logs' }
  | { type: 'about' }
  | { type: 'restart-to-update' }
  | { type: 'quit' };

export type TrayMenuItem =
  | { kind: 'action'; label: string; enabled: boolean; action: TrayAction }
  | { kind: 'checkbox'; label: string; checked: boolean; action: TrayAction }
  | { kind: 'submenu'; label: string; items: TrayMenuItem[] }
  | { kind: 'separator' };

export interface TrayModel {
  state: TrayState;
  /** Beside the icon in the macOS menu bar; empty elsewhere (only macOS shows a title). */
  title: string;
  tooltip: string;
  menu: TrayMenuItem[];
}

/** Windows cuts a tray tooltip at 127 characters; the others are generous, but a tooltip should stay short. */
const TOOLTIP_LIMIT: Partial<Record<NodeJS.Platform, number>> = { win32: 127 };
const DEFAULT_TOOLTIP_LIMIT = 512;

/** A menu longer than this is a list nobody reads: the rest is one line that opens the dashboard. */
export const MAX_MENU_ACCOUNTS = 20;

const LEVEL_MARK: Record<Level, string> = { ok: '✓', warning: '⚠', critical: '‼', unknown: '?' };

export function trayModel(input: TrayInput): TrayModel {
  const paused = isSnoozed(input.preferences.pausedUntil ?? undefined, input.now);
  return {
    state: trayState({ snapshots: input.snapshots, accounts: input.accounts, notificationsPaused: paused }),
    title: input.platform === 'darwin' ? trayTitle(input) : '',
    tooltip: trayTooltip(input, paused),
    menu: trayMenu(input, paused),
  };
}

/** The pinned (or tightest) meter's figure; "—" when Headroom knows nothing yet; nothing without accounts. */
export function trayTitle(
  input: Pick<TrayInput, 'accounts' | 'snapshots' | 'preferences' | 'now' | 't' | 'locale'>,
): string {
  if (!input.accounts.some((account) => account.enabled)) return '';
  const display = input.preferences.tray ?? DEFAULT_TRAY_DISPLAY;
  const shown = shownMeter(visibleSnapshots(input), display.pinned);
  return shown ? meterFigure(shown.meter, display, input.now, input) : UNKNOWN_FIGURE;
}

/** "Headroom", then one line per account with its tightest meter, cut to what the OS shows. */
function trayTooltip(input: TrayInput, paused: boolean): string {
  const { t } = input;
  const display = input.preferences.tray ?? DEFAULT_TRAY_DISPLAY;
  const limit = TOOLTIP_LIMIT[input.platform] ?? DEFAULT_TOOLTIP_LIMIT;
  const lines = [t('app.name')];
  if (paused && input.preferences.pausedUntil !== null)
    lines.push(
      t('tray.tooltip.paused', { time: clock(new Date(input.preferences.pausedUntil), input.now, input.locale) }),
    );
  const snapshots = new Map(input.snapshots.map((snapshot) => [snapshot.accountId, snapshot]));
  let length = lines.join('\n').length;
  for (const account of input.accounts) {
    if (!account.enabled) continue;
    // Past the limit, fitLines cuts every further line: with many accounts, most are never worded.
    if (length > limit) break;
    const line = tooltipLine(account.label, snapshots.get(account.id), display, input);
    lines.push(line);
    length += 1 + line.length;
  }
  if (lines.length === 1) lines.push(t('tray.tooltip.noAccounts'));
  return fitLines(lines, limit);
}

function tooltipLine(label: string, snapshot: Snapshot | undefined, display: TrayDisplay, input: TrayInput): string {
  const { t } = input;
  if (snapshot?.status === 'error' && snapshot.error)
    return t('tray.tooltip.error', { label, error: errorInWords(snapshot.error.kind, t) });
  const meter = snapshot ? tightestMeter(snapshot) : undefined;
  if (meter) return t('tray.tooltip.figure', { label, figure: meterFigure(meter, display, input.now, input) });
  return snapshot ? t('tray.tooltip.noMeters', { label }) : t('tray.tooltip.checking', { label });
}

/**
 * The context menu, rebuilt on every snapshot: one line per account (its level mark, label, and
 * what is left of its tightest meter, or its error in a few words), then the commands.
 */
function trayMenu(input: TrayInput, paused: boolean): TrayMenuItem[] {
  const { t } = input;
  const label = (text: string): string => (input.platform === 'win32' ? text.replace(/&/g, '&&') : text);
  const snapshots = new Map(input.snapshots.map((snapshot) => [snapshot.accountId, snapshot]));
  const listed =
    input.accounts.length > MAX_MENU_ACCOUNTS
      ? neediest(input.accounts, snapshots).slice(0, MAX_MENU_ACCOUNTS)
      : input.accounts;
  const accountLines: TrayMenuItem[] = listed.map((account) => ({
    kind: 'action',
    label: label(accountLine(account, snapshots.get(account.id), input)),
    enabled: true,
    action: { type: 'open-dashboard', accountId: account.id },
  }));
  const more = input.accounts.length - listed.length;
  if (more > 0)
    accountLines.push({
      kind: 'action',
      label: t('tray.menu.moreAccounts', { count: more }),
      enabled: true,
      action: { type: 'open-dashboard' },
    });
  const anyEnabled = input.accounts.some((account) => account.enabled);
  const pausedUntil = input.preferences.pausedUntil;
  const tomorrowMinutes = minutesUntilTomorrowMorning(input.now);
  const tomorrowMorning = new Date(input.now.getTime() + tomorrowMinutes * 60_000);
  return [
    ...(accountLines.length > 0
      ? accountLines
      : [
          {
            kind: 'action',
            label: t('tray.menu.noAccounts'),
            enabled: true,
            action: { type: 'open-settings' },
          } satisfies TrayMenuItem,
        ]),
    { kind: 'separator' },
    {
      kind: 'action',
      label: input.refreshing ? t('tray.menu.refreshing') : t('tray.menu.refresh'),
      enabled: anyEnabled && !input.refreshing,
      action: { type: 'refresh' },
    },
    { kind: 'action', label: t('tray.menu.dashboard'), enabled: true, action: { type: 'open-dashboard' } },
    { kind: 'action', label: t('tray.menu.settings'), enabled: true, action: { type: 'open-settings' } },
    { kind: 'separator' },
    {
      kind: 'submenu',
      label:
        paused && pausedUntil !== null
          ? t('tray.menu.pausedUntil', { time: clock(new Date(pausedUntil), input.now, input.locale) })
          : t('tray.menu.pause'),
      items: [
        { kind: 'action', label: t('tray.menu.pauseHour'), enabled: true, action: { type: 'pause', minutes: 60 } },
        {
          kind: 'action',
          label: t('tray.menu.pauseTomorrow', { time: timeOfDay(input.locale).format(tomorrowMorning) }),
          enabled: true,
          action: { type: 'pause', minutes: tomorrowMinutes },
        },
        { kind: 'action', label: t('tray.menu.resume'), enabled: paused, action: { type: 'pause', minutes: null } },
      ],
    },
    {
      kind: 'checkbox',
      label: t('tray.menu.launchAtLogin'),
      checked: input.preferences.launchAtLogin,
      action: { type: 'toggle-launch-at-login' },
    },
    { kind: 'action', label: t('tray.menu.logs'), enabled: true, action: { type: 'open-logs' } },
    { kind: 'separator' },
    { kind: 'action', label: t('tray.menu.about'), enabled: true, action: { type: 'about' } },
    ...(input.updateReady === null
      ? []
      : [
          {
            kind: 'action',
            label: label(t('tray.menu.restartToUpdate', { version: input.updateReady })),
            enabled: true,
            action: { type: 'restart-to-update' },
          } satisfies TrayMenuItem,
        ]),
    { kind: 'action', label: t('tray.menu.quit'), enabled: true, action: { type: 'quit' } },
  ];
}

/**
 * The accounts that most need a look, for a menu too long to list them all: failing ones, then by
 * their tightest meter's level and share left, then the disabled; the person's order among equals.
 */
function neediest(accounts: readonly Account[], snapshots: ReadonlyMap<string, Snapshot>): Account[] {
  const rank = (account: Account): number => {
    const snapshot = snapshots.get(account.id);
    if (!account.enabled) return -2;
    if (!snapshot) return -1;
    if (snapshot.status === 'error') return 4;
    const meter = tightestMeter(snapshot);
    return meter ? attentionRank(meter.level) : 0;
  };
  return accounts
    .map((account, index) => ({ account, index, rank: rank(account) }))
    .sort((a, b) => b.rank - a.rank || a.index - b.index)
    .map((entry) => entry.account);
}

/** An error in a few words, for a menu line: the full message is in the dashboard. */
export function errorInWords(kind: ErrorKind, t: TFunction): string {
  return t(`tray.error.${kind}`);
}

/** "⚠ GIS org — 1.2K credits left (7%)", "✕ FX — sign-in refused", "– Old — off". */
export function accountLine(
  account: Account,
  snapshot: Snapshot | undefined,
  words: Pick<TrayInput, 't' | 'locale'>,
): string {
  const { t, locale } = words;
  const label = account.label;
  if (!account.enabled) return t('tray.line.off', { label });
  if (!snapshot) return t('tray.line.checking', { label });
  if (snapshot.status === 'error' && snapshot.error)
    return t('tray.line.error', { label, error: errorInWords(snapshot.error.kind, t) });
  const meter = tightestMeter(snapshot);
  if (!meter) return t('tray.line.noMeters', { label });
  const mark = LEVEL_MARK[meter.level];
  if (meter.unlimited) return t('tray.line.unlimited', { mark, label, meter: meter.label });
  const amount = remainingFigure(meter, locale);
  const said = meter.remaining === null ? amount : quantity(t, meter.unit, meter.remaining, amount);
  const percent = percentFigure(meter, locale);
  return percent === UNKNOWN_FIGURE
    ? t('tray.line.left', { mark, label, quantity: said })
    : t('tray.line.leftPercent', { mark, label, quantity: said, percent });
}

function visibleSnapshots(input: Pick<TrayInput, 'accounts' | 'snapshots'>): Snapshot[] {
  const enabled = new Set(input.accounts.filter((account) => account.enabled).map((account) => account.id));
  return input.snapshots.filter((snapshot) => enabled.has(snapshot.accountId));
}

const clocks = new Map<string, { time: Intl.DateTimeFormat; weekday: Intl.DateTimeFormat }>();
function clockFormats(locale: string): { time: Intl.DateTimeFormat; weekday: Intl.DateTimeFormat } {
  let formats = clocks.get(locale);
  if (!formats) {
    formats = {
      time: new Intl.DateTimeFormat(locale, { timeStyle: 'short' }),
      weekday: new Intl.DateTimeFormat(locale, { weekday: 'short', hour: 'numeric', minute: '2-digit' }),
    };
    clocks.set(locale, formats);
  }
  return formats;
}

function timeOfDay(locale: string): Intl.DateTimeFormat {
  return clockFormats(locale).time;
}

/** "14:05" / "2:05 PM", or "Tue 2:05 PM" / "Di., 14:05" when not today. */
function clock(at: Date, now: Date, locale: string): string {
  const formats = clockFormats(locale);
  return at.toDateString() === now.toDateString() ? formats.time.format(at) : formats.weekday.format(at);
}

/** Joins lines, leaving out whole lines from the end (with "…") so the text fits. */
function fitLines(lines: readonly string[], limit: number): string {
  const text = lines.join('\n');
  if (text.length <= limit) return text;
  const kept: string[] = [];
  for (const line of lines) {
    if ([...kept, line, '…'].join('\n').length > limit) break;
    kept.push(line);
  }
  return kept.length > 0 ? `${kept.join('\n')}\n…` : `${text.slice(0, limit - 1)}…`;
}
