import type { WindowSnapshot } from '../../../shared/window-snapshot';

/** A refresh answers with the accounts it checked: replace those, keep the others. */
export function mergeSnapshots(current: readonly WindowSnapshot[], fresh: readonly WindowSnapshot[]): WindowSnapshot[] {
  const byId = new Map(fresh.map((snapshot) => [snapshot.accountId, snapshot]));
  const merged = current.map((snapshot) => byId.get(snapshot.accountId) ?? snapshot);
  for (const snapshot of fresh)
    if (!current.some((existing) => existing.accountId === snapshot.accountId)) merged.push(snapshot);
  return merged;
}
