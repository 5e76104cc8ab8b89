import type { ConfigAccount } from '../../shared/config-file';
import { presetAccounts, sendJson, sendText, startMockServer, type MockServer } from './harness';

/**
 * A local DeepL API serving `GET /v2/usage` as developers.deepl.com documents it ("Usage and
 * limits": `{"character_count": 180118, "character_limit": 1250000}`; "Error handling": 429 too
 * many requests, 456 quota exceeded, 500). The key travels in `Authorization: DeepL-Auth-Key …`.
 * Free keys end in ":fx" and only work on api-free.deepl.com: one mock plays one host, and a key
 * of the other plan gets DeepL's 403 `{"message":"Wrong endpoint. Use https://…"}` (as DeepL's
 * client libraries quote it in their issue trackers). An unknown key gets a bare 403.
 */

export type DeeplHost = 'pro' | 'free';

export const DEEPL_KEYS = {
  pro: '5b1f3c6e-8d3a-4e21-9a0b-6f2d4c8e1a77',
  free: '0c9e4b2a-7f61-4d38-b5e0-3a8d9c1f2e44:fx',
  /** A free key whose 500,000 characters are all used. */
  freeExhausted: '7d2a9e4c-1b83-4f5a-8c6d-2e9f0a3b5c11:fx',
  /** Answered with 429 (DeepL documents no Retry-After for it). */
  proBusy: '3e8c1a5f-9d24-4b7e-a063-5f1e7d2c9b88',
} as const;
export const DEEPL_UNKNOWN_KEY = 'ffffffff-ffff-4fff-bfff-ffffffffffff';

export interface DeeplUsage {
  character_count: number;
  character_limit: number;
}

export const DEEPL_DEFAULT_USAGE: Record<DeeplHost, DeeplUsage> = {
  pro: { character_count: 180118, character_limit: 1250000 },
  free: { character_count: 12500, character_limit: 500000 },
};

export interface DeeplMock extends MockServer {
  host: DeeplHost;
  setUsage(usage: DeeplUsage): void;
  reset(): void;
}

export async function startDeeplMock(host: DeeplHost = 'pro'): Promise<DeeplMock> {
  let usage: DeeplUsage = { ...DEEPL_DEFAULT_USAGE[host] };
  const server = await startMockServer((request, res) => {
    if (request.path !== '/v2/usage') {
      sendJson(res, 404, { message: 'Not found' });
      return;
    }
    if (request.method !== 'GET' && request.method !== 'POST') {
      sendText(res, 405, 'text/plain', '');
      return;
    }
    const key = /^DeepL-Auth-Key (.+)$/.exec(request.headers.authorization ?? '')?.[1];
    const known: string[] = Object.values(DEEPL_KEYS);
    if (!key || !known.includes(key)) {
      sendText(res, 403, 'text/plain', '');
      return;
    }
    const isFree = key.endsWith(':fx');
    if (isFree && host === 'pro') {
      sendJson(res, 403, { message: 'Wrong endpoint. Use https://api-free.deepl.com' });
      return;
    }
    if (!isFree && host === 'free') {
      sendJson(res, 403, { message: 'Wrong endpoint. Use https://api.deepl.com' });
      return;
    }
    if (key === DEEPL_KEYS.proBusy) {
      sendJson(res, 429, { message: 'Too many requests' });
      return;
    }
    if (key === DEEPL_KEYS.freeExhausted) {
      sendJson(res, 200, { character_count: 500000, character_limit: 500000 });
      return;
    }
    sendJson(res, 200, usage);
  });
  return {
    ...server,
    host,
    setUsage(next) {
      usage = { ...next };
    },
    reset() {
      usage = { ...DEEPL_DEFAULT_USAGE[host] };
    },
  };
}

/**
 * Try-it accounts: the preset on both hosts, a used-up free key, a wrong key, a busy key, and one described by hand.
 */
export function deeplMockAccounts(proUrl: string, freeUrl: string): ConfigAccount[] {
  const pro = `${proUrl.replace(/\/+$/, '')}/v2/usage`;
  const free = `${freeUrl.replace(/\/+$/, '')}/v2/usage`;
  const onPro = presetAccounts('deepl', pro);
  const onFree = presetAccounts('deepl', free);
  return [
    onPro('deepl-pro', 'DeepL mock · Pro (preset)', { authKey: DEEPL_KEYS.pro }),
    onFree('deepl-free', 'DeepL mock · Free (preset)', { authKey: DEEPL_KEYS.free }),
    onFree('deepl-free-used-up', 'DeepL mock · Free, all characters used', { authKey: DEEPL_KEYS.freeExhausted }),
    onPro('deepl-free-key-on-pro-host', 'DeepL mock · Free key on the Pro host', { authKey: DEEPL_KEYS.free }),
    onPro('deepl-wrong-key', 'DeepL mock · wrong key', { authKey: DEEPL_UNKNOWN_KEY }),
    onPro('deepl-busy', 'DeepL mock · too many requests (429)', { authKey: DEEPL_KEYS.proBusy }),
    {
      id: 'custom-described',
      provider: 'custom',
      label: 'Described by hand · DeepL Free usage',
      config: {
        service: 'DeepL',
        url: free,
        headers: { Authorization: 'DeepL-Auth-Key {{secret:key}}' },
        secrets: ['key'],
        meters: [
          {
            id: 'characters',
            label: 'Characters',
            unit: 'characters',
            used: 'character_count',
            remaining: 'character_limit - character_count',
          },
        ],
      },
      secrets: { key: DEEPL_KEYS.free },
      enabled: true,
    },
  ];
}
