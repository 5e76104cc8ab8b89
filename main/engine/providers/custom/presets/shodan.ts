import type { Preset } from './preset';

const SHODAN_URL = 'https://api.shodan.io/api-info';

/**
 * Shodan: `GET /api-info?key=…` answers the credits left (`query_credits`, `scan_credits`) and the
 * plan's monthly allowance in `usage_limits`, where -1 means unlimited (developer.shodan.io/api;
 * the documented example is a plan with every usage limit at -1). Credits "renew at the start of
 * the month" (help.shodan.io, "Credits explained"). Reading it uses no credits.
 */
function credits(id: 'query_credits' | 'scan_credits', meterId: string, label: string) {
  const limit = `usage_limits.${id}`;
  return {
    id: meterId,
    label,
    unit: 'credits' as const,
    remaining: id,
    limit: `${limit} = -1 ? null : ${limit}`,
    unlimited: `${limit} = -1`,
    resetsAt: "$startOfNext('month')",
  };
}

export const shodanPreset: Preset = {
  id: 'shodan',
  name: 'Shodan',
  title: 'Shodan',
  summary: 'Query and scan credits left this month, against the plan’s allowance.',
  docsUrl: 'https://developer.shodan.io/api',
  keysUrl: 'https://account.shodan.io',
  secrets: [{ key: 'apiKey', label: 'API key', help: 'Shown on your Shodan account page.' }],
  fields: [
    {
      key: 'url',
      label: 'API address',
      help: 'Another address only for a proxy or a test server.',
      choices: [{ label: 'api.shodan.io', value: SHODAN_URL }],
    },
  ],
  endpoint: {
    service: 'Shodan',
    url: SHODAN_URL,
    query: { key: '{{secret:apiKey}}' },
    headers: { Accept: 'application/json' },
    meters: [
      credits('query_credits', 'query-credits', 'Query credits'),
      credits('scan_credits', 'scan-credits', 'Scan credits'),
    ],
    usageCallCountsAgainstQuota: false,
    // Shodan allows about one request per second per key; there is no point in asking often.
    minIntervalMinutes: 5,
  },
};
