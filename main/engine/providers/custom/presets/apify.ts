import type { Preset } from './preset';

const APIFY_URL = 'https://api.apify.com/v2/users/me/limits';
const CYCLE_END = 'data.monthlyUsageCycle.endAt';

/**
 * Apify: `GET /v2/users/me/limits` with `Authorization: Bearer <token>` answers `{ "data": {
 * "monthlyUsageCycle": { "startAt", "endAt" }, "limits": { "maxMonthlyUsageUsd": 300,
 * "maxMonthlyActorComputeUnits": 1000, … }, "current": { "monthlyUsageUsd": 43,
 * "monthlyActorComputeUnits": 500.78, … } } }`, the figures of the Console's Limits page
 * (docs.apify.com/api/v2/users-me-limits-get; apify-docs' OpenAPI marks every one of them
 * required). The USD limit is the hard cap on the month's platform usage; both meters start
 * again when the cycle ends. Errors are `{"error": {"type", "message"}}`: 401 `token-not-valid`, 403
 * `access-denied`, 429 `rate-limit-exceeded`; the reference names no Retry-After header.
 */
export const apifyPreset: Preset = {
  id: 'apify',
  name: 'Apify',
  title: 'Apify',
  summary:
    'Platform usage this month in US dollars against the account’s limit, Actor compute units, and the cycle’s end.',
  docsUrl: 'https://docs.apify.com/api/v2/users-me-limits-get',
  keysUrl: 'https://console.apify.com/settings/integrations',
  secrets: [
    {
      key: 'token',
      label: 'API token',
      help: 'From Apify Console → Settings → API & Integrations. A token with limited permissions may be refused (HTTP 403).',
    },
  ],
  fields: [
    {
      key: 'url',
      label: 'API address',
      help: 'Another address only for a proxy or a test server.',
      choices: [{ label: 'api.apify.com', value: APIFY_URL }],
    },
  ],
  endpoint: {
    service: 'Apify',
    url: APIFY_URL,
    headers: { Authorization: 'Bearer {{secret:token}}', Accept: 'application/json' },
    meters: [
      {
        id: 'usage',
        label: 'Monthly usage',
        unit: 'money',
        currency: "'USD'",
        used: 'data.current.monthlyUsageUsd',
        limit: 'data.limits.maxMonthlyUsageUsd',
        resetsAt: CYCLE_END,
      },
      {
        id: 'compute-units',
        label: 'Actor compute units',
        unit: 'credits',
        used: 'data.current.monthlyActorComputeUnits',
        // The reference shows no plan without this limit; a null one would read as "no limit", not 0.
        limit: 'data.limits.maxMonthlyActorComputeUnits',
        resetsAt: CYCLE_END,
      },
    ],
    usageCallCountsAgainstQuota: false,
    minIntervalMinutes: 5,
  },
};
