import type { TFunction } from 'i18next';
import type { MeterUnit } from '../snapshot';

/**
 * An amount already formatted for the locale, with its unit in the right number: "1 credit",
 * "1.2K credits", "3 Anfragen"; bytes and money say their unit in the amount itself.
 */
export function quantity(t: TFunction, unit: MeterUnit, value: number, amount: string): string {
  return t(`quantity.${unit}`, { count: value, amount });
}
