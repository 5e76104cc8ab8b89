import { ProviderError } from '../../errors';

/** How soon a report that failed (a timeout, a server error) is tried again, at most. */
export const REPORT_RETRY_MS = 15 * 60_000;

/**
 * A report the signed-in user may not read, or one too large to read: said in words, and not retried before it is due.
 */
export class ReportUnavailable {
  constructor(
    readonly reason: string,
    /** Only an administrator may read it: the windows say so in their own words. */
    readonly needsAdministrator = false,
  ) {}
}

export interface ReportState<T> {
  /** The last report read, and when (epoch ms). */
  last: { value: T; readAt: number } | undefined;
  /** Why the last attempt failed, when it did; the last report, if any, is older. */
  failure: string | undefined;
  /** Read at this poll (not reused). */
  fresh: boolean;
}

/**
 * A heavier report (usage statistics, the member list) on its own, slower schedule: read when due,
 * then reused until `intervalMs` has passed, so the balance stays fresh at every poll without
 * asking the portal for the reports each time. A failed read keeps the last report, says why,
 * and is tried again after REPORT_RETRY_MS (or the interval, if shorter, and never before a
 * Retry-After); it never fails the poll.
 * Cancellation and programming errors still propagate.
 */
export class ScheduledReport<T> {
  private last: ReportState<T>['last'];
  private failure: string | undefined;
  private dueAt = Number.NEGATIVE_INFINITY;
  /** A Retry-After: never read before it. */
  private notBefore = Number.NEGATIVE_INFINITY;
  private lastCheckAt: number | undefined;

  constructor(private readonly intervalMs: number) {}

  async get(now: number, read: () => Promise<T>): Promise<ReportState<T>> {
    // Checks come spread by the poller's jitter, so a report due at minute 15 may meet a check at
    // minute 14. It is read at the check nearest its due time: this one, when the next (expected
    // as far off as the last was) would be later past due than this one is early.
    const gap = this.lastCheckAt === undefined ? 0 : now - this.lastCheckAt;
    this.lastCheckAt = now;
    if (now < Math.max(this.dueAt - gap / 2, this.notBefore))
      return { last: this.last, failure: this.failure, fresh: false };
    try {
      const value = await read();
      this.last = { value, readAt: now };
      this.failure = undefined;
      this.dueAt = now + this.intervalMs;
      this.notBefore = Number.NEGATIVE_INFINITY;
      return { last: this.last, failure: undefined, fresh: true };
    } catch (error) {
      if (!(error instanceof ProviderError)) throw error;
      this.failure = error.message;
      this.dueAt = now + Math.min(this.intervalMs, REPORT_RETRY_MS);
      this.notBefore = error.retryAt?.getTime() ?? Number.NEGATIVE_INFINITY;
      return { last: this.last, failure: this.failure, fresh: false };
    }
  }
}
