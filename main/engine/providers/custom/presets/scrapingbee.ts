import type { Preset } from './preset';

const SCRAPINGBEE_URL = 'https://app.scrapingbee.com/api/v1/usage';

/**
 * ScrapingBee: `GET /api/v1/usage?api_key=…` answers `{ "max_api_credit": 8000000,
 * "used_api_credit": 1000023, "max_concurrency": 200, "current_concurrency": 1,
 * "renewal_subscription_date": "2026-09-01T04:57:13.580067" }`, "rate-limited to 6 requests per
 * minute" (the "Usage API" section of ScrapingBee's own Python client README; `docsUrl` is the
 * documentation's section on the same endpoint). The renewal date has no offset and is read as UTC. Concurrency
 * is left out: it is a momentary figure, full whenever scraping is busy, not something that runs
 * out. The reference shows no error bodies for this endpoint; public code records 401
 * `{"message": "Invalid api key…"}` for a wrong key, and a used-up plan still read here (1000 of
 * 1000 used) while scrape calls got 401 "Monthly API calls limit reached: 1000".
 */
export const scrapingBeePreset: Preset = {
  id: 'scrapingbee',
  name: 'ScrapingBee',
  title: 'ScrapingBee',
  summary: 'API credits used this period against the plan, and the renewal date.',
  docsUrl: 'https://www.scrapingbee.com/documentation/#usage-endpoint',
  keysUrl: 'https://app.scrapingbee.com/account/manage/api_key',
  secrets: [{ key: 'apiKey', label: 'API key', help: 'From the ScrapingBee dashboard → Account → API key.' }],
  fields: [
    {
      key: 'url',
      label: 'API address',
      help: 'Another address only for a proxy or a test server.',
      choices: [{ label: 'app.scrapingbee.com', value: SCRAPINGBEE_URL }],
    },
  ],
  endpoint: {
    service: 'ScrapingBee',
    url: SCRAPINGBEE_URL,
    query: { api_key: '{{secret:apiKey}}' },
    headers: { Accept: 'application/json' },
    meters: [
      {
        id: 'credits',
        label: 'API credits',
        unit: 'credits',
        used: 'used_api_credit',
        limit: 'max_api_credit',
        resetsAt: 'renewal_subscription_date',
      },
    ],
    usageCallCountsAgainstQuota: false,
    // Six calls a minute at most; every five minutes is well inside that.
    minIntervalMinutes: 5,
  },
};
