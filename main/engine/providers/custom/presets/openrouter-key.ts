import type { Preset } from './preset';

const OPENROUTER_KEY_URL = 'https://openrouter.ai/api/v1/key';

/**
 * OpenRouter, one API key: `GET /api/v1/key` answers `{ "data": { "limit": number | null,
 * "limit_remaining": number | null, "limit_reset": "daily" | "weekly" | "monthly" | null, "usage": …,
 * … } }` (openrouter.ai/docs/api-reference/limits). A null limit means the key has no credit cap;
 * a null `limit_reset` means the cap never resets. Weeks are UTC weeks starting on Monday.
 * Credits are US dollars.
 */
export const openRouterKeyPreset: Preset = {
  id: 'openrouter-key',
  name: 'OpenRouter',
  title: 'OpenRouter: one API key',
  summary: "What is left of one API key's credit limit, and when the limit resets.",
  docsUrl: 'https://openrouter.ai/docs/api-reference/limits',
  keysUrl: 'https://openrouter.ai/settings/keys',
  secrets: [
    { key: 'apiKey', label: 'API key', help: 'The key to watch (sk-or-v1-…), from OpenRouter Settings → API Keys.' },
  ],
  fields: [
    {
      key: 'url',
      label: 'API address',
      help: 'Another address only for a proxy or a test server.',
      choices: [{ label: 'openrouter.ai', value: OPENROUTER_KEY_URL }],
    },
  ],
  endpoint: {
    service: 'OpenRouter',
    url: OPENROUTER_KEY_URL,
    headers: { Authorization: 'Bearer {{secret:apiKey}}', Accept: 'application/json' },
    meters: [
      {
        id: 'key-limit',
        label: 'Key credit limit',
        unit: 'money',
        currency: "'USD'",
        limit: 'data.limit',
        remaining: 'data.limit_remaining',
        unlimited: 'data.limit = null',
        resetsAt: '$startOfNext(data.limit_reset)',
      },
    ],
    usageCallCountsAgainstQuota: false,
    minIntervalMinutes: 5,
  },
};
