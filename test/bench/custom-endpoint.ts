import axios from 'axios';
import { performance } from 'node:perf_hooks';
import type { Account } from '../../shared/account';
import { AccountMonitor } from '../../main/engine/monitor/account-monitor';
import { HttpClient } from '../../main/engine/http/client';
import { customProvider } from '../../main/engine/providers/custom/custom-provider';
import { compileExpression } from '../../main/engine/providers/custom/expressions';
import { GITHUB_TOKENS, startGitHubMock } from '../mock-servers/github';
import { bareAxiosGet, timeInterleaved, timingLine, type Summary } from './timing';

const WARMUP = 300;
const ROUNDS = 3000;

/**
 * What describing an endpoint costs: one engine poll of the GitHub preset (three meters, nine
 * JSONata expressions) against a bare axios GET of the same mock answer with JSON.parse, rounds
 * interleaved; then the JSONata work alone (compile once per session, evaluate per poll).
 */
export async function run(): Promise<void> {
  const mock = await startGitHubMock();
  try {
    const url = `${mock.url}/rate_limit`;
    const headers = { Authorization: `Bearer ${GITHUB_TOKENS.healthy}`, Accept: 'application/vnd.github+json' };
    const axiosGet = bareAxiosGet(url, headers);
    const account: Account = {
      id: 'gh',
      provider: 'custom',
      label: 'GitHub',
      config: { preset: 'github', url },
      enabled: true,
    };
    const monitor = new AccountMonitor(account, customProvider, {
      http: new HttpClient({ timeoutMs: 5000 }),
      readSecrets: () => Promise.resolve({ token: GITHUB_TOKENS.healthy }),
    });
    const signal = new AbortController().signal;
    const engine = async (): Promise<void> => {
      const snapshot = await monitor.check(signal);
      if (snapshot.status !== 'ok') throw new Error(snapshot.error?.message);
    };

    const { engine: e, axiosGet: a } = await timeInterleaved({ engine, axiosGet }, ROUNDS, WARMUP);
    const line = (label: string, t: Summary): string => timingLine(label, t, 28);
    console.log(`custom endpoint (GitHub preset: 3 meters, 9 expressions; ${ROUNDS} rounds each, mock on 127.0.0.1)`);
    console.log(line('engine poll, custom provider', e));
    console.log(line('bare GET, axios', a));
    console.log(
      `  engine / axios GET           median ${(e.median / a.median).toFixed(2)}x  mean ${(e.mean / a.mean).toFixed(2)}x`,
    );

    const answer = (await axios.get<unknown>(url, { headers })).data;
    const sources = [
      'resources.core.limit',
      'resources.core.remaining',
      'resources.core.reset',
      '$number(resources.search.limit) - 1',
      "$startOfNext('month')",
    ];
    const compileStart = performance.now();
    const compiled = sources.map((source) => compileExpression(source));
    for (let i = 1; i < 1000; i++) for (const source of sources) compileExpression(source);
    const compileUs = ((performance.now() - compileStart) / (1000 * sources.length)) * 1000;
    const now = new Date();
    const evalStart = performance.now();
    for (let i = 0; i < 10_000; i++) for (const expression of compiled) await expression.evaluate(answer, now);
    const evalUs = ((performance.now() - evalStart) / (10_000 * sources.length)) * 1000;
    console.log(
      `  JSONata alone                compile ${compileUs.toFixed(1)} µs an expression (once a session), evaluate ${evalUs.toFixed(1)} µs an expression (per poll)`,
    );
  } finally {
    await mock.close();
  }
}
