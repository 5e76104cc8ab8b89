import { attentionRank } from '../../../shared/levels';
import type { Level, Snapshot, UserCreditsView } from '../../../shared/snapshot';
import type { MemberCounts, UserCreditsSummary, WindowSnapshot } from '../../../shared/window-snapshot';

/** How many members there are, how many run low and the worst level: what a card says without the list. */
export function memberCounts(view: UserCreditsView): MemberCounts {
  let low = 0;
  let critical = 0;
  let worst: Level = 'ok';
  for (const member of view.users) {
    if (member.level === 'warning' || member.level === 'critical') low++;
    if (member.level === 'critical') critical++;
    if (attentionRank(member.level) > attentionRank(worst)) worst = member.level;
  }
  return {
    listed: view.users.length,
    // The organization's count, as the provider gave it; the list itself when it did not.
    total: Math.max(view.memberCount ?? 0, view.users.length),
    low,
    critical,
    worst,
  };
}

export function userCreditsSummary(view: UserCreditsView): UserCreditsSummary {
  const { users: _list, ...rest } = view;
  return { ...rest, members: memberCounts(view) };
}

/** A snapshot as the windows receive it: the members' list left out (a window asks for it with `members:get`). */
export function windowSnapshot(snapshot: Snapshot): WindowSnapshot {
  const { views, ...rest } = snapshot;
  if (views === undefined) return rest;
  const { userCredits, ...otherViews } = views;
  return {
    ...rest,
    views: userCredits === undefined ? otherViews : { ...otherViews, userCredits: userCreditsSummary(userCredits) },
  };
}

export function windowSnapshots(snapshots: readonly Snapshot[]): WindowSnapshot[] {
  return snapshots.map(windowSnapshot);
}
