import type { SnapshotError, Meter } from '../../../shared/snapshot';
import type { WindowSnapshot, WindowViews } from '../../../shared/window-snapshot';
import type { AccountEntry } from '../../../shared/ipc';
import { percentRemaining } from '../../../shared/format';
import { attentionRank, mostUrgent, type Severity } from '../../../shared/levels';
import { isStale } from './staleness';

/** One account as the dashboard shows it. */
export interface AccountCardModel {
  accountId: string;
  label: string;
  provider: string;
  providerName: string;
  /** `pending`: enabled but not checked yet. */
  status: 'ok' | 'error' | 'pending';
  severity: Severity;
  meters: Meter[];
  stale: boolean;
  checkedAt: string | null;
  fetchedAt: string | null;
  error: SnapshotError | null;
  /** The smallest share left over the account's meters, for ordering equals. */
  tightestPercent: number | null;
  /** Details beside the meters (ArcGIS: members' credits, the subscription's end, what needs an administrator). */
  views: WindowViews | null;
  /** Whether it is an account of the settings, whose notifications can be snoozed. */
  snoozable: boolean;
  /** Its notifications are snoozed until then, as main last said; null when they are not. */
  snoozedUntil: string | null;
}

export interface DashboardModel {
  cards: AccountCardModel[];
  overall: Severity;
  /** Accounts worse than ok (warning, error, critical). */
  attention: number;
  /** The latest check of any account. */
  lastCheckedAt: string | null;
  /** Only the simulated demo accounts are there: the first-run state. */
  demoOnly: boolean;
}

function cardOf(
  snapshot: WindowSnapshot,
  entry: AccountEntry | undefined,
  defaultIntervalMinutes: number | null,
  now: Date,
): AccountCardModel {
  const meterWorst = mostUrgent(
    snapshot.meters.map((meter) => meter.level),
    snapshot.meters.length ? 'ok' : 'unknown',
  );
  const severity = snapshot.status === 'error' ? mostUrgent([meterWorst, 'error']) : meterWorst;
  const shares = snapshot.meters
    .filter((meter) => !meter.unlimited)
    .map((meter) => percentRemaining(meter.remaining, meter.limit))
    .filter((share) => share !== null);
  return {
    accountId: snapshot.accountId,
    label: entry?.account.label ?? snapshot.label,
    provider: snapshot.provider,
    providerName: entry?.providerName ?? snapshot.provider,
    status: snapshot.status,
    severity,
    meters: snapshot.meters,
    stale: isStaleFor(snapshot, entry?.account.intervalMinutes ?? defaultIntervalMinutes, now),
    checkedAt: snapshot.checkedAt,
    fetchedAt: snapshot.fetchedAt,
    error: snapshot.error ?? null,
    tightestPercent: shares.length ? Math.min(...shares) : null,
    views: snapshot.views ?? null,
    snoozable: entry !== undefined,
    snoozedUntil: entry?.snoozedUntil ?? null,
  };
}

function isStaleFor(snapshot: WindowSnapshot, intervalMinutes: number | null, now: Date): boolean {
  return intervalMinutes === null
    ? snapshot.status === 'error' && snapshot.meters.length > 0
    : isStale(snapshot, intervalMinutes, now);
}

function pendingCard(entry: AccountEntry): AccountCardModel {
  return {
    accountId: entry.account.id,
    label: entry.account.label,
    provider: entry.account.provider,
    providerName: entry.providerName,
    status: 'pending',
    severity: 'unknown',
    meters: [],
    stale: false,
    checkedAt: null,
    fetchedAt: null,
    error: null,
    tightestPercent: null,
    views: null,
    snoozable: true,
    snoozedUntil: entry.snoozedUntil,
  };
}

/** Worst first; among equals the one with the least left, then by name. */
export function compareCards(a: AccountCardModel, b: AccountCardModel): number {
  const bySeverity = attentionRank(b.severity) - attentionRank(a.severity);
  if (bySeverity !== 0) return bySeverity;
  if (a.tightestPercent !== b.tightestPercent) {
    if (a.tightestPercent === null) return 1;
    if (b.tightestPercent === null) return -1;
    return a.tightestPercent - b.tightestPercent;
  }
  return a.label.localeCompare(b.label);
}

/**
 * The dashboard from what main reports: every snapshot (demo accounts may have no settings entry),
 * plus a pending card for each enabled account not checked yet; sorted worst first.
 * `defaultIntervalMinutes` is null until the preferences are known: only failures count as stale then.
 */
export function buildDashboard(args: {
  snapshots: readonly WindowSnapshot[];
  accounts: readonly AccountEntry[];
  defaultIntervalMinutes: number | null;
  now: Date;
}): DashboardModel {
  const entries = new Map(args.accounts.map((entry) => [entry.account.id, entry]));
  const seen = new Set<string>();
  const cards: AccountCardModel[] = [];
  for (const snapshot of args.snapshots) {
    const entry = entries.get(snapshot.accountId);
    if (entry && !entry.account.enabled) continue;
    seen.add(snapshot.accountId);
    cards.push(cardOf(snapshot, entry, args.defaultIntervalMinutes, args.now));
  }
  for (const entry of args.accounts) {
    if (entry.account.enabled && !seen.has(entry.account.id)) cards.push(pendingCard(entry));
  }
  cards.sort(compareCards);
  const checked = cards.map((card) => card.checkedAt).filter((at) => at !== null);
  return {
    cards,
    overall: mostUrgent(
      cards.map((card) => card.severity),
      cards.length ? 'ok' : 'unknown',
    ),
    attention: cards.filter((card) => attentionRank(card.severity) >= attentionRank('warning')).length,
    lastCheckedAt: checked.length
      ? checked.reduce((latest, at) => (Date.parse(at) > Date.parse(latest) ? at : latest))
      : null,
    demoOnly: cards.length > 0 ? cards.every((card) => card.provider === 'demo') : args.accounts.length === 0,
  };
}
