import type { ErrorKind, Level, Meter, Snapshot, UserCreditsView } from '../../shared/snapshot';
import { levelSchema } from '../../shared/snapshot';
import { APP_VERSION } from '../engine/version';
import type { DeliveryOutcome } from './alert-outbox';
import { writeProcessMetrics } from './process-metrics';
import { labelValue, PROMETHEUS_TEXT_TYPE, sampleValue, TextChunks } from './prometheus-text';

/** What the metrics are read from at scrape time. */
export interface MetricsSource {
  /** The latest snapshot of every account checked since start. */
  snapshots(): readonly Snapshot[];
  consecutiveFailures(accountId: string): number;
  pendingAlerts(): readonly { channel: string; count: number }[];
}

/** A scrape's body, handed out a chunk at a time (see `TextChunks`). */
export interface MetricsBody {
  contentType: string;
  chunks: Iterable<string>;
}

/** `headroom_meter_level`: the Snapshot level as a number, so rules can say `>= 1`. */
export const LEVEL_VALUES: Readonly<Record<Level, number>> = { unknown: -1, ok: 0, warning: 1, critical: 2 };

/** Seconds; from a fast mock answer (ms) to the slowest allowed timeout (600 s). */
const POLL_DURATION_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 30, 60, 120, 600];
const DELIVERY_OUTCOMES = ['delivered', 'retrying', 'dropped'] as const satisfies readonly DeliveryOutcome[];

interface Family<T> {
  name: string;
  help: string;
  /** The figure, or null when there is none to show (then the series is absent). */
  value: (subject: T, source: MetricsSource) => number | null;
}

const notUnlimited = (meter: Meter, figure: number | null): number | null => (meter.unlimited ? null : figure);
const seconds = (iso: string): number => Date.parse(iso) / 1000;

const METER_FAMILIES: readonly Family<Meter>[] = [
  {
    name: 'headroom_meter_remaining',
    help: 'What is left of the meter, in its unit (label unit); absent when unlimited or not reported.',
    value: (meter) => notUnlimited(meter, meter.remaining),
  },
  {
    name: 'headroom_meter_used',
    help: 'What has been used of the meter in the current period, in its unit (label unit); absent when not reported.',
    value: (meter) => meter.used,
  },
  {
    name: 'headroom_meter_limit',
    help: "The meter's limit (or the configured budget), in its unit; absent when unlimited or not reported.",
    value: (meter) => notUnlimited(meter, meter.limit),
  },
  {
    name: 'headroom_meter_unlimited',
    help: '1 when the plan has no limit for this meter, else 0.',
    value: (meter) => (meter.unlimited ? 1 : 0),
  },
  {
    name: 'headroom_meter_level',
    help: "Level from the account's alert rules: -1 unknown, 0 ok, 1 warning, 2 critical.",
    value: (meter) => LEVEL_VALUES[meter.level],
  },
  {
    name: 'headroom_meter_reset_timestamp_seconds',
    help: 'When the current period ends and the meter resets (Unix time); absent when the service does not say.',
    value: (meter) => (meter.resetsAt === undefined ? null : seconds(meter.resetsAt)),
  },
  {
    name: 'headroom_meter_exhaustion_timestamp_seconds',
    help: 'When the meter runs out at the pace of its history (Unix time); absent without such a forecast.',
    value: (meter) => (meter.forecast?.exhaustsAt ? seconds(meter.forecast.exhaustsAt) : null),
  },
];

/** Members' credit budgets: a few series per account, never one per member (organizations have thousands). */
function membersView(snapshot: Snapshot): UserCreditsView | undefined {
  const view = snapshot.views?.userCredits;
  return view?.budgeting === 'on' && view.unavailable === undefined ? view : undefined;
}

const MEMBERS_FAMILY = {
  name: 'headroom_user_credits_members',
  help: "Members of an organization with credit budgeting, by the level the account's userCredits rule gives what is left of their allocation (members without one count as ok); absent while the member list cannot be read.",
};

