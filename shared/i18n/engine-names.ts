import type { TFunction } from 'i18next';
import type { Meter, NoteMoney, NotePart } from '../snapshot';
import { engineNames } from './locales/engine-names';

/**
 * The catalog's words by a key made at run time (a meter id, a service code), or `fallback` where
 * it has none. The catalog type only knows keys written out, hence the one loose signature here.
 */
export function say(t: TFunction, key: string, options: Record<string, unknown>, fallback: string): string {
  const loose = t as unknown as (key: string, options: Record<string, unknown>) => unknown;
  const said = loose(key, { ...options, defaultValue: fallback });
  return typeof said === 'string' ? said : fallback;
}

/**
 * A meter's name in the person's language. The engine names the meters of the built-in providers
 * in English from the catalog (`names.meter`); a name it gave otherwise (a custom endpoint's own,
 * or one the catalog does not hold) is said as it is.
 */
export function meterName(provider: string, meterId: string, label: string, t: TFunction): string {
  if (provider === 'custom') return label;
  const names = engineNames.meter as Readonly<Record<string, string>>;
  if (names[meterId] === label) return say(t, `names.meter.${meterId}`, {}, label);
  // A meter per currency (Stripe's and DeepSeek's balances): id `<name>-<currency>`, label "Name (CUR)".
  const perCurrency = /^([a-zA-Z]+)-([a-z]{3})$/.exec(meterId);
  if (!perCurrency) return label;
  const [, name = '', currency = ''] = perCurrency;
  const suffix = ` (${currency.toUpperCase()})`;
  if (names[name] === undefined || `${names[name]}${suffix}` !== label) return label;
  return `${say(t, `names.meter.${name}`, {}, names[name])}${suffix}`;
}

/** An ArcGIS Online service type of the credits' breakdown in the person's language (see `serviceTypeLabel`). */
function arcgisServiceName(code: string, label: string, t: TFunction): string {
  const key = code.toLowerCase();
  const english: string | undefined = (engineNames.arcgisService as Readonly<Record<string, string>>)[key];
  if (english !== undefined) return english === label ? say(t, `names.arcgisService.${key}`, {}, label) : label;
  return label === engineNames.otherArcgisService.replace('{{code}}', code)
    ? say(t, 'names.otherArcgisService', { code }, label)
    : label;
}

/** A sentence of a meter's note, as a provider words it from the catalog (`names.note`). */
export function notePart(key: Exclude<keyof typeof engineNames.note, 'money'>, values?: NotePart['values']): NotePart {
  return values ? { key, values } : { key };
}

/** What a provider spreads into a meter for its note: the sentences, and their English (which the CLI prints). */
export function noteFields(parts: readonly NotePart[]): Pick<Meter, 'note' | 'noteParts'> {
  return parts.length ? { note: parts.map(englishSentence).join(' '), noteParts: [...parts] } : {};
}

function englishSentence(part: NotePart): string {
  const template = (engineNames.note as Readonly<Record<string, string>>)[part.key] ?? '';
  return template.replace(/\{\{(\w+)\}\}/g, (match, name: string) => {
    const value = part.values?.[name];
    if (value === undefined) return match;
    return typeof value === 'object' ? englishMoney(value) : String(value);
  });
}

function englishMoney(money: NoteMoney): string {
  return `${money.amount.toFixed(money.digits)} ${money.currency}`;
}

/**
 * A meter's note in the person's language, sentence by sentence. A note without parts (a custom endpoint's, one kept
 * from before they existed) or with a sentence the catalog does not know is said as the engine wrote it.
 */
function localizedNote(meter: Pick<Meter, 'note' | 'noteParts'>, t: TFunction): string | undefined {
  const parts = meter.noteParts;
  const templates = engineNames.note as Readonly<Record<string, string>>;
  if (!parts?.length || parts.some((part) => part.key === 'money' || templates[part.key] === undefined))
    return meter.note;
  return parts
    .map((part) => {
      const values = Object.fromEntries(
        Object.entries(part.values ?? {}).map(([name, value]) => [
          name,
          typeof value === 'object' ? moneyText(value, t) : value,
        ]),
      );
      return say(t, `names.note.${part.key}`, values, englishSentence(part));
    })
    .join(' ');
}

/** An amount in the catalog's number format: i18next's `number` formatter speaks the language of `t`. */
function moneyText(money: NoteMoney, t: TFunction): string {
  const digits = { minimumFractionDigits: money.digits, maximumFractionDigits: money.digits };
  return say(
    t,
    'names.note.money',
    { amount: money.amount, currency: money.currency, formatParams: { amount: digits } },
    englishMoney(money),
  );
}

/** The meters of one account with the engine's English names and notes said in the person's language. */
export function localizedMeters<M extends Pick<Meter, 'id' | 'label' | 'breakdown' | 'note' | 'noteParts'>>(
  provider: string,
  meters: readonly M[],
  t: TFunction,
): M[] {
  return meters.map((meter) => {
    const label = meterName(provider, meter.id, meter.label, t);
    const breakdown =
      provider === 'arcgis' && meter.id === 'credits' ? localizedServices(meter.breakdown, t) : meter.breakdown;
    const note = provider === 'custom' ? meter.note : localizedNote(meter, t);
    return label === meter.label && breakdown === meter.breakdown && note === meter.note
      ? meter
      : { ...meter, label, breakdown, ...(note === undefined ? {} : { note }) };
  });
}

function localizedServices(breakdown: Meter['breakdown'], t: TFunction): Meter['breakdown'] {
  if (!breakdown) return breakdown;
  const said = breakdown.map((item) => ({ item, label: arcgisServiceName(item.key, item.label, t) }));
  return said.every(({ item, label }) => item.label === label)
    ? breakdown
    : said.map(({ item, label }) => ({ ...item, label }));
}

/** Snapshots with their meters' names in the person's language (see `localizedMeters`). */
export function localizedSnapshots<S extends { provider: string; meters: Meter[] }>(
  snapshots: readonly S[],
  t: TFunction,
): S[] {
  return snapshots.map((snapshot) => {
    const meters = localizedMeters(snapshot.provider, snapshot.meters, t);
    return meters.every((meter, index) => meter === snapshot.meters[index]) ? snapshot : { ...snapshot, meters };
  });
}
