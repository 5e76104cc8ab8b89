import type { TFunction } from 'i18next';
import type { Meter } from '../snapshot';
import { engineNames } from './locales/engine-names';

/**
 * The catalog's words by a key made at run time (a meter id, a service code), or `fallback` where
 * it has none. The catalog type only knows keys written out, hence the one loose signature here.
 */
function say(t: TFunction, key: string, options: { code?: string }, fallback: string): string {
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

/** The meters of one account with the engine's English names said in the person's language. */
export function localizedMeters<M extends Pick<Meter, 'id' | 'label' | 'breakdown'>>(
  provider: string,
  meters: readonly M[],
  t: TFunction,
): M[] {
  return meters.map((meter) => {
    const label = meterName(provider, meter.id, meter.label, t);
    const breakdown =
      provider === 'arcgis' && meter.id === 'credits' ? localizedServices(meter.breakdown, t) : meter.breakdown;
    return label === meter.label && breakdown === meter.breakdown ? meter : { ...meter, label, breakdown };
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
