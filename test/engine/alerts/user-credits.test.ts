import { describe, expect, it } from 'vitest';
import { alertRulesSchema, type AlertRules } from '../../../shared/rules';
import type { MemberCreditsReading, Snapshot, UserCreditsReading } from '../../../shared/snapshot';
import {
  decideUserCreditAlerts,
  EMPTY_USER_CREDITS_ALERT_STATE,
  memberLevel,
  userCreditRules,
  withViewLevels,
  type UserCreditsAlertState,
  type UserCreditsNotification,
} from '../../../main/engine/alerts/user-credits';

const AT = '2026-11-20T12:00:00.000Z';

function member(
  username: string,
  assigned: number | null,
  available: number | null,
  fullName?: string,
): MemberCreditsReading {
  const unlimited = assigned === null;
  return { username, ...(fullName ? { fullName } : {}), assigned, available: unlimited ? null : available, unlimited };
}

function view(users: MemberCreditsReading[], extra: Partial<UserCreditsReading> = {}): UserCreditsReading {
  return { budgeting: 'on', defaultAllocation: 500, readAt: AT, memberCount: users.length, users, ...extra };
}

function snapshot(
  reading: UserCreditsReading | undefined,
  rules?: AlertRules,
  status: Snapshot['status'] = 'ok',
): Snapshot {
  const views = withViewLevels(reading ? { userCredits: reading } : undefined, rules);
  return {
    accountId: 'gis',
    provider: 'arcgis',
    label: 'GIS org',
    status,
    checkedAt: AT,
    fetchedAt: AT,
    meters: [],
    ...(views ? { views } : {}),
    ...(status === 'error' ? { error: { kind: 'network', message: 'down' } } : {}),
  };
}

/** Runs snapshots through the decisions in order; returns the notifications of each step and the final state. */
function run(
  readings: (UserCreditsReading | undefined)[],
  options: { rules?: AlertRules; snoozed?: (step: number) => boolean } = {},
) {
  let state: UserCreditsAlertState = EMPTY_USER_CREDITS_ALERT_STATE;
  const steps: UserCreditsNotification[][] = [];
  readings.forEach((reading, step) => {
    const decision = decideUserCreditAlerts({
      previous: state,
      snapshot: snapshot(reading, options.rules),
      rules: options.rules,
      snoozed: options.snoozed?.(step) ?? false,
    });
    state = decision.state;
    steps.push(decision.notifications);
  });
  return {
    steps,
    state,
    named: steps.map((notes) => notes.flatMap((note) => note.users.map((user) => `${user.username}:${user.level}`))),
  };
}

const team = (amara: number, ben: number) =>
  view([
    member('amara', 500, amara, 'Amara Okafor'),
    member('ben', 400, ben),
    member('chen', 1000, 800),
    member('dee', null, null),
  ]);

describe('member levels', () => {
  const defaults = userCreditRules(undefined);

  it('judges what is left of each allocation with the defaults (20 % warning, 5 % critical)', () => {
    expect(memberLevel(member('a', 500, 200), defaults)).toBe('ok');
    expect(memberLevel(member('a', 500, 100), defaults)).toBe('warning');
    expect(memberLevel(member('a', 500, 25), defaults)).toBe('critical');
    expect(memberLevel(member('a', 500, -3), defaults)).toBe('critical');
  });

  it('never judges an unlimited member, and says unknown when the figure is missing', () => {
    expect(memberLevel(member('a', null, null), defaults)).toBe('ok');
    expect(memberLevel({ username: 'a', assigned: 500, available: null, unlimited: false }, defaults)).toBe('unknown');
  });

  it('treats an allocation of zero as used up', () => {
    expect(memberLevel(member('a', 0, 0), defaults)).toBe('critical');
  });

  it('takes absolute thresholds ("N credits") from the account rules', () => {
    const rules = userCreditRules({ userCredits: { warning: { remaining: 100 }, critical: { remaining: 10 } } });
    expect(memberLevel(member('a', 10_000, 150), rules)).toBe('ok');
    expect(memberLevel(member('a', 10_000, 90), rules)).toBe('warning');
    expect(memberLevel(member('a', 10_000, 10), rules)).toBe('critical');
  });

  it('is part of the account rules, strictly', () => {
    expect(alertRulesSchema.parse({ userCredits: { warning: { percentRemaining: 10 } } })).toEqual({
      userCredits: { warning: { percentRemaining: 10 } },
    });
    expect(alertRulesSchema.safeParse({ userCredits: { warning: { percent: 10 } } }).success).toBe(false);
    expect(alertRulesSchema.safeParse({ meters: { credits: { userCredits: {} } } }).success).toBe(false);
  });
});

