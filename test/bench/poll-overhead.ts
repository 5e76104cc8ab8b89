import { Agent, get } from 'node:http';
import type { Account } from '../../shared/account';
import { AccountMonitor } from '../../main/engine/monitor/account-monitor';
import { HttpClient } from '../../main/engine/http/client';
import { openExchangeRatesProvider } from '../../main/engine/providers/openexchangerates/openexchangerates-provider';
import { OXR_VALID_APP_ID, startOpenExchangeRatesMock } from '../mock-servers/openexchangerates';
import { bareAxiosGet, timeInterleaved, timingLine, type Summary } from './timing';

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
    const axiosGet = bareAxiosGet(url);

    const account: Account = {
      id: 'fx',
      provider: 'openexchangerates',
      label: 'FX',
      config: { baseUrl: `${mock.url}/api` },
      enabled: true,
    };
    const monitor = new AccountMonitor(account, openExchangeRatesProvider, {
      http: new HttpClient({ timeoutMs: 5000 }),
      readSecrets: () => Promise.resolve({ appId: OXR_VALID_APP_ID }),
    });
    const signal = new AbortController().signal;
    const engine = async (): Promise<void> => {
      const snapshot = await monitor.check(signal);
      if (snapshot.status !== 'ok') throw new Error(snapshot.error?.message);
    };

    const { engine: e, axiosGet: a, bare: b } = await timeInterleaved({ engine, axiosGet, bare }, ROUNDS, WARMUP);
    agent.destroy();
    const line = (label: string, t: Summary): string => timingLine(label, t, 24);
    console.log(`poll overhead (${ROUNDS} rounds each, Open Exchange Rates mock on 127.0.0.1, same process)`);
    console.log(line('engine poll', e));
    console.log(line('bare GET, axios', a));
    console.log(line('bare GET, node:http', b));
    console.log(
      `  engine / axios GET       median ${(e.median / a.median).toFixed(2)}x  mean ${(e.mean / a.mean).toFixed(2)}x  (goal <= 1.1x)`,
    );
    console.log(
      `  engine / node:http GET   median ${(e.median / b.median).toFixed(2)}x  mean ${(e.mean / b.mean).toFixed(2)}x`,
    );
    console.log(
      `  engine's own work        ${((e.mean - a.mean) * 1000).toFixed(0)} µs a poll beyond the HTTP library; axios adds ${((a.mean - b.mean) * 1000).toFixed(0)} µs over node:http`,
    );
  } finally {
    await mock.close();
  }
}
