import { ProviderError } from '../../errors';
import type { HttpResponse } from '../../http/client';
import { redact } from '../../http/redact';
import { parseRetryAfter } from '../../http/retry-after';
import { compileExpression, type CompiledExpression } from './expressions';

/**
 * What a non-2xx answer means for a described endpoint. The HTTP client already turned 429 and
 * 5xx into `rate_limited` and `server`; this reads the rest the way the built-in providers do,
 * quoting what the API itself said.
 */

/**
 * Where error bodies usually say what went wrong: `{"error": "…"}` (SerpApi, Shodan),
 * `{"error": {"message": "…"}}` (OpenRouter), `{"message": "…"}` (GitHub, DeepL, Twilio),
 * `{"detail": {"message": "…"}}` (ElevenLabs), `{"detail": "…"}`, `{"description": "…"}`.
 */
export const DEFAULT_ERROR_MESSAGE =
  "[error.message, error, message, detail.message, detail, description, errors[0].message][$type($) = 'string'][0]";

const defaultErrorMessage = compileExpression(DEFAULT_ERROR_MESSAGE);

export interface AnswerContext {
  service: string;
  account: string;
  secrets: readonly string[];
  now: Date;
  errorMessage: CompiledExpression | undefined;
  /** What the user should check, by the labels they know: "the Account SID and the Auth Token". */
  credentials: string;
}

export async function answerError(response: HttpResponse, context: AnswerContext): Promise<ProviderError> {
  const who = `'${context.account}'`;
  const { status } = response;
  const said = await whatItSaid(response, context);
  const quote = said ? `, "${said}"` : '';

  // GitHub's documented rate limits: 403 with `x-ratelimit-remaining: 0` and the reset in epoch
  // seconds (primary), or 403 with `retry-after` (secondary). Other APIs use the same headers.
  if (
    status === 403 &&
    (response.headers['x-ratelimit-remaining'] === '0' || response.headers['retry-after'] !== undefined)
  ) {
    const retryAt = resetTime(response, context.now);
    const when = retryAt
      ? ` Headroom will wait until ${retryAt.toISOString()} before asking again.`
      : ' Headroom will ask again later.';
    return new ProviderError(
      'rate_limited',
      `${context.service} says the rate limit for ${who} is used up (HTTP ${status}${quote}).${when}`,
      retryAt,
    );
  }
  if (status >= 300 && status < 400) {
    const location = response.headers.location ? ` to ${redact(response.headers.location, context.secrets)}` : '';
    return new ProviderError(
      'config',
      `${context.service} redirected Headroom's request for ${who}${location} (HTTP ${status}); put the final address in Settings.`,
    );
  }
  switch (status) {
    case 401:
    case 403:
      return new ProviderError(
        'auth',
        `${context.service} refused the credentials for ${who} (HTTP ${status}${quote}). Check ${context.credentials} in Settings.`,
      );
    case 402:
      return new ProviderError(
        'auth',
        `${context.service} says payment is required for ${who} (HTTP 402${quote}). Check the plan or balance with ${context.service}.`,
      );
    case 404:
      return new ProviderError(
        'config',
        `${context.service} has nothing at ${response.safeUrl} for ${who} (HTTP 404${quote}). Check the address in Settings.`,
      );
    default:
      return new ProviderError(
        'bad_response',
        `${context.service} answered HTTP ${status} for ${who}, which is not a usage report: "${said ?? clip(redact(response.body, context.secrets))}".`,
      );
  }
}

async function whatItSaid(response: HttpResponse, context: AnswerContext): Promise<string | undefined> {
  let body: unknown;
  try {
    body = JSON.parse(response.body) as unknown;
  } catch {
    return undefined;
  }
  let value: unknown;
  try {
    value = await (context.errorMessage ?? defaultErrorMessage).evaluate(body, context.now);
  } catch {
    return undefined;
  }
  return typeof value === 'string' && value.trim() !== '' ? clip(redact(value, context.secrets)) : undefined;
}

/** `x-ratelimit-reset` (epoch seconds), else Retry-After. */
function resetTime(response: HttpResponse, now: Date): Date | undefined {
  const reset = response.headers['x-ratelimit-reset'];
  if (reset && /^\d+$/.test(reset.trim())) {
    const time = Number(reset) * 1000;
    return new Date(Math.max(time, now.getTime()));
  }
  return parseRetryAfter(response.headers['retry-after'], now);
}

function clip(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 200 ? `${flat.slice(0, 197)}...` : flat;
}
