import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Metafile } from 'esbuild';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { buildCli } from '../../scripts/build-cli/build-cli';
import { snapshotSchema, type Snapshot } from '../../shared/snapshot';
import {
  AWS_BUDGETS,
  AWS_KEYS,
  AWS_MOCK_ACCOUNT_ID,
  AWS_UNKNOWN_KEY,
  startAwsBudgetsMock,
  type AwsBudgetsMock,
} from '../mock-servers/aws-budgets';
import { runCliCaptured } from '../support/run-cli';

/**
 * `headroom check --json` with AWS Budgets accounts, as the README writes them: a key in the config
 * (from environment variables, or as text), and no key at all, so the standard AWS chain finds one.
 * In-process runs read `process.env` for the chain (stubbed here); the compiled CLI gets its own
 * environment, so it shows the SDK works from the bundle and is not loaded by a check without AWS.
 */

let dir: string;
let mock: AwsBudgetsMock;
let awsFiles: Record<string, string>;

/** What keeps the SDK off the instance metadata service and this machine's own AWS files. */
function isolatedAwsEnv(): Record<string, string> {
  return { AWS_EC2_METADATA_DISABLED: 'true', ...awsFiles };
}

const AWS_ENV = [
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'AWS_PROFILE',
  'AWS_DEFAULT_PROFILE',
  'AWS_REGION',
  'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI',
  'AWS_CONTAINER_CREDENTIALS_FULL_URI',
  'AWS_WEB_IDENTITY_TOKEN_FILE',
  'AWS_ENDPOINT_URL',
  'AWS_ENDPOINT_URL_BUDGETS',
];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'headroom-cli-aws-'));
  mock = await startAwsBudgetsMock();
  awsFiles = { AWS_CONFIG_FILE: join(dir, 'aws-config'), AWS_SHARED_CREDENTIALS_FILE: join(dir, 'aws-credentials') };
  await writeFile(awsFiles.AWS_CONFIG_FILE ?? '', '');
  await writeFile(awsFiles.AWS_SHARED_CREDENTIALS_FILE ?? '', '');
});
afterAll(async () => {
  await mock.close();
  await rm(dir, { recursive: true, force: true });
});
beforeEach(() => {
  mock.requests.length = 0;
  for (const name of AWS_ENV) vi.stubEnv(name, undefined);
  for (const [name, value] of Object.entries(isolatedAwsEnv())) vi.stubEnv(name, value);
});
afterEach(() => {
  vi.unstubAllEnvs();
});

function budgetAccount(id: string, budgetName: string, secrets?: Record<string, unknown>) {
  return {
    id,
    provider: 'aws-budgets',
    label: `AWS ${id}`,
    config: { accountId: AWS_MOCK_ACCOUNT_ID, budgetName, endpoint: mock.url },
    ...(secrets ? { secrets } : {}),
  };
}

async function configFile(name: string, accounts: unknown[]): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, JSON.stringify({ timeoutSeconds: 5, accounts }, null, 2));
  return path;
}

function snapshotsOf(stdout: string): Snapshot[] {
  return z.array(snapshotSchema).parse(JSON.parse(stdout));
}

const KEY_FROM_ENV = {
  accessKeyId: { env: 'BILLING_AWS_KEY_ID' },
  secretAccessKey: { env: 'BILLING_AWS_SECRET' },
};
const KEY_ENV = {
  BILLING_AWS_KEY_ID: AWS_KEYS.valid.accessKeyId,
  BILLING_AWS_SECRET: AWS_KEYS.valid.secretAccessKey,
};

