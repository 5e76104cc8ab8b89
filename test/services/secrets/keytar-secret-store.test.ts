import { spawn } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import keytar from 'keytar';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keychainFailureMessage, keychainFix, secretsOf } from '../../../main/services/secrets/keychain-messages';
import { KeytarSecretStore } from '../../../main/services/secrets/keytar-secret-store';
import { SECRET_SERVICE_NAME, SecretStoreUnavailableError } from '../../../main/services/secrets/secret-store';
import { CHILD_SECRET, type ChildOutcome } from './keychain-child';
import { requireRealKeychain, uniqueAccountId } from './real-keychain';

const CHILD_SCRIPT = fileURLToPath(new URL('./keychain-child.ts', import.meta.url));
const REPO = fileURLToPath(new URL('../../../', import.meta.url));

const store = new KeytarSecretStore({ timeoutMs: 10_000 });
const accountId = uniqueAccountId('keytar-test');

beforeAll(requireRealKeychain);
afterAll(async () => {
  for (const field of await store.fields(accountId)) await store.delete(accountId, field);
});

describe('KeytarSecretStore against the real Secret Service', () => {
  it('files one entry per secret under the service "Headroom", named <accountId>/<field>', async () => {
    await store.set(accountId, 'password', 'correct horse battery staple');
    await expect(keytar.getPassword(SECRET_SERVICE_NAME, `${accountId}/password`)).resolves.toBe(
      'correct horse battery staple',
    );
    await expect(store.get(accountId, 'password')).resolves.toBe('correct horse battery staple');
  });

  it('replaces, clears, and answers undefined for a secret that is not set', async () => {
    await store.set(accountId, 'appId', 'first');
    await store.set(accountId, 'appId', 'second');
    await expect(store.get(accountId, 'appId')).resolves.toBe('second');
    await store.delete(accountId, 'appId');
    await expect(store.get(accountId, 'appId')).resolves.toBeUndefined();
    await expect(store.delete(accountId, 'appId')).resolves.toBeUndefined();
    await expect(store.get(uniqueAccountId('never-stored'), 'password')).resolves.toBeUndefined();
  });

  it('keeps values exactly: spaces, line breaks, non-ASCII, 4 KB', async () => {
    const values = ['  leading and trailing  ', 'line one\nline two', 'pässwörd-密码-🔑', 'x'.repeat(4096)];
    for (const [index, value] of values.entries()) {
      await store.set(accountId, `field${index}`, value);
      await expect(store.get(accountId, `field${index}`)).resolves.toBe(value);
    }
  });

  it("lists an account's field names, never values, and no other account's", async () => {
    const other = uniqueAccountId('keytar-other');
    await store.set(other, 'token', 'other-value');
    const fields = await store.fields(accountId);
    expect(fields).toContain('password');
    expect(fields).not.toContain('token');
    expect(JSON.stringify(fields)).not.toContain('correct horse');
    await store.delete(other, 'token');
    await expect(store.fields(other)).resolves.toEqual([]);
  });

  it('checks that the keychain takes writes without leaving its probe behind', async () => {
    await expect(store.checkAvailable()).resolves.toBeUndefined();
    const entries = await keytar.findCredentials(SECRET_SERVICE_NAME);
    expect(entries.map((entry) => entry.account)).not.toContain('.availability-check');
  });

  it('answers a burst of concurrent reads, writes and probes correctly', async () => {
    // No cached availability: every missing secret makes the store write and remove its probe.
    const busy = new KeytarSecretStore({ timeoutMs: 10_000, availabilityTtlMs: 0 });
    const id = uniqueAccountId('keytar-burst');
    const indexes = Array.from({ length: 30 }, (_, index) => index);
    const calls = indexes.flatMap((index) => [
      busy.set(id, `f${index}`, `v${index}`),
      busy.get(id, `missing${index}`),
      busy.checkAvailable(),
    ]);
    await expect(Promise.all(calls)).resolves.toHaveLength(90);
    await expect(Promise.all(indexes.map((index) => busy.get(id, `f${index}`)))).resolves.toEqual(
      indexes.map((index) => `v${index}`),
    );
    await Promise.all(indexes.map((index) => busy.delete(id, `f${index}`)));
    await expect(busy.fields(id)).resolves.toEqual([]);
  });

  it('refuses to store an empty value', async () => {
    await expect(store.set(accountId, 'password', '')).rejects.toThrow(
      /empty password cannot be stored; clear it instead/,
    );
  });
});

describe('the messages a person reads when the keychain cannot be used', () => {
  it('say what failed, for which account, and what to do, per OS', () => {
    const error = new SecretStoreUnavailableError('no-service', 'no Secret Service running');
    expect(keychainFailureMessage(error, { action: 'read', what: secretsOf(['Password'], 'GIS org') }, 'linux')).toBe(
      "The system keychain is not available (no Secret Service running); Headroom cannot read the password of 'GIS org'. Install and unlock GNOME Keyring or KWallet, then try again.",
    );
    expect(
      keychainFailureMessage(
        error,
        { action: 'save', what: secretsOf(['Client ID', 'Client secret'], 'Sales') },
        'linux',
      ),
    ).toBe(
      "The system keychain is not available (no Secret Service running); Headroom could not save the client ID and client secret of 'Sales', and did not write it anywhere else. Install and unlock GNOME Keyring or KWallet, then try again.",
    );
    expect(keychainFix('locked', 'linux')).toMatch(/^Unlock your keyring/);
    expect(keychainFix('locked', 'darwin')).toBe('Unlock the login keychain in Keychain Access, then try again.');
    expect(keychainFix('no-service', 'win32')).toMatch(/Windows Credential Manager/);
  });
});

