import { z } from 'zod';
import type { BreakdownItem, MeterReading } from '../../../../shared/snapshot';
import { ProviderError } from '../../errors';
import { REDACTED, redact } from '../../http/redact';
import { METER_EXPRESSION_FIELDS, type MeterExpressionField, type MeterSpec } from './endpoint-schema';
import {
  compileExpression,
  describeFailure,
  fieldName,
  firstMissingPath,
  readFailure,
  type CompiledExpression,
} from './expressions';
import { SECRET_KEY } from './response-preview';

/**
 * Turns a JSON answer into meter readings by evaluating each meter's expressions. A value of the
 * wrong kind (a missing field, text where a number belongs) is a `bad_response` that names the
 * meter, the expression and, where it can tell, the field.
 */

export interface CompiledMeter {
  spec: MeterSpec;
  expressions: Partial<Record<MeterExpressionField, CompiledExpression>>;
}

export interface ReadContext {
  service: string;
  account: string;
  secrets: readonly string[];
  now: Date;
}

/** Expressions were checked by the config schema; compiling them again cannot fail. */
export function compileMeters(specs: readonly MeterSpec[]): CompiledMeter[] {
  return specs.map((spec) => {
    const expressions: CompiledMeter['expressions'] = {};
    for (const field of METER_EXPRESSION_FIELDS) {
      const source = spec[field];
      if (source !== undefined) expressions[field] = compileExpression(source);
    }
    return { spec, expressions };
  });
}

export async function readMeters(
  meters: readonly CompiledMeter[],
  answer: unknown,
  context: ReadContext,
): Promise<MeterReading[]> {
  const readings: MeterReading[] = [];
  for (const meter of meters) readings.push(await readMeter(meter, answer, context));
  return readings;
}

/** Below this an epoch number is in seconds (1e11 s is the year 5138; 1e11 ms is March 1973). */
const EPOCH_SECONDS_BELOW = 1e11;

const breakdownSchema = z.array(
  z.object({
    key: z.union([z.string().min(1), z.number()]).transform(String),
    label: z.string().optional(),
    used: z.number(),
  }),
);

async function readMeter(meter: CompiledMeter, answer: unknown, context: ReadContext): Promise<MeterReading> {
  const reader = new FieldReader(meter, answer, context);
  const given = {
    used: await reader.number('used'),
    limit: await reader.number('limit'),
    remaining: await reader.number('remaining'),
  };
  const used = given.used !== undefined ? given.used : difference(given.limit, given.remaining);
  const limit = given.limit !== undefined ? given.limit : sum(given.used, given.remaining);
  const remaining = given.remaining !== undefined ? given.remaining : difference(given.limit, given.used);
  const unlimited = (await reader.boolean('unlimited')) ?? false;
  const resetsAt = await reader.time('resetsAt');
  const currency = await reader.currency('currency');
  const breakdown = await reader.breakdown('breakdown');
  return {
    id: meter.spec.id,
    label: meter.spec.label,
    unit: meter.spec.unit,
    ...(currency ? { currency } : {}),
    used,
    // The contract: an unlimited meter has no limit and nothing "remaining" to warn about.
    limit: unlimited ? null : limit,
    remaining: unlimited ? null : remaining,
    unlimited,
    ...(resetsAt ? { resetsAt } : {}),
    ...(breakdown ? { breakdown } : {}),
  };
}

/** `a − b`, or null when either is missing; undefined stays "not described". */
function difference(a: number | null | undefined, b: number | null | undefined): number | null {
  return typeof a === 'number' && typeof b === 'number' ? a - b : null;
}

function sum(a: number | null | undefined, b: number | null | undefined): number | null {
  return typeof a === 'number' && typeof b === 'number' ? a + b : null;
}

/** Reads one meter's fields; every "no" is a ProviderError written for the person fixing the expression. */
class FieldReader {
  constructor(
    private readonly meter: CompiledMeter,
    private readonly answer: unknown,
    private readonly context: ReadContext,
  ) {}

