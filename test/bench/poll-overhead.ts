import axios from 'axios';
import { Agent, get } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { Account } from '../../shared/account';
import { AccountMonitor } from '../../main/core/engine/account-monitor';
import { HttpClient } from '../../main/core/http/client';
import { openExchangeRatesProvider } from '../../main/core/providers/openexchangerates';
import { OXR_VALID_APP_ID, startOpenExchangeRatesMock } from '../mock-servers/openexchangerates';
import { summary } from './timing';

const WARMUP = 300;
const ROUNDS = 3000;

/**
 * One engine poll (secrets, session, HTTP client, zod validation, levels) against a bare
 * keep-alive GET of the same mock endpoint with JSON.parse, interleaved so drift hits both alike.
 */
export async function run(): Promise<void> {
  const mock = await startOpenExchangeRatesMock();
  try {
    const url = `${mock.url}/api/usage.json?app_id=${OXR_VALID_APP_ID}&prettyprint=false`;
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const bare = (): Promise<void> =>
      new Promise((resolve, reject) => {
        get(url, { agent, headers: { Accept: 'application/json' } }, (res) => {
          let body = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => (body += chunk));
          res.on('end', () => {
            JSON.parse(body);
            resolve();
          });
        }).on('error', reject);
      });

    // The same GET through axios alone: the HTTP library every provider request goes through.
    const plainAxios = axios.create();
    const axiosGet = async (): Promise<void> => {
      const response = await plainAxios.get<string>(url, { responseType: 'text', transformResponse: [(data: unknown) => data], maxRedirects: 0 });
      JSON.parse(response.data);
    };

    const account: Account = { id: 'fx', provider: 'openexchangerates', label: 'FX', config: { baseUrl: `${mock.url}/api` }, enabled: true };
    const monitor = new AccountMonitor(account, openExchangeRatesProvider, {
      http: new HttpClient({ timeoutMs: 5000 }),
      readSecrets: () => Promise.resolve({ appId: OXR_VALID_APP_ID }),
    });
    const signal = new AbortController().signal;
    const engine = async (): Promise<void> => {
      const snapshot = await monitor.check(signal);
      if (snapshot.status !== 'ok') throw new Error(snapshot.error?.message);
    };

    const steps = { engine, axiosGet, bare } as const;
    const times: Record<keyof typeof steps, number[]> = { engine: [], axiosGet: [], bare: [] };
    const names = Object.keys(steps) as (keyof typeof steps)[];
    for (let i = 0; i < WARMUP; i++) for (const name of names) await steps[name]();
    for (let i = 0; i < ROUNDS; i++) {
      // Rotate the order so drift and GC pauses fall on every contender alike.
      for (let k = 0; k < names.length; k++) {
        const name = names[(i + k) % names.length] ?? 'engine';
        const start = performance.now();
        await steps[name]();
        times[name].push(performance.now() - start);
      }
    }
    agent.destroy();
    const e = summary(times.engine);
    const a = summary(times.axiosGet);
    const b = summary(times.bare);
    const line = (label: string, s: ReturnType<typeof summary>): string =>
      `  ${label.padEnd(24)} median ${s.median.toFixed(3)} ms  mean ${s.mean.toFixed(3)} ms  p95 ${s.p95.toFixed(3)} ms`;
    console.log(`poll overhead (${ROUNDS} rounds each, Open Exchange Rates mock on 127.0.0.1, same process)`);
    console.log(line('engine poll', e));
    console.log(line('bare GET, axios', a));
    console.log(line('bare GET, node:http', b));
    console.log(`  engine / axios GET       median ${(e.median / a.median).toFixed(2)}x  mean ${(e.mean / a.mean).toFixed(2)}x  (goal <= 1.1x)`);
    console.log(`  engine / node:http GET   median ${(e.median / b.median).toFixed(2)}x  mean ${(e.mean / b.mean).toFixed(2)}x`);
    console.log(`  engine's own work        ${((e.mean - a.mean) * 1000).toFixed(0)} µs a poll beyond the HTTP library; axios adds ${((a.mean - b.mean) * 1000).toFixed(0)} µs over node:http`);
  } finally {
    await mock.close();
  }
}
