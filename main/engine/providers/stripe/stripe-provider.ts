import { z } from 'zod';
import { noteFields, notePart } from '../../../../shared/i18n/engine-names';
import { engineNames } from '../../../../shared/i18n/locales/engine-names';
import type { MeterReading, NotePart } from '../../../../shared/snapshot';
import { ProviderError } from '../../errors';
import type { HttpResponse } from '../../http/client';
import { parseJson, readErrorBody, unexpectedStatus } from '../../http/parse';
import { quoteSafely } from '../../http/redact';
import { baseUrlSchema, defineProvider, type FetchContext } from '../provider';
import { fromMinorUnits, minorUnitDigits } from './minor-units';

/**
 * Stripe: `GET {baseUrl}/v1/balance` with a secret key (`sk_…`) or a restricted key (`rk_…`) as a Bearer
 * token answers the Balance object (https://docs.stripe.com/api/balance/balance_object and
 * https://docs.stripe.com/api/balance/balance_retrieve): `available` and `pending`, lists of
 * `{ amount, currency, source_types }` with integer amounts in the currency's minor unit (see
 * minor-units.ts) that may be negative, and `livemode` (false for a test key). A restricted key needs the
 * Balance resource at Read (`balance_read`, https://docs.stripe.com/security/permissions); without it Stripe
 * answers 403. Errors are `{ "error": { "type", "code"?, "message"?, … } }`
 * (https://docs.stripe.com/api/errors): 401 for a wrong key, 403 for a key without the permission, 429 when
 * rate limited (https://docs.stripe.com/rate-limits; an API version before 2015-09-08 answers 400 with
 * code `rate_limit` instead). An expired key is an `authentication_error` with code `api_key_expired`
 * (https://docs.stripe.com/keys). Reading the balance costs nothing; Stripe bills payments.
 */

export const STRIPE_DEFAULT_BASE_URL = 'https://api.stripe.com';

const DASHBOARD_KEYS = 'https://dashboard.stripe.com/apikeys';

const configSchema = z.strictObject({
  baseUrl: baseUrlSchema.default(STRIPE_DEFAULT_BASE_URL),
});

const secretsSchema = z.object({
  secretKey: z.string().min(1),
});

const fundsSchema = z.array(
  z.object({
    amount: z.number().int('must be a whole number of minor units'),
    currency: z
      .string()
      .regex(/^[A-Za-z]{3}$/, 'must be a three-letter currency code')
      .transform((code) => code.toUpperCase()),
  }),
);

/** `connect_reserved`, `instant_available` and the other lists are not read (see `balanceMeters`). */
const balanceSchema = z.object({
  object: z.literal('balance'),
  available: fundsSchema,
  pending: fundsSchema,
  livemode: z.boolean(),
});
type Balance = z.infer<typeof balanceSchema>;

const errorBodySchema = z.object({
  error: z.object({
    type: z.string().optional(),
    code: z.string().optional(),
    message: z.string().optional(),
  }),
});
type ErrorBody = z.infer<typeof errorBodySchema>;

export const stripeProvider = defineProvider({
  id: 'stripe',
  name: 'Stripe',
  configSchema,
  secretsSchema,
  secretFields: [
    {
      key: 'secretKey',
      label: 'Secret or restricted key',
      help: `A restricted key (rk_…) with only Balance: Read is enough, or a secret key (sk_…); from ${DASHBOARD_KEYS}.`,
    },
  ],
  minIntervalMinutes: 5,
  usageCallCountsAgainstQuota: false,
  createSession({ config, secrets }) {
    return {
      async fetch(context) {
        const response = await context.request({
          url: `${config.baseUrl}/v1/balance`,
          headers: { Authorization: `Bearer ${secrets.secretKey}`, Accept: 'application/json' },
        });
        if (response.status !== 200) throw errorFor(response, context);

        const balance = parseJson(response, balanceSchema, context.messages, 'its balance');
        const meters = balanceMeters(balance);
        if (meters.length === 0) {
          throw new ProviderError(
            'bad_response',
            `Stripe reported a balance in no currency for '${context.messages.account}'. Check the balance at https://dashboard.stripe.com/balance.`,
          );
        }
        return { meters };
      },
    };
  },
});

/**
 * One money meter per currency: the available balance, what payouts, refunds and transfers can use now.
 * Pending funds are no meter of their own: they cannot be spent yet, and a pending balance of zero is the
 * normal state of a quiet account, so alert rules on it would only raise false alarms. They go in the
 * note instead (when there are any), with the mode of a test key. `connect_reserved` (held for connected
 * accounts' negative balances) and `instant_available` (a subset of available, for Instant Payouts)
 * would only restate available funds another way. A currency Stripe lists only as pending has no
 * available funds: its meter reads 0 (the docs do not say whether this happens).
 */
function balanceMeters(balance: Balance): MeterReading[] {
  const currencies = [...new Set([...balance.available, ...balance.pending].map((funds) => funds.currency))];
  return currencies.map((currency) => {
    const available = sum(balance.available, currency) ?? 0;
    const pending = sum(balance.pending, currency);
    const notes: NotePart[] = [];
    if (pending !== undefined && pending !== 0)
      notes.push(
        notePart('stripePending', {
          amount: { amount: fromMinorUnits(pending, currency), currency, digits: minorUnitDigits(currency) },
        }),
      );
    if (available < 0) notes.push(notePart('stripeNegative'));
    if (!balance.livemode) notes.push(notePart('stripeTestMode'));
    return {
      id: `available-${currency.toLowerCase()}`,
      label: `${engineNames.meter.available} (${currency})`,
      unit: 'money',
      currency,
      used: null,
      limit: null,
      remaining: fromMinorUnits(available, currency),
      unlimited: false,
      ...noteFields(notes),
    };
  });
}

/** The docs list one entry per currency; should a currency come twice, its amounts add up. */
function sum(funds: Balance['available'], currency: string): number | undefined {
  const matching = funds.filter((entry) => entry.currency === currency);
  return matching.length ? matching.reduce((total, entry) => total + entry.amount, 0) : undefined;
}

function errorFor(response: HttpResponse, context: FetchContext): ProviderError {
  const body = readErrorBody(response, context.messages, errorBodySchema);
  const who = `'${context.messages.account}'`;
  const said = says(body, context);
  if (response.status === 400 && body?.error.code === 'rate_limit') {
    return new ProviderError(
      'rate_limited',
      `Stripe is rate limiting requests for ${who}${said}. Headroom will ask again later.`,
    );
  }
  switch (response.status) {
    case 401:
      if (body?.error.code === 'api_key_expired') {
        return new ProviderError(
          'auth',
          `Stripe says the key of ${who} has expired${said}. Create a new one at ${DASHBOARD_KEYS} and enter it in Settings.`,
        );
      }
      return new ProviderError(
        'auth',
        `Stripe does not accept the key of ${who}${said}. Check the secret or restricted key in Settings (${DASHBOARD_KEYS} lists yours).`,
      );
    case 403:
      return new ProviderError(
        'auth',
        `Stripe does not let the key of ${who} read the balance${said}. Give the restricted key the Balance permission at Read at ${DASHBOARD_KEYS}, or use a key that has it.`,
      );
    default:
      return unexpectedStatus(response, context.messages);
  }
}

function says(body: ErrorBody | undefined, context: FetchContext): string {
  const message = body?.error.message?.trim();
  if (!message) return '';
  // Long enough for the permission a restricted key lacks, which Stripe names at the end.
  return ` (it says: "${quoteSafely(message, context.messages.secrets, 320)}")`;
}
