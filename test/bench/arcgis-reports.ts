import { performance } from 'node:perf_hooks';
import type { Account } from '../../shared/account';
import { AccountMonitor } from '../../main/engine/monitor/account-monitor';
import { HttpClient } from '../../main/engine/http/client';
import { arcgisProvider } from '../../main/engine/providers/arcgis/arcgis-provider';
import {
  ARCGIS_MOCK_PASSWORD,
  ARCGIS_MOCK_USERNAME,
  startArcgisMock,
  type ArcgisMockMember,
} from '../mock-servers/arcgis';

const SIZES = [1_000, 5_000, 20_000];
const POLL_MINUTES = 5;
const POLLS_PER_HOUR = 60 / POLL_MINUTES;

/**
 * ArcGIS Online in depth for organizations of growing size, on loopback: one hour of 5-minute polls
 * of an administrator account. Prints the poll that reads the reports (usage statistics and every
 * page of members) against the polls that reuse them, the requests the hour costs, the snapshot's
 * size and the heap it holds.
 */
export async function run(): Promise<void> {
  console.log('arcgis-reports: an hour of 5-minute polls of an ArcGIS Online administrator (reports hourly)');
  console.log('members  pages  report poll  other polls (median)  requests/hour  snapshot JSON  heap after');
  for (const size of SIZES) {
    const mock = await startArcgisMock();
    try {
      mock.setMembers(members(size));
      let clock = Date.parse('2026-11-20T12:00:00.000Z');
      const account: Account = {
        id: 'gis',
        provider: 'arcgis',
        label: 'GIS org',
        config: { portalUrl: mock.url, username: ARCGIS_MOCK_USERNAME },
        enabled: true,
      };
      const monitor = new AccountMonitor(account, arcgisProvider, {
        http: new HttpClient({ timeoutMs: 20_000 }),
        readSecrets: () => Promise.resolve({ password: ARCGIS_MOCK_PASSWORD }),
        now: () => new Date(clock),
      });
      const signal = new AbortController().signal;
      const durations: number[] = [];
      let json = '';
      for (let poll = 0; poll < POLLS_PER_HOUR; poll += 1) {
        const started = performance.now();
        const snapshot = await monitor.check(signal);
        durations.push(performance.now() - started);
        if (snapshot.status !== 'ok') throw new Error(snapshot.error?.message);
        if (poll === 0) json = JSON.stringify(snapshot);
        clock += POLL_MINUTES * 60_000;
      }
      global.gc?.();
      const heap = process.memoryUsage().heapUsed;
      const [first = 0, ...rest] = durations;
      const pages = mock.calls('portals/self/users').length;
      console.log(
        [
          String(size).padStart(7),
          String(pages).padStart(6),
          `${first.toFixed(0)} ms`.padStart(12),
          `${median(rest).toFixed(2)} ms`.padStart(21),
          String(mock.requests.length).padStart(14),
          `${(json.length / 1024).toFixed(0)} KiB`.padStart(14),
          `${(heap / 1024 / 1024).toFixed(0)} MiB`.padStart(11),
        ].join(' '),
      );
    } finally {
      await mock.close();
    }
  }
}

function members(count: number): ArcgisMockMember[] {
  return Array.from({ length: count }, (_, index) => {
    const username = `member${String(index + 1).padStart(6, '0')}`;
    if (index % 10 === 9)
      return { username, fullName: `Member ${index + 1}`, assignedCredits: -1, availableCredits: -1 };
    const assigned = 100 * (1 + (index % 10));
    return {
      username,
      fullName: `Member ${index + 1}`,
      assignedCredits: assigned,
      availableCredits: (assigned * ((index * 37) % 101)) / 100,
    };
  });
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}
