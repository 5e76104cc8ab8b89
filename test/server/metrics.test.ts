import { describe, expect, it } from 'vitest';
import { LEVEL_VALUES, ServeMetrics, type MetricsSource } from '../../main/server/metrics';
import type { MemberCredits, Meter, Snapshot, UserCreditsView } from '../../shared/snapshot';

const AT = '2026-11-20T10:00:00.000Z';
const RESET = '2026-12-01T00:00:00.000Z';

function meter(overrides: Partial<Meter>): Meter {
  return {
    id: 'requests',
    label: 'Requests',
    unit: 'requests',
    used: 54_524,
    limit: 100_000,
    remaining: 45_476,
    unlimited: false,
    level: 'ok',
    resetsAt: RESET,
    ...overrides,
  };
}

const snapshots: Snapshot[] = [
  {
    accountId: 'fx',
    provider: 'openexchangerates',
    label: 'FX rates',
    status: 'ok',
    checkedAt: AT,
    fetchedAt: AT,
    meters: [
      meter({
        forecast: {
          state: 'ok',
          exhaustsAt: '2026-11-28T00:00:00.000Z',
          beforeReset: true,
          burnPerDay: 5_000,
          confidence: 'medium',
          basis: null,
        },
      }),
    ],
  },
  {
    accountId: 'fx-free',
    provider: 'openexchangerates',
    label: 'FX "free" plan',
    status: 'ok',
    checkedAt: AT,
    fetchedAt: AT,
    meters: [meter({ limit: null, remaining: null, unlimited: true })],
  },
  {
    accountId: 'gis',
    provider: 'arcgis',
    label: 'GIS org',
    status: 'error',
    checkedAt: '2026-11-20T10:05:00.000Z',
    fetchedAt: AT,
    meters: [
      meter({
        id: 'credits',
        label: 'Credits',
        unit: 'credits',
        used: null,
        limit: null,
        remaining: 812.5,
        level: 'unknown',
        resetsAt: undefined,
      }),
      meter({
        id: 'storage',
        label: 'Storage',
        unit: 'bytes',
        used: 9e9,
        limit: 1e10,
        remaining: 1e9,
        level: 'warning',
        resetsAt: undefined,
      }),
    ],
    error: { kind: 'network', message: "ArcGIS Online could not be reached for 'GIS org'." },
  },
  {
    accountId: 'spark',
    provider: 'spark',
    label: 'Spark',
    status: 'error',
    checkedAt: AT,
    fetchedAt: null,
    meters: [],
    error: { kind: 'auth', message: 'no' },
  },
];

function source(list: Snapshot[]): MetricsSource {
  return {
    snapshots: () => list,
    consecutiveFailures: (id) => (id === 'gis' ? 2 : id === 'spark' ? 5 : 0),
    pendingAlerts: () => [{ channel: 'mail', count: 1 }],
  };
}

/** `name{labels} value` lines of one metric, labels as written. */
function samples(text: string, name: string): Map<string, number> {
  const found = new Map<string, number>();
  for (const line of text.split('\n')) {
    const match = /^([a-z_]+)(\{[^}]*\})? (\S+)$/.exec(line);
    if (match?.[1] === name) found.set(match[2] ?? '', Number(match[3]));
  }
  return found;
}

