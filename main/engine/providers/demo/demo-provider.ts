import { z } from 'zod';
import type { ConfigAccount } from '../../../../shared/config-file';
import type { ReportedSeries } from '../../../../shared/history';
import { engineNames } from '../../../../shared/i18n/locales/engine-names';
import type { BreakdownItem, MeterReading } from '../../../../shared/snapshot';
import { CancelledError } from '../../errors';
import { utcMonth } from '../../time/utc-month';
import { defineProvider } from '../provider';

/**
 * Simulated accounts, so Headroom shows something real-looking before anything is configured.
 * No network: every value is a function of the time (`context.now()`) and the account's scenario,
 * so repeated polls move smoothly, two polls at the same instant agree, and tests can pin the clock.
 */

export const DEMO_SCENARIOS = ['comfortable', 'tight', 'unlimited', 'storage'] as const;
export type DemoScenario = (typeof DEMO_SCENARIOS)[number];

const configSchema = z.strictObject({
  scenario: z.enum(DEMO_SCENARIOS, { error: `must be one of ${DEMO_SCENARIOS.join(', ')}` }).default('comfortable'),
});

export const demoProvider = defineProvider({
  id: 'demo',
  name: 'Demo',
  configSchema,
  secretsSchema: z.object({}),
  secretFields: [],
  minIntervalMinutes: 1,
  usageCallCountsAgainstQuota: false,
  createSession({ config }) {
    let reportedPast = false;
    return {
      fetch: (context) => {
        if (context.signal.aborted) return Promise.reject(new CancelledError());
        const now = context.now();
        const meters = demoMeters(config.scenario, now);
        // Like the real providers that report their past, the first check seeds the history, so a
        // forecast shows from the first run.
        if (reportedPast) return Promise.resolve({ meters });
        reportedPast = true;
        return Promise.resolve({ meters, reported: demoPast(config.scenario, now) });
      },
    };
  },
});

/** The accounts the CLI checks when it runs without a config file. */
export function demoAccounts(): ConfigAccount[] {
  const account = (id: string, label: string, scenario: DemoScenario): ConfigAccount => ({
    id,
    provider: 'demo',
    label,
    config: { scenario },
    enabled: true,
  });
  return [
    account('demo-mapping', 'Demo · Mapping credits', 'comfortable'),
    account('demo-geocoding', 'Demo · Geocoding requests', 'tight'),
    account('demo-exchange-rates', 'Demo · Exchange-rate requests', 'unlimited'),
    account('demo-storage', 'Demo · Map storage', 'storage'),
  ];
}

const GIB = 1024 ** 3;
const DAY_MS = 24 * 60 * 60 * 1000;
/** Storage grows over a quarter, then a clean-up brings it back down. */
const STORAGE_CYCLE_MS = 91 * DAY_MS;
/** A whole number, so every period starts and ends on the straight line (0 and 1). */
const BUMPS_PER_PERIOD = 4;

/** Where the "tight" account's requests go; shares add up to 1. */
const TIGHT_BREAKDOWN: readonly { key: string; label: string; share: number }[] = [
  { key: 'geocode', label: 'Geocoding', share: 0.46 },
  { key: 'route', label: 'Routing', share: 0.31 },
  { key: 'places', label: 'Places search', share: 0.17 },
  { key: 'elevation', label: 'Elevation', share: 0.06 },
];

