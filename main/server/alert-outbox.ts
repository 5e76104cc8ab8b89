import { randomUUID } from 'node:crypto';
import type { AlertMessage } from './alert-message';
import { DeliveryError, type AlertChannel } from './channels/channel';
import type { Log } from './log';
import type { Delivery } from './serve-state';

/**
 * How long failed deliveries are retried: first after `firstDelayMs`, doubling per failure up to
 * `maxDelayMs` (10 s, 20 s, 40 s … 15 min by default), for at most `giveUpAfterMs` after the alert
 * was decided (24 h). A Retry-After from the receiver is honoured.
 */
export interface RetryPolicy {
  firstDelayMs: number;
  maxDelayMs: number;
  giveUpAfterMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  firstDelayMs: 10_000,
  maxDelayMs: 15 * 60_000,
  giveUpAfterMs: 24 * 60 * 60_000,
};

export type DeliveryOutcome = 'delivered' | 'retrying' | 'dropped';

export interface AlertOutboxOptions {
  channels: readonly AlertChannel[];
  policy?: RetryPolicy;
  log: Log;
  /** Called after every change of the pending deliveries, so they can be saved. */
  onChange(): void;
  onOutcome?(channel: AlertChannel, outcome: DeliveryOutcome): void;
  now?: () => number;
}

/** Delay after `failures` failed attempts (1 or more). */
export function retryDelayMs(policy: RetryPolicy, failures: number): number {
  return Math.min(policy.firstDelayMs * 2 ** Math.min(Math.max(failures, 1) - 1, 30), policy.maxDelayMs);
}

/** Node's timers overflow past 2^31 − 1 ms. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Delivers each alert to every channel, at least once: a delivery leaves the outbox only when the
 * channel accepted it, the receiver refused it for good, or it grew too old. Channels work
 * independently (a dead webhook never holds up mail), each one alert at a time, oldest first.
 */
export class AlertOutbox {
  private deliveries: Delivery[] = [];
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  private readonly inFlight = new Map<string, Promise<void>>();
  private readonly controller = new AbortController();
  private running = false;
  private readonly policy: RetryPolicy;
  private readonly now: () => number;

  constructor(private readonly options: AlertOutboxOptions) {
    this.policy = options.policy ?? DEFAULT_RETRY_POLICY;
    this.now = options.now ?? (() => Date.now());
  }

  /** Takes back the deliveries saved by a previous run; those for channels no longer configured are dropped. */
  restore(saved: readonly Delivery[]): void {
    const keys = new Set(this.options.channels.map((channel) => channel.key));
    const kept = saved.filter((delivery) => keys.has(delivery.channel));
    if (kept.length < saved.length) {
      this.options.log(
        'warn',
        `${saved.length - kept.length} pending alert(s) were for a mail or webhook setting that is no longer in the config file; they are dropped.`,
      );
    }
    this.deliveries = [...this.deliveries, ...kept.map((delivery) => ({ ...delivery }))];
    if (kept.length > 0)
      this.options.log('info', `${kept.length} alert delivery(s) pending from the previous run will be retried.`);
    for (const channel of this.options.channels) this.kick(channel);
  }

  enqueue(message: AlertMessage): void {
    if (this.options.channels.length === 0) return;
    const at = new Date(this.now()).toISOString();
    for (const channel of this.options.channels) {
      this.deliveries.push({ id: randomUUID(), channel: channel.key, message, attempts: 0, nextAttemptAt: at });
    }
    this.options.onChange();
    for (const channel of this.options.channels) this.kick(channel);
  }

  pending(): Delivery[] {
    return this.deliveries.map((delivery) => ({ ...delivery }));
  }

  pendingFor(channelKey: string): number {
    return this.deliveries.filter((delivery) => delivery.channel === channelKey).length;
  }

  start(): void {
    this.running = true;
    for (const channel of this.options.channels) this.kick(channel);
  }

