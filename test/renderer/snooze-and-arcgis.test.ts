import { describe, expect, it } from 'vitest';
import type { MemberCredits, UserCreditsView } from '../../shared/snapshot';
import { createI18n } from '../../shared/i18n/i18n';
import { de as deCatalog } from '../../shared/i18n/locales/de';
import { en as enCatalog } from '../../shared/i18n/locales/en';
import { administratorNote } from '../../renderer/src/logic/administrator-note';
import { countdownLine } from '../../renderer/src/logic/countdown';
import { buildDashboard } from '../../renderer/src/logic/dashboard-model';
import { createFormatters } from '../../renderer/src/logic/formatters';
import { memberRow, membersSummary, sortedMembers } from '../../renderer/src/logic/member-credits';
import { userCreditsSummary } from '../../main/services/ipc/window-snapshots';
import {
  activeSnooze,
  snoozeChoiceMessage,
  snoozeMessage,
  snoozeMinutes,
  tomorrowMorning,
} from '../../renderer/src/logic/snooze';
import { entry, meter, NOW, snapshot } from './fixtures';

const en = createFormatters('en-GB');
const de = createFormatters('de-DE');
const en18n = createI18n('en', { en: enCatalog });
const de18n = createI18n('de', { de: deCatalog });

/** Local times, so the tests hold in any time zone the machine has. */
const at = (day: number, hour: number, minute = 0, second = 0): Date => new Date(2026, 10, day, hour, minute, second);

describe('snoozing an account', () => {
  it('asks main for an hour, a week, or the minutes until 8:00 tomorrow', () => {
    expect(snoozeMinutes('hour', at(28, 14, 30))).toBe(60);
    expect(snoozeMinutes('week', at(28, 14, 30))).toBe(7 * 24 * 60);
    expect(tomorrowMorning(at(28, 14, 30))).toEqual(at(29, 8));
    expect(snoozeMinutes('tomorrow', at(28, 14, 30))).toBe(17 * 60 + 30);
    // Part of a minute counts as a whole one: the snooze never ends before 8:00.
    expect(snoozeMinutes('tomorrow', at(28, 23, 59, 30))).toBe(8 * 60 + 1);
    // Just after midnight "tomorrow" is still the next calendar day.
    expect(snoozeMinutes('tomorrow', at(29, 0, 30))).toBe(31 * 60 + 30);
  });

  it('shows only a snooze that has not ended', () => {
    expect(activeSnooze(null, at(28, 12))).toBeNull();
    expect(activeSnooze(at(28, 11).toISOString(), at(28, 12))).toBeNull();
    expect(activeSnooze(at(28, 12).toISOString(), at(28, 12))).toBeNull();
    expect(activeSnooze(at(28, 13).toISOString(), at(28, 12))).toEqual(at(28, 13));
  });

  it('says until when: a time today, a time tomorrow, or a date', () => {
    const say = (until: Date, now: Date, i18n = en18n, format = en) => {
      const message = snoozeMessage(until, now, format);
      return i18n.t(message.key, message.values ?? {});
    };
    expect(say(at(28, 14, 30), at(28, 12))).toBe('Notifications snoozed until 14:30');
    expect(say(at(29, 8), at(28, 12))).toBe('Notifications snoozed until 8:00 (tomorrow)');
    expect(say(at(29, 8), at(28, 12), de18n, de)).toBe('Benachrichtigungen stumm bis 8:00 (morgen)');
    expect(say(at(30, 8), at(28, 12))).toBe('Notifications snoozed until 30 Nov, 8:00');
    expect(say(at(30, 8), at(28, 12), de18n, de)).toBe('Benachrichtigungen stumm bis 30. Nov., 8:00');
    const choice = snoozeChoiceMessage('tomorrow', at(28, 12), en);
    expect(en18n.t(choice.key, choice.values ?? {})).toBe('Until 8:00 tomorrow');
  });

  it('puts the snooze on the account’s card, and none on an account the settings do not know', () => {
    const until = new Date(NOW.getTime() + 3_600_000).toISOString();
    const model = buildDashboard({
      snapshots: [snapshot(), snapshot({ accountId: 'demo', provider: 'demo', label: 'Demo' })],
      accounts: [{ ...entry('gis'), snoozedUntil: until }],
      defaultIntervalMinutes: 15,
      now: NOW,
    });
    const byId = new Map(model.cards.map((card) => [card.accountId, card]));
    expect(byId.get('gis')).toMatchObject({ snoozable: true, snoozedUntil: until });
    expect(byId.get('demo')).toMatchObject({ snoozable: false, snoozedUntil: null });
  });
});

