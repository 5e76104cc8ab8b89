import { z } from 'zod';
import { ProviderError } from '../../errors';
import type { HttpResponse } from '../../http/client';
import { parseJsonBody, unexpectedStatus } from '../../http/parse';
import { quoteSafely } from '../../http/redact';
import type { FetchContext } from '../provider';

/** Service, account label and the secrets to keep out of messages (the password, and the token once known). */
export type Messages = FetchContext['messages'];

/** `{"error":{"code":498,"message":"Invalid token.","details":[]}}`, usually with HTTP 200. */
const errorBodySchema = z.object({
  error: z.object({
    code: z.union([z.number(), z.string()]).optional(),
    messageCode: z.string().optional(),
    message: z.string().nullish(),
    details: z.array(z.unknown()).nullish(),
  }),
});
export type ArcgisError = z.infer<typeof errorBodySchema>['error'];

/** ArcGIS explains failures in a JSON body, even with HTTP 4xx; any other non-2xx is the generic case. */
export function readBody(response: HttpResponse, messages: Messages): unknown {
  if (response.status >= 200 && response.status < 300) return parseJsonBody(response, messages);
  let body: unknown;
  try {
    body = JSON.parse(response.body) as unknown;
  } catch {
    throw unexpectedStatus(response, messages);
  }
  if (arcgisErrorOf(body)) return body;
  throw unexpectedStatus(response, messages);
}

export function arcgisErrorOf(body: unknown): ArcgisError | undefined {
  const result = errorBodySchema.safeParse(body);
  return result.success ? result.data.error : undefined;
}

function codeOf(error: ArcgisError): number | undefined {
  const code = typeof error.code === 'string' ? Number(error.code) : error.code;
  return code !== undefined && Number.isFinite(code) ? code : undefined;
}

/**
 * Esri's REST client treats 498, 499 and messageCode GWM_0003 as auth errors. GWM_0003 also comes
 * with 403 ("You do not have permissions…"), where a new token cannot help, so only the codes retry.
 */
export function isTokenProblem(error: ArcgisError): boolean {
  const code = codeOf(error);
  return code === 498 || code === 499;
}

/** The signed-in user may not read this (403 "You do not have permissions…", GWM_0003, or 401). */
export function isPermissionProblem(error: ArcgisError): boolean {
  const code = codeOf(error);
  return !isTokenProblem(error) && (code === 401 || code === 403 || error.messageCode === 'GWM_0003');
}

function isBadCredentials(error: ArcgisError): boolean {
  return /invalid username or password/i.test(describe(error));
}

/** "Unable to generate token. Invalid username or password." — ArcGIS's own words, clipped, secrets removed. */
function describe(error: ArcgisError, secrets: readonly string[] = []): string {
  const parts = [
    error.message ?? '',
    ...(error.details ?? []).filter((detail): detail is string => typeof detail === 'string'),
  ];
  const unique = [...new Set(parts.map((part) => part.trim()).filter(Boolean))];
  const text = unique.map((part) => (/[.!?]$/.test(part) ? part : `${part}.`)).join(' ');
  return quoteSafely(text, secrets);
}

export function saying(error: ArcgisError, messages: Messages): string {
  const code = codeOf(error) ?? error.messageCode ?? 'no code';
  const text = describe(error, messages.secrets);
  return text ? `(${code}: "${text}")` : `(code ${code})`;
}

/** Failures any ArcGIS answer may carry: busy or broken servers. */
function transientFailure(error: ArcgisError, messages: Messages): ProviderError | undefined {
  const { service, account } = messages;
  const code = codeOf(error);
  if (code === 429) {
    return new ProviderError(
      'rate_limited',
      `${service} is rate limiting requests for '${account}' ${saying(error, messages)}. Headroom will ask again later.`,
    );
  }
  if (code !== undefined && code >= 500) {
    return new ProviderError(
      'server',
      `${service} reported a server error for '${account}' ${saying(error, messages)}; this is usually temporary and Headroom will try again.`,
    );
  }
  return undefined;
}

export function tokenFailure(error: ArcgisError, username: string, messages: Messages): ProviderError {
  const { service, account } = messages;
  if (isBadCredentials(error)) {
    return new ProviderError(
      'auth',
      `${service} rejected the user name or password for '${account}'; check them in Settings.`,
    );
  }
  return (
    transientFailure(error, messages) ??
    new ProviderError(
      'auth',
      `${service} would not sign in '${username}' for '${account}' ${saying(error, messages)}. Check the user name and password in Settings.`,
    )
  );
}

export function portalFailure(error: ArcgisError, username: string, messages: Messages): ProviderError {
  const { service, account } = messages;
  if (isPermissionProblem(error)) {
    return new ProviderError(
      'auth',
      `${service} does not allow '${username}' to read the organization's details for '${account}' ${saying(error, messages)}. Use an administrator account in Settings, or ask an administrator to check this account's role.`,
    );
  }
  return unexpectedAnswer(error, messages);
}

/** An error body that is neither a token nor a permission problem. */
export function unexpectedAnswer(error: ArcgisError, messages: Messages, what = ''): ProviderError {
  const { service, account } = messages;
  return (
    transientFailure(error, messages) ??
    new ProviderError(
      'bad_response',
      `${service} answered${what ? ` ${what}` : ''} with an error Headroom does not expect for '${account}' ${saying(error, messages)}. Check the portal address in Settings; if it is right, try again later.`,
    )
  );
}

export function tokenRejected(error: ArcgisError, messages: Messages): ProviderError {
  const { service, account } = messages;
  return new ProviderError(
    'auth',
    `${service} did not accept a freshly issued sign-in token for '${account}' ${saying(error, messages)}. Check the portal address and the account in Settings; a proxy that removes the token or the Referer header would also cause this.`,
  );
}

export function httpsRequired(portalUrl: string, messages: Messages): ProviderError {
  return new ProviderError(
    'config',
    `${messages.service} only accepts the sign-in token of '${messages.account}' over HTTPS, but the portal address is ${portalUrl}. Change it to start with https:// in Settings.`,
  );
}
