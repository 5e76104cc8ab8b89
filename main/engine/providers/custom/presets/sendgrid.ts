import type { Preset } from './preset';

/**
 * SendGrid: `GET /v3/user/credits` with `Authorization: Bearer <API key>` answers `{ "remain": 200,
 * "total": 200, "overage": 0, "used": 0, "last_reset": "2013-01-01", "next_reset": "2013-02-01",
 * "reset_frequency": "monthly" }`: the emails the plan still covers before per-email charges, and
 * the date they reset (twilio.com/docs/sendgrid, "Retrieve your credit balance"). The key needs the
 * `user.credits.read` permission ("API Key Permissions"). EU regional subusers are served from
 * api.eu.sendgrid.com. Errors are `{"errors": [{"field": null, "message": "…"}]}`; a 429 carries
 * `X-RateLimit-Reset` (epoch seconds), not Retry-After ("Rate Limits").
 */
export const SENDGRID_CREDITS_URL = 'https://api.sendgrid.com/v3/user/credits';
export const SENDGRID_EU_CREDITS_URL = 'https://api.eu.sendgrid.com/v3/user/credits';

export const sendGridPreset: Preset = {
  id: 'sendgrid',
  name: 'SendGrid',
  title: 'SendGrid',
  summary: 'Email credits left this period against the plan’s total, and the next reset.',
  docsUrl: 'https://www.twilio.com/docs/sendgrid/api-reference/users-api/retrieve-your-credit-balance',
  keysUrl: 'https://app.sendgrid.com/settings/api_keys',
  secrets: [
    {
      key: 'apiKey',
      label: 'API key',
      help: 'From SendGrid Settings → API Keys; it needs the permission user.credits.read (a restricted key with only that is enough).',
    },
  ],
  fields: [
    {
      key: 'url',
      label: 'Region',
      help: 'EU regional subusers are served from the EU host.',
      choices: [
        { label: 'Global (api.sendgrid.com)', value: SENDGRID_CREDITS_URL },
        { label: 'EU (api.eu.sendgrid.com)', value: SENDGRID_EU_CREDITS_URL },
      ],
    },
  ],
  endpoint: {
    service: 'SendGrid',
    url: SENDGRID_CREDITS_URL,
    headers: { Authorization: 'Bearer {{secret:apiKey}}', Accept: 'application/json' },
    meters: [
      {
        id: 'credits',
        label: 'Email credits',
        unit: 'credits',
        used: 'used',
        limit: 'total',
        remaining: 'remain',
        resetsAt: 'next_reset',
      },
    ],
    usageCallCountsAgainstQuota: false,
    minIntervalMinutes: 5,
  },
};
