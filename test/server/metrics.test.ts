import { describe, expect, it } from 'vitest';
import { LEVEL_VALUES, ServeMetrics, type MetricsSource } from '../../main/server/metrics';
import type { MemberCredits, Meter, Snapshot, UserCreditsView } from '../../shared/snapshot';
import { requireBinary, runProgram } from './system-tools';

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

/** The whole body of one scrape. */
function scrape(metrics: ServeMetrics): string {
  return [...metrics.render().chunks].join('');
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
  it('exports each reported figure with account, provider, meter and unit labels, and nothing made up', () => {
    const metrics = new ServeMetrics(source(snapshots), { processMetrics: false });
    const { contentType } = metrics.render();
    const body = scrape(metrics);
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

  it('documents the level numbers in the HELP text', () => {
    const body = scrape(new ServeMetrics(source([]), { processMetrics: false }));
    expect(LEVEL_VALUES).toEqual({ unknown: -1, ok: 0, warning: 1, critical: 2 });
    expect(body).toContain(
      "# HELP headroom_meter_level Level from the account's alert rules: -1 unknown, 0 ok, 1 warning, 2 critical.",
    );
  });

  it('drops the series of an account that is gone at the next scrape', () => {
    const list = [...snapshots];
    const metrics = new ServeMetrics(source(list), { processMetrics: false });
    expect(samples(scrape(metrics), 'headroom_account_up').size).toBe(4);
    list.splice(0, 3);
    const body = scrape(metrics);
    expect([...samples(body, 'headroom_account_up').keys()]).toEqual(['{account="spark",provider="spark"}']);
    expect(samples(body, 'headroom_meter_remaining').size).toBe(0);
  });

  it('counts checks in one duration histogram per provider, and failures by kind once an account has failed', () => {
    const metrics = new ServeMetrics(source([]), { processMetrics: false });
    metrics.initAccounts(
      [
        { id: 'gis', provider: 'arcgis' },
        { id: 'gis-2', provider: 'arcgis' },
        { id: 'fx', provider: 'openexchangerates' },
      ],
      ['mail'],
    );
    const [, , gis] = snapshots;
    if (!gis) throw new Error('fixture');
    metrics.observeCheck(gis, 0.3);
    metrics.observeCheck({ ...gis, accountId: 'gis-2', status: 'ok' }, 1.7);
    metrics.observeCheck({ ...gis, error: undefined }, 900);
    metrics.observeDelivery('mail', 'retrying');
    const body = scrape(metrics);
    expect(samples(body, 'headroom_poll_errors_total')).toEqual(
      new Map([
        ['{account="gis",provider="arcgis",kind="network"}', 1],
        // An error without a kind counts as the server's.
        ['{account="gis",provider="arcgis",kind="server"}', 1],
      ]),
    );
    expect(samples(body, 'headroom_poll_duration_seconds_count')).toEqual(
      new Map([
        ['{provider="arcgis"}', 3],
        ['{provider="openexchangerates"}', 0],
      ]),
    );
    expect(samples(body, 'headroom_poll_duration_seconds_sum').get('{provider="arcgis"}')).toBeCloseTo(902);
    const buckets = samples(body, 'headroom_poll_duration_seconds_bucket');
    expect(buckets.get('{provider="arcgis",le="0.25"}')).toBe(0);
    expect(buckets.get('{provider="arcgis",le="0.5"}')).toBe(1);
    expect(buckets.get('{provider="arcgis",le="2.5"}')).toBe(2);
    expect(buckets.get('{provider="arcgis",le="600"}')).toBe(2);
    expect(buckets.get('{provider="arcgis",le="+Inf"}')).toBe(3);
    expect(buckets.get('{provider="openexchangerates",le="+Inf"}')).toBe(0);
    expect(buckets.size).toBe(2 * 14);
    const deliveries = samples(body, 'headroom_alert_delivery_attempts_total');
    expect(deliveries.get('{channel="mail",outcome="retrying"}')).toBe(1);
    expect(deliveries.get('{channel="mail",outcome="delivered"}')).toBe(0);
    expect(deliveries.get('{channel="mail",outcome="dropped"}')).toBe(0);
  });

  it('adds the process metrics, read when scraped, with nothing sampling in between', () => {
    const resources = process.getActiveResourcesInfo().sort();
    const metrics = new ServeMetrics(source([]));
    const body = scrape(metrics);
    expect(process.getActiveResourcesInfo().sort()).toEqual(resources);
    const value = (name: string): number => {
      const found = samples(body, name).get('');
      if (found === undefined) throw new Error(`${name} is missing`);
      return found;
    };
    expect(value('process_cpu_seconds_total')).toBeCloseTo(
      value('process_cpu_user_seconds_total') + value('process_cpu_system_seconds_total'),
    );
    expect(value('process_cpu_user_seconds_total')).toBeGreaterThan(0);
    expect(value('process_resident_memory_bytes')).toBeGreaterThan(10 * 1024 * 1024);
    expect(Math.abs(value('process_start_time_seconds') - (Date.now() / 1000 - process.uptime()))).toBeLessThan(2);
    expect(value('nodejs_heap_size_used_bytes')).toBeLessThanOrEqual(value('nodejs_heap_size_total_bytes'));
    expect(value('nodejs_external_memory_bytes')).toBeGreaterThan(0);
    const [major, minor, patch] = process.versions.node.split('.');
    expect([...samples(body, 'nodejs_version_info')]).toEqual([
      [`{version="${process.version}",major="${major}",minor="${minor}",patch="${patch}"}`, 1],
    ]);
    if (process.platform === 'linux') {
      expect(value('process_open_fds')).toBeGreaterThan(2);
      expect(value('process_max_fds')).toBeGreaterThanOrEqual(value('process_open_fds'));
      expect(value('process_virtual_memory_bytes')).toBeGreaterThan(value('process_resident_memory_bytes'));
    }
    // A scrape later sees the CPU spent since.
    const before = value('process_cpu_seconds_total');
    let spin = 0;
    for (let index = 0; index < 5_000_000; index++) spin += index % 7;
    expect(spin).toBeGreaterThan(0);
    expect(samples(scrape(metrics), 'process_cpu_seconds_total').get('')).toBeGreaterThan(before);
  });

  it('writes valid exposition text in bounded chunks, however many accounts', async () => {
    const many = Array.from({ length: 3_000 }, (_, index): Snapshot => {
      const [first] = snapshots;
      if (!first) throw new Error('fixture');
      return { ...first, accountId: `fx-${index}`, label: `FX ${index}` };
    });
    const [fx] = snapshots;
    if (!fx) throw new Error('fixture');
    const odd: Snapshot = {
      ...fx,
      accountId: 'back\\slash',
      label: 'line one\nline "two"',
      meters: [meter({ id: 'req"uests\\' })],
    };
    const metrics = new ServeMetrics(source([...many, odd]));
    metrics.initAccounts([{ id: 'fx-0', provider: 'openexchangerates' }], ['mail', 'hook "ops"']);
    for (const entry of many)
      metrics.observeCheck({ ...entry, status: 'error', error: { kind: 'rate_limited', message: 'x' } }, 0.2);
    const chunks = [...metrics.render().chunks];
    expect(chunks.length).toBeGreaterThan(5);
    for (const chunk of chunks) {
      expect(chunk.length).toBeLessThan(64 * 1024 + 1_000);
      expect(chunk.endsWith('\n')).toBe(true);
    }
    const body = chunks.join('');

    // Every family is declared once, before its samples, and its samples are not interleaved with another's.
    const declared = new Set<string>();
    let current: { name: string; type: string } | null = null;
    let sampleLines = 0;
    for (const line of body.trimEnd().split('\n')) {
      const type = /^# TYPE (\w+) (gauge|counter|histogram)$/.exec(line);
      if (type?.[1] && type[2]) {
        expect(declared.has(type[1])).toBe(false);
        declared.add(type[1]);
        current = { name: type[1], type: type[2] };
        continue;
      }
      if (line.startsWith('# HELP ')) continue;
      const sample = /^(\w+)(\{(?:\w+="(?:[^"\\\n]|\\[\\"n])*",?)*\})? (-?[\d.e+-]+|\+Inf|NaN)$/.exec(line);
      expect(sample, line).not.toBeNull();
      const name = sample?.[1] ?? '';
      const family = current?.type === 'histogram' ? name.replace(/_(bucket|sum|count)$/, '') : name;
      expect(family).toBe(current?.name);
      sampleLines += 1;
    }
    expect(sampleLines).toBeGreaterThan(3_000 * 9);
    expect(body).toContain(
      'headroom_account_info{account="back\\\\slash",provider="openexchangerates",label="line one\\nline \\"two\\""} 1',
    );
    expect(body).toContain(
      'headroom_meter_used{account="back\\\\slash",provider="openexchangerates",meter="req\\"uests\\\\",unit="requests"} 54524',
    );
    expect(samples(body, 'headroom_alerts_pending').size).toBe(1);
    expect(body).toContain('headroom_alert_delivery_attempts_total{channel="hook \\"ops\\"",outcome="dropped"} 0');
    expect(samples(body, 'headroom_poll_errors_total').size).toBe(3_000);
    const promtool = await runProgram(requireBinary('promtool', 'prometheus'), ['check', 'metrics'], { input: body });
    expect({ code: promtool.code, problems: promtool.stdout + promtool.stderr }).toEqual({ code: 0, problems: '' });
  });

  it('counts members per level and the lowest share left, a few series per account however many members', () => {
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
    const body = scrape(new ServeMetrics(source(list), { processMetrics: false }));
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
    const after = scrape(new ServeMetrics(source(list.slice(0, 1)), { processMetrics: false }));
    expect(samples(after, 'headroom_user_credits_lowest_remaining_ratio')).toEqual(
      new Map([['{account="gis",provider="arcgis"}', 0.5]]),
    );
  });
});
