import { HistoryStore } from '../../../main/engine/history/history-store';

/**
 * Run as a child process by history-store.test.ts and killed (SIGKILL) mid-stream: records one check
 * a second of history after another and prints each one's index once `record` has returned.
 */
const path = process.argv[2];
if (!path) throw new Error('usage: crash-writer.ts HISTORY_FILE');
const store = HistoryStore.open(path);
const start = Date.UTC(2026, 0, 1);
for (let index = 0; index < 1_000_000; index++) {
  store.record({
    accountId: 'crash',
    at: new Date(start + index * 1000).toISOString(),
    meters: [
      {
        id: 'credits',
        label: 'Credits',
        unit: 'credits',
        used: index,
        limit: 1_000_000,
        remaining: 1_000_000 - index,
        unlimited: false,
      },
    ],
  });
  process.stdout.write(`${index}\n`);
}
store.close();
