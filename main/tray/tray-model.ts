import type { Account } from '../../shared/account';
import { DEFAULT_TRAY_DISPLAY, type Preferences } from '../../shared/settings';
import type { Level, Snapshot } from '../../shared/snapshot';
import { meterFigure, percentFigure, remainingFigure, shownMeter, tightestMeter, UNKNOWN_FIGURE, unitWord } from './tray-figures';
import { errorInWords, isPaused, minutesUntilTomorrowMorning, trayState, type TrayState } from './tray-state';

/** Everything the tray is drawn from: it is a pure function of these. */
export interface TrayInput {
  platform: NodeJS.Platform;
  now: Date;
  accounts: readonly Account[];
  snapshots: readonly Snapshot[];
  preferences: Preferences;
  /** A refresh round is under way. */
  refreshing: boolean;
}

export type TrayAction =
  | { type: 'open-dashboard'; accountId?: string }
  | { type: 'open-settings' }
  | { type: 'refresh' }
  | { type: 'pause'; minutes: number | null }
  | { type: 'toggle-launch-at-login' }
  | { type: 'open-logs' }
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
const ERROR_MARK = '✕';

export function trayModel(input: TrayInput): TrayModel {
  const paused = isPaused(input.preferences.pausedUntil, input.now);
  return {
    state: trayState({ snapshots: input.snapshots, accounts: input.accounts, notificationsPaused: paused }),
    title: input.platform === 'darwin' ? trayTitle(input) : '',
    tooltip: trayTooltip(input, paused),
    menu: trayMenu(input, paused),
  };
}

/** The pinned (or tightest) meter's figure; "—" when Headroom knows nothing yet; nothing without accounts. */
export function trayTitle(input: Pick<TrayInput, 'accounts' | 'snapshots' | 'preferences' | 'now'>): string {
  if (!input.accounts.some((account) => account.enabled)) return '';
  const display = input.preferences.tray ?? DEFAULT_TRAY_DISPLAY;
  const shown = shownMeter(visibleSnapshots(input), display.pinned);
  return shown ? meterFigure(shown.meter, display, input.now) : UNKNOWN_FIGURE;
}

/** "Headroom", then one line per account with its tightest meter, cut to what the OS shows. */
export function trayTooltip(input: TrayInput, paused = isPaused(input.preferences.pausedUntil, input.now)): string {
  const display = input.preferences.tray ?? DEFAULT_TRAY_DISPLAY;
  const lines = ['Headroom'];
  if (paused && input.preferences.pausedUntil !== null) lines.push(`Notifications paused until ${clock(new Date(input.preferences.pausedUntil), input.now)}`);
  const snapshots = new Map(input.snapshots.map((snapshot) => [snapshot.accountId, snapshot]));
  for (const account of input.accounts.filter((candidate) => candidate.enabled)) {
    const snapshot = snapshots.get(account.id);
    const meter = snapshot ? tightestMeter(snapshot) : undefined;
    if (snapshot?.status === 'error' && snapshot.error) lines.push(`${account.label}: ${errorInWords(snapshot.error.kind)}`);
    else if (meter) lines.push(`${account.label}: ${meterFigure(meter, display, input.now)}`);
    else lines.push(`${account.label}: ${snapshot ? 'no meters' : 'checking…'}`);
  }
  if (lines.length === 1) lines.push('No accounts yet');
  return fitLines(lines, TOOLTIP_LIMIT[input.platform] ?? DEFAULT_TOOLTIP_LIMIT);
}

/**
 * The context menu, rebuilt on every snapshot: one line per account (its level mark, label, and
 * what is left of its tightest meter, or its error in a few words), then the commands.
 */
