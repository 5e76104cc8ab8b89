import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { snapshotSchema } from '../../shared/snapshot';
import { DEEPSEEK_KEYS, startDeepSeekMock, type DeepSeekMock } from '../mock-servers/deepseek';
import { STRIPE_KEYS, startStripeMock, type StripeMock } from '../mock-servers/stripe';
import { runCliCaptured } from '../support/run-cli';

/**
 * A config file with DeepSeek and Stripe accounts against their mocks, the keys from the environment as
 * the README shows it, checked with `check --config … --json` and as a table.
 */

let dir: string;
let deepseek: DeepSeekMock;
let stripe: StripeMock;
let path: string;

const env = {
  DEEPSEEK_API_KEY: DEEPSEEK_KEYS.healthy,
  DEEPSEEK_EMPTY_KEY: DEEPSEEK_KEYS.unavailable,
  DEEPSEEK_WRONG_KEY: DEEPSEEK_KEYS.invalid,
  STRIPE_SECRET_KEY: STRIPE_KEYS.live,
  STRIPE_RESTRICTED_KEY: STRIPE_KEYS.restrictedWithoutBalance,
};

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'headroom-cli-balances-'));
  [deepseek, stripe] = await Promise.all([startDeepSeekMock(), startStripeMock()]);
  const account = (id: string, label: string, provider: string, baseUrl: string, secret: [string, string]) => ({
    id,
    provider,
    label,
    config: { baseUrl },
    secrets: { [secret[0]]: { env: secret[1] } },
    rules: { warning: { remaining: 50 }, critical: { remaining: 5 } },
  });
  const config = {
    accounts: [
      account('llm', 'LLM budget', 'deepseek', deepseek.url, ['apiKey', 'DEEPSEEK_API_KEY']),
      account('llm-empty', 'LLM spare', 'deepseek', deepseek.url, ['apiKey', 'DEEPSEEK_EMPTY_KEY']),
      account('shop', 'Web shop', 'stripe', stripe.url, ['secretKey', 'STRIPE_SECRET_KEY']),
    ],
  };
  path = join(dir, 'balances.json');
  await writeFile(path, JSON.stringify(config, null, 2));
  const failing = {
    accounts: [
      account('llm-typo', 'LLM typo', 'deepseek', deepseek.url, ['apiKey', 'DEEPSEEK_WRONG_KEY']),
      account('shop-rak', 'Shop reports', 'stripe', stripe.url, ['secretKey', 'STRIPE_RESTRICTED_KEY']),
    ],
  };
  await writeFile(join(dir, 'failing.json'), JSON.stringify(failing, null, 2));
});

afterAll(async () => {
  await Promise.all([deepseek.close(), stripe.close()]);
  await rm(dir, { recursive: true, force: true });
});

describe('check --config with DeepSeek and Stripe accounts', () => {
  it('prints a money meter per currency for each, all ok', async () => {
    const run = await runCliCaptured(['check', '--config', path, '--json'], { env });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const snapshots = z.array(snapshotSchema).parse(JSON.parse(run.stdout));
    expect(snapshots.map((snapshot) => [snapshot.accountId, snapshot.provider, snapshot.status])).toEqual([
      ['llm', 'deepseek', 'ok'],
      ['llm-empty', 'deepseek', 'ok'],
      ['shop', 'stripe', 'ok'],
    ]);
    const meters = Object.fromEntries(snapshots.map((snapshot) => [snapshot.accountId, snapshot.meters]));
    expect(meters.llm).toMatchObject([
      { id: 'balance-cny', unit: 'money', currency: 'CNY', remaining: 110, limit: null, level: 'ok' },
      { id: 'balance-usd', unit: 'money', currency: 'USD', remaining: 4.25, limit: null, level: 'critical' },
    ]);
    expect(meters['llm-empty']).toMatchObject([{ id: 'balance-cny', remaining: 0, level: 'critical' }]);
    expect(meters['llm-empty']?.[0]?.note).toContain('cannot pay for API calls');
    expect(meters.shop).toMatchObject([
      { id: 'available-usd', currency: 'USD', remaining: 6666.7, level: 'ok' },
      { id: 'available-jpy', currency: 'JPY', remaining: 12000, level: 'ok' },
      { id: 'available-kwd', currency: 'KWD', remaining: 5.124, level: 'warning' },
      { id: 'available-eur', currency: 'EUR', remaining: -12.5, level: 'critical' },
    ]);
    for (const secret of Object.values(env)) expect(run.stdout).not.toContain(secret);
  });

  it('prints the balances in their currencies as a table', async () => {
    const run = await runCliCaptured(['check', '--config', path], { env });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/Balance \(CNY\)\s+CN¥110\.00/);
    expect(run.stdout).toMatch(/Available balance \(JPY\)\s+¥12,000/);
    expect(run.stdout).toMatch(/Available balance \(KWD\)\s+KWD\s?5\.124/);
    expect(run.stdout).toMatch(/Available balance \(EUR\)\s+-€12\.50/);
  });

  it('exits 1 with clear errors for a wrong DeepSeek key and a Stripe key without Balance', async () => {
    const run = await runCliCaptured(['check', '--config', join(dir, 'failing.json'), '--json'], { env });
    expect(run.code).toBe(1);
    const snapshots = z.array(snapshotSchema).parse(JSON.parse(run.stdout));
    expect(snapshots.map((snapshot) => [snapshot.accountId, snapshot.status, snapshot.error?.kind])).toEqual([
      ['llm-typo', 'error', 'auth'],
      ['shop-rak', 'error', 'auth'],
    ]);
    expect(snapshots[0]?.error?.message).toContain("DeepSeek does not accept the API key of 'LLM typo'");
    expect(snapshots[1]?.error?.message).toContain("Stripe does not let the key of 'Shop reports' read the balance");
    for (const secret of Object.values(env)) expect(run.stdout).not.toContain(secret);
  });
});
