import { z } from 'zod';
import { noteFields, notePart } from '../../../../shared/i18n/engine-names';
import { engineNames } from '../../../../shared/i18n/locales/engine-names';
import type { MeterReading, NotePart } from '../../../../shared/snapshot';
import { ProviderError } from '../../errors';
import type { HttpResponse } from '../../http/client';
import { parseJson, readErrorBody, unexpectedStatus } from '../../http/parse';
import { quoteSafely } from '../../http/redact';
import { baseUrlSchema, defineProvider, type FetchContext } from '../provider';

/**
 * DeepSeek: `GET {baseUrl}/user/balance` with `Authorization: Bearer <API key>` answers
 * `{ "is_available": true, "balance_infos": [ { "currency": "CNY", "total_balance": "110.00",
 * "granted_balance": "10.00", "topped_up_balance": "100.00" } ] }`, one entry per currency, the amounts
 * as decimal strings (https://api-docs.deepseek.com/api/get-user-balance). Errors by status are listed at
 * https://api-docs.deepseek.com/quick_start/error_codes (401 authentication, 402 insufficient balance,
 * 429 rate limit, 500 and 503). That page shows no error body; the OpenAI-style
 * `{"error": {"message", "type", "param", "code"}}` read here is what the API answers in practice
 * (e.g. github.com/deepseek-ai/DeepSeek-R1/issues/82), so it is read where it is and not required.
 * Asking for the balance costs no tokens, the only thing DeepSeek bills.
 */

export const DEEPSEEK_DEFAULT_BASE_URL = 'https://api.deepseek.com';

const PLATFORM = 'https://platform.deepseek.com';

const configSchema = z.strictObject({
  baseUrl: baseUrlSchema.default(DEEPSEEK_DEFAULT_BASE_URL),
});

const secretsSchema = z.object({
  apiKey: z.string().min(1),
});

/** "110.00": DeepSeek writes amounts as decimal strings. */
const amountSchema = z
  .string()
  .regex(/^-?\d+(\.\d+)?$/, 'must be an amount such as "110.00"')
  .transform(Number);

const balanceAnswerSchema = z.object({
  /** "Whether the user's balance is sufficient for API calls" (the reference). */
  is_available: z.boolean(),
  balance_infos: z.array(
    z.object({
      currency: z
        .string()
        .regex(/^[A-Za-z]{3}$/, 'must be a three-letter currency code')
        .transform((code) => code.toUpperCase()),
      total_balance: amountSchema,
      granted_balance: amountSchema.optional(),
      topped_up_balance: amountSchema.optional(),
    }),
  ),
});
type BalanceInfo = z.infer<typeof balanceAnswerSchema>['balance_infos'][number];

const errorBodySchema = z.object({
  error: z.object({ message: z.string().optional(), type: z.string().optional() }),
});

export const deepSeekProvider = defineProvider({
  id: 'deepseek',
  name: 'DeepSeek',
  configSchema,
  secretsSchema,
  secretFields: [{ key: 'apiKey', label: 'API key', help: `A DeepSeek API key, from ${PLATFORM}/api_keys.` }],
  minIntervalMinutes: 5,
  usageCallCountsAgainstQuota: false,
  // A prepaid balance has no limit, so percent rules cannot judge it: amounts in its own currency.
  suggestedRules: { warning: { remaining: 10 }, critical: { remaining: 2 } },
  createSession({ config, secrets }) {
    return {
      async fetch(context) {
        const response = await context.request({
          url: `${config.baseUrl}/user/balance`,
          headers: { Authorization: `Bearer ${secrets.apiKey}`, Accept: 'application/json' },
        });
        if (response.status !== 200) throw errorFor(response, context);

        const answer = parseJson(response, balanceAnswerSchema, context.messages, 'its balance');
        if (answer.balance_infos.length === 0) {
          throw new ProviderError(
            'bad_response',
            `DeepSeek reported no balance in any currency for '${context.messages.account}'${answer.is_available ? '' : ', and says the account cannot pay for API calls'}. Check the balance at ${PLATFORM}/usage.`,
          );
        }
        return { meters: answer.balance_infos.map((info) => balanceMeter(info, answer.is_available)) };
      },
    };
  },
});

/**
 * One money meter per currency: what is left is the total balance. DeepSeek reports no limit, so only
 * absolute rules give a level. When `is_available` is false the figures are still true, so they are kept
 * and the note says that calls will fail: the reference ties the flag to a balance too small for calls,
 * which the rules see as a low balance.
 */
function balanceMeter(info: BalanceInfo, available: boolean): MeterReading {
  const parts: NotePart[] = [];
  if (info.granted_balance !== undefined && info.topped_up_balance !== undefined) {
    parts.push(
      notePart('deepseekSplit', {
        toppedUp: { amount: info.topped_up_balance, currency: info.currency, digits: 2 },
        granted: { amount: info.granted_balance, currency: info.currency, digits: 2 },
      }),
    );
  }
  if (!available) parts.push(notePart('deepseekUnavailable', { url: `${PLATFORM}/top_up` }));
  return {
    id: `balance-${info.currency.toLowerCase()}`,
    label: `${engineNames.meter.balance} (${info.currency})`,
    unit: 'money',
    currency: info.currency,
    used: null,
    limit: null,
    remaining: info.total_balance,
    unlimited: false,
    ...noteFields(parts),
  };
}

function errorFor(response: HttpResponse, context: FetchContext): ProviderError {
  const who = `'${context.messages.account}'`;
  const said = says(response, context);
  switch (response.status) {
    case 401:
      return new ProviderError(
        'auth',
        `DeepSeek does not accept the API key of ${who}${said}. Check the key in Settings (${PLATFORM}/api_keys lists yours).`,
      );
    case 402:
      // The key is good but the account has nothing to spend: as pressing as a refused key.
      return new ProviderError(
        'auth',
        `DeepSeek says the balance of ${who} has run out (HTTP 402)${said}. Top up at ${PLATFORM}/top_up.`,
      );
    default:
      return unexpectedStatus(response, context.messages);
  }
}

function says(response: HttpResponse, context: FetchContext): string {
  const message = readErrorBody(response, context.messages, errorBodySchema)?.error.message?.trim();
  return message ? ` (it says: "${quoteSafely(message, context.messages.secrets)}")` : '';
}
