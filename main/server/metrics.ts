import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { ErrorKind, Level, Snapshot, UserCreditsView } from '../../shared/snapshot';
import { errorKindSchema, levelSchema } from '../../shared/snapshot';
import { APP_VERSION } from '../engine/version';
import type { DeliveryOutcome } from './alert-outbox';

/** What the metrics are read from at scrape time. */
export interface MetricsSource {
  /** The latest snapshot of every account checked since start. */
  snapshots(): readonly Snapshot[];
  consecutiveFailures(accountId: string): number;
  pendingAlerts(): readonly { channel: string; count: number }[];
}

/** `headroom_meter_level`: the Snapshot level as a number, so rules can say `>= 1`. */
export const LEVEL_VALUES: Readonly<Record<Level, number>> = { unknown: -1, ok: 0, warning: 1, critical: 2 };

const METER_LABELS = ['account', 'provider', 'meter', 'unit'] as const;
const ACCOUNT_LABELS = ['account', 'provider'] as const;
type MeterLabel = (typeof METER_LABELS)[number];

/** Seconds; from a fast mock answer (ms) to the slowest allowed timeout (600 s). */
const POLL_DURATION_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 30, 60, 120, 600];

/**
 * The Prometheus view of `serve`, on a registry of its own. Meter and account gauges are computed
 * from the latest snapshots at each scrape, so a removed account or a limit that became unknown
 * disappears instead of lingering; counters and the histogram grow with every check.
 * A figure the provider did not report is absent, never a made-up number.
 */
export class ServeMetrics {
  readonly registry = new Registry();
  private readonly pollDuration: Histogram<'account' | 'provider'>;
  private readonly pollErrors: Counter<'account' | 'provider' | 'kind'>;
  private readonly deliveries: Counter<'channel' | 'outcome'>;

