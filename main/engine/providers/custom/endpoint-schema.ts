import { z } from 'zod';
import { meterUnitSchema } from '../../../../shared/snapshot';
import { findPreset, presetIds } from './presets';
import { compileProblem, describeFailure } from './expressions';
import { placeholderProblems, referencedSecrets, SECRET_NAME_PATTERN } from './placeholders';

/**
 * What a user writes to describe a usage endpoint (the `config` of a `custom` account): the
 * request, the secrets it names, and the meters as JSONata expressions over the JSON answer.
 * Every expression is compiled here, so a bad one is a config error naming the meter and the
 * expression, not a surprise at the next poll.
 */

/** An expression over the JSON answer (https://jsonata.org). */
const expressionSchema = z
  .string()
  .trim()
  .min(1, 'needs an expression')
  .max(2_000, 'is too long (2,000 characters at most)');

const secretNameSchema = z
  .string()
  .regex(SECRET_NAME_PATTERN, 'a secret name: a letter, then letters, digits or "_" (64 at most)');

/** The RFC 9110 token characters. */
const headerNameSchema = z.string().regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/, 'is not a valid HTTP header name');

/** Meter fields that are expressions, in the order a meter is read. */
export const METER_EXPRESSION_FIELDS = [
  'used',
  'limit',
  'remaining',
  'unlimited',
  'resetsAt',
  'currency',
  'breakdown',
] as const;
export type MeterExpressionField = (typeof METER_EXPRESSION_FIELDS)[number];

export const meterSpecSchema = z
  .strictObject({
    id: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,63}$/i, 'use letters, digits, "-" or "_" (at most 64)'),
    label: z.string().trim().min(1).max(80),
    unit: meterUnitSchema,
    /** Any two of used, limit and remaining give the third. */
    used: expressionSchema.optional(),
    limit: expressionSchema.optional(),
    remaining: expressionSchema.optional(),
    /** True when the API says there is no limit. */
    unlimited: expressionSchema.optional(),
    /** Epoch seconds or milliseconds, or an ISO date; null when the API gives none. */
    resetsAt: expressionSchema.optional(),
    /** A three-letter currency code (money meters only): `'USD'` or `currency`. */
    currency: expressionSchema.optional(),
    /** A list of `{ key, label?, used }`. */
    breakdown: expressionSchema.optional(),
  })
  .superRefine((meter, ctx) => {
    if (meter.used === undefined && meter.limit === undefined && meter.remaining === undefined) {
      ctx.addIssue({
        code: 'custom',
        message: `meter "${meter.id}" needs at least one of used, limit and remaining`,
        path: [],
      });
    }
    if (meter.unit === 'money' && meter.currency === undefined) {
      ctx.addIssue({
        code: 'custom',
        message: `meter "${meter.id}" counts money, so it needs a currency (for example "'USD'" or an expression such as "currency")`,
        path: ['currency'],
      });
    }
    if (meter.unit !== 'money' && meter.currency !== undefined) {
      ctx.addIssue({
        code: 'custom',
        message: `meter "${meter.id}" has a currency but its unit is "${meter.unit}"; use the unit "money"`,
        path: ['currency'],
      });
    }
    for (const field of METER_EXPRESSION_FIELDS) {
      const source = meter[field];
      if (source === undefined) continue;
      const problem = compileProblem(source);
      if (problem) {
        ctx.addIssue({
          code: 'custom',
          message: `the ${field} expression ${JSON.stringify(source)} of meter "${meter.id}" does not compile: ${describeFailure(problem)}`,
          path: [field],
        });
      }
    }
  });
export type MeterSpec = z.infer<typeof meterSpecSchema>;

const textWithSecretsSchema = z.string().max(4_000);

export const endpointSchema = z
  .strictObject({
    /** The preset this description started from (kept so the form can show it); its fields are filled in. */
    preset: z.string().optional(),
    /** The service's name as people know it, used in messages; default: the URL's host. */
    service: z.string().trim().min(1).max(60).optional(),
    url: textWithSecretsSchema,
    method: z.enum(['GET', 'POST']).default('GET'),
    headers: z.record(headerNameSchema, textWithSecretsSchema).default({}),
    query: z.record(z.string().min(1), textWithSecretsSchema).default({}),
    /** POST only: `form` is sent as application/x-www-form-urlencoded, `json` as application/json. */
    body: z
      .union([
        z.strictObject({ form: z.record(z.string().min(1), textWithSecretsSchema) }),
        z.strictObject({ json: z.json() }),
      ])
      .optional(),
    /** HTTP basic authentication (Twilio: Account SID and Auth Token). */
    basicAuth: z.strictObject({ username: textWithSecretsSchema, password: textWithSecretsSchema }).optional(),
    /** Names of the secrets the placeholders refer to; their values live in the keychain. */
    secrets: z.array(secretNameSchema).max(10).default([]),
    meters: z.array(meterSpecSchema).min(1, 'needs at least one meter').max(20),
    /** Where an error answer says what went wrong; default: the usual `error`, `message`, `detail` fields. */
    errorMessage: expressionSchema.optional(),
    /** True when each usage call is billed against the quota it reports. */
    usageCallCountsAgainstQuota: z.boolean().default(false),
    /** Never poll more often than this. */
    minIntervalMinutes: z
      .number()
      .min(0)
      .max(24 * 60)
      .default(5),
  })
  .superRefine((endpoint, ctx) => {
    checkPlaceholders(endpoint, ctx);
    checkUrl(endpoint.url, ctx);
    if (endpoint.body && endpoint.method !== 'POST') {
      ctx.addIssue({ code: 'custom', message: 'a body is only sent with the POST method', path: ['body'] });
    }
    const seen = new Set<string>();
    endpoint.meters.forEach((meter, index) => {
      if (seen.has(meter.id))
        ctx.addIssue({ code: 'custom', message: `duplicate meter id "${meter.id}"`, path: ['meters', index, 'id'] });
      seen.add(meter.id);
    });
    if (endpoint.errorMessage !== undefined) {
      const problem = compileProblem(endpoint.errorMessage);
      if (problem)
        ctx.addIssue({
          code: 'custom',
          message: `the errorMessage expression does not compile: ${describeFailure(problem)}`,
          path: ['errorMessage'],
        });
    }
  });