describe('the subscription line', () => {
  const subscription = meter({
    id: 'subscription',
    label: 'Subscription',
    unit: 'days',
    used: null,
    limit: null,
    remaining: 98.7,
    level: 'ok',
  });
  const ends = '2027-03-03T12:00:00.000Z';
  const say = (line: ReturnType<typeof countdownLine>, i18n = en18n) => i18n.t(line.key, line.values ?? {});

  it('says the plan, the end date and the whole days left', () => {
    const line = countdownLine(subscription, { type: 'Organizational', endsAt: ends }, en, NOW);
    expect(say(line)).toBe('Subscription (Organizational) ends on 3 Mar 2027 — 98 days left');
    expect(line.endsAt).toEqual(new Date(ends));
    expect(say(countdownLine(subscription, { type: 'Organizational', endsAt: ends }, de, NOW), de18n)).toBe(
      'Subscription (Organizational) endet am 3. März 2027 – noch 98 Tage',
    );
    expect(say(countdownLine({ ...subscription, remaining: 1.5 }, { type: null, endsAt: ends }, en, NOW))).toBe(
      'Subscription ends on 3 Mar 2027 — 1 day left',
    );
  });

  it('says an ended subscription ended, and only the days left without a date', () => {
    expect(
      say(
        countdownLine(
          { ...subscription, remaining: 0 },
          { type: 'In Org', endsAt: '2026-11-25T00:00:00.000Z' },
          en,
          NOW,
        ),
      ),
    ).toBe('Subscription (In Org) ended on 25 Nov 2026');
    expect(say(countdownLine({ ...subscription, remaining: 1200 }, undefined, en, NOW))).toBe(
      'Subscription: 1,200 days left',
    );
    expect(say(countdownLine({ ...subscription, remaining: null }, undefined, en, NOW))).toBe(
      'Subscription: days left not reported',
    );
  });
});

function member(
  username: string,
  assigned: number | null,
  available: number | null,
  level: MemberCredits['level'],
  extra: Partial<MemberCredits> = {},
): MemberCredits {
  return { username, assigned, available, unlimited: false, level, ...extra };
}

function membersView(users: MemberCredits[], overrides: Partial<UserCreditsView> = {}): UserCreditsView {
  return {
    budgeting: 'on',
    defaultAllocation: 500,
    readAt: NOW.toISOString(),
    memberCount: users.length,
    users,
    ...overrides,
  };
}

/** A list as the window receives it with the snapshot: main's summary, without the members. */
function membersSummaryView(users: MemberCredits[], overrides: Partial<UserCreditsView> = {}) {
  return userCreditsSummary(membersView(users, overrides));
}