const ACCOUNT_FAMILIES: readonly Family<Snapshot>[] = [
  {
    name: 'headroom_user_credits_lowest_remaining_ratio',
    help: 'The smallest share of their own allocation any member has left (0 to 1); absent when no member has an allocation or the list cannot be read.',
    value: (snapshot) => {
      let lowest: number | null = null;
      for (const member of membersView(snapshot)?.users ?? []) {
        if (member.unlimited || member.assigned === null || member.assigned <= 0 || member.available === null) continue;
        lowest = Math.min(lowest ?? Infinity, member.available / member.assigned);
      }
      return lowest;
    },
  },
  {
    name: 'headroom_user_credits_read_timestamp_seconds',
    help: 'When the member list behind headroom_user_credits_* was read (Unix time); it is read less often than the meters.',
    value: (snapshot) => {
      const view = membersView(snapshot);
      return view ? seconds(view.readAt) : null;
    },
  },
  {
    name: 'headroom_account_up',
    help: '1 when the latest check of the account succeeded, 0 when it failed (meters then keep their last good values).',
    value: (snapshot) => (snapshot.status === 'ok' ? 1 : 0),
  },
  {
    name: 'headroom_account_last_success_timestamp_seconds',
    help: 'When the account was last read successfully (Unix time).',
    value: (snapshot) => (snapshot.fetchedAt === null ? null : seconds(snapshot.fetchedAt)),
  },
  {
    name: 'headroom_account_last_check_timestamp_seconds',
    help: 'When the account was last checked, successfully or not (Unix time).',
    value: (snapshot) => seconds(snapshot.checkedAt),
  },
  {
    name: 'headroom_account_consecutive_failures',
    help: 'Failed checks in a row (0 after a success).',
    value: (snapshot, source) => source.consecutiveFailures(snapshot.accountId),
  },
];

interface DurationHistogram {
  /** Checks per bucket, not cumulative; one more than the bounds for +Inf. */
  counts: number[];
  sum: number;
  count: number;
}

/** `account="…",provider="…"`, the labels every per-account series starts with. */
function accountLabels(snapshot: Snapshot): string {
  return `account="${labelValue(snapshot.accountId)}",provider="${labelValue(snapshot.provider)}"`;
}

/** Writes each item's samples, handing on the text whenever a chunk is full (so polls run between). */
function* eachInChunks<T>(out: TextChunks, items: Iterable<T>, write: (item: T) => void): Generator<string> {
  for (const item of items) {
    write(item);
    if (out.full) yield out.take();
  }
}

/**
 * The Prometheus view of `serve`, written by hand in the text format: at 5,000 accounts a scrape
 * is tens of thousands of lines, and building them through a client library's registry cost
 * more than a poll. Meter and account gauges are computed from the latest snapshots at each
 * scrape, so a removed account or a limit that became unknown disappears instead of lingering.
 * A figure the provider did not report is absent, never a made-up number. Series that grow with
 * checks stay few: one duration histogram per provider, and an error counter only once an
 * account has failed with that kind.
 */
export class ServeMetrics {
  private readonly durations = new Map<string, DurationHistogram>();
  /** By `account="…",provider="…",kind="…"`. */
  private readonly errors = new Map<string, number>();
  /** By `channel="…",outcome="…"`. */
  private readonly deliveries = new Map<string, number>();

  constructor(
    private readonly source: MetricsSource,
    private readonly options: { processMetrics?: boolean } = {},
  ) {}

  /** Starts each provider's histogram and each channel's delivery counters at zero, so `rate()` sees the first. */
  initAccounts(accounts: readonly { id: string; provider: string }[], channels: readonly string[]): void {
    for (const account of accounts) this.histogramOf(account.provider);
    for (const channel of channels) {
      for (const outcome of DELIVERY_OUTCOMES) this.deliveries.set(this.deliveryKey(channel, outcome), 0);
    }
  }

  observeCheck(snapshot: Snapshot, seconds: number): void {
    const histogram = this.histogramOf(snapshot.provider);
    const bucket = POLL_DURATION_BUCKETS.findIndex((bound) => seconds <= bound);
    const slot = bucket === -1 ? POLL_DURATION_BUCKETS.length : bucket;
    histogram.counts[slot] = (histogram.counts[slot] ?? 0) + 1;
    histogram.sum += seconds;
    histogram.count += 1;
    if (snapshot.status === 'error') {
      const kind: ErrorKind = snapshot.error?.kind ?? 'server';
      const key = `${accountLabels(snapshot)},kind="${kind}"`;
      this.errors.set(key, (this.errors.get(key) ?? 0) + 1);
    }
  }

  observeDelivery(channel: string, outcome: DeliveryOutcome): void {
    const key = this.deliveryKey(channel, outcome);
    this.deliveries.set(key, (this.deliveries.get(key) ?? 0) + 1);
  }

  render(): MetricsBody {
    return { contentType: PROMETHEUS_TEXT_TYPE, chunks: this.chunks() };
  }

