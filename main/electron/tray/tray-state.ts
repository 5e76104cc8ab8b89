import type { Account } from '../../../shared/account';
import type { Snapshot } from '../../../shared/snapshot';

/** What the tray icon says at a glance. */
export type TrayState = 'ok' | 'warning' | 'critical' | 'error' | 'paused';
export const TRAY_STATES: readonly TrayState[] = ['ok', 'warning', 'critical', 'error', 'paused'];

/**
 * The icon's state: `paused` while notifications are paused (the person must see they will not be
 * warned), then the worst of the enabled accounts: a critical meter, a failing account (whose
 * quota Headroom can no longer see), a meter at warning; else `ok` (also before the first check).
 */
export function trayState(args: {
  snapshots: readonly Snapshot[];
  accounts: readonly Account[];
  notificationsPaused: boolean;
}): TrayState {
  if (args.notificationsPaused) return 'paused';
  const enabled = new Set(args.accounts.filter((account) => account.enabled).map((account) => account.id));
  const watched = args.snapshots.filter((snapshot) => enabled.has(snapshot.accountId));
  const meters = watched.flatMap((snapshot) => snapshot.meters);
  if (meters.some((meter) => meter.level === 'critical')) return 'critical';
  if (watched.some((snapshot) => snapshot.status === 'error')) return 'error';
  if (meters.some((meter) => meter.level === 'warning')) return 'warning';
  return 'ok';
}

/**
 * Minutes from now until 08:00 tomorrow, local time ("Pause until tomorrow"); in the small hours
 * (before 04:00) "tomorrow" is the coming morning.
 */
export function minutesUntilTomorrowMorning(now: Date, hour = 8): number {
  const target = new Date(now);
  if (now.getHours() >= 4) target.setDate(target.getDate() + 1);
  target.setHours(hour, 0, 0, 0);
  return Math.max(1, Math.ceil((target.getTime() - now.getTime()) / 60_000));
}
