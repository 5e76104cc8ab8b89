import type { Snapshot } from '../../../shared/snapshot';

const MINUTE = 60_000;

/** Figures older than two polling intervals and five minutes of grace are marked stale. */
export function staleAfterMs(intervalMinutes: number): number {
  return (2 * intervalMinutes + 5) * MINUTE;
}

/**
 * Whether the figures shown are not current: the last check failed (they are the last good
 * values), or no check has succeeded for longer than the schedule allows (the computer slept, the
 * poller is backing off).
 */
export function isStale(
  snapshot: Pick<Snapshot, 'status' | 'fetchedAt' | 'meters'>,
  intervalMinutes: number,
  now: Date,
): boolean {
  if (snapshot.fetchedAt === null) return false;
  if (snapshot.status === 'error') return snapshot.meters.length > 0;
  return now.getTime() - Date.parse(snapshot.fetchedAt) > staleAfterMs(intervalMinutes);
}