describe('headroom check --json with AWS Budgets accounts', () => {
  it('reads actual and forecasted spend with keys from the config, from variables and as text', async () => {
    const path = await configFile('keys.json', [
      budgetAccount('monthly', AWS_BUDGETS.monthly, KEY_FROM_ENV),
      budgetAccount('quarterly', AWS_BUDGETS.quarterly, {
        accessKeyId: AWS_KEYS.temporary.accessKeyId,
        secretAccessKey: AWS_KEYS.temporary.secretAccessKey,
        sessionToken: AWS_KEYS.temporary.sessionToken,
      }),
    ]);
    const run = await runCliCaptured(['check', '--config', path, '--json'], { env: KEY_ENV });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const [monthly, quarterly] = snapshotsOf(run.stdout);
    expect(monthly?.status).toBe('ok');
    expect(monthly?.meters.map((meter) => [meter.id, meter.unit, meter.currency, meter.used, meter.limit])).toEqual([
      ['actualSpend', 'money', 'USD', 123.456, 500],
      ['forecastedSpend', 'money', 'USD', 410.2, 500],
    ]);
    expect(quarterly?.status).toBe('ok');
    expect(quarterly?.meters[1]).toMatchObject({
      id: 'forecastedSpend',
      used: 3300.75,
      remaining: 0,
      level: 'critical',
    });
    expect(mock.requests.map((request) => request.headers.authorization?.split('/')[0])).toEqual([
      `AWS4-HMAC-SHA256 Credential=${AWS_KEYS.valid.accessKeyId}`,
      `AWS4-HMAC-SHA256 Credential=${AWS_KEYS.temporary.accessKeyId}`,
    ]);
  });

  it('uses the standard AWS chain (here the environment) for an account without keys', async () => {
    vi.stubEnv('AWS_ACCESS_KEY_ID', AWS_KEYS.valid.accessKeyId);
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', AWS_KEYS.valid.secretAccessKey);
    const path = await configFile('chain.json', [budgetAccount('chain', AWS_BUDGETS.planned)]);
    const run = await runCliCaptured(['check', '--config', path, '--json']);
    expect(run.code).toBe(0);
    const [snapshot] = snapshotsOf(run.stdout);
    expect(snapshot?.meters.map((meter) => [meter.id, meter.used, meter.limit])).toEqual([
      ['actualSpend', 50, 200],
      ['forecastedSpend', 180, 200],
    ]);
  });

  it('exits 1 with a clear error per failing account, and no secret anywhere', async () => {
    const path = await configFile('failing.json', [
      budgetAccount('unknown-key', AWS_BUDGETS.monthly, {
        accessKeyId: AWS_UNKNOWN_KEY.accessKeyId,
        secretAccessKey: AWS_UNKNOWN_KEY.secretAccessKey,
      }),
      budgetAccount('denied', AWS_BUDGETS.monthly, {
        accessKeyId: AWS_KEYS.readOnly.accessKeyId,
        secretAccessKey: AWS_KEYS.readOnly.secretAccessKey,
      }),
      budgetAccount('missing', 'Deleted budget', KEY_FROM_ENV),
      budgetAccount('throttled', AWS_BUDGETS.throttled, KEY_FROM_ENV),
      budgetAccount('no-credentials', AWS_BUDGETS.monthly),
    ]);
    const run = await runCliCaptured(['check', '--config', path, '--json'], { env: KEY_ENV });
    expect(run.code).toBe(1);
    const snapshots = snapshotsOf(run.stdout);
    expect(snapshots.map((snapshot) => [snapshot.accountId, snapshot.error?.kind])).toEqual([
      ['unknown-key', 'auth'],
      ['denied', 'auth'],
      ['missing', 'config'],
      ['throttled', 'rate_limited'],
      ['no-credentials', 'auth'],
    ]);
    expect(snapshots[1]?.error?.message).toContain('budgets:ViewBudget');
    expect(snapshots[2]?.error?.message).toContain(`no budget 'Deleted budget' in AWS account ${AWS_MOCK_ACCOUNT_ID}`);
    for (const secret of [
      AWS_UNKNOWN_KEY.secretAccessKey,
      AWS_KEYS.readOnly.secretAccessKey,
      AWS_KEYS.valid.secretAccessKey,
    ]) {
      expect(run.stdout).not.toContain(secret);
      expect(run.stderr).not.toContain(secret);
    }
  });

  it('exits 2 on an account ID that is not 12 digits, naming the field', async () => {
    const path = await configFile('invalid.json', [
      { ...budgetAccount('bad', AWS_BUDGETS.monthly, KEY_FROM_ENV), config: { accountId: '1234', budgetName: 'x' } },
    ]);
    const run = await runCliCaptured(['check', '--config', path, '--json'], { env: KEY_ENV });
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('accounts[0].config.accountId');
  });
});

