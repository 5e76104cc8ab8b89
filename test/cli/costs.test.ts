import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { snapshotSchema } from '../../shared/snapshot';
import { ANTHROPIC_MOCK_KEYS, startAnthropicMock, type AnthropicMock } from '../mock-servers/anthropic';
import { OPENAI_MOCK_KEYS, startOpenAiMock, type OpenAiMock } from '../mock-servers/openai';
import { runCliCaptured } from '../support/run-cli';

/**
 * A config file with OpenAI and Anthropic cost accounts against their mocks, the Admin keys from the
 * environment as the README shows it, checked with `check --config … --json` on a fixed day.
 */

const NOW = new Date('2026-11-17T15:30:00Z');

let dir: string;
let openai: OpenAiMock;
let anthropic: AnthropicMock;
let path: string;
let failingPath: string;

const env = {
  OPENAI_ADMIN_KEY: OPENAI_MOCK_KEYS.admin,
  OPENAI_PROJECT_KEY: OPENAI_MOCK_KEYS.project,
  ANTHROPIC_ADMIN_KEY: ANTHROPIC_MOCK_KEYS.admin,
  ANTHROPIC_STANDARD_KEY: ANTHROPIC_MOCK_KEYS.standard,
};

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'headroom-cli-costs-'));
  [openai, anthropic] = await Promise.all([
    startOpenAiMock({ now: () => NOW }),
    startAnthropicMock({ now: () => NOW }),
  ]);
  // 17 days so far: OpenAI $20.00 a day, Anthropic 1500.5 cents ($15.005) a day.
  for (let day = 1; day <= 17; day += 1) {
    const date = `2026-11-${String(day).padStart(2, '0')}`;
    openai.setCosts({ [date]: [{ cents: 1500 }, { cents: 500 }] });
    anthropic.setCosts({ [date]: [{ cents: '1000.25' }, { cents: '500.25' }] });
  }
  const account = (id: string, label: string, provider: string, config: Record<string, unknown>, keyEnv: string) => ({
    id,
    provider,
    label,
    config,
    secrets: { adminKey: { env: keyEnv } },
  });
  const config = {
    accounts: [
      account('gpt', 'OpenAI org', 'openai', { baseUrl: `${openai.url}/v1`, monthlyBudget: 500 }, 'OPENAI_ADMIN_KEY'),
      account('gpt-open', 'OpenAI no budget', 'openai', { baseUrl: `${openai.url}/v1` }, 'OPENAI_ADMIN_KEY'),
      account(
        'claude',
        'Claude org',
        'anthropic',
        { baseUrl: anthropic.url, monthlyBudget: 300 },
        'ANTHROPIC_ADMIN_KEY',
      ),
    ],
  };
  path = join(dir, 'costs.json');
  await writeFile(path, JSON.stringify(config, null, 2));
  const failing = {
    accounts: [
      account('gpt-proj', 'OpenAI project key', 'openai', { baseUrl: `${openai.url}/v1` }, 'OPENAI_PROJECT_KEY'),
      account('claude-std', 'Claude standard key', 'anthropic', { baseUrl: anthropic.url }, 'ANTHROPIC_STANDARD_KEY'),
    ],
  };
  failingPath = join(dir, 'failing.json');
  await writeFile(failingPath, JSON.stringify(failing, null, 2));
});

afterAll(async () => {
  await Promise.all([openai.close(), anthropic.close()]);
  await rm(dir, { recursive: true, force: true });
});

describe('check --config with OpenAI and Anthropic cost accounts', () => {
  it('reads the month’s spend against each budget, all ok', async () => {
    const run = await runCliCaptured(['check', '--config', path, '--json'], { env, now: NOW });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const snapshots = z.array(snapshotSchema).parse(JSON.parse(run.stdout));
    expect(snapshots.map((snapshot) => [snapshot.accountId, snapshot.provider, snapshot.status])).toEqual([
      ['gpt', 'openai', 'ok'],
      ['gpt-open', 'openai', 'ok'],
      ['claude', 'anthropic', 'ok'],
    ]);
    const meters = Object.fromEntries(snapshots.map((snapshot) => [snapshot.accountId, snapshot.meters]));
    const month = { unit: 'money', currency: 'USD', unlimited: false, resetsAt: '2026-12-01T00:00:00.000Z' };
    expect(meters.gpt).toMatchObject([{ id: 'spend', ...month, used: 340, limit: 500, remaining: 160, level: 'ok' }]);
    expect(meters['gpt-open']).toMatchObject([{ id: 'spend', ...month, used: 340, limit: null, remaining: null }]);
    // $255.085 of $300: 15 % left, below the default warning at 20 %.
    expect(meters.claude).toMatchObject([
      { id: 'spend', ...month, used: 255.085, limit: 300, remaining: 44.915, level: 'warning' },
    ]);
    for (const secret of Object.values(env)) expect(run.stdout).not.toContain(secret);
  });

  it('prints them as a table with the amounts in dollars', async () => {
    const run = await runCliCaptured(['check', '--config', path], { env, now: NOW });
    expect(run.code).toBe(0);
    const line = (label: string): string =>
      run.stdout.split('\n').find((row) => row.startsWith(label)) ?? `(no line for ${label})`;
    expect(line('OpenAI org')).toMatch(/Spend this month\s+\$160\.00 \(32 %\)\s+\$340\.00 \/ \$500\.00\s+ok/);
    expect(line('Claude org')).toMatch(/Spend this month\s+\$44\.9\d \(15 %\)\s+\$255\.0\d \/ \$300\.00\s+warning/);
  });

  it('fails with a clear auth error for keys that are not Admin keys, exit 1', async () => {
    const run = await runCliCaptured(['check', '--config', failingPath, '--json'], { env, now: NOW });
    expect(run.code).toBe(1);
    const snapshots = z.array(snapshotSchema).parse(JSON.parse(run.stdout));
    expect(snapshots.map((snapshot) => [snapshot.accountId, snapshot.status, snapshot.error?.kind])).toEqual([
      ['gpt-proj', 'error', 'auth'],
      ['claude-std', 'error', 'auth'],
    ]);
    expect(snapshots[0]?.error?.message).toContain('Missing scopes: api.usage.read');
    expect(snapshots[1]?.error?.message).toContain('does not start with "sk-ant-admin"');
    for (const secret of Object.values(env)) expect(run.stdout).not.toContain(secret);
  });
});
