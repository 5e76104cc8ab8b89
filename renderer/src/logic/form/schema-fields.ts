import type { Message } from '../message';
import { without } from './preset-fields';

/**
 * The add/edit form's fields, generated from a provider's config schema as main sends it (JSON
 * Schema from zod). Values are kept as the inputs hold them (text, or a checkbox's boolean) and
 * turned back into a config only on save or test, so a half-typed number is never lost.
 */
export type FieldKind = 'text' | 'url' | 'number' | 'integer' | 'boolean' | 'select' | 'json';

export interface FieldSpec {
  key: string;
  kind: FieldKind;
  required: boolean;
  options?: string[];
  defaultValue?: string | boolean;
  min?: number;
  max?: number;
}

export type FieldValue = string | boolean;
export type FieldValues = Record<string, FieldValue>;

export type LocalProblemKey =
  'form.notANumber' | 'form.notAWholeNumber' | 'form.notJson' | 'form.atLeast' | 'form.atMost' | 'form.required';

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function kindOf(property: Record<string, unknown>): FieldKind {
  const type = property.type;
  if (Array.isArray(property.enum) && property.enum.every((option) => typeof option === 'string')) return 'select';
  if (type === 'string') return property.format === 'uri' ? 'url' : 'text';
  if (type === 'integer') return 'integer';
  if (type === 'number') return 'number';
  if (type === 'boolean') return 'boolean';
  // A choice of shapes that includes text (an id given as text or number): a text box takes both.
  const variants = Array.isArray(property.anyOf) ? property.anyOf : [];
  if (variants.some((variant) => isRecord(variant) && variant.type === 'string')) return 'text';
  return 'json';
}

function bound(property: Record<string, unknown>, inclusive: string, exclusive: string): number | undefined {
  const value = property[inclusive] ?? property[exclusive];
  return typeof value === 'number' && Math.abs(value) < Number.MAX_SAFE_INTEGER ? value : undefined;
}

export function fieldsFromJsonSchema(schema: Readonly<Record<string, unknown>>): FieldSpec[] {
  const properties = isRecord(schema.properties) ? schema.properties : {};
  const required = new Set(
    Array.isArray(schema.required) ? schema.required.filter((key) => typeof key === 'string') : [],
  );
  return Object.entries(properties).flatMap(([key, property]): FieldSpec[] => {
    if (!isRecord(property)) return [];
    const kind = kindOf(property);
    const spec: FieldSpec = { key, kind, required: required.has(key) };
    if (kind === 'select' && Array.isArray(property.enum))
      spec.options = property.enum.filter((option) => typeof option === 'string');
    if (typeof property.default === 'string' || typeof property.default === 'boolean')
      spec.defaultValue = property.default;
    else if (typeof property.default === 'number') spec.defaultValue = String(property.default);
    const min = bound(property, 'minimum', 'exclusiveMinimum');
    const max = bound(property, 'maximum', 'exclusiveMaximum');
    if (min !== undefined) spec.min = min;
    if (max !== undefined) spec.max = max;
    return [spec];
  });
}

/** What the inputs start with: the account's config, else the default (or nothing). */
export function initialValues(fields: readonly FieldSpec[], config: Readonly<Record<string, unknown>>): FieldValues {
  const values: FieldValues = {};
  for (const field of fields) {
    const value = config[field.key];
    if (field.kind === 'boolean') values[field.key] = typeof value === 'boolean' ? value : field.defaultValue === true;
    else if (value === undefined || value === null)
      values[field.key] = field.kind === 'select' ? String(field.defaultValue ?? field.options?.[0] ?? '') : '';
    else if (field.kind === 'json') values[field.key] = JSON.stringify(value, null, 2);
    else values[field.key] = typeof value === 'string' ? value : JSON.stringify(value);
  }
  return values;
}

export interface ConfigResult {
  config: Record<string, unknown>;
  /** Problems found before asking main (a number that is not one); main's zod checks do the rest. */
  problems: { field: string; message: Message<LocalProblemKey> }[];
}

/**
 * The config to send: the account's other keys kept, each field's value typed. An empty optional
 * field is left out so the provider's default applies; an empty required one is sent empty so the
 * provider's own message ("enter the ArcGIS user name") comes back next to it.
 */
export function configFromValues(
  fields: readonly FieldSpec[],
  values: Readonly<FieldValues>,
  original: Readonly<Record<string, unknown>> = {},
): ConfigResult {
  let config: Record<string, unknown> = { ...original };
  const problems: ConfigResult['problems'] = [];
  for (const field of fields) {
    const raw = values[field.key];
    if (field.kind === 'boolean') {
      config[field.key] = raw === true;
      continue;
    }
    const text = typeof raw === 'string' ? raw.trim() : '';
    if (text === '') {
      if (field.required) config[field.key] = '';
      else config = without(config, field.key);
      continue;
    }
    if (field.kind === 'number' || field.kind === 'integer') {
      const number = Number(text.replace(',', '.'));
      if (!Number.isFinite(number)) {
        problems.push({ field: field.key, message: { key: 'form.notANumber' } });
        continue;
      }
      if (field.kind === 'integer' && !Number.isInteger(number)) {
        problems.push({ field: field.key, message: { key: 'form.notAWholeNumber' } });
        continue;
      }
      config[field.key] = number;
      continue;
    }
    if (field.kind === 'json') {
      try {
        config[field.key] = JSON.parse(text);
      } catch {
        problems.push({ field: field.key, message: { key: 'form.notJson' } });
      }
      continue;
    }
    config[field.key] = text;
  }
  return { config, problems };
}