  private *chunks(): Generator<string> {
    const out = new TextChunks();
    // Label sets are escaped again for each family rather than kept for the scrape: holding them
    // all would hold about half the body at 5,000 accounts, which the chunks exist to avoid.
    const snapshots = this.source.snapshots();

    out.family(
      'headroom_build_info',
      'gauge',
      'Always 1; the version label tells which Headroom serves these metrics.',
    );
    out.sample('headroom_build_info', `{version="${labelValue(APP_VERSION)}"}`, 1);
    for (const family of METER_FAMILIES) {
      out.family(family.name, 'gauge', family.help);
      yield* eachInChunks(out, snapshots, (snapshot) => {
        const account = accountLabels(snapshot);
        for (const meter of snapshot.meters) {
          const figure = family.value(meter, this.source);
          if (figure === null || !Number.isFinite(figure)) continue;
          out.sample(
            family.name,
            `{${account},meter="${labelValue(meter.id)}",unit="${labelValue(meter.unit)}"}`,
            figure,
          );
        }
      });
    }

    out.family(MEMBERS_FAMILY.name, 'gauge', MEMBERS_FAMILY.help);
    yield* eachInChunks(out, snapshots, (snapshot) => {
      const view = membersView(snapshot);
      if (!view) return;
      const counts = new Map<Level, number>(levelSchema.options.map((level) => [level, 0]));
      for (const member of view.users) counts.set(member.level, (counts.get(member.level) ?? 0) + 1);
      const account = accountLabels(snapshot);
      for (const [level, count] of counts) out.sample(MEMBERS_FAMILY.name, `{${account},level="${level}"}`, count);
    });
    for (const family of ACCOUNT_FAMILIES) {
      out.family(family.name, 'gauge', family.help);
      yield* eachInChunks(out, snapshots, (snapshot) => {
        const figure = family.value(snapshot, this.source);
        if (figure !== null && Number.isFinite(figure)) out.sample(family.name, `{${accountLabels(snapshot)}}`, figure);
      });
    }
    out.family(
      'headroom_account_info',
      'gauge',
      "Always 1; the label label holds the account's name as people know it.",
    );
    yield* eachInChunks(out, snapshots, (snapshot) => {
      out.sample('headroom_account_info', `{${accountLabels(snapshot)},label="${labelValue(snapshot.label)}"}`, 1);
    });

    yield* this.durationChunks(out);
    out.family('headroom_poll_errors_total', 'counter', 'Failed checks, by error kind of the Snapshot contract.');
    yield* eachInChunks(out, this.errors, ([labels, count]) => {
      out.sample('headroom_poll_errors_total', `{${labels}}`, count);
    });
    out.family(
      'headroom_alerts_pending',
      'gauge',
      'Alerts decided but not yet accepted by the channel (mail or a webhook).',
    );
    yield* eachInChunks(out, this.source.pendingAlerts(), ({ channel, count }) => {
      out.sample('headroom_alerts_pending', `{channel="${labelValue(channel)}"}`, count);
    });
    out.family(
      'headroom_alert_delivery_attempts_total',
      'counter',
      'Attempts to deliver an alert, by outcome: delivered, retrying (failed, will retry) or dropped (failed for good).',
    );
    yield* eachInChunks(out, this.deliveries, ([labels, count]) => {
      out.sample('headroom_alert_delivery_attempts_total', `{${labels}}`, count);
    });

    if (this.options.processMetrics ?? true) writeProcessMetrics(out);
    yield out.take();
  }

  private *durationChunks(out: TextChunks): Generator<string> {
    const name = 'headroom_poll_duration_seconds';
    out.family(
      name,
      'histogram',
      'How long a check took, failures included (cancelled checks are not counted), by provider.',
    );
    yield* eachInChunks(out, this.durations, ([provider, histogram]) => {
      const labels = `provider="${labelValue(provider)}"`;
      let cumulative = 0;
      POLL_DURATION_BUCKETS.forEach((bound, index) => {
        cumulative += histogram.counts[index] ?? 0;
        out.sample(`${name}_bucket`, `{${labels},le="${sampleValue(bound)}"}`, cumulative);
      });
      out.sample(`${name}_bucket`, `{${labels},le="+Inf"}`, histogram.count);
      out.sample(`${name}_sum`, `{${labels}}`, histogram.sum);
      out.sample(`${name}_count`, `{${labels}}`, histogram.count);
    });
  }

  private histogramOf(provider: string): DurationHistogram {
    let histogram = this.durations.get(provider);
    if (!histogram) {
      histogram = { counts: POLL_DURATION_BUCKETS.map(() => 0).concat(0), sum: 0, count: 0 };
      this.durations.set(provider, histogram);
    }
    return histogram;
  }

  private deliveryKey(channel: string, outcome: DeliveryOutcome): string {
    return `channel="${labelValue(channel)}",outcome="${outcome}"`;
  }
}
