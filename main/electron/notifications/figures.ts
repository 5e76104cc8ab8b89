import { meterUnitSchema, type MeterUnit } from '../../../shared/snapshot';

/** The decision's unit word as a meter unit; a unit this version does not know is counted as credits. */
export function unitOf(unit: string): MeterUnit {
  const parsed = meterUnitSchema.safeParse(unit);
  return parsed.success ? parsed.data : 'credits';
}

const relativeFormats = new Map<string, Intl.RelativeTimeFormat>();
export function relativeFormat(locale: string): Intl.RelativeTimeFormat {
  let format = relativeFormats.get(locale);
  if (!format) {
    format = new Intl.RelativeTimeFormat(locale, { numeric: 'auto' });
    relativeFormats.set(locale, format);
  }
  return format;
}