  constructor(source: MetricsSource, options: { processMetrics?: boolean } = {}) {
    const registers = [this.registry];
    const meterGauge = (
      name: string,
      help: string,
      value: (meter: Snapshot['meters'][number]) => number | null,
    ): void => {
      new Gauge<MeterLabel>({
        name,
        help,
        labelNames: METER_LABELS,
        registers,
        collect() {
          this.reset();
          for (const snapshot of source.snapshots()) {
            for (const meter of snapshot.meters) {
              const figure = value(meter);
              if (figure === null || !Number.isFinite(figure)) continue;
              this.set(
                { account: snapshot.accountId, provider: snapshot.provider, meter: meter.id, unit: meter.unit },
                figure,
              );
            }
          }
        },
      });
    };
    const accountGauge = (name: string, help: string, value: (snapshot: Snapshot) => number | null): void => {
      new Gauge<(typeof ACCOUNT_LABELS)[number]>({
        name,
        help,
        labelNames: ACCOUNT_LABELS,
        registers,
        collect() {
          this.reset();
          for (const snapshot of source.snapshots()) {
            const figure = value(snapshot);
            if (figure !== null && Number.isFinite(figure))
              this.set({ account: snapshot.accountId, provider: snapshot.provider }, figure);
          }
        },
      });
    };
    const notUnlimited = (meter: Snapshot['meters'][number], figure: number | null): number | null =>
      meter.unlimited ? null : figure;

    new Gauge({
      name: 'headroom_build_info',
      help: 'Always 1; the version label tells which Headroom serves these metrics.',
      labelNames: ['version'],
      registers,
    }).set({ version: APP_VERSION }, 1);
    meterGauge(
      'headroom_meter_remaining',
      'What is left of the meter, in its unit (label unit); absent when unlimited or not reported.',
      (meter) => notUnlimited(meter, meter.remaining),
    );
    meterGauge(
      'headroom_meter_used',
      'What has been used of the meter in the current period, in its unit (label unit); absent when not reported.',
      (meter) => meter.used,
    );
    meterGauge(
      'headroom_meter_limit',
      "The meter's limit (or the configured budget), in its unit; absent when unlimited or not reported.",
      (meter) => notUnlimited(meter, meter.limit),
    );
    meterGauge('headroom_meter_unlimited', '1 when the plan has no limit for this meter, else 0.', (meter) =>
      meter.unlimited ? 1 : 0,
    );
    meterGauge(
      'headroom_meter_level',
      "Level from the account's alert rules: -1 unknown, 0 ok, 1 warning, 2 critical.",
      (meter) => LEVEL_VALUES[meter.level],
    );
    meterGauge(
      'headroom_meter_reset_timestamp_seconds',
      'When the current period ends and the meter resets (Unix time); absent when the service does not say.',
      (meter) => (meter.resetsAt === undefined ? null : Date.parse(meter.resetsAt) / 1000),
    );
    meterGauge(
      'headroom_meter_exhaustion_timestamp_seconds',
      'When the meter runs out at the pace of its history (Unix time); absent without such a forecast.',
      (meter) => (meter.forecast?.exhaustsAt ? Date.parse(meter.forecast.exhaustsAt) / 1000 : null),
    );
    // Members' credit budgets: a few series per account, never one per member (organizations have thousands).
    const membersView = (snapshot: Snapshot): UserCreditsView | undefined => {
      const view = snapshot.views?.userCredits;
      return view?.budgeting === 'on' && view.unavailable === undefined ? view : undefined;
    };
    new Gauge({
      name: 'headroom_user_credits_members',
      help: "Members of an organization with credit budgeting, by the level the account's userCredits rule gives what is left of their allocation (members without one count as ok); absent while the member list cannot be read.",
      labelNames: [...ACCOUNT_LABELS, 'level'],
      registers,
      collect() {
        this.reset();
        for (const snapshot of source.snapshots()) {
          const view = membersView(snapshot);
          if (!view) continue;
          for (const level of levelSchema.options) {
            this.set(
              { account: snapshot.accountId, provider: snapshot.provider, level },
              view.users.filter((member) => member.level === level).length,
            );
          }
        }
      },
    });
    accountGauge(
      'headroom_user_credits_lowest_remaining_ratio',
      'The smallest share of their own allocation any member has left (0 to 1); absent when no member has an allocation or the list cannot be read.',
      (snapshot) => {
        let lowest: number | null = null;
        for (const member of membersView(snapshot)?.users ?? []) {
          if (member.unlimited || member.assigned === null || member.assigned <= 0 || member.available === null)
            continue;
          lowest = Math.min(lowest ?? Infinity, member.available / member.assigned);
        }
        return lowest;
      },
    );
    accountGauge(
      'headroom_user_credits_read_timestamp_seconds',
      'When the member list behind headroom_user_credits_* was read (Unix time); it is read less often than the meters.',
      (snapshot) => {
        const view = membersView(snapshot);
        return view ? Date.parse(view.readAt) / 1000 : null;
      },
    );
    accountGauge(
      'headroom_account_up',
      '1 when the latest check of the account succeeded, 0 when it failed (meters then keep their last good values).',
      (snapshot) => (snapshot.status === 'ok' ? 1 : 0),
    );
    accountGauge(
      'headroom_account_last_success_timestamp_seconds',
      'When the account was last read successfully (Unix time).',
      (snapshot) => (snapshot.fetchedAt === null ? null : Date.parse(snapshot.fetchedAt) / 1000),
    );
    accountGauge(
      'headroom_account_last_check_timestamp_seconds',
      'When the account was last checked, successfully or not (Unix time).',
      (snapshot) => Date.parse(snapshot.checkedAt) / 1000,
    );
    accountGauge('headroom_account_consecutive_failures', 'Failed checks in a row (0 after a success).', (snapshot) =>
      source.consecutiveFailures(snapshot.accountId),
    );
    new Gauge({
      name: 'headroom_account_info',
      help: "Always 1; the label label holds the account's name as people know it.",
      labelNames: ['account', 'provider', 'label'],
      registers,
      collect() {
        this.reset();
        for (const snapshot of source.snapshots())
          this.set({ account: snapshot.accountId, provider: snapshot.provider, label: snapshot.label }, 1);
      },
    });
    this.pollDuration = new Histogram({
      name: 'headroom_poll_duration_seconds',
      help: 'How long a check of an account took, failures included (cancelled checks are not counted).',
      labelNames: ACCOUNT_LABELS,
      buckets: POLL_DURATION_BUCKETS,
      registers,
    });
    this.pollErrors = new Counter({
      name: 'headroom_poll_errors_total',
      help: 'Failed checks, by error kind of the Snapshot contract.',
      labelNames: ['account', 'provider', 'kind'],
      registers,
    });
    new Gauge({
      name: 'headroom_alerts_pending',
      help: 'Alerts decided but not yet accepted by the channel (mail or a webhook).',
      labelNames: ['channel'],
      registers,
      collect() {
        this.reset();
        for (const { channel, count } of source.pendingAlerts()) this.set({ channel }, count);
      },
    });
    this.deliveries = new Counter({
      name: 'headroom_alert_delivery_attempts_total',
      help: 'Attempts to deliver an alert, by outcome: delivered, retrying (failed, will retry) or dropped (failed for good).',
      labelNames: ['channel', 'outcome'],
      registers,
    });
    if (options.processMetrics ?? true) {
      collectDefaultMetrics({ register: this.registry });
      // prom-client names three gauges nodejs_active_*_total; Prometheus' conventions (and
      // `promtool check metrics`) keep `_total` for counters, so those three are left out.
      for (const metric of this.registry.getMetricsAsArray()) {
        if (
          metric.name.endsWith('_total') &&
          String(metric.type) !== 'counter' /* typed as a numeric enum, a string at run time */
        )
          this.registry.removeSingleMetric(metric.name);
      }
    }
  }

  /** Starts every account's series at zero, so `rate()` and `increase()` see the first error. */
  initAccounts(accounts: readonly { id: string; provider: string }[], channels: readonly string[]): void {
    for (const account of accounts) {
      for (const kind of errorKindSchema.options)
        this.pollErrors.inc({ account: account.id, provider: account.provider, kind }, 0);
    }
    for (const channel of channels) {
      for (const outcome of ['delivered', 'retrying', 'dropped'] satisfies DeliveryOutcome[])
        this.deliveries.inc({ channel, outcome }, 0);
    }
  }

  observeCheck(snapshot: Snapshot, seconds: number): void {
    const labels = { account: snapshot.accountId, provider: snapshot.provider };
    this.pollDuration.observe(labels, seconds);
    if (snapshot.status === 'error')
      this.pollErrors.inc({ ...labels, kind: snapshot.error?.kind ?? ('server' satisfies ErrorKind) });
  }

  observeDelivery(channel: string, outcome: DeliveryOutcome): void {
    this.deliveries.inc({ channel, outcome });
  }

  async render(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}