describe('the compiled CLI with AWS Budgets', () => {
  let outDir: string;
  let metafile: Metafile;

  beforeAll(async () => {
    outDir = join(dir, 'cli');
    metafile = await buildCli(outDir);
  }, 60_000);

  function runCompiled(
    argv: string[],
    options: { env?: NodeJS.ProcessEnv; nodeArgs?: string[] } = {},
  ): Promise<{ code: number; stdout: string; stderr: string }> {
    return new Promise((resolve) => {
      execFile(
        process.execPath,
        [...(options.nodeArgs ?? []), join(outDir, 'main.js'), ...argv],
        { env: { PATH: process.env.PATH, HOME: dir, ...isolatedAwsEnv(), ...options.env }, timeout: 30_000 },
        (error, stdout, stderr) => {
          resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr });
        },
      );
    });
  }

  /** The packages bundled into the given output files, by esbuild's metafile. */
  function packagesIn(outputs: readonly string[]): Set<string> {
    const packages = new Set<string>();
    for (const output of outputs) {
      for (const input of Object.keys(metafile.outputs[output]?.inputs ?? {})) {
        const match = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(input);
        if (match?.[1]) packages.add(match[1]);
      }
    }
    return packages;
  }

  it('checks a budget with credentials from its own environment (the chain), nothing on stderr', async () => {
    const path = await configFile('compiled.json', [budgetAccount('compiled', AWS_BUDGETS.monthly)]);
    const run = await runCompiled(['check', '--config', path, '--json'], {
      env: { AWS_ACCESS_KEY_ID: AWS_KEYS.valid.accessKeyId, AWS_SECRET_ACCESS_KEY: AWS_KEYS.valid.secretAccessKey },
    });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const [snapshot] = snapshotsOf(run.stdout);
    expect(snapshot?.meters.map((meter) => [meter.id, meter.used, meter.limit])).toEqual([
      ['actualSpend', 123.456, 500],
      ['forecastedSpend', 410.2, 500],
    ]);
  });

  it('loads the SDK only for an AWS account: a plain check leaves it out', async () => {
    const hooks = join(dir, 'hooks.mjs');
    const register = join(dir, 'register.mjs');
    const loaded = join(dir, 'loaded.txt');
    await writeFile(
      hooks,
      `import { appendFileSync } from 'node:fs';
export async function load(url, context, next) {
  appendFileSync(process.env.HEADROOM_LOADED, url + '\\n');
  return next(url, context);
}`,
    );
    await writeFile(
      register,
      `import { register } from 'node:module';\nregister(${JSON.stringify(pathToFileURL(hooks).href)});\n`,
    );
    const loadedBy = async (argv: string[], env: NodeJS.ProcessEnv = {}): Promise<Set<string>> => {
      await writeFile(loaded, '');
      const run = await runCompiled(argv, {
        nodeArgs: ['--import', pathToFileURL(register).href],
        env: { HEADROOM_LOADED: loaded, ...env },
      });
      expect(run.code).toBe(0);
      const files = (await readFile(loaded, 'utf8'))
        .split('\n')
        .filter((url) => url.startsWith('file:'))
        .map((url) => relative(process.cwd(), fileURLToPath(url)));
      return packagesIn(files.filter((file) => file.startsWith(relative(process.cwd(), outDir))));
    };

    const plain = await loadedBy(['check', '--json']);
    expect(plain.has('zod')).toBe(true);
    expect([...plain].filter((name) => name.startsWith('@aws-sdk/') || name.startsWith('@smithy/'))).toEqual([]);

    const path = await configFile('loads.json', [budgetAccount('loads', AWS_BUDGETS.monthly, KEY_FROM_ENV)]);
    const aws = await loadedBy(['check', '--config', path, '--json'], KEY_ENV);
    expect(aws).toContain('@aws-sdk/client-budgets');
  });
});
