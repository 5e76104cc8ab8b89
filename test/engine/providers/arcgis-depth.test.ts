import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Account } from '../../../shared/account';
import type { AlertRules } from '../../../shared/rules';
import { snapshotSchema, type MeterReading, type UserCreditsReading } from '../../../shared/snapshot';
import { withLevels } from '../../../main/engine/alerts/levels';
import { AccountMonitor } from '../../../main/engine/monitor/account-monitor';
import { CancelledError, ProviderError } from '../../../main/engine/errors';
import { HistoryStore } from '../../../main/engine/history/history-store';
import { HttpClient } from '../../../main/engine/http/client';
import { arcgisProvider } from '../../../main/engine/providers/arcgis/arcgis-provider';
import { MAX_MEMBER_PAGES, MEMBER_PAGE_SIZE } from '../../../main/engine/providers/arcgis/members';
import {
  createFetchContext,
  type AccountRef,
  type AccountSession,
  type FetchContext,
  type FetchResult,
} from '../../../main/engine/providers/provider';
import {
  ARCGIS_ERRORS,
  ARCGIS_MOCK_DEFAULT_ALLOCATION,
  ARCGIS_MOCK_DEFAULT_CREDITS,
  ARCGIS_MOCK_MEMBERS,
  ARCGIS_MOCK_PASSWORD,
  ARCGIS_MOCK_USAGE,
  ARCGIS_MOCK_USERNAME,
  ARCGIS_MOCK_USERS,
  startArcgisMock,
  type ArcgisMock,
  type ArcgisMockMember,
} from '../../mock-servers/arcgis';

const ACCOUNT: AccountRef = { id: 'gis', label: 'GIS org' };
const MINUTE = 60_000;
const DAY = 86_400_000;
/** Noon on the 20th: 19 full days of November and half of today are "this month". */
const NOW = new Date('2026-11-20T12:00:00.000Z');
/** Today and the 30 days before. */
const WINDOW_START = Date.parse('2026-10-21T00:00:00.000Z');
const DAILY_CREDITS = ARCGIS_MOCK_USAGE.reduce((sum, row) => sum + row.creditsPerDay, 0);

let mock: ArcgisMock;
let clock: number;
const now = (): Date => new Date(clock);

beforeEach(async () => {
  mock = await startArcgisMock();
  clock = NOW.getTime();
});

afterEach(async () => {
  await mock.close();
});

function open(config: Record<string, unknown> = {}): AccountSession {
  return arcgisProvider.open(
    ACCOUNT,
    { portalUrl: mock.url, username: ARCGIS_MOCK_USERNAME, ...config },
    { password: ARCGIS_MOCK_PASSWORD },
  );
}

function contextFor(options: { signal?: AbortSignal; timeoutMs?: number } = {}): FetchContext {
  return createFetchContext({
    http: new HttpClient({ timeoutMs: options.timeoutMs ?? 5_000, now }),
    service: arcgisProvider.name,
    account: ACCOUNT,
    secrets: { password: ARCGIS_MOCK_PASSWORD },
    signal: options.signal ?? new AbortController().signal,
    now,
  });
}

function meter(result: FetchResult, id: string): MeterReading {
  const found = result.meters.find((candidate) => candidate.id === id);
  if (!found) throw new Error(`no ${id} meter in ${result.meters.map((item) => item.id).join(', ')}`);
  return found;
}

function userCredits(result: FetchResult): UserCreditsReading {
  const view = result.views?.userCredits;
  if (!view) throw new Error('no userCredits view');
  return view;
}

const calls = (endpoint: Parameters<ArcgisMock['calls']>[0]) => mock.calls(endpoint).length;