/** Runs the child script with a D-Bus setup of the test's choosing; bounded by `timeoutMs`. */
async function runChild(
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  timeoutMs = 30_000,
): Promise<{ outcomes: ChildOutcome[]; stdout: string; stderr: string; ms: number }> {
  const started = performance.now();
  const child = spawn(command, args, { cwd: REPO, env, stdio: ['ignore', 'pipe', 'pipe'], timeout: timeoutMs });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  if (code !== 0) throw new Error(`${command} ${args.join(' ')} exited with ${String(code)}: ${stderr}`);
  return { outcomes: JSON.parse(stdout) as ChildOutcome[], stdout, stderr, ms: performance.now() - started };
}

/** The environment minus every way to reach a session bus or a display. */
async function isolatedEnv(extra: NodeJS.ProcessEnv = {}): Promise<NodeJS.ProcessEnv> {
  const { DBUS_SESSION_BUS_ADDRESS: _bus, DISPLAY: _display, WAYLAND_DISPLAY: _wayland, ...rest } = process.env;
  return { ...rest, XDG_RUNTIME_DIR: await mkdtemp(join(tmpdir(), 'headroom-runtime-')), ...extra };
}

const NODE_CHILD = ['--import', 'tsx', CHILD_SCRIPT];

function expectUnavailable(outcomes: ChildOutcome[], problem: string, trouble: string, fix: string): void {
  const byName = new Map(outcomes.map((outcome) => [outcome.name, outcome]));
  for (const name of ['get', 'set', 'checkAvailable', 'delete']) {
    expect(byName.get(name), name).toMatchObject({
      ok: false,
      problem,
      message: `The system keychain is not available (${trouble}).`,
    });
  }
  expect(byName.get('readAccountSecrets')).toMatchObject({
    ok: false,
    kind: 'config',
    message: `The system keychain is not available (${trouble}); Headroom cannot read the password of 'GIS org'. ${fix}`,
  });
}

describe('no keychain to be had: a plain error, fast, and the secret written nowhere', () => {
  it('with a session bus address that leads nowhere', async () => {
    const env = await isolatedEnv({
      DBUS_SESSION_BUS_ADDRESS: `unix:path=${join(tmpdir(), 'headroom-no-such-bus', 'bus')}`,
    });
    const run = await runChild(process.execPath, NODE_CHILD, env);
    expectUnavailable(
      run.outcomes,
      'no-service',
      'no Secret Service running',
      'Install and unlock GNOME Keyring or KWallet, then try again.',
    );
    // Fails at once rather than waiting for the store's 8 s limit.
    for (const outcome of run.outcomes) expect(outcome.ms, outcome.name).toBeLessThan(8_000);
    expect(run.stdout + run.stderr).not.toContain(CHILD_SECRET);
  });

  it('with no session bus and no display to start one', async () => {
    const run = await runChild(process.execPath, NODE_CHILD, await isolatedEnv());
    expectUnavailable(
      run.outcomes,
      'no-service',
      'no Secret Service running',
      'Install and unlock GNOME Keyring or KWallet, then try again.',
    );
    expect(run.stdout + run.stderr).not.toContain(CHILD_SECRET);
  });

  it('with a session bus on which no Secret Service is provided', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'headroom-bus-'));
    const config = join(dir, 'session.conf');
    // A session bus with no service directories: nothing can be activated on it, gnome-keyring included.
    await writeFile(
      config,
      `<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN" "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig><type>session</type><listen>unix:tmpdir=${dir}</listen><auth>EXTERNAL</auth>
<policy context="default"><allow send_destination="*" eavesdrop="true"/><allow eavesdrop="true"/><allow own="*"/></policy></busconfig>\n`,
    );
    const run = await runChild(
      'dbus-run-session',
      [`--config-file=${config}`, '--', process.execPath, ...NODE_CHILD],
      await isolatedEnv(),
    );
    expectUnavailable(
      run.outcomes,
      'no-service',
      'no Secret Service running',
      'Install and unlock GNOME Keyring or KWallet, then try again.',
    );
    expect(run.stdout + run.stderr).not.toContain(CHILD_SECRET);
  });

  it('with a keyring that stays locked (unlocked with the wrong password)', async () => {
    const env = await isolatedEnv({ XDG_DATA_HOME: await mkdtemp(join(tmpdir(), 'headroom-keyrings-')) });
    const session = (password: string): string[] => [
      '--',
      'bash',
      '-c',
      'echo -n "$1" | gnome-keyring-daemon --unlock --components=secrets >/dev/null 2>&1; exec "$2" --import tsx "$3"',
      'session',
      password,
      process.execPath,
      CHILD_SCRIPT,
    ];
    // First session: the login keyring is created with one password, and works.
    const first = await runChild('dbus-run-session', session('the-right-one'), env);
    expect(first.outcomes.map((outcome) => [outcome.name, outcome.ok, outcome.value])).toEqual([
      ['get', true, 'not set'],
      ['set', true, null],
      ['checkAvailable', true, null],
      ['readAccountSecrets', true, ['password']],
      ['delete', true, null],
    ]);
    // Second session: the same keyring, "unlocked" with another password, stays locked.
    const second = await runChild('dbus-run-session', session('a-wrong-one'), env);
    expectUnavailable(
      second.outcomes,
      'locked',
      'it is locked and was not unlocked',
      'Unlock your keyring (GNOME Keyring or KWallet, for example with Seahorse), then try again.',
    );
    expect(first.stdout + first.stderr + second.stdout + second.stderr).not.toContain(CHILD_SECRET);
  }, 60_000);
});