describe('serve metrics', () => {
  it('exports each reported figure with account, provider, meter and unit labels, and nothing made up', async () => {
    const metrics = new ServeMetrics(source(snapshots), { processMetrics: false });
    const { body, contentType } = await metrics.render();
    expect(contentType).toMatch(/^text\/plain; version=0\.0\.4/);
    const fx = '{account="fx",provider="openexchangerates",meter="requests",unit="requests"}';
    const free = '{account="fx-free",provider="openexchangerates",meter="requests",unit="requests"}';
    const credits = '{account="gis",provider="arcgis",meter="credits",unit="credits"}';
    const storage = '{account="gis",provider="arcgis",meter="storage",unit="bytes"}';
    expect(samples(body, 'headroom_meter_remaining')).toEqual(
      new Map([
        [fx, 45_476],
        [credits, 812.5],
        [storage, 1e9],
      ]),
    );
    expect(samples(body, 'headroom_meter_used')).toEqual(
      new Map([
        [fx, 54_524],
        [free, 54_524],
        [storage, 9e9],
      ]),
    );
    expect(samples(body, 'headroom_meter_limit')).toEqual(
      new Map([
        [fx, 100_000],
        [storage, 1e10],
      ]),
    );
    expect(samples(body, 'headroom_meter_unlimited')).toEqual(
      new Map([
        [fx, 0],
        [free, 1],
        [credits, 0],
        [storage, 0],
      ]),
    );
    expect(samples(body, 'headroom_meter_level')).toEqual(
      new Map([
        [fx, 0],
        [free, 0],
        [credits, -1],
        [storage, 1],
      ]),
    );
    expect(samples(body, 'headroom_meter_exhaustion_timestamp_seconds')).toEqual(
      new Map([[fx, Date.parse('2026-11-28T00:00:00.000Z') / 1000]]),
    );
    expect(samples(body, 'headroom_meter_reset_timestamp_seconds')).toEqual(
      new Map([
        [fx, Date.parse(RESET) / 1000],
        [free, Date.parse(RESET) / 1000],
      ]),
    );
    expect(samples(body, 'headroom_account_up')).toEqual(
      new Map([
        ['{account="fx",provider="openexchangerates"}', 1],
        ['{account="fx-free",provider="openexchangerates"}', 1],
        ['{account="gis",provider="arcgis"}', 0],
        ['{account="spark",provider="spark"}', 0],
      ]),
    );
    expect(
      samples(body, 'headroom_account_last_success_timestamp_seconds').get('{account="gis",provider="arcgis"}'),
    ).toBe(Date.parse(AT) / 1000);
    expect(
      samples(body, 'headroom_account_last_success_timestamp_seconds').has('{account="spark",provider="spark"}'),
    ).toBe(false);
    expect(
      samples(body, 'headroom_account_last_check_timestamp_seconds').get('{account="gis",provider="arcgis"}'),
    ).toBe(Date.parse('2026-11-20T10:05:00.000Z') / 1000);
    expect(samples(body, 'headroom_account_consecutive_failures').get('{account="spark",provider="spark"}')).toBe(5);
    expect(
      samples(body, 'headroom_account_info').get(
        '{account="fx-free",provider="openexchangerates",label="FX \\"free\\" plan"}',
      ),
    ).toBe(1);
    expect(samples(body, 'headroom_alerts_pending')).toEqual(new Map([['{channel="mail"}', 1]]));
    expect(samples(body, 'headroom_build_info').size).toBe(1);
    expect(body).not.toMatch(/^nodejs_|^process_/m);
  });

  it('documents the level numbers in the HELP text', async () => {
    const { body } = await new ServeMetrics(source([]), { processMetrics: false }).render();
    expect(LEVEL_VALUES).toEqual({ unknown: -1, ok: 0, warning: 1, critical: 2 });
    expect(body).toContain(
      "# HELP headroom_meter_level Level from the account's alert rules: -1 unknown, 0 ok, 1 warning, 2 critical.",
    );
  });

  it('drops the series of an account that is gone at the next scrape', async () => {
    const list = [...snapshots];
    const metrics = new ServeMetrics(source(list), { processMetrics: false });
    expect(samples((await metrics.render()).body, 'headroom_account_up').size).toBe(4);
    list.splice(0, 3);
    const body = (await metrics.render()).body;
    expect([...samples(body, 'headroom_account_up').keys()]).toEqual(['{account="spark",provider="spark"}']);
    expect(samples(body, 'headroom_meter_remaining').size).toBe(0);
  });

  it('counts checks in the duration histogram and failures by kind, from zero', async () => {
    const metrics = new ServeMetrics(source([]), { processMetrics: false });
    metrics.initAccounts([{ id: 'gis', provider: 'arcgis' }], ['mail']);
    const [, , gis] = snapshots;
    if (!gis) throw new Error('fixture');
    metrics.observeCheck(gis, 0.3);
    metrics.observeCheck({ ...gis, status: 'ok' }, 1.7);
    metrics.observeDelivery('mail', 'retrying');
    const { body } = await metrics.render();
    const errors = samples(body, 'headroom_poll_errors_total');
    expect(errors.get('{account="gis",provider="arcgis",kind="network"}')).toBe(1);
    expect(errors.get('{account="gis",provider="arcgis",kind="auth"}')).toBe(0);
    expect(errors.size).toBe(7);
    expect(samples(body, 'headroom_poll_duration_seconds_count').get('{account="gis",provider="arcgis"}')).toBe(2);
    expect(samples(body, 'headroom_poll_duration_seconds_sum').get('{account="gis",provider="arcgis"}')).toBeCloseTo(
      2.0,
    );
    expect(
      samples(body, 'headroom_poll_duration_seconds_bucket').get('{le="0.5",account="gis",provider="arcgis"}'),
    ).toBe(1);
    const deliveries = samples(body, 'headroom_alert_delivery_attempts_total');
    expect(deliveries.get('{channel="mail",outcome="retrying"}')).toBe(1);
    expect(deliveries.get('{channel="mail",outcome="delivered"}')).toBe(0);
  });

  it('adds the process metrics, without the gauges prom-client names *_total', async () => {
    const { body } = await new ServeMetrics(source([])).render();
    expect(body).toMatch(/^process_cpu_seconds_total /m);
    expect(body).toMatch(/^process_resident_memory_bytes /m);
    expect(body).toMatch(/^nodejs_heap_size_used_bytes /m);
    expect(body).not.toContain('nodejs_active_handles_total');
  });

  it('counts members per level and the lowest share left, a few series per account however many members', async () => {
    const member = (
      username: string,
      assigned: number | null,
      available: number | null,
      level: MemberCredits['level'],
    ): MemberCredits => ({ username, assigned, available, unlimited: assigned === null, level });
    const many = Array.from({ length: 5_000 }, (_, index) => member(`user${index}`, 1_000, 500 + (index % 400), 'ok'));
    const view = (extra: Partial<UserCreditsView>): UserCreditsView => ({
      budgeting: 'on',
      defaultAllocation: 500,
      readAt: AT,
      memberCount: null,
      users: [],
      ...extra,
    });
    const org = (accountId: string, userCredits: UserCreditsView): Snapshot => ({
      accountId,
      provider: 'arcgis',
      label: accountId,
      status: 'ok',
      checkedAt: AT,
      fetchedAt: AT,
      meters: [],
      views: { userCredits },
    });
    const list = [
      org(
        'gis',
        view({
          users: [
            member('dana', 250, 0, 'critical'),
            member('ben', 400, 61.2, 'warning'),
            member('zero', 0, 0, 'unknown'),
            member('eli', null, null, 'ok'),
            ...many,
          ],
        }),
      ),
      org('unlimited', view({ users: [member('eli', null, null, 'ok')] })),
      org('off', view({ budgeting: 'off' })),
      org('viewer', view({ budgeting: 'unknown', unavailable: 'needs an administrator' })),
    ];
    const body = (await new ServeMetrics(source(list), { processMetrics: false }).render()).body;
    expect(samples(body, 'headroom_user_credits_members')).toEqual(
      new Map([
        ['{account="gis",provider="arcgis",level="ok"}', 5_001],
        ['{account="gis",provider="arcgis",level="warning"}', 1],
        ['{account="gis",provider="arcgis",level="critical"}', 1],
        ['{account="gis",provider="arcgis",level="unknown"}', 1],
        ['{account="unlimited",provider="arcgis",level="ok"}', 1],
        ['{account="unlimited",provider="arcgis",level="warning"}', 0],
        ['{account="unlimited",provider="arcgis",level="critical"}', 0],
        ['{account="unlimited",provider="arcgis",level="unknown"}', 0],
      ]),
    );
    // Members without an allocation (or with one of zero) have no share to compare.
    expect(samples(body, 'headroom_user_credits_lowest_remaining_ratio')).toEqual(
      new Map([['{account="gis",provider="arcgis"}', 0]]),
    );
    expect(samples(body, 'headroom_user_credits_read_timestamp_seconds')).toEqual(
      new Map([
        ['{account="gis",provider="arcgis"}', Date.parse(AT) / 1000],
        ['{account="unlimited",provider="arcgis"}', Date.parse(AT) / 1000],
      ]),
    );
    expect(body.split('\n').filter((line) => line.startsWith('headroom_user_credits_')).length).toBe(11);

    const gis = list[0]?.views?.userCredits;
    if (!gis) throw new Error('fixture');
    gis.users = many;
    const after = (await new ServeMetrics(source(list.slice(0, 1)), { processMetrics: false }).render()).body;
    expect(samples(after, 'headroom_user_credits_lowest_remaining_ratio')).toEqual(
      new Map([['{account="gis",provider="arcgis"}', 0.5]]),
    );
  });
});