  /** undefined: the meter does not describe this field; null: the API reports none. */
  async number(field: MeterExpressionField): Promise<number | null | undefined> {
    const found = await this.evaluate(field);
    if (found === NOT_DESCRIBED || found.value === null) return found === NOT_DESCRIBED ? undefined : null;
    const { value, expression } = found;
    if (typeof value === 'number' && Number.isFinite(value)) return value;
    if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) {
      throw this.mismatch(
        field,
        expression,
        `gave the text ${this.shown(value, expression)} where a number belongs; if the API sends numbers as text, write ${suggestNumber(expression)}`,
      );
    }
    throw this.mismatch(field, expression, `gave ${this.describe(value, expression)} where a number (or null) belongs`);
  }

  async boolean(field: MeterExpressionField): Promise<boolean | undefined> {
    const found = await this.evaluate(field);
    if (found === NOT_DESCRIBED || found.value === null) return undefined;
    if (typeof found.value === 'boolean') return found.value;
    throw this.mismatch(
      field,
      found.expression,
      `gave ${this.describe(found.value, found.expression)} where true or false belongs (write a comparison, such as "data.limit = null")`,
    );
  }

  /** An ISO time, from epoch seconds or milliseconds or an ISO date; undefined when there is none. */
  async time(field: MeterExpressionField): Promise<string | undefined> {
    const found = await this.evaluate(field);
    if (found === NOT_DESCRIBED || found.value === null) return undefined;
    const { value, expression } = found;
    const time = toTime(value);
    if (time) return time.toISOString();
    throw this.mismatch(
      field,
      expression,
      `gave ${this.describe(value, expression)} where a time belongs (epoch seconds or milliseconds, an ISO date such as "2026-12-17", or null)`,
    );
  }

  async currency(field: MeterExpressionField): Promise<string | undefined> {
    const found = await this.evaluate(field);
    if (found === NOT_DESCRIBED) return undefined;
    if (typeof found.value === 'string' && /^[A-Za-z]{3}$/.test(found.value.trim()))
      return found.value.trim().toUpperCase();
    throw this.mismatch(
      field,
      found.expression,
      `gave ${this.describe(found.value, found.expression)} where a three-letter currency code belongs (write "'USD'" for a fixed one)`,
    );
  }

  async breakdown(field: MeterExpressionField): Promise<BreakdownItem[] | undefined> {
    const found = await this.evaluate(field, { emptyIsNone: true });
    if (found === NOT_DESCRIBED) return undefined;
    if (found.value === null || found.value === undefined) return [];
    const list = Array.isArray(found.value) ? found.value : [found.value];
    const parsed = breakdownSchema.safeParse(list);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const where = issue ? ` (item ${issue.path.map(String).join('.')}: ${issue.message})` : '';
      throw this.mismatch(
        field,
        found.expression,
        `gave a list Headroom cannot use${where}; each item needs a "key", a number "used" and optionally a "label"`,
      );
    }
    return parsed.data.map((item) => ({ key: item.key, label: item.label ?? item.key, used: item.used }));
  }

  /**
   * The expression's value. JSONata's "nothing" (undefined) is a missing field and fails, naming the
   * field when the answer lacks one the expression reads; with `emptyIsNone`, nothing found in
   * fields that do exist is an empty result instead (a breakdown of an empty list).
   */
  private async evaluate(
    field: MeterExpressionField,
    options: { emptyIsNone?: boolean } = {},
  ): Promise<typeof NOT_DESCRIBED | { value: unknown; expression: CompiledExpression }> {
    const expression = this.meter.expressions[field];
    if (!expression) return NOT_DESCRIBED;
    let value: unknown;
    try {
      value = await expression.evaluate(this.answer, this.context.now);
    } catch (error) {
      throw this.mismatch(field, expression, `failed: ${describeFailure(readFailure(error))}`);
    }
    if (value === undefined) {
      const missing = firstMissingPath(expression.paths, this.answer);
      if (missing)
        throw this.mismatch(field, expression, `found nothing: the answer has no field "${fieldName(missing)}"`, {
          named: true,
        });
      if (options.emptyIsNone) return { value: undefined, expression };
      throw this.mismatch(field, expression, 'found nothing in the answer');
    }
    return { value, expression };
  }

  /**
   * A value from the answer as a message may quote it: secrets masked before it is clipped, secret-looking fields not
   * quoted at all.
   */
  private shown(text: string, expression: CompiledExpression): string {
    const last = expression.paths.map((path) => path.at(-1) ?? '');
    if (last.some((name) => SECRET_KEY.test(name))) return `"${REDACTED}"`;
    return quote(redact(text, this.context.secrets));
  }

  private describe(value: unknown, expression: CompiledExpression): string {
    return typeof value === 'string' ? `the text ${this.shown(value, expression)}` : describeValue(value);
  }

  private mismatch(
    field: MeterExpressionField,
    expression: CompiledExpression,
    what: string,
    options: { named?: boolean } = {},
  ): ProviderError {
    const [only] = expression.paths;
    const fieldNote =
      !options.named && expression.paths.length === 1 && only && fieldName(only) !== expression.source.trim()
        ? ` (field "${fieldName(only)}")`
        : '';
    const { service, account, secrets } = this.context;
    const message =
      `${service} answered for '${account}', but Headroom could not read the meter "${this.meter.spec.label}": ` +
      `the ${field} expression ${quote(expression.source)}${fieldNote} ${what}. ` +
      'Fix the expression in Settings; "Test connection" shows the answer beside the meters.';
    return new ProviderError('bad_response', redact(message, secrets));
  }
}

const NOT_DESCRIBED = Symbol('not described');

function toTime(value: unknown): Date | undefined {
  if (typeof value === 'number' && Number.isFinite(value) && value > 0) {
    const date = new Date(value < EPOCH_SECONDS_BELOW ? value * 1000 : value);
    return Number.isNaN(date.getTime()) ? undefined : date;
  }
  if (typeof value === 'string') {
    const text = value.trim();
    const match = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/i.exec(text);
    if (!match) return undefined;
    // A date and time without an offset is read as UTC, never as this computer's local time.
    const hasTime = text.length > 10;
    const iso = hasTime && match[1] === undefined ? `${text.replace(' ', 'T')}Z` : text.replace(' ', 'T');
    const time = Date.parse(iso);
    return Number.isNaN(time) ? undefined : new Date(time);
  }
  return undefined;
}

/** Any value but text, which `FieldReader.describe` masks and quotes. */
function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'nothing';
  if (typeof value === 'number') return `the number ${String(value)}`;
  if (typeof value === 'boolean') return `the value ${String(value)}`;
  if (Array.isArray(value)) return `a list of ${value.length} values`;
  if (typeof value === 'object') return 'an object';
  return 'a value of another kind';
}

function quote(text: string): string {
  return JSON.stringify(text.length > 60 ? `${text.slice(0, 57)}...` : text);
}

function suggestNumber(expression: CompiledExpression): string {
  return `$number(${expression.source.trim()})`;
}
