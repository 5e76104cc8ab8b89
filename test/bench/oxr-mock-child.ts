import { startOpenExchangeRatesMock } from '../mock-servers/openexchangerates';
import { toMockChildSchema, type FromMockChild } from './mock-child-protocol';

/**
 * The Open Exchange Rates mock in a process of its own, for benches that measure the CPU of the
 * process polling it (test/bench/serve-per-poll.ts): started with `child_process.fork` and
 * `--import tsx`, it says its URL once it listens, counts the requests it was sent, and tells the
 * count when asked. Its usage moves a little all the time (one request more every 20 ms), so the
 * meters never stand still and the poller keeps its interval instead of slowing down.
 */

const USAGE_TICK_MS = 20;

async function main(): Promise<void> {
  if (!process.send) throw new Error('oxr-mock-child runs under child_process.fork, with an IPC channel.');
  const send = (message: FromMockChild): void => {
    process.send?.(message);
  };
  const mock = await startOpenExchangeRatesMock();
  let requests = 0;
  // The recorded requests are only counted here, then dropped, so a long run does not fill the heap.
  const drain = (): void => {
    requests += mock.requests.length;
    mock.requests.length = 0;
  };
  let used = 54_524;
  const ticker = setInterval(() => {
    drain();
    used += 1;
    mock.setUsage({ requests: used });
  }, USAGE_TICK_MS);

  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    clearInterval(ticker);
    void mock.close().then(() => {
      if (process.connected) process.disconnect();
    });
  };
  process.on('message', (message: unknown) => {
    const parsed = toMockChildSchema.safeParse(message);
    if (parsed.data?.kind === 'count') {
      drain();
      send({ kind: 'count', requests });
    } else stop();
  });
  process.on('disconnect', stop);
  send({ kind: 'ready', url: mock.url });
}

void main();
