import type { Clock } from '../../main/engine/poller/poller';

interface Timer {
  at: number;
  fn: () => void;
}

/** A Clock for the Poller that moves only when a test says so: `advance` runs the timers that came due. */
export class ManualClock implements Clock {
  private readonly timers = new Map<number, Timer>();
  private nextId = 1;

  constructor(private time: number) {}

  now(): number {
    return this.time;
  }

  setTimeout(fn: () => void, ms: number): unknown {
    const id = this.nextId++;
    this.timers.set(id, { at: this.time + Math.max(0, ms), fn });
    return id;
  }

  clearTimeout(handle: unknown): void {
    if (typeof handle === 'number') this.timers.delete(handle);
  }

  /** Moves time forward by `ms`, running each timer due by then, earliest first (at most 1,000). */
  advance(ms: number): void {
    const end = this.time + ms;
    for (let fired = 0; fired < 1_000; fired++) {
      let due: [number, Timer] | undefined;
      for (const entry of this.timers) {
        if (entry[1].at <= end && (due === undefined || entry[1].at < due[1].at)) due = entry;
      }
      if (due === undefined) break;
      this.timers.delete(due[0]);
      this.time = Math.max(this.time, due[1].at);
      due[1].fn();
    }
    this.time = end;
  }
}
