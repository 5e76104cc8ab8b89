import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  IPC_INVOKE_CHANNELS,
  ipcErrorSchema,
  ipcInvokeContract,
  type IpcHandlers,
  type IpcInvokeChannel,
} from '../../../shared/ipc';
import { createIpcHandlers } from '../../../main/services/ipc/handlers';
import { fakePlatform, openFixture, type Fixture } from '../app-fixture';
import { mulberry32 } from '../../support/mulberry32';

/** Payloads per channel; with 22 channels about 6,600 calls, well under a second each. */
const PAYLOADS_PER_CHANNEL = 300;
const SEED = 0x5eed_1e55;

/** Requests that pass validation, to mutate: the fuzz then reaches the handlers' own code, not only the schemas. */
const VALID: { [C in IpcInvokeChannel]: unknown } = {
  'snapshots:get': undefined,
  'snapshots:refresh': { accountId: 'demo' },
  'members:get': { accountId: 'demo' },
  'providers:list': undefined,
  'accounts:list': undefined,
  'accounts:create': { account: { provider: 'demo', label: 'Fuzz', config: { scenario: 'tight' } }, secrets: {} },
  'accounts:update': { accountId: 'demo', patch: { label: 'Renamed' }, secrets: {} },
  'accounts:duplicate': { accountId: 'demo' },
  'accounts:delete': { accountId: 'demo-copy' },
  'accounts:set-secret': { accountId: 'demo', field: 'token', value: 'x' },
  'accounts:clear-secret': { accountId: 'demo', field: 'token' },
  'accounts:test-connection': { account: { provider: 'demo', label: 'Try', config: {} }, secrets: {} },
  'accounts:export': undefined,
  'accounts:import': { json: '{"accounts":[{"id":"imported","provider":"demo","label":"Imported"}]}' },
  'app:get-state': undefined,
  'app:update-preferences': { theme: 'dark' },
  'app:pause-notifications': { minutes: 5 },
  'app:snooze-account': { accountId: 'demo', minutes: 5 },
  'app:open-view': { view: 'dashboard', accountId: 'demo' },
  'app:open-external': { url: 'https://example.com/' },
  'history:query': { accountId: 'demo', resolution: 'raw' },
  'history:export-csv': { accountId: 'demo' },
};

const STRINGS = [
  '',
  'demo',
  '__proto__',
  'constructor',
  'prototype',
  'a'.repeat(10_000),
  '../../etc/passwd',
  'javascript:alert(1)',
  'http://127.0.0.1:1/',
  '\u0000',
  '😀',
  '2026-01-01T00:00:00Z',
  '{"accounts":',
  'null',
];
const NUMBERS = [
  0,
  -0,
  -1,
  1,
  1.5,
  Number.NaN,
  Number.POSITIVE_INFINITY,
  Number.NEGATIVE_INFINITY,
  Number.MAX_SAFE_INTEGER,
  1e308,
  10_081,
  2 ** 31,
];
const KEYS = [
  'accountId',
  'account',
  'patch',
  'secrets',
  'field',
  'value',
  'minutes',
  'view',
  'url',
  'json',
  'provider',
  'label',
  'config',
  'from',
  'to',
  '__proto__',
  'constructor',
  'x',
];

function randomValue(random: () => number, depth = 0): unknown {
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
  const kind = Math.floor(random() * (depth > 3 ? 6 : 9));
  switch (kind) {
    case 0:
      return undefined;
    case 1:
      return null;
    case 2:
      return random() < 0.5;
    case 3:
      return pick(NUMBERS);
    case 4:
      return pick(STRINGS);
    case 5:
      return String.fromCharCode(
        ...Array.from({ length: Math.floor(random() * 20) }, () => Math.floor(random() * 0xffff)),
      );
    case 6:
      return Array.from({ length: Math.floor(random() * 4) }, () => randomValue(random, depth + 1));
    default: {
      const out: Record<string, unknown> = {};
      for (let index = Math.floor(random() * 5); index > 0; index--)
        Object.defineProperty(out, pick(KEYS), {
          value: randomValue(random, depth + 1),
          enumerable: true,
          configurable: true,
          writable: true,
        });
      return out;
    }
  }
}

/** A valid request with one field replaced, removed or added. */
function mutate(valid: unknown, random: () => number): unknown {
  if (typeof valid !== 'object' || valid === null || random() < 0.2) return randomValue(random);
  const copy: Record<string, unknown> = structuredClone(valid) as Record<string, unknown>;
  const keys = Object.keys(copy);
  const key = keys[Math.floor(random() * keys.length)] ?? 'x';
  const roll = random();
  if (roll < 0.4) copy[key] = randomValue(random);
  else if (roll < 0.6) {
    const { [key]: _dropped, ...rest } = copy;
    return rest;
  } else if (roll < 0.8) copy[KEYS[Math.floor(random() * KEYS.length)] ?? 'x'] = randomValue(random);
  else {
    const inner = copy[key];
    copy[key] = typeof inner === 'object' && inner !== null ? mutate(inner, random) : randomValue(random);
  }
  return copy;
}

let f: Fixture;
let handlers: IpcHandlers;

beforeAll(async () => {
  f = await openFixture();
  // Polling is not started: a fuzzed account is saved but never checked, so nothing leaves this machine.
  handlers = createIpcHandlers(f.services, fakePlatform(join(f.dir, 'fuzz.csv')));
  await f.services.accounts.create({ account: { id: 'demo', provider: 'demo', label: 'Demo' } });
});
afterAll(async () => {
  await f.close();
});

describe('IPC fuzz', () => {
  it.each(IPC_INVOKE_CHANNELS)('%s answers every random payload with a result, never a throw', async (channel) => {
    const random = mulberry32(SEED ^ channel.length ^ channel.charCodeAt(channel.length - 1));
    const counts = { ok: 0, invalid: 0, other: 0 };
    for (let index = 0; index < PAYLOADS_PER_CHANNEL; index++) {
      const payload = index % 2 === 0 ? randomValue(random) : mutate(VALID[channel], random);
      let result: unknown;
      try {
        result = await handlers[channel](payload);
      } catch (error) {
        throw new Error(`${channel} threw on payload #${index} (seed ${SEED}): ${String(error)}`, { cause: error });
      }
      const reply = ipcInvokeContract[channel].reply;
      const shape =
        (result as { ok?: unknown }).ok === true
          ? reply.safeParse((result as { value: unknown }).value)
          : ipcErrorSchema.safeParse((result as { error: unknown }).error);
      expect(shape.success, `${channel} payload #${index}: ${JSON.stringify(result).slice(0, 300)}`).toBe(true);
      if ((result as { ok: boolean }).ok) counts.ok++;
      else if ((result as { error: { code: string } }).error.code === 'invalid_request') counts.invalid++;
      else counts.other++;
    }
    // Both sides were reached: the fuzz got past validation sometimes (except where no payload can be valid by chance).
    expect(counts.invalid).toBeGreaterThan(0);
    expect(counts.ok + counts.invalid + counts.other).toBe(PAYLOADS_PER_CHANNEL);
  });

  it('left the services working', async () => {
    const list = await handlers['accounts:list'](undefined);
    expect(list.ok).toBe(true);
    expect(f.logs.filter((entry) => entry.level === 'error')).toEqual([]);
  });
});
