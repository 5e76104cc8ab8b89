import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigFileError, loadConfigFile, parseConfig } from '../../../main/engine/config/config-file';
import { ProviderError } from '../../../main/engine/errors';

const FILE = 'accounts.json';

function config(accounts: unknown[], extra: Record<string, unknown> = {}): string {
  return JSON.stringify({ ...extra, accounts });
}

const gis = {
  id: 'gis',
  provider: 'arcgis',
  label: 'GIS org',
  config: { portalUrl: 'https://www.arcgis.com', username: 'ann' },
  secrets: { password: { env: 'GIS_PASSWORD' } },
  rules: { warning: { percentRemaining: 20 }, critical: { remaining: 500 } },
};

function configError(text: string): string {
  try {
    parseConfig(text, FILE, {});
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigFileError);
    return (error as Error).message;
  }
  throw new Error('expected a ConfigFileError');
}

describe('config file', () => {
  it('loads the example of the design, with defaults filled in', () => {
    const loaded = parseConfig(config([gis]), FILE, {});
    expect(loaded.file.timeoutSeconds).toBe(20);
    expect(loaded.accounts).toEqual([
      { id: 'gis', provider: 'arcgis', label: 'GIS org', config: gis.config, rules: gis.rules, enabled: true },
    ]);
    expect(JSON.stringify(loaded.accounts)).not.toContain('GIS_PASSWORD');
  });

  it('reads secrets inline and from the environment at check time', async () => {
    const loaded = parseConfig(
      config([gis, { id: 'fx', provider: 'openexchangerates', label: 'FX', secrets: { appId: 'inline-id' } }]),
      FILE,
      { GIS_PASSWORD: 'from-env' },
    );
    const [first, second] = loaded.accounts;
    if (!first || !second) throw new Error('two accounts expected');
    await expect(loaded.readSecrets(first)).resolves.toEqual({ password: 'from-env' });
    await expect(loaded.readSecrets(second)).resolves.toEqual({ appId: 'inline-id' });
  });

  it('makes a missing environment variable a config failure of that account only', async () => {
    const loaded = parseConfig(config([gis]), FILE, {});
    const [account] = loaded.accounts;
    if (!account) throw new Error('one account expected');
    const error = await loaded.readSecrets(account).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ProviderError);
    expect((error as ProviderError).kind).toBe('config');
    expect((error as ProviderError).message).toBe(
      "The environment variable GIS_PASSWORD (the password of 'GIS org') is not set; set it, or write the secret in the config file.",
    );
  });

  it.each([
    ['not JSON', '{ accounts: [', /^accounts\.json: not valid JSON/],
    ['no accounts', '{}', /^accounts\.json: accounts: /],
    [
      'an unknown top-level key',
      config([], { timeout: 5 }),
      /^accounts\.json: \(top level\): Unrecognized key: "timeout"/,
    ],
    ['a bad timeout', config([], { timeoutSeconds: -1 }), /^accounts\.json: timeoutSeconds: /],
    [
      'an unknown provider',
      config([{ ...gis, provider: 'argis' }]),
      /^accounts\.json: accounts\[0\]\.provider: unknown provider "argis"; use one of arcgis, openexchangerates, insideview, spark, deepseek, stripe, openai, anthropic, aws-budgets, custom, demo\.$/,
    ],
    [
      'a bad provider setting',
      config([{ ...gis, config: { portalUrl: 'www.arcgis.com', username: 'ann' } }]),
      /^accounts\.json: accounts\[0\]\.config\.portalUrl: /,
    ],
    [
      'a misspelt provider setting',
      config([{ ...gis, config: { username: 'ann', creditbudget: 5 } }]),
      /^accounts\.json: accounts\[0\]\.config: Unrecognized key: "creditbudget"/,
    ],
    [
      'an unknown secret',
      config([{ ...gis, secrets: { pasword: 'x' } }]),
      /^accounts\.json: accounts\[0\]\.secrets\.pasword: unknown secret; arcgis takes password\.$/,
    ],
    [
      'a bad secret reference',
      config([{ ...gis, secrets: { password: { env: 'not a name' } } }]),
      /^accounts\.json: accounts\[0\]\.secrets\.password/,
    ],
    [
      'a bad rule',
      config([{ ...gis, rules: { warning: { percentRemaining: 120 } } }]),
      /^accounts\.json: accounts\[0\]\.rules\.warning/,
    ],
    ['a duplicate id', config([gis, gis]), /^accounts\.json: accounts\[1\]\.id: duplicate account id "gis"$/],
    ['a bad id', config([{ ...gis, id: 'has space' }]), /^accounts\.json: accounts\[0\]\.id: use letters, digits/],
  ])('names the file and the field for %s', (_case, text, message) => {
    expect(configError(text)).toMatch(message);
  });

  it('says when the file is missing', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'headroom-config-'));
    await expect(loadConfigFile(join(dir, 'nope.json'))).rejects.toThrow(/nope\.json: the file does not exist\./);
    const path = join(dir, 'ok.json');
    await writeFile(path, config([]));
    await expect(loadConfigFile(path)).resolves.toMatchObject({ accounts: [] });
  });
});
