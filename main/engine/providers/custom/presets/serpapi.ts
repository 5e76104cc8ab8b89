import type { Preset } from './preset';

const SERPAPI_URL = 'https://serpapi.com/account.json';

/**
 * SerpApi: `GET https://serpapi.com/account.json?api_key=…` answers the plan's `searches_per_month`,
 * `this_month_usage`, `plan_searches_left`, `total_searches_left` (plan plus extra credits) and
 * `plan_renewal_date` (a date, null without a monthly plan). "Account API is free of charge, and
 * using it will not be counted toward your monthly quota" (serpapi.com/account-api). The answer
 * echoes `api_key`: the preview masks it like every secret.
 */
export const serpApiPreset: Preset = {
  id: 'serpapi',
  name: 'SerpApi',
  title: 'SerpApi',
  summary: 'Searches left (plan and extra credits) against the monthly plan, and the renewal date.',
  docsUrl: 'https://serpapi.com/account-api',
  keysUrl: 'https://serpapi.com/manage-api-key',
  secrets: [{ key: 'apiKey', label: 'API key', help: 'Your private key, from SerpApi → Your Account → API Key.' }],
  fields: [
    {
      key: 'url',
      label: 'API address',
      help: 'Another address only for a proxy or a test server.',
      choices: [{ label: 'serpapi.com', value: SERPAPI_URL }],
    },
  ],
  endpoint: {
    service: 'SerpApi',
    url: SERPAPI_URL,
    query: { api_key: '{{secret:apiKey}}' },
    headers: { Accept: 'application/json' },
    meters: [
      {
        id: 'searches',
        label: 'Searches left',
        unit: 'requests',
        used: 'this_month_usage',
        // Without a monthly plan (searches_per_month 0) there is no allowance to compare with.
        limit: 'searches_per_month > 0 ? searches_per_month : null',
        // Plan searches plus extra credits: what can still be spent.
        remaining: 'total_searches_left',
        resetsAt: 'plan_renewal_date',
      },
    ],
    usageCallCountsAgainstQuota: false,
    minIntervalMinutes: 5,
  },
};
