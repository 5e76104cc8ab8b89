import { howBad } from '../../../shared/levels';
import { DEFAULT_CRITICAL, DEFAULT_WARNING, type AlertRules } from '../../../shared/rules';
import type {
  Level,
  MemberCredits,
  MemberCreditsReading,
  MeterReading,
  Snapshot,
  Views,
  ViewsReading,
} from '../../../shared/snapshot';
import { DEFAULT_ALERT_OPTIONS, raiseBy, type AlertOptions } from './decisions';
import { isAtOrBelow, type ResolvedRules } from './levels';

/**
 * The "any member below N % (or N credits) of their allocation" rule of organizations with credit
 * budgeting (ArcGIS Online): a level per member, and notifications naming the members, decided the
 * way meters are (when a member gets worse, not again while it stays there, re-armed past the
 * threshold plus the margin).
 */

/** The account's `userCredits` rule, else the meters' defaults (20 % warning, 5 % critical). */
export function userCreditRules(rules: AlertRules | undefined): ResolvedRules {
  return {
    warning: rules?.userCredits?.warning ?? DEFAULT_WARNING,
    critical: rules?.userCredits?.critical ?? DEFAULT_CRITICAL,
  };
}

/** A member without an allocation is ok (unlimited); one whose figures are missing is unknown. */
export function memberLevel(member: MemberCreditsReading, rules: ResolvedRules): Level {
  if (member.unlimited) return 'ok';
  const reading = asReading(member);
  const critical = isAtOrBelow(reading, rules.critical);
  if (critical === true) return 'critical';
  const warning = isAtOrBelow(reading, rules.warning);
  if (warning === true) return 'warning';
  if (critical === undefined || warning === undefined) return 'unknown';
  return 'ok';
}

/** The views of a check with each member's level from the account's rules. */
export function withViewLevels(views: ViewsReading | undefined, rules: AlertRules | undefined): Views | undefined {
  if (!views) return undefined;
  const { userCredits, ...rest } = views;
  if (!userCredits) return rest;
  const resolved = userCreditRules(rules);
  return {
    ...rest,
    userCredits: {
      ...userCredits,
      users: userCredits.users.map((member) => ({ ...member, level: memberLevel(member, resolved) })),
    },
  };
}

/** Per member (user name): the worst level notified and not yet recovered from. */
export type UserCreditsAlertState = Record<string, 'warning' | 'critical'>;

export const EMPTY_USER_CREDITS_ALERT_STATE: UserCreditsAlertState = {};

export interface UserCreditsNotification {
  type: 'userCredits';
  accountId: string;
  accountLabel: string;
  /** The worst level among `users`. */
  level: 'warning' | 'critical';
  /** The members who got worse with this check, worst first. */
  users: MemberCredits[];
  /** Members at or below the warning threshold now, those named included. */
  lowCount: number;
}

export interface UserCreditsDecision {
  state: UserCreditsAlertState;
  notifications: UserCreditsNotification[];
}

/**
 * Decides what to notify about members' allocations for a new snapshot. Nothing changes while the
 * list cannot be read (a failed check, a non-administrator); turning budgeting off forgets every
 * member. While snoozed, decisions are still made but not shown.
 */
export function decideUserCreditAlerts(args: {
  previous: UserCreditsAlertState;
  snapshot: Snapshot;
  rules: AlertRules | undefined;
  snoozed: boolean;
  options?: AlertOptions;
}): UserCreditsDecision {
  const view = args.snapshot.views?.userCredits;
  if (args.snapshot.status === 'error' || !view || view.unavailable !== undefined || view.budgeting === 'unknown') {
    return { state: args.previous, notifications: [] };
  }
  if (view.budgeting === 'off') return { state: {}, notifications: [] };

  const options = args.options ?? DEFAULT_ALERT_OPTIONS;
  const rules = userCreditRules(args.rules);
  const raised = raiseBy(rules, options.rearmMarginPercent);
  const state: UserCreditsAlertState = {};
  const worse: MemberCredits[] = [];
  let lowCount = 0;
  for (const member of view.users) {
    const notified = args.previous[member.username];
    const level = memberLevel(member, rules);
    if (level === 'warning' || level === 'critical') lowCount += 1;
    if (level === 'unknown') {
      if (notified) state[member.username] = notified;
      continue;
    }
    if (level !== 'ok' && howBad(level) > howBad(notified ?? 'ok')) {
      state[member.username] = level;
      worse.push({ ...member, level });
      continue;
    }
    if (!notified) continue;
    const held = memberLevel(member, raised);
    const kept = held === 'unknown' || howBad(held) >= howBad(notified) ? notified : held;
    if (kept !== 'ok') state[member.username] = kept;
  }
  if (worse.length === 0 || args.snoozed) return { state, notifications: [] };
  // Stable: within a level, the view's own order (worst first) stays.
  worse.sort((a, b) => howBad(b.level) - howBad(a.level));
  const level = worse.some((member) => member.level === 'critical') ? 'critical' : 'warning';
  return {
    state,
    notifications: [
      {
        type: 'userCredits',
        accountId: args.snapshot.accountId,
        accountLabel: args.snapshot.label,
        level,
        users: worse,
        lowCount,
      },
    ],
  };
}

/** How many members a notification names before "and N more". */
export const NAMED_MEMBERS = 5;

/** A member's allocation judged like a meter: the allocation is the limit, what is left the remaining. */
function asReading(member: MemberCreditsReading): MeterReading {
  return {
    id: member.username,
    label: member.fullName ?? member.username,
    unit: 'credits',
    used: member.assigned === null || member.available === null ? null : member.assigned - member.available,
    limit: member.assigned,
    remaining: member.available,
    unlimited: member.unlimited,
  };
}