describe('members’ credits', () => {
  const users = [
    member('ok.one', 1000, 640, 'ok'),
    member('unknown.one', 300, null, 'unknown'),
    member('critical.one', 250, 0, 'critical', { fullName: 'Dana Kowalski' }),
    member('warning.one', 400, 61.2, 'warning'),
    member('free.one', null, null, 'ok', { unlimited: true }),
    member('critical.two', 500, 12.5, 'critical'),
  ];

  it('sums up how many members are low, out of the whole organization', () => {
    const summary = membersSummary(membersSummaryView(users, { memberCount: 1240 }), en);
    expect(summary).toMatchObject({ kind: 'list', level: 'critical', total: 1240, low: 3 });
    if (summary.kind !== 'list') throw new Error('not a list');
    expect(en18n.t(summary.message.key, summary.message.values ?? {})).toBe('3 of 1,240 members low on credits');
    const german = membersSummary(membersSummaryView(users, { memberCount: 1240 }), de);
    if (german.kind !== 'list') throw new Error('not a list');
    expect(de18n.t(german.message.key, german.message.values ?? {})).toBe('3 von 1.240 Mitgliedern mit wenig Credits');
    const fine = membersSummary(membersSummaryView([member('a', 10, 9, 'ok'), member('b', 10, 8, 'ok')]), en);
    if (fine.kind !== 'list') throw new Error('not a list');
    expect(en18n.t(fine.message.key, fine.message.values ?? {})).toBe('None of the 2 members is low on credits');
    const one = membersSummary(membersSummaryView([member('a', 10, 1, 'critical')]), en);
    if (one.kind !== 'list') throw new Error('not a list');
    expect(en18n.t(one.message.key, one.message.values ?? {})).toBe('1 of 1 member low on credits');
  });

  it('says budgeting is off as such, and passes on why a list is missing', () => {
    expect(membersSummary(membersSummaryView([], { budgeting: 'off', memberCount: null }), en)).toEqual({
      kind: 'off',
      message: { key: 'members.budgetingOff' },
    });
    expect(
      membersSummary(
        membersSummaryView([], { unavailable: 'The organization has more than 20,000 members.', memberCount: null }),
        en,
      ),
    ).toEqual({
      kind: 'unavailable',
      reason: 'The organization has more than 20,000 members.',
    });
    expect(membersSummary(membersSummaryView([], { budgeting: 'unknown', memberCount: null }), en)).toEqual({
      kind: 'unavailable',
      reason: null,
    });
  });

  it('lists the worst first: critical, warning, unknown, ok, each in the provider’s order', () => {
    expect(sortedMembers(users).map((user) => user.username)).toEqual([
      'critical.one',
      'critical.two',
      'warning.one',
      'unknown.one',
      'ok.one',
      'free.one',
    ]);
  });

  it('shows unlimited members as unlimited and missing figures as missing, never as 0', () => {
    expect(memberRow(users[2] as MemberCredits, en)).toEqual({
      username: 'critical.one',
      name: 'Dana Kowalski',
      assigned: '250',
      available: '0',
      percentLeft: '0%',
      level: 'critical',
    });
    expect(memberRow(users[3] as MemberCredits, de)).toMatchObject({
      name: 'warning.one',
      assigned: '400',
      available: '61,2',
      percentLeft: '15\u00a0%',
    });
    expect(memberRow(users[4] as MemberCredits, en)).toMatchObject({
      assigned: { key: 'members.unlimited' },
      available: { key: 'members.unlimited' },
      percentLeft: null,
    });
    expect(memberRow(users[1] as MemberCredits, en)).toMatchObject({
      assigned: '300',
      available: { key: 'members.notReported' },
      percentLeft: null,
    });
  });
});

describe('figures that need an administrator', () => {
  it('are named in plain words, or not at all', () => {
    expect(administratorNote(undefined)).toBeNull();
    expect(administratorNote([])).toBeNull();
    expect(administratorNote(['usage'])).toEqual({ key: 'administrator.usage' });
    expect(administratorNote(['members'])).toEqual({ key: 'administrator.members' });
    expect(en18n.t(administratorNote(['usage', 'members'])?.key ?? 'app.name')).toBe(
      'Credits by service and members’ credit budgets need an administrator: this account may read the balance only.',
    );
  });

  it('reach the card with the rest of the views', () => {
    const views = {
      needsAdministrator: ['usage' as const],
      subscription: { type: 'In Org', endsAt: '2027-03-03T12:00:00.000Z' },
    };
    const model = buildDashboard({
      snapshots: [snapshot({ views })],
      accounts: [entry('gis')],
      defaultIntervalMinutes: 15,
      now: NOW,
    });
    expect(model.cards[0]?.views).toEqual(views);
  });
});
