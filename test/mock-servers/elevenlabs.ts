import type { ConfigAccount } from '../../shared/config-file';
import { presetAccounts, sendJson, startMockServer, type MockServer } from './harness';

/**
 * A local ElevenLabs serving `GET /v1/user/subscription` as its API reference shows it
 * (elevenlabs.io/docs/api-reference/user/subscription/get): tier, character_count, character_limit,
 * voice slots, status, invoices, `next_character_count_reset_unix` (epoch seconds), currency,
 * billing_period. The key travels in `xi-api-key`. Errors are `{"detail": {"status", "message"}}`
 * (what ElevenLabs' own clients read); a key without the user_read permission, an unknown key,
 * and too many concurrent requests (429) are modelled.
 */

export const ELEVENLABS_KEYS = {
  creator: 'sk_3f9a1c7e5b2d8f0a4c6e1b3d5f7a9c2e4b6d8f0a1c3e5b7d',
  /** A trial whose character count has no scheduled reset: `next_character_count_reset_unix` is null. */
  trialNoReset: 'sk_8b2d4f6a0c1e3b5d7f9a2c4e6b8d0f1a3c5e7b9d2f4a6c8e',
  /** A scoped key without user_read. */
  noUserRead: 'sk_1e3c5a7f9b2d4e6c8a0f1b3d5e7c9a2f4b6d8e0a1c3f5b7d',
  busy: 'sk_5c7e9a1b3d5f7c9e2a4b6d8f0c1e3a5b7d9f2c4e6a8b0d1f',
} as const;
export const ELEVENLABS_UNKNOWN_KEY = 'sk_0000000000000000000000000000000000000000000000000';

/** 2027-01-01T00:00:00Z: the creator account's next reset. */
export const ELEVENLABS_NEXT_RESET_UNIX = 1798761600;

function subscription(key: string): Record<string, unknown> {
  const trial = key === ELEVENLABS_KEYS.trialNoReset;
  return {
    tier: trial ? 'free' : 'creator',
    character_count: trial ? 2048 : 12345,
    character_limit: trial ? 10000 : 100000,
    max_character_limit_extension: null,
    can_extend_character_limit: !trial,
    allowed_to_extend_character_limit: !trial,
    voice_slots_used: 3,
    professional_voice_slots_used: 0,
    voice_limit: trial ? 3 : 30,
    voice_add_edit_counter: 2,
    professional_voice_limit: trial ? 0 : 1,
    can_extend_voice_limit: false,
    can_use_instant_voice_cloning: !trial,
    can_use_professional_voice_cloning: !trial,
    currency: 'usd',
    status: trial ? 'trialing' : 'active',
    billing_period: 'monthly_period',
    character_refresh_period: 'monthly_period',
    next_character_count_reset_unix: trial ? null : ELEVENLABS_NEXT_RESET_UNIX,
    has_open_invoices: false,
    open_invoices: [],
  };
}

export interface ElevenLabsMock extends MockServer {
  /** Replaces the subscription answer for every known key; null restores. */
  setSubscription(body: Record<string, unknown> | null): void;
  reset(): void;
}

export async function startElevenLabsMock(): Promise<ElevenLabsMock> {
  let override: Record<string, unknown> | null = null;
  const server = await startMockServer((request, res) => {
    const fail = (status: number, code: string, message: string): void => {
      sendJson(res, status, { detail: { status: code, message } });
    };
    if (request.method !== 'GET' || request.path !== '/v1/user/subscription') {
      sendJson(res, 404, { detail: 'Not Found' });
      return;
    }
    const header = request.headers['xi-api-key'];
    const key = typeof header === 'string' ? header : undefined;
    if (!key || !(Object.values(ELEVENLABS_KEYS) as string[]).includes(key)) {
      fail(401, 'invalid_api_key', 'Invalid API key');
      return;
    }
    if (key === ELEVENLABS_KEYS.noUserRead) {
      fail(
        401,
        'missing_permissions',
        'The API key you used is missing the permission user_read to execute this operation.',
      );
      return;
    }
    if (key === ELEVENLABS_KEYS.busy) {
      fail(429, 'too_many_concurrent_requests', 'Too many concurrent requests; please try again shortly.');
      return;
    }
    sendJson(res, 200, override ?? subscription(key));
  });
  return {
    ...server,
    setSubscription(body) {
      override = body;
    },
    reset() {
      override = null;
    },
  };
}

export function elevenLabsMockAccounts(baseUrl: string): ConfigAccount[] {
  const url = `${baseUrl.replace(/\/+$/, '')}/v1/user/subscription`;
  const account = presetAccounts('elevenlabs', url);
  return [
    account('elevenlabs-creator', 'ElevenLabs mock · Creator plan', { apiKey: ELEVENLABS_KEYS.creator }),
    account('elevenlabs-trial', 'ElevenLabs mock · trial without a reset date', {
      apiKey: ELEVENLABS_KEYS.trialNoReset,
    }),
    account('elevenlabs-wrong-key', 'ElevenLabs mock · wrong key', { apiKey: ELEVENLABS_UNKNOWN_KEY }),
    account('elevenlabs-no-user-read', 'ElevenLabs mock · key without user_read', {
      apiKey: ELEVENLABS_KEYS.noUserRead,
    }),
    account('elevenlabs-busy', 'ElevenLabs mock · too many requests (429)', { apiKey: ELEVENLABS_KEYS.busy }),
  ];
}