export type Endpoint = z.infer<typeof endpointSchema>;
export type EndpointInput = z.input<typeof endpointSchema>;

/** Every text that may hold `{{secret:NAME}}`, with where it sits. */
export function secretBearingTexts(
  endpoint: Pick<Endpoint, 'url' | 'headers' | 'query' | 'body' | 'basicAuth'>,
): { path: (string | number)[]; text: string }[] {
  return [
    { path: ['url'], text: endpoint.url },
    ...Object.entries(endpoint.headers).map(([name, text]) => ({ path: ['headers', name], text })),
    ...Object.entries(endpoint.query).map(([name, text]) => ({ path: ['query', name], text })),
    ...(endpoint.body && 'form' in endpoint.body
      ? Object.entries(endpoint.body.form).map(([name, text]) => ({ path: ['body', 'form', name], text }))
      : []),
    ...(endpoint.body && 'json' in endpoint.body ? jsonStrings(endpoint.body.json, ['body', 'json']) : []),
    ...(endpoint.basicAuth
      ? [
          { path: ['basicAuth', 'username'], text: endpoint.basicAuth.username },
          { path: ['basicAuth', 'password'], text: endpoint.basicAuth.password },
        ]
      : []),
  ];
}

function checkPlaceholders(endpoint: Endpoint, ctx: z.RefinementCtx): void {
  const declared = new Set(endpoint.secrets);
  const used = new Set<string>();
  if (declared.size !== endpoint.secrets.length)
    ctx.addIssue({ code: 'custom', message: 'a secret name is declared twice', path: ['secrets'] });
  for (const { path, text } of secretBearingTexts(endpoint)) {
    for (const problem of placeholderProblems(text)) {
      ctx.addIssue({
        code: 'custom',
        message: `${problem} is not a placeholder Headroom knows; write {{secret:NAME}} for a secret named in "secrets"`,
        path,
      });
    }
    for (const name of referencedSecrets(text)) {
      used.add(name);
      if (!declared.has(name)) {
        ctx.addIssue({
          code: 'custom',
          message: `{{secret:${name}}} names a secret that "secrets" does not declare; add "${name}" to secrets`,
          path,
        });
      }
    }
  }
  endpoint.secrets.forEach((name, index) => {
    if (!used.has(name))
      ctx.addIssue({
        code: 'custom',
        message: `the secret "${name}" is declared but no {{secret:${name}}} uses it`,
        path: ['secrets', index],
      });
  });
}

/** The URL must be http(s) once its placeholders are filled; a placeholder cannot be the scheme or host. */
function checkUrl(url: string, ctx: z.RefinementCtx): void {
  let parsed: URL;
  try {
    parsed = new URL(url.replace(/\{\{[^{}]*\}\}/g, 'x'));
  } catch {
    ctx.addIssue({ code: 'custom', message: 'must be an http:// or https:// address', path: ['url'] });
    return;
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    ctx.addIssue({ code: 'custom', message: 'must be an http:// or https:// address', path: ['url'] });
  }
  const origin = /^[a-z]+:\/\/[^/?#]*/i.exec(url)?.[0] ?? '';
  if (origin.includes('{{')) {
    ctx.addIssue({
      code: 'custom',
      message: 'a secret may sit in the path or the query, not in the scheme or the host',
      path: ['url'],
    });
  }
}

/**
 * A custom account's config: a full description, or `{ "preset": "deepl", … }` where the preset
 * fills every field the config leaves out. Headers and query parameters merge name by name;
 * any other field given replaces the preset's.
 */
export const customConfigSchema = z
  .unknown()
  .transform((input, ctx) => {
    if (typeof input !== 'object' || input === null || Array.isArray(input)) return input;
    const config = input as Record<string, unknown>;
    if (config.preset === undefined) return config;
    const preset = typeof config.preset === 'string' ? findPreset(config.preset) : undefined;
    if (!preset) {
      ctx.addIssue({
        code: 'custom',
        message: `unknown preset ${JSON.stringify(config.preset)}; use one of ${presetIds().join(', ')}`,
        path: ['preset'],
      });
      return z.NEVER;
    }
    return expandPreset(
      preset.endpoint,
      preset.secrets.map((field) => field.key),
      config,
    );
  })
  .pipe(endpointSchema);

function expandPreset(
  base: Omit<EndpointInput, 'preset' | 'secrets'>,
  secrets: string[],
  config: Record<string, unknown>,
): Record<string, unknown> {
  const merged: Record<string, unknown> = { ...base, secrets, ...config };
  for (const key of ['headers', 'query'] as const) {
    const own = config[key];
    if (typeof own === 'object' && own !== null && !Array.isArray(own)) merged[key] = { ...base[key], ...own };
  }
  return merged;
}

/** The strings of a JSON body, where placeholders may stand, with their paths. */
function jsonStrings(
  value: z.core.util.JSONType,
  path: (string | number)[],
): { path: (string | number)[]; text: string }[] {
  if (typeof value === 'string') return [{ path, text: value }];
  if (Array.isArray(value)) return value.flatMap((item, index) => jsonStrings(item, [...path, index]));
  if (value !== null && typeof value === 'object')
    return Object.entries(value).flatMap(([key, item]) => jsonStrings(item, [...path, key]));
  return [];
}
