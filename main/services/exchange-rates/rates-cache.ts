import { randomBytes } from 'node:crypto';
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import { z } from 'zod';
import { exchangeRatesSchema, type ExchangeRates } from '../../../shared/money';

/** The last rates fetched from an Open Exchange Rates account, kept between runs so a restart costs no request. */
const cachedRatesSchema = z.strictObject({
  accountId: z.string().min(1),
  rates: exchangeRatesSchema,
});
export type CachedRates = z.infer<typeof cachedRatesSchema>;

export const RATES_CACHE_FILE = 'exchange-rates.json';

/** The cached rates; null when there are none, or when the file cannot be read (it is then only a cache: refetched). */
export async function readCachedRates(path: string): Promise<CachedRates | null> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    return null;
  }
  try {
    const parsed = cachedRatesSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** Written whole or not at all: a temporary file beside it, renamed over the old one. */
export async function writeCachedRates(path: string, accountId: string, rates: ExchangeRates): Promise<void> {
  const temporary = `${path}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    await writeFile(temporary, `${JSON.stringify({ accountId, rates } satisfies CachedRates)}\n`, { mode: 0o600 });
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}
