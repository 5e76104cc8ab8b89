import type { Preset } from './preset';

const OPENROUTER_CREDITS_URL = 'https://openrouter.ai/api/v1/credits';

/**
 * OpenRouter, the whole account: `GET /api/v1/credits` answers `{ "data": { "total_credits": 100.5,
 * "total_usage": 25.75 } }`, credits purchased and used (openrouter.ai/docs, "Get remaining
 * credits"). It needs a management key, not an ordinary API key. Credits are US dollars.
 */
export const openRouterCreditsPreset: Preset = {
  id: 'openrouter-credits',
  name: 'OpenRouter',
  title: 'OpenRouter: account credits',
  summary: 'Credits left on the account: purchased minus used.',
  docsUrl: 'https://openrouter.ai/docs/api-reference/credits/get-credits',
  keysUrl: 'https://openrouter.ai/settings/management-keys',
  secrets: [
    {
      key: 'managementKey',
      label: 'Management key',
      help: 'A management key (Settings → Management Keys); ordinary API keys are refused here.',
    },
  ],
  fields: [
    {
      key: 'url',
      label: 'API address',
      help: 'Another address only for a proxy or a test server.',
      choices: [{ label: 'openrouter.ai', value: OPENROUTER_CREDITS_URL }],
    },
  ],
  suggestedRules: { warning: { remaining: 10 }, critical: { remaining: 2 } },
  endpoint: {
    service: 'OpenRouter',
    url: OPENROUTER_CREDITS_URL,
    headers: { Authorization: 'Bearer {{secret:managementKey}}', Accept: 'application/json' },
    meters: [
      {
        id: 'credits',
        label: 'Account credits',
        unit: 'money',
        currency: "'USD'",
        used: 'data.total_usage',
        limit: 'data.total_credits',
      },
    ],
    usageCallCountsAgainstQuota: false,
    minIntervalMinutes: 5,
  },
};