  /**
   * Stops sending: lets attempts in flight finish for up to `graceMs`, then cancels them. What is
   * not delivered stays pending for the next run (an alert cut off mid-send may then arrive twice).
   */
  async stop(graceMs: number): Promise<void> {
    this.running = false;
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    const settled = Promise.all(this.inFlight.values());
    if (!(await settlesWithin(settled, graceMs))) {
      this.controller.abort();
      await settlesWithin(settled, 1_000);
    }
    for (const channel of this.options.channels) channel.close?.();
  }

  private kick(channel: AlertChannel): void {
    if (!this.running || this.inFlight.has(channel.key)) return;
    const existing = this.timers.get(channel.key);
    if (existing !== undefined) clearTimeout(existing);
    this.timers.delete(channel.key);
    const next = this.deliveries
      .filter((delivery) => delivery.channel === channel.key)
      .reduce<Delivery | undefined>(
        (first, delivery) =>
          first === undefined || Date.parse(delivery.nextAttemptAt) < Date.parse(first.nextAttemptAt)
            ? delivery
            : first,
        undefined,
      );
    if (next === undefined) return;
    const wait = Date.parse(next.nextAttemptAt) - this.now();
    if (wait > 0) {
      this.timers.set(
        channel.key,
        setTimeout(
          () => {
            this.timers.delete(channel.key);
            this.kick(channel);
          },
          Math.min(wait, MAX_TIMER_MS),
        ),
      );
      return;
    }
    const attempt = this.attempt(channel, next).finally(() => {
      this.inFlight.delete(channel.key);
      this.kick(channel);
    });
    this.inFlight.set(channel.key, attempt);
  }

  private async attempt(channel: AlertChannel, delivery: Delivery): Promise<void> {
    const { log } = this.options;
    try {
      await channel.send(delivery.message, this.controller.signal);
    } catch (error) {
      if (this.controller.signal.aborted) return;
      const failure =
        error instanceof DeliveryError
          ? error
          : new DeliveryError(
              `${channel.describe} failed: ${error instanceof Error ? error.message : String(error)}`,
              false,
            );
      delivery.attempts += 1;
      const now = this.now();
      const age = now - Date.parse(delivery.message.decidedAt);
      const nextAt = Math.max(now + retryDelayMs(this.policy, delivery.attempts), failure.retryAt?.getTime() ?? 0);
      if (failure.permanent || nextAt - Date.parse(delivery.message.decidedAt) > this.policy.giveUpAfterMs) {
        this.remove(delivery);
        const why = failure.permanent ? 'it cannot succeed' : `it has failed for ${formatDuration(age)}`;
        log(
          'error',
          `alert "${delivery.message.title}" was NOT delivered (${channel.describe}): ${failure.message} Headroom gives up because ${why}.`,
        );
        this.options.onOutcome?.(channel, 'dropped');
      } else {
        delivery.nextAttemptAt = new Date(nextAt).toISOString();
        delivery.lastError = failure.message;
        log(
          'warn',
          `alert "${delivery.message.title}" not delivered yet (${channel.describe}, attempt ${delivery.attempts}): ${failure.message} Next try in ${formatDuration(nextAt - now)}.`,
        );
        this.options.onOutcome?.(channel, 'retrying');
      }
      this.options.onChange();
      return;
    }
    this.remove(delivery);
    const tries = delivery.attempts === 0 ? '' : ` (attempt ${delivery.attempts + 1})`;
    log('info', `alert "${delivery.message.title}" delivered: ${channel.describe}${tries}.`);
    this.options.onOutcome?.(channel, 'delivered');
    this.options.onChange();
  }

  private remove(delivery: Delivery): void {
    this.deliveries = this.deliveries.filter((candidate) => candidate.id !== delivery.id);
  }
}

/** True when the promise settles within `ms`; the timer never outlives the wait (it would hold the process open). */
async function settlesWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => {
      resolve(false);
    }, ms);
  });
  try {
    return await Promise.race([promise.then(() => true), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

function formatDuration(ms: number): string {
  if (ms < 1_000) return `${Math.max(0, Math.round(ms))} ms`;
  if (ms < 120_000) return `${Math.round(ms / 1_000)} s`;
  if (ms < 2 * 3_600_000) return `${Math.round(ms / 60_000)} min`;
  return `${Math.round(ms / 3_600_000)} h`;
}
