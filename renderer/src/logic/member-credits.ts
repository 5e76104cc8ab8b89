import { percentRemaining } from '../../../shared/format';
import type { Level, MemberCredits } from '../../../shared/snapshot';
import type { UserCreditsSummary } from '../../../shared/window-snapshot';
import type { Formatters } from './formatters';
import type { Message } from './message';
import { attentionRank } from '../../../shared/levels';

/** Rows drawn at first, and added by each "show more": an organization may have 20,000 members. */
export const MEMBER_ROWS_STEP = 100;

export type MembersSummaryKey = 'members.lowOf' | 'members.noneLow' | 'members.budgetingOff' | 'members.noMembers';

/**
 * What the members' section says without opening it. `list`: the members are there (the table can
 * open); `off`: budgeting is off (members use the organization's credits, no allocations: never
 * zeros); `unavailable`: the list could not be read, with the provider's reason.
 */
export type MembersSummary =
  | { kind: 'list'; message: Message<MembersSummaryKey>; level: Level; total: number; low: number }
  | { kind: 'off'; message: Message<MembersSummaryKey> }
  | { kind: 'unavailable'; reason: string | null };

/** From the summary main sends with the snapshot (shared/window-snapshot.ts); the list comes when the table opens. */
export function membersSummary(view: UserCreditsSummary, format: Formatters): MembersSummary {
  if (view.budgeting === 'off') return { kind: 'off', message: { key: 'members.budgetingOff' } };
  if (view.budgeting === 'unknown' || view.unavailable !== undefined)
    return { kind: 'unavailable', reason: view.unavailable ?? null };
  const { total, low, worst: level } = view.members;
  if (total === 0) return { kind: 'list', message: { key: 'members.noMembers' }, level, total, low };
  const values = { count: total, total: format.count(total), low: format.count(low) };
  return { kind: 'list', message: { key: low === 0 ? 'members.noneLow' : 'members.lowOf', values }, level, total, low };
}

/**
 * Which snapshot of the account an open table shows the list of: a new check, or the summary changing (a rule that
 * moves members' levels), makes a new revision and the table fetches the list again.
 */
export function memberListRevision(checkedAt: string | null, view: UserCreditsSummary): string {
  return `${checkedAt ?? ''} ${JSON.stringify(view)}`;
}

/** One member as the table shows it: an unlimited member says so, a missing figure says it is missing. */
export interface MemberRow {
  username: string;
  name: string;
  assigned: string | Message<'members.unlimited' | 'members.notReported'>;
  available: string | Message<'members.unlimited' | 'members.notReported'>;
  /** "12%"; null when there is no share to give (unlimited, or a figure missing). */
  percentLeft: string | null;
  level: Level;
}

/**
 * Worst first: by the level the account's rule gives (critical, warning, unknown, ok), then in the
 * provider's order, which is already the smallest share of the allocation left first.
 */
export function sortedMembers(users: readonly MemberCredits[]): MemberCredits[] {
  return users
    .map((member, index) => ({ member, index }))
    .sort((a, b) => attentionRank(b.member.level) - attentionRank(a.member.level) || a.index - b.index)
    .map(({ member }) => member);
}

export function memberRow(member: MemberCredits, format: Formatters): MemberRow {
  const name = member.fullName ?? member.username;
  if (member.unlimited) {
    return {
      username: member.username,
      name,
      assigned: { key: 'members.unlimited' },
      available: { key: 'members.unlimited' },
      percentLeft: null,
      level: member.level,
    };
  }
  const credits = (value: number | null): MemberRow['assigned'] =>
    value === null ? { key: 'members.notReported' } : format.amount(value, 'credits');
  const share = percentRemaining(member.available, member.assigned);
  return {
    username: member.username,
    name,
    assigned: credits(member.assigned),
    available: credits(member.available),
    percentLeft: share === null ? null : format.percent(Math.max(0, share)),
    level: member.level,
  };
}