/** Deterministic members: every tenth unlimited, the rest with allocations of 100–1,000 and some use. */
function manyMembers(count: number): ArcgisMockMember[] {
  return Array.from({ length: count }, (_, index) => {
    const username = `member${String(index + 1).padStart(5, '0')}`;
    if (index % 10 === 9)
      return { username, fullName: `Member ${index + 1}`, assignedCredits: -1, availableCredits: -1 };
    const assigned = 100 * (1 + (index % 10));
    return {
      username,
      fullName: `Member ${index + 1}`,
      assignedCredits: assigned,
      availableCredits: (assigned * ((index * 37) % 101)) / 100,
    };
  });
}

describe('arcgis depth: credits by service this month', () => {
  it('sums the usage statistics per service type with readable labels, strings read as numbers', async () => {
    const credits = meter(await open().fetch(contextFor()), 'credits');

    // Usage per day: 19 full days of November and half of the 20th.
    const expected = [
      ['geocode', 'Geocoding', 14.2],
      ['spanalysis', 'Spatial analysis', 6.75],
      ['features', 'Feature storage', 3.1],
      ['geoenrich', 'GeoEnrichment', 2.5],
      ['tiles', 'Tile storage and generation', 0.42],
      ['portal', 'File storage', 0.0002],
    ] as const;
    expect(credits.breakdown?.map((item) => [item.key, item.label])).toEqual(
      expected.map(([key, label]) => [key, label]),
    );
    expected.forEach(([, , perDay], index) => {
      expect(credits.breakdown?.[index]?.used).toBeCloseTo(perDay * 19.5, 6);
    });
    expect(credits.note).toBeUndefined();
    expect(credits.remaining).toBe(ARCGIS_MOCK_DEFAULT_CREDITS);
  });

  it('asks for the documented statistics: a day per bucket, by service and event type, credits and counts', async () => {
    await open().fetch(contextFor());

    const [request] = mock.calls('portals/self/usage');
    expect(request?.method).toBe('GET');
    expect(Object.fromEntries(request?.query ?? [])).toEqual({
      startTime: String(WINDOW_START),
      endTime: String(NOW.getTime()),
      period: '1d',
      groupby: 'stype,etype',
      vars: 'credits,num',
      f: 'json',
      token: mock.issuedTokens()[0],
    });
    expect(request?.headers.referer).toBe(mock.url);
  });

  it('reads figures sent as numbers too, names unknown services by their code, and skips days without a figure', async () => {
    const nov = Date.parse('2026-11-02T00:00:00.000Z');
    mock.enqueue('portals/self/usage', {
      kind: 'json',
      body: {
        data: [
          {
            stype: 'geocode',
            etype: 'geocodecnt',
            credits: [
              [nov, 4],
              [nov + DAY, null],
            ],
          },
          { stype: 'newservice', etype: 'svcusg', credits: [[String(nov), '1.5E1']] },
          { stype: 'spanalysis', etype: 'svcusg', credits: [[Date.parse('2026-10-30T00:00:00.000Z'), '9']] },
        ],
      },
    });
    const credits = meter(await open().fetch(contextFor()), 'credits');

    // October's analysis is before the month: not in the breakdown.
    expect(credits.breakdown).toEqual([
      { key: 'newservice', label: 'Other (newservice)', used: 15 },
      { key: 'geocode', label: 'Geocoding', used: 4 },
    ]);
  });

  it('keeps the balance when the statistics are malformed, and says which field', async () => {
    mock.enqueue('portals/self/usage', {
      kind: 'json',
      body: { data: [{ stype: 'geocode', etype: 'geocodecnt', credits: [[String(WINDOW_START), 'lots']] }] },
    });
    const credits = meter(await open().fetch(contextFor()), 'credits');

    expect(credits.remaining).toBe(ARCGIS_MOCK_DEFAULT_CREDITS);
    expect(credits.breakdown).toBeUndefined();
    expect(credits.note).toContain('Credits by service could not be read');
    expect(credits.note).toContain('field "data.0.credits.0.1"');
    expect(credits.note).toContain("'GIS org'");
  });
});

