import type { ConfigAccount } from '../../shared/config-file';
import { presetAccounts, sendJson, startMockServer, type MockServer } from './harness';

/**
 * A local Twilio serving `GET /2010-04-01/Accounts/{AccountSid}/Balance.json` with HTTP basic
 * authentication (Account SID and Auth Token), answering `{"account_sid", "balance", "currency"}`
 * where the balance is a string (Twilio's API definition and helper libraries). Errors are
 * Twilio's `{"code", "message", "more_info", "status"}`: 20003 "Authenticate" (401) for wrong
 * credentials, 20404 (404) for another account's resource, 20429 (429, with Retry-After) for too
 * many requests.
 */

export interface TwilioAccount {
  sid: string;
  token: string;
  balance: string;
  currency: string;
}

export const TWILIO_ACCOUNTS = {
  usd: {
    sid: 'AC1f3b5d7f9a1c3e5b7d9f1a3c5e7b9d1f',
    token: '9b7d5f3a1c9e7b5d3f1a9c7e5b3d1f9a',
    balance: '25.40',
    currency: 'USD',
  },
  lowEur: {
    sid: 'AC2e4c6a8f0b2d4e6c8a0f2b4d6e8c0a2f',
    token: '8a6c4e2f0b8d6a4c2e0f8b6d4a2c0e8f',
    balance: '3.10',
    currency: 'EUR',
  },
  /** Every request answered with 429. */
  busy: {
    sid: 'AC3d5b7f9e1a3c5d7b9f1e3a5c7d9b1f3e',
    token: '7f5d3b1e9a7c5f3d1b9e7a5c3f1d9b7e',
    balance: '1.00',
    currency: 'USD',
  },
} as const satisfies Record<string, TwilioAccount>;

export const TWILIO_RETRY_AFTER_SECONDS = 30;

function twilioError(status: number, code: number, message: string): Record<string, unknown> {
  return { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status };
}

export type TwilioMock = MockServer;

export async function startTwilioMock(): Promise<TwilioMock> {
  return startMockServer((request, res) => {
    const match = /^\/2010-04-01\/Accounts\/([^/]+)\/Balance\.json$/.exec(request.path);
    const credentials = /^Basic (.+)$/.exec(request.headers.authorization ?? '')?.[1];
    const [username, password] = credentials ? Buffer.from(credentials, 'base64').toString('utf8').split(':') : [];
    const account = Object.values(TWILIO_ACCOUNTS).find(
      (candidate) => candidate.sid === username && candidate.token === password,
    );
    if (!account) {
      sendJson(res, 401, twilioError(401, 20003, 'Authenticate'));
      return;
    }
    if (request.method !== 'GET' || !match || decodeURIComponent(match[1] ?? '') !== account.sid) {
      sendJson(res, 404, twilioError(404, 20404, `The requested resource ${request.path} was not found`));
      return;
    }
    if (account.sid === TWILIO_ACCOUNTS.busy.sid) {
      sendJson(res, 429, twilioError(429, 20429, 'Too Many Requests'), {
        'Retry-After': String(TWILIO_RETRY_AFTER_SECONDS),
      });
      return;
    }
    sendJson(res, 200, { account_sid: account.sid, balance: account.balance, currency: account.currency });
  });
}

export function twilioMockAccounts(baseUrl: string): ConfigAccount[] {
  const url = `${baseUrl.replace(/\/+$/, '')}/2010-04-01/Accounts/{{secret:accountSid}}/Balance.json`;
  const preset = presetAccounts('twilio', url, { warning: { remaining: 20 }, critical: { remaining: 5 } });
  const make = (id: string, label: string, account: TwilioAccount, token = account.token): ConfigAccount =>
    preset(id, label, { accountSid: account.sid, authToken: token });
  return [
    make('twilio-usd', 'Twilio mock · balance in USD', TWILIO_ACCOUNTS.usd),
    make('twilio-low-eur', 'Twilio mock · low balance in EUR', TWILIO_ACCOUNTS.lowEur),
    make(
      'twilio-wrong-token',
      'Twilio mock · wrong Auth Token',
      TWILIO_ACCOUNTS.usd,
      '00000000000000000000000000000000',
    ),
    make('twilio-busy', 'Twilio mock · too many requests (429)', TWILIO_ACCOUNTS.busy),
  ];
}
