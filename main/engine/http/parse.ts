import type { z } from 'zod';
import { ProviderError } from '../errors';
import { looksLikeHtml, type HttpResponse, type RequestContext } from './client';
import { quoteSafely } from './redact';

type MessageContext = Pick<RequestContext, 'service' | 'account' | 'secrets'>;

/** Parses a JSON body; an HTML page is a `server` failure, anything else unparseable is `bad_response`. */
export function parseJsonBody(response: HttpResponse, context: MessageContext): unknown {
  if (looksLikeHtml(response)) {
    throw new ProviderError(
      'server',
      `${context.service} answered with a web page instead of data (HTTP ${response.status}) for '${context.account}'; the service may be down, or the address in Settings may not be its API.`,
    );
  }
  try {
    return JSON.parse(response.body) as unknown;
  } catch {
    throw new ProviderError(
      'bad_response',
      `${context.service} sent an answer that is not JSON (HTTP ${response.status}) for '${context.account}': "${quoteSafely(response.body, context.secrets, 160)}".`,
    );
  }
}

/**
 * The error body of a failed answer, where it has the service's documented shape; undefined for
 * anything else (a web page, text, another shape), so the message falls back to the status.
 */
export function readErrorBody<T extends z.ZodType>(
  response: HttpResponse,
  context: MessageContext,
  schema: T,
): z.infer<T> | undefined {
  let value: unknown;
  try {
    value = parseJsonBody(response, context);
  } catch {
    return undefined;
  }
  const parsed = schema.safeParse(value);
  return parsed.success ? parsed.data : undefined;
}

/** Validates a value against a schema; a mismatch is `bad_response` naming the field. */
export function validateShape<T extends z.ZodType>(
  schema: T,
  value: unknown,
  context: MessageContext,
  what: string,
): z.infer<T> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw new ProviderError(
    'bad_response',
    `${context.service} sent ${what} in an unexpected shape for '${context.account}': ${describeIssues(result.error)}.`,
  );
}

export function parseJson<T extends z.ZodType>(
  response: HttpResponse,
  schema: T,
  context: MessageContext,
  what: string,
): z.infer<T> {
  return validateShape(schema, parseJsonBody(response, context), context, what);
}

/** The message for a status the provider has no specific meaning for. */
export function unexpectedStatus(response: HttpResponse, context: MessageContext): ProviderError {
  const who = `'${context.account}'`;
  switch (response.status) {
    case 401:
    case 403:
      return new ProviderError(
        'auth',
        `${context.service} refused the credentials for ${who} (HTTP ${response.status}); check them in Settings.`,
      );
    case 404:
      return new ProviderError(
        'config',
        `${context.service} has nothing at ${response.safeUrl} (HTTP 404) for ${who}; check the address in Settings.`,
      );
    default:
      return new ProviderError(
        'bad_response',
        `${context.service} answered HTTP ${response.status} for ${who}, which Headroom does not expect: "${quoteSafely(response.body, context.secrets, 160)}".`,
      );
  }
}

export function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((issue) => {
      const path = issue.path.length ? issue.path.map(String).join('.') : '(the whole answer)';
      return `field "${path}": ${issue.message}`;
    })
    .join('; ');
}