describe('arcgis depth: the past, for a forecast from the first poll', () => {
  it("reports the balance at the start of each day, reconstructed from today's balance and the use since", async () => {
    const result = await open().fetch(contextFor());

    const series = result.reported?.[0];
    expect(series).toMatchObject({ meterId: 'credits', label: 'Credits', unit: 'credits' });
    const points = series?.points ?? [];
    expect(points).toHaveLength(31);
    expect(points[0]?.at).toBe(new Date(WINDOW_START).toISOString());
    expect(points.at(-1)?.at).toBe('2026-11-20T00:00:00.000Z');
    // Today's half day, then a full day more for every day further back.
    expect(points.at(-1)?.remaining).toBeCloseTo(ARCGIS_MOCK_DEFAULT_CREDITS + DAILY_CREDITS / 2, 5);
    expect(points.at(-2)?.remaining).toBeCloseTo(ARCGIS_MOCK_DEFAULT_CREDITS + DAILY_CREDITS * 1.5, 5);
    expect(points[0]?.remaining).toBeCloseTo(ARCGIS_MOCK_DEFAULT_CREDITS + DAILY_CREDITS * 30.5, 5);
    expect(points.every((point) => point.used === null && point.limit === null)).toBe(true);
  });

  it('gives the points the credit budget as limit, as the meter has it', async () => {
    const result = await open({ creditBudget: 10_000 }).fetch(contextFor());

    const last = result.reported?.[0]?.points.at(-1);
    expect(last?.limit).toBe(10_000);
    expect((last?.used ?? 0) + (last?.remaining ?? 0)).toBeCloseTo(10_000, 6);
  });

  it('seeds once per session: later reads of the statistics report nothing', async () => {
    const session = open();
    expect((await session.fetch(contextFor())).reported).toHaveLength(1);
    clock += 61 * MINUTE;
    expect((await session.fetch(contextFor())).reported).toBeUndefined();
    expect(calls('portals/self/usage')).toBe(2);
  });

  it('gives the credits meter a forecast at the very first check', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'headroom-arcgis-'));
    const history = HistoryStore.open(join(dir, 'history.sqlite'));
    try {
      const account: Account = {
        id: 'gis',
        provider: 'arcgis',
        label: 'GIS org',
        config: { portalUrl: mock.url, username: ARCGIS_MOCK_USERNAME },
        enabled: true,
      };
      const monitor = new AccountMonitor(account, arcgisProvider, {
        http: new HttpClient({ timeoutMs: 5_000 }),
        readSecrets: () => Promise.resolve({ password: ARCGIS_MOCK_PASSWORD }),
        now,
        history,
      });
      const snapshot = await monitor.check(new AbortController().signal);

      expect(snapshotSchema.parse(snapshot)).toEqual(snapshot);
      const forecast = snapshot.meters.find((item) => item.id === 'credits')?.forecast;
      expect(forecast).toMatchObject({ state: 'ok', basis: { reported: true } });
      expect(forecast?.burnPerDay).toBeCloseTo(DAILY_CREDITS, 3);
      const days = (Date.parse(forecast?.exhaustsAt ?? '') - NOW.getTime()) / DAY;
      expect(days).toBeCloseTo(ARCGIS_MOCK_DEFAULT_CREDITS / DAILY_CREDITS, 1);
    } finally {
      history.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('arcgis depth: the slower schedule of the reports', () => {
  it('reads the balance at every poll and the reports once an hour by default', async () => {
    const session = open();
    for (let minute = 0; minute < 60; minute += 5) {
      clock = NOW.getTime() + minute * MINUTE;
      await session.fetch(contextFor());
    }
    expect(calls('portals/self')).toBe(12);
    expect(calls('portals/self/usage')).toBe(1);
    expect(calls('portals/self/users')).toBe(1);

    clock = NOW.getTime() + 60 * MINUTE;
    const result = await session.fetch(contextFor());
    expect(calls('portals/self/usage')).toBe(2);
    expect(calls('portals/self/users')).toBe(2);
    expect(userCredits(result).readAt).toBe(new Date(clock).toISOString());
  });

  it('reads a report at the check nearest its due time, also one a little early (the poller spreads checks by ±10 %)', async () => {
    const session = open({ reportIntervalMinutes: 15 });
    await session.fetch(contextFor());
    // Checks 14 minutes apart: waiting for the next would read the report 13 minutes late.
    clock += 14 * MINUTE;
    await session.fetch(contextFor());
    expect(calls('portals/self/usage')).toBe(2);
    // A check 5 minutes after that is too early: the one after it is nearer the due time.
    clock += 5 * MINUTE;
    await session.fetch(contextFor());
    expect(calls('portals/self/usage')).toBe(2);
  });

  it('keeps the last reports between their reads, with the time they were read', async () => {
    const session = open();
    const first = await session.fetch(contextFor());
    clock += 30 * MINUTE;
    mock.setCredits(4_000);
    const second = await session.fetch(contextFor());

    expect(meter(second, 'credits').remaining).toBe(4_000);
    expect(meter(second, 'credits').breakdown).toEqual(meter(first, 'credits').breakdown);
    expect(userCredits(second)).toEqual(userCredits(first));
    expect(userCredits(second).readAt).toBe(NOW.toISOString());
  });

  it('follows reportIntervalMinutes, and refuses one shorter than 15 minutes', async () => {
    const session = open({ reportIntervalMinutes: 15 });
    await session.fetch(contextFor());
    clock += 15 * MINUTE;
    await session.fetch(contextFor());
    expect(calls('portals/self/usage')).toBe(2);

    expect(() => open({ reportIntervalMinutes: 10 })).toThrow(/reportIntervalMinutes/);
    expect(arcgisProvider.configSchema.parse({ username: 'ann' })).toMatchObject({ reportIntervalMinutes: 60 });
  });

  it('keeps the account ok when a report fails, says so, and tries again after 15 minutes rather than at once', async () => {
    mock.enqueue('portals/self/usage', {
      kind: 'json',
      body: { error: { code: 500, message: 'Internal server error.', details: [] } },
    });
    const session = open();
    const failed = meter(await session.fetch(contextFor()), 'credits');
    expect(failed.remaining).toBe(ARCGIS_MOCK_DEFAULT_CREDITS);
    expect(failed.note).toMatch(
      /^Credits by service could not be read: ArcGIS Online reported a server error for 'GIS org'/,
    );

    clock += 5 * MINUTE;
    await session.fetch(contextFor());
    expect(calls('portals/self/usage')).toBe(1);

    clock += 10 * MINUTE;
    const mended = meter(await session.fetch(contextFor()), 'credits');
    expect(calls('portals/self/usage')).toBe(2);
    expect(mended.note).toBeUndefined();
    expect(mended.breakdown?.[0]?.key).toBe('geocode');
  });

  it('keeps the last breakdown, dated, when a later read fails', async () => {
    const session = open();
    await session.fetch(contextFor());
    clock += 60 * MINUTE;
    mock.enqueue('portals/self/usage', { kind: 'hang' });
    const credits = meter(await session.fetch(contextFor({ timeoutMs: 300 })), 'credits');

    expect(credits.breakdown?.[0]?.key).toBe('geocode');
    expect(credits.note).toMatch(
      /^Credits by service are from 2026-11-20 12:00 UTC; reading them again failed: .*'GIS org'/,
    );
  });

  it('still stops when the poll is cancelled during a report', async () => {
    mock.enqueue('portals/self/usage', { kind: 'hang' });
    const controller = new AbortController();
    const fetching = open().fetch(contextFor({ signal: controller.signal }));
    setTimeout(() => {
      controller.abort();
    }, 100);

    await expect(fetching).rejects.toBeInstanceOf(CancelledError);
  });
});

describe("arcgis depth: members' credit budgets", () => {
  it('lists every member with budgeting on, worst first, unlimited as such and never as zero', async () => {
    const view = userCredits(await open().fetch(contextFor()));

    expect(view).toMatchObject({
      budgeting: 'on',
      defaultAllocation: ARCGIS_MOCK_DEFAULT_ALLOCATION,
      memberCount: ARCGIS_MOCK_MEMBERS.length,
      readAt: NOW.toISOString(),
    });
    expect(view.unavailable).toBeUndefined();
    expect(view.users.map((user) => user.username)).toEqual([
      'dana.kowalski',
      'amara.okafor',
      'ben.hughes',
      'farah.haddad',
      'chen.wei',
      'field-app',
      'eli.martin',
      'gis-admin',
    ]);
    expect(view.users[1]).toEqual({
      username: 'amara.okafor',
      fullName: 'Amara Okafor',
      assigned: 500,
      available: 12.5,
      unlimited: false,
    });
    // -1 (as for defaultUserCreditAssignment) and no figure at all both mean "no allocation".
    expect(view.users.slice(-2)).toEqual([
      { username: 'eli.martin', fullName: 'Eli Martin', assigned: null, available: null, unlimited: true },
      { username: 'gis-admin', fullName: 'Mock gis-admin', assigned: null, available: null, unlimited: true },
    ]);
  });

  it('asks for pages of 100 members sorted by user name', async () => {
    await open().fetch(contextFor());

    const [request] = mock.calls('portals/self/users');
    expect(Object.fromEntries(request?.query ?? [])).toMatchObject({
      start: '1',
      num: String(MEMBER_PAGE_SIZE),
      sortField: 'username',
      sortOrder: 'asc',
      f: 'json',
    });
  });

  it('says budgeting is off, lists nobody, and does not read the member list', async () => {
    mock.setBudgeting(false);
    const view = userCredits(await open().fetch(contextFor()));

    // The default allocation applies only with budgeting on.
    expect(view).toEqual({
      budgeting: 'off',
      defaultAllocation: null,
      readAt: NOW.toISOString(),
      memberCount: null,
      users: [],
    });
    expect(calls('portals/self/users')).toBe(0);
  });

  it('shows an unlimited default allocation (-1) as null', async () => {
    mock.patchPortalSelf({ defaultUserCreditAssignment: -1 });
    expect(userCredits(await open().fetch(contextFor()))).toMatchObject({ budgeting: 'on', defaultAllocation: null });

    const other = userCredits(await open({ username: ARCGIS_MOCK_USERS.noBudgetsAdmin }).fetch(contextFor()));
    expect(other).toMatchObject({ budgeting: 'off', defaultAllocation: null, users: [] });
  });

  it('reads allocations sent as text', async () => {
    mock.setMembers([
      { username: 'text.figures', fullName: 'Text Figures', assignedCredits: '250.5', availableCredits: '2.0E1' },
    ]);
    const view = userCredits(await open().fetch(contextFor()));

    expect(view.users).toEqual([
      { username: 'text.figures', fullName: 'Text Figures', assigned: 250.5, available: 20, unlimited: false },
    ]);
  });

  it('follows the pages of an organization with thousands of members to the end', async () => {
    const members = manyMembers(2_345);
    mock.setMembers(members);
    const view = userCredits(await open().fetch(contextFor()));

    expect(view.memberCount).toBe(2_345);
    expect(view.users).toHaveLength(2_345);
    expect(new Set(view.users.map((user) => user.username)).size).toBe(2_345);
    expect(mock.calls('portals/self/users').map((request) => request.query.get('start'))).toEqual(
      Array.from({ length: 24 }, (_, page) => String(page * 100 + 1)),
    );
    const shares = view.users
      .filter((user) => !user.unlimited)
      .map((user) => (user.available ?? 0) / (user.assigned ?? 1));
    expect(shares).toEqual([...shares].sort((a, b) => a - b));
    expect(view.users.slice(-234).every((user) => user.unlimited)).toBe(true);
  });

  it('gets a new token once when it expires between pages, and reads on', async () => {
    mock.setMembers(manyMembers(350));
    mock.expireTokensAfter('portals/self/users', 2);
    const view = userCredits(await open().fetch(contextFor()));

    expect(view.users).toHaveLength(350);
    expect(view.unavailable).toBeUndefined();
    expect(calls('generateToken')).toBe(2);
    // Pages 1 and 2, page 3 refused (498), page 3 again, page 4.
    expect(mock.calls('portals/self/users').map((request) => request.query.get('start'))).toEqual([
      '1',
      '101',
      '201',
      '201',
      '301',
    ]);
  });

  it(`stops after ${MAX_MEMBER_PAGES} pages and says why the list is missing`, async () => {
    mock.setMembers(manyMembers(MAX_MEMBER_PAGES * MEMBER_PAGE_SIZE + 1));
    const result = await open().fetch(contextFor());

    expect(calls('portals/self/users')).toBe(MAX_MEMBER_PAGES);
    expect(userCredits(result)).toMatchObject({ budgeting: 'on', users: [], memberCount: null });
    expect(userCredits(result).unavailable).toContain('more than 20,000 members');
    expect(meter(result, 'credits').remaining).toBe(ARCGIS_MOCK_DEFAULT_CREDITS);
  });

  it('keeps the last list, dated, when reading it again fails', async () => {
    const session = open();
    const first = userCredits(await session.fetch(contextFor()));
    clock += 60 * MINUTE;
    mock.enqueue('portals/self/users', {
      kind: 'json',
      body: { error: { code: 500, message: 'Internal server error.', details: [] } },
    });
    const kept = userCredits(await session.fetch(contextFor()));

    expect(kept.users).toEqual(first.users);
    expect(kept.readAt).toBe(NOW.toISOString());
    expect(kept.unavailable).toBeUndefined();
    expect(kept.note).toMatch(
      /^Reading the member list again failed: ArcGIS Online reported a server error for 'GIS org'/,
    );
  });

  it('refuses a next page that does not move on, instead of reading forever', async () => {
    mock.enqueue('portals/self/users', {
      kind: 'json',
      body: { total: 500, start: 1, num: 100, nextStart: 1, users: [] },
    });
    const view = userCredits(await open().fetch(contextFor()));

    expect(calls('portals/self/users')).toBe(1);
    expect(view.unavailable).toMatch(/^The member list could not be read: .*"nextStart": 1/);
  });
});

describe('arcgis depth: a member who is not an administrator', () => {
  it('keeps the balance, storage and subscription, and says which figures need an administrator', async () => {
    const session = open({ username: ARCGIS_MOCK_USERS.member });
    const result = await session.fetch(contextFor());

    expect(result.meters.map((item) => item.id)).toEqual(['credits', 'storage', 'subscription']);
    const credits = meter(result, 'credits');
    expect(credits.remaining).toBe(ARCGIS_MOCK_DEFAULT_CREDITS);
    expect(credits.breakdown).toBeUndefined();
    expect(credits.note).toMatch(
      /^Credits by service and by day need an ArcGIS Online administrator: 'org-member' may read the balance/,
    );
    expect(userCredits(result)).toMatchObject({ budgeting: 'on', users: [], memberCount: null });
    expect(userCredits(result).unavailable).toMatch(
      /^Members' credit budgets need an ArcGIS Online administrator: 'org-member' may not list/,
    );
    // The same, for a window to say in its own words.
    expect(result.views?.needsAdministrator).toEqual(['usage', 'members']);
    expect(result.reported).toBeUndefined();

    // The answer will not change before the next scheduled read: no asking at every poll.
    clock += 30 * MINUTE;
    await session.fetch(contextFor());
    expect(calls('portals/self/usage')).toBe(1);
    expect(calls('portals/self/users')).toBe(1);
  });

  it('says so when portals/self does not tell whether budgeting is on', async () => {
    mock.patchPortalSelf({ creditAssignments: undefined });
    const view = userCredits(await open({ username: ARCGIS_MOCK_USERS.member }).fetch(contextFor()));

    expect(view).toMatchObject({ budgeting: 'unknown', users: [] });
    expect(view.unavailable).toContain('administrator');
    expect(calls('portals/self/users')).toBe(0);
  });

  it('says nothing needs an administrator to an administrator', async () => {
    const result = await open().fetch(contextFor());

    expect(result.views?.needsAdministrator).toBeUndefined();
  });
});

describe('arcgis depth: the subscription', () => {
  const levelOf = (reading: MeterReading, rules?: AlertRules) => withLevels([reading], rules)[0]?.level;

  it('counts the days left down, with the end date in the note', async () => {
    mock.setSubscriptionEnd(NOW.getTime() + 20 * DAY + 6 * 3_600_000);
    const subscription = meter(await open().fetch(contextFor()), 'subscription');

    expect(subscription).toEqual({
      id: 'subscription',
      label: 'Subscription',
      unit: 'days',
      used: null,
      limit: null,
      remaining: 20.2,
      unlimited: false,
      note: 'The subscription (In Org) ends on 2026-12-10 (UTC).',
    });
  });

  it('gives the plan and the end beside the meter, for a window to say the date in its own language', async () => {
    const end = NOW.getTime() + 20 * DAY + 6 * 3_600_000;
    mock.setSubscriptionEnd(end);
    const result = await open().fetch(contextFor());

    expect(result.views?.subscription).toEqual({ type: 'In Org', endsAt: new Date(end).toISOString() });
    mock.setSubscriptionEnd(null);
    clock += 30 * MINUTE;
    expect((await open().fetch(contextFor())).views?.subscription).toBeUndefined();
  });

  it('warns 30 days ahead and is critical in the last week, whatever the account-wide credit rules say', async () => {
    const rules: AlertRules = { warning: { percentRemaining: 20 }, critical: { remaining: 500 } };
    const at = async (days: number) => {
      mock.setSubscriptionEnd(NOW.getTime() + days * DAY);
      return meter(await open().fetch(contextFor()), 'subscription');
    };
    expect(levelOf(await at(100), rules)).toBe('ok');
    expect(levelOf(await at(30), rules)).toBe('warning');
    expect(levelOf(await at(6), rules)).toBe('critical');
    expect(levelOf(await at(45), { meters: { subscription: { warning: { remaining: 60 } } } })).toBe('warning');
  });

  it('shows an ended subscription as none left', async () => {
    mock.setSubscriptionEnd(NOW.getTime() - 3 * DAY);
    const subscription = meter(await open().fetch(contextFor()), 'subscription');

    expect(subscription.remaining).toBe(0);
    expect(subscription.note).toBe('The subscription (In Org) ended on 2026-11-17 (UTC).');
    expect(levelOf(subscription)).toBe('critical');
  });

  it('has no subscription meter when portals/self tells no end date', async () => {
    mock.setSubscriptionEnd(null);
    const result = await open().fetch(contextFor());

    expect(result.meters.map((item) => item.id)).toEqual(['credits', 'storage']);
  });
});

describe('arcgis depth: secrets', () => {
  it('never puts the password or a token in a note or a view', async () => {
    const texts: string[] = [];
    const collect = (result: FetchResult) => {
      texts.push(JSON.stringify(result.meters), JSON.stringify(result.views ?? {}));
    };
    collect(await open({ username: ARCGIS_MOCK_USERS.member }).fetch(contextFor()));
    // The portal echoes the session's token: steps short enough that the token stays the same.
    const echo = (): string => `${mock.issuedTokens().at(-1) ?? ''} ${ARCGIS_MOCK_PASSWORD}`;
    const session = open({ reportIntervalMinutes: 15 });
    await session.fetch(contextFor());
    clock += 20 * MINUTE;
    mock.enqueue('portals/self/usage', {
      kind: 'json',
      body: { error: { code: 400, message: `Bad token ${echo()}`, details: [echo()] } },
    });
    mock.enqueue('portals/self/users', {
      kind: 'json',
      body: { error: { code: 403, messageCode: 'GWM_0003', message: echo(), details: [] } },
    });
    collect(await session.fetch(contextFor()));
    clock += 20 * MINUTE;
    mock.enqueue('portals/self/usage', { kind: 'json', status: 418, body: `token=${echo()}` });
    mock.enqueue('portals/self/users', {
      kind: 'json',
      body: { total: 1, nextStart: -1, users: [{ username: 'x', assignedCredits: echo() }] },
    });
    collect(await session.fetch(contextFor()));

    const secrets = [ARCGIS_MOCK_PASSWORD, encodeURIComponent(ARCGIS_MOCK_PASSWORD), ...mock.issuedTokens()];
    const all = texts.join('\n');
    expect(all).toContain('Bad token');
    expect(all).toContain('HTTP 418');
    expect(all).toContain('users.0.assignedCredits');
    for (const text of texts) {
      for (const secret of secrets) expect(text).not.toContain(secret);
    }
  });

  it('reports a sign-in failure of the reports like any other, as a note', async () => {
    const session = open({ reportIntervalMinutes: 15 });
    await session.fetch(contextFor());
    clock += 30 * MINUTE;
    mock.enqueue(
      'portals/self/usage',
      { kind: 'json', body: ARCGIS_ERRORS.invalidToken },
      { kind: 'json', body: ARCGIS_ERRORS.invalidToken },
    );
    const credits = meter(await session.fetch(contextFor()), 'credits');

    expect(credits.note).toContain('did not accept a freshly issued sign-in token');
    expect(calls('generateToken')).toBe(2);
  });
});

describe('arcgis depth: through the engine', () => {
  it('carries the views into the snapshot with a level per member, and keeps them when a later check fails', async () => {
    const account: Account = {
      id: 'gis',
      provider: 'arcgis',
      label: 'GIS org',
      config: { portalUrl: mock.url, username: ARCGIS_MOCK_USERNAME },
      rules: { userCredits: { warning: { percentRemaining: 30 }, critical: { remaining: 20 } } },
      enabled: true,
    };
    const monitor = new AccountMonitor(account, arcgisProvider, {
      http: new HttpClient({ timeoutMs: 5_000 }),
      readSecrets: () => Promise.resolve({ password: ARCGIS_MOCK_PASSWORD }),
      now,
    });
    const ok = await monitor.check(new AbortController().signal);
    expect(snapshotSchema.parse(ok)).toEqual(ok);
    expect(ok.views?.userCredits?.users.map((user) => [user.username, user.level])).toEqual([
      ['dana.kowalski', 'critical'],
      ['amara.okafor', 'critical'],
      ['ben.hughes', 'warning'],
      ['farah.haddad', 'warning'],
      ['chen.wei', 'ok'],
      ['field-app', 'ok'],
      ['eli.martin', 'ok'],
      ['gis-admin', 'ok'],
    ]);

    clock += 5 * MINUTE;
    mock.enqueue('portals/self', { kind: 'html', status: 502 });
    const failed = await monitor.check(new AbortController().signal);
    expect(failed.status).toBe('error');
    expect(failed.views).toEqual(ok.views);
  });

  it('fails the account only for what fails the balance', async () => {
    const error = await open({ username: ARCGIS_MOCK_USERS.viewer })
      .fetch(contextFor())
      .then(
        () => undefined,
        (failure: unknown) => failure,
      );
    expect(error).toBeInstanceOf(ProviderError);
    expect(calls('portals/self/usage')).toBe(0);
  });
});
