import { z } from 'zod';
import { currencyCodeSchema, type ExchangeRates } from '../../../../shared/money';
import { parseJson } from '../../http/parse';
import type { FetchContext } from '../provider';
import { oxrErrorFor } from './oxr-errors';

/**
 * Today's rates from an Open Exchange Rates account: `GET {baseUrl}/latest.json?app_id=…`
 * (https://docs.openexchangerates.org/reference/latest-json). Unlike usage.json this request counts
 * against the App ID's monthly quota, so Headroom asks at most once a day. No `base` parameter: the
 * free plan allows only USD, and any base converts through the table.
 */

const latestAnswerSchema = z.object({
  /** When the rates were published, UNIX seconds. */
  timestamp: z.number().int().positive(),
  base: currencyCodeSchema,
  rates: z.record(z.string(), z.number()),
});

export async function fetchLatestRates(
  context: FetchContext,
  args: { baseUrl: string; appId: string; now: Date },
): Promise<ExchangeRates> {
  const response = await context.request({
    url: `${args.baseUrl}/latest.json`,
    query: { app_id: args.appId, prettyprint: 'false' },
    headers: { Accept: 'application/json' },
  });
  if (response.status !== 200) throw oxrErrorFor(response, context, 'the latest rates');
  const answer = parseJson(response, latestAnswerSchema, context.messages, 'its latest rates');
  // Only what converts: ISO-style codes with a positive rate (OXR also lists metals such as XAU, which do no harm).
  const rates = Object.fromEntries(
    Object.entries(answer.rates).filter(
      ([code, rate]) => currencyCodeSchema.safeParse(code).success && Number.isFinite(rate) && rate > 0,
    ),
  );
  return {
    base: answer.base,
    date: new Date(answer.timestamp * 1000).toISOString().slice(0, 10),
    source: 'openexchangerates',
    sourceLabel: context.messages.account,
    fetchedAt: args.now.toISOString(),
    rates,
  };
}