/** Points every six hours over the past week, within the current period only (a reset starts afresh). */
export function demoPast(scenario: DemoScenario, now: Date): ReportedSeries[] {
  const periodStart = scenario === 'storage' ? -Infinity : utcMonth(now).first.getTime();
  const step = 6 * 60 * 60 * 1000;
  const since = Math.max(periodStart, now.getTime() - 7 * DAY_MS);
  const series = new Map<string, ReportedSeries>();
  for (let at = Math.ceil(since / step) * step; at < now.getTime(); at += step) {
    for (const meter of demoMeters(scenario, new Date(at))) {
      const entry = series.get(meter.id) ?? { meterId: meter.id, label: meter.label, unit: meter.unit, points: [] };
      entry.points.push({
        at: new Date(at).toISOString(),
        used: meter.used,
        limit: meter.limit,
        remaining: meter.remaining,
        ...(meter.resetsAt ? { resetsAt: meter.resetsAt } : {}),
      });
      series.set(meter.id, entry);
    }
  }
  return [...series.values()].filter((entry) => entry.points.length > 0);
}

export function demoMeters(scenario: DemoScenario, now: Date): MeterReading[] {
  const month = utcMonth(now);
  const resetsAt = month.next.toISOString();
  switch (scenario) {
    case 'comfortable': {
      // About half of 50,000 credits by the month's end: never near a threshold.
      const limit = 50_000;
      const used = Math.round(limit * (0.52 + 0.08 * monthNoise(month.index)) * burn(month.fraction));
      return [
        {
          id: 'credits',
          label: engineNames.meter.credits,
          unit: 'credits',
          used,
          limit,
          remaining: limit - used,
          unlimited: false,
          resetsAt,
        },
      ];
    }
    case 'tight': {
      // Heads for 97-99 % of the quota: 10-15 % left around the 26th, a few % on the last day.
      const limit = 100_000;
      const used = Math.round(limit * (0.97 + 0.02 * monthNoise(month.index)) * burn(month.fraction));
      return [
        {
          id: 'requests',
          label: engineNames.meter.requests,
          unit: 'requests',
          used,
          limit,
          remaining: limit - used,
          unlimited: false,
          resetsAt,
          breakdown: split(used, TIGHT_BREAKDOWN),
        },
      ];
    }
    case 'unlimited': {
      const used = Math.round(240_000 * (0.9 + 0.2 * monthNoise(month.index)) * burn(month.fraction));
      return [
        {
          id: 'requests',
          label: engineNames.meter.requests,
          unit: 'requests',
          used,
          limit: null,
          remaining: null,
          unlimited: true,
          resetsAt,
        },
      ];
    }
    case 'storage': {
      // Storage has no monthly reset: it climbs from about 52 % to 82 % of 10 GiB over each quarter.
      const limit = 10 * GIB;
      const cycle = (((now.getTime() % STORAGE_CYCLE_MS) + STORAGE_CYCLE_MS) % STORAGE_CYCLE_MS) / STORAGE_CYCLE_MS;
      const used = Math.round(limit * (0.52 + 0.3 * burn(cycle)));
      return [
        {
          id: 'storage',
          label: engineNames.meter.storage,
          unit: 'bytes',
          used,
          limit,
          remaining: limit - used,
          unlimited: false,
        },
      ];
    }
  }
}

/**
 * Share of the period's usage reached at `fraction`: a straight line with weekly-ish bumps.
 * Its slope is 1 + 0.35·cos(…) ≥ 0.65, so it only ever grows, and it is 0 at 0 and 1 at 1.
 */
function burn(fraction: number): number {
  const k = 2 * Math.PI * BUMPS_PER_PERIOD;
  return fraction + (0.35 * Math.sin(k * fraction)) / k;
}

/** A stable number in [0, 1) for a month, so months differ a little but each poll agrees. */
function monthNoise(index: number): number {
  const x = Math.sin(index * 12.9898) * 43758.5453;
  return x - Math.floor(x);
}

/** Splits `used` by shares into whole numbers that add up to `used` exactly. */
function split(used: number, parts: readonly { key: string; label: string; share: number }[]): BreakdownItem[] {
  const items = parts.map((part) => ({ key: part.key, label: part.label, used: Math.floor(used * part.share) }));
  const rest = used - items.reduce((sum, item) => sum + item.used, 0);
  const first = items[0];
  if (first) first.used += rest;
  return items;
}
