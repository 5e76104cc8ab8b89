import type { Preset } from './preset';

const TWILIO_URL = 'https://api.twilio.com/2010-04-01/Accounts/{{secret:accountSid}}/Balance.json';

/**
 * Twilio: `GET /2010-04-01/Accounts/{AccountSid}/Balance.json` with HTTP basic authentication
 * (Account SID and Auth Token, or an API key SID and secret) answers `{ "account_sid": "AC…",
 * "balance": "0.05", "currency": "USD" }`: the balance is a string in `currency`, so the meter
 * reads it with `$number(balance)` (Twilio's API definition; subaccounts carry no balance).
 * There is no limit to compare with: use absolute thresholds.
 */
export const twilioPreset: Preset = {
  id: 'twilio',
  name: 'Twilio',
  title: 'Twilio',
  summary: 'The account balance, in the account’s currency.',
  docsUrl: 'https://www.twilio.com/docs/usage/api/account#fetch-an-account-balance',
  keysUrl: 'https://console.twilio.com',
  secrets: [
    { key: 'accountSid', label: 'Account SID', help: 'Starts with "AC"; on the Twilio Console home page.' },
    { key: 'authToken', label: 'Auth Token', help: 'On the Twilio Console home page, next to the Account SID.' },
  ],
  fields: [
    {
      key: 'url',
      label: 'API address',
      help: 'Another address only for a proxy or a test server; {{secret:accountSid}} stands for the Account SID.',
      choices: [{ label: 'api.twilio.com', value: TWILIO_URL }],
    },
  ],
  suggestedRules: { warning: { remaining: 20 }, critical: { remaining: 5 } },
  endpoint: {
    service: 'Twilio',
    url: TWILIO_URL,
    basicAuth: { username: '{{secret:accountSid}}', password: '{{secret:authToken}}' },
    headers: { Accept: 'application/json' },
    meters: [{ id: 'balance', label: 'Balance', unit: 'money', currency: 'currency', remaining: '$number(balance)' }],
    usageCallCountsAgainstQuota: false,
    minIntervalMinutes: 5,
  },
};
