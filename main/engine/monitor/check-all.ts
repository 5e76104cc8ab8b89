import type { Snapshot } from '../../../shared/snapshot';
import type { AccountMonitor } from './account-monitor';

/** Checks every account once, at most `concurrency` at a time, keeping the accounts' order. */
export async function checkAll(
  monitors: readonly AccountMonitor[],
  options: { concurrency: number; signal: AbortSignal },
): Promise<Snapshot[]> {
  const results: Snapshot[] = new Array<Snapshot>(monitors.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < monitors.length) {
      const index = next++;
      const monitor = monitors[index];
      if (monitor) results[index] = await monitor.check(options.signal);
    }
  };
  await Promise.all(Array.from({ length: Math.min(options.concurrency, monitors.length) }, worker));
  return results;
}