export function trayMenu(input: TrayInput, paused = isPaused(input.preferences.pausedUntil, input.now)): TrayMenuItem[] {
  const label = (text: string): string => (input.platform === 'win32' ? text.replace(/&/g, '&&') : text);
  const snapshots = new Map(input.snapshots.map((snapshot) => [snapshot.accountId, snapshot]));
  const listed = input.accounts.length > MAX_MENU_ACCOUNTS ? neediest(input.accounts, snapshots).slice(0, MAX_MENU_ACCOUNTS) : input.accounts;
  const accountLines: TrayMenuItem[] = listed.map((account) => ({
    kind: 'action',
    label: label(accountLine(account, snapshots.get(account.id))),
    enabled: true,
    action: { type: 'open-dashboard', accountId: account.id },
  }));
  const more = input.accounts.length - listed.length;
  if (more > 0) accountLines.push({ kind: 'action', label: `${more} more account${more === 1 ? '' : 's'}: open the dashboard`, enabled: true, action: { type: 'open-dashboard' } });
  const anyEnabled = input.accounts.some((account) => account.enabled);
  const pausedUntil = input.preferences.pausedUntil;
  return [
    ...(accountLines.length > 0 ? accountLines : [{ kind: 'action', label: 'No accounts yet: add one in Settings…', enabled: true, action: { type: 'open-settings' } } satisfies TrayMenuItem]),
    { kind: 'separator' },
    { kind: 'action', label: input.refreshing ? 'Refreshing…' : 'Refresh now', enabled: anyEnabled && !input.refreshing, action: { type: 'refresh' } },
    { kind: 'action', label: 'Open dashboard', enabled: true, action: { type: 'open-dashboard' } },
    { kind: 'action', label: 'Settings…', enabled: true, action: { type: 'open-settings' } },
    { kind: 'separator' },
    {
      kind: 'submenu',
      label: paused && pausedUntil !== null ? `Notifications paused until ${clock(new Date(pausedUntil), input.now)}` : 'Pause notifications',
      items: [
        { kind: 'action', label: 'For 1 hour', enabled: true, action: { type: 'pause', minutes: 60 } },
        { kind: 'action', label: 'Until tomorrow (8:00)', enabled: true, action: { type: 'pause', minutes: minutesUntilTomorrowMorning(input.now) } },
        { kind: 'action', label: 'Resume notifications', enabled: paused, action: { type: 'pause', minutes: null } },
      ],
    },
    { kind: 'checkbox', label: 'Launch at login', checked: input.preferences.launchAtLogin, action: { type: 'toggle-launch-at-login' } },
    { kind: 'action', label: 'Open logs folder', enabled: true, action: { type: 'open-logs' } },
    { kind: 'separator' },
    { kind: 'action', label: 'Quit Headroom', enabled: true, action: { type: 'quit' } },
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
    return meter ? { critical: 3, warning: 2, unknown: 1, ok: 0 }[meter.level] : 0;
  };
  return accounts
    .map((account, index) => ({ account, index, rank: rank(account) }))
    .sort((a, b) => b.rank - a.rank || a.index - b.index)
    .map((entry) => entry.account);
}

/** "⚠ GIS org — 1.2K credits left (7%)", "✕ FX — sign-in refused", "– Old — off". */
export function accountLine(account: Account, snapshot: Snapshot | undefined): string {
  if (!account.enabled) return `– ${account.label} — off`;
  if (!snapshot) return `… ${account.label} — checking`;
  if (snapshot.status === 'error' && snapshot.error) return `${ERROR_MARK} ${account.label} — ${errorInWords(snapshot.error.kind)}`;
  const meter = tightestMeter(snapshot);
  if (!meter) return `? ${account.label} — no meters`;
  if (meter.unlimited) return `${LEVEL_MARK[meter.level]} ${account.label} — ${meter.label}: unlimited`;
  const unit = unitWord(meter);
  const left = `${remainingFigure(meter)}${unit ? ` ${unit}` : ''} left`;
  const percent = percentFigure(meter);
  return `${LEVEL_MARK[meter.level]} ${account.label} — ${left}${percent === UNKNOWN_FIGURE ? '' : ` (${percent})`}`;
}

function visibleSnapshots(input: Pick<TrayInput, 'accounts' | 'snapshots'>): Snapshot[] {
  const enabled = new Set(input.accounts.filter((account) => account.enabled).map((account) => account.id));
  return input.snapshots.filter((snapshot) => enabled.has(snapshot.accountId));
}

/** "14:05", or "Tue 14:05" when not today. */
function clock(at: Date, now: Date): string {
  const time = at.toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit' });
  return at.toDateString() === now.toDateString() ? time : `${at.toLocaleDateString('en-GB', { weekday: 'short' })} ${time}`;
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