describe('decideUserCreditAlerts', () => {
  it('names the members who got worse, worst first, once', () => {
    const { steps, named } = run([team(10, 60), team(10, 60)]);

    expect(named).toEqual([['amara:critical', 'ben:warning'], []]);
    expect(steps[0]?.[0]).toMatchObject({
      type: 'userCredits',
      accountId: 'gis',
      accountLabel: 'GIS org',
      level: 'critical',
      lowCount: 2,
    });
  });

  it('notifies again only for a member who gets worse', () => {
    const { named } = run([team(10, 60), team(8, 15)]);

    expect(named).toEqual([['amara:critical', 'ben:warning'], ['ben:critical']]);
  });

  it('re-arms a member only past the threshold plus the margin (5 points)', () => {
    // 24 % of 500 is above 20 % but within the margin: still warned, no new notification when it drops back.
    const { named } = run([team(400, 60), team(400, 96), team(400, 60), team(400, 104), team(400, 60)]);

    expect(named).toEqual([['ben:warning'], [], [], [], ['ben:warning']]);
  });

  it('steps a critical member down to warning while it recovers, and warns of critical again', () => {
    const { named, state } = run([team(10, 200), team(110, 200), team(10, 200)]);

    expect(named).toEqual([['amara:critical'], [], ['amara:critical']]);
    expect(state).toEqual({ amara: 'critical' });
  });

  it('keeps what was said while the list cannot be read, and forgets everything when budgeting is turned off', () => {
    const unreadable = view([], { unavailable: 'needs an administrator', memberCount: null });
    const { named, state } = run([team(10, 60), unreadable, undefined, team(10, 60)]);
    expect(named).toEqual([['amara:critical', 'ben:warning'], [], [], []]);
    expect(state).toEqual({ amara: 'critical', ben: 'warning' });

    const off = run([team(10, 60), view([], { budgeting: 'off', memberCount: null }), team(10, 60)]);
    expect(off.named).toEqual([['amara:critical', 'ben:warning'], [], ['amara:critical', 'ben:warning']]);
  });

  it('makes no decision on a failed check', () => {
    const previous: UserCreditsAlertState = { amara: 'critical' };
    const decision = decideUserCreditAlerts({
      previous,
      snapshot: snapshot(team(400, 400), undefined, 'error'),
      rules: undefined,
      snoozed: false,
    });

    expect(decision).toEqual({ state: previous, notifications: [] });
  });

  it('decides while snoozed but shows nothing, so nothing bursts out afterwards', () => {
    const { named } = run([team(10, 60), team(10, 60)], { snoozed: (step) => step === 0 });

    expect(named).toEqual([[], []]);
  });

  it('forgets members who left the organization', () => {
    const { state } = run([team(10, 60), view([member('chen', 1000, 800)])]);

    expect(state).toEqual({});
  });

  it('follows the account rule', () => {
    const rules: AlertRules = { userCredits: { warning: { remaining: 100 }, critical: { remaining: 20 } } };
    const { named } = run([team(90, 150)], { rules });

    expect(named).toEqual([['amara:warning']]);
  });
});
