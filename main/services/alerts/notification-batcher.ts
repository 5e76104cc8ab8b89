/**
 * Gathers the alerts of one poll round, so several become one summary notification. A round is
 * over once no alert has come for `quietMs` (the poller starts checks 250 ms apart), and never
 * lasts longer than `maxWaitMs` from its first alert, so nothing waits long.
 */
export interface BatchTiming {
  quietMs: number;
  maxWaitMs: number;
}

export const DEFAULT_BATCH_TIMING: BatchTiming = { quietMs: 1_000, maxWaitMs: 5_000 };

export class NotificationBatcher<T> {
  private pending: T[] = [];
  private firstAt = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly deliver: (items: T[]) => void,
    private readonly timing: BatchTiming = DEFAULT_BATCH_TIMING,
    private readonly now: () => number = () => Date.now(),
  ) {}

  add(items: readonly T[]): void {
    if (items.length === 0) return;
    if (this.pending.length === 0) this.firstAt = this.now();
    this.pending.push(...items);
    clearTimeout(this.timer);
    const untilCap = this.firstAt + this.timing.maxWaitMs - this.now();
    this.timer = setTimeout(
      () => {
        this.flush();
      },
      Math.max(0, Math.min(this.timing.quietMs, untilCap)),
    );
  }

  /** Delivers what is pending now (quit, tests). */
  flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.pending.length === 0) return;
    const items = this.pending;
    this.pending = [];
    this.deliver(items);
  }

  /** Drops what is pending and stops the timer. */
  dispose(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.pending = [];
  }
}
