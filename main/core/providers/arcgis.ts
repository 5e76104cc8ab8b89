import { z } from 'zod';
import type { MeterReading } from '../../../shared/snapshot';
import { ProviderError } from '../errors';
import type { HttpResponse } from '../http/client';
import { parseJsonBody, unexpectedStatus, validateShape } from '../http/parse';
import { quoteSafely } from '../http/redact';
import { baseUrlSchema, defineProvider, type AccountSession, type FetchContext, type FetchResult } from './provider';

/**
 * ArcGIS Online: a token from `POST {portalUrl}/sharing/rest/generateToken`, then the
 * organization as the signed-in user sees it from `GET {portalUrl}/sharing/rest/portals/self`
 * (`availableCredits`, `storageUsage`, `storageQuota`). Reading portals/self costs no credits.
 */

export const ARCGIS_DEFAULT_PORTAL_URL = 'https://www.arcgis.com';

/** Minutes asked for in generateToken; the portal may grant less (`maxTokenExpirationMinutes`). */
export const ARCGIS_TOKEN_MINUTES = 60;
/** A cached token is renewed this long before its `expires`, so it never dies mid-request. */
export const ARCGIS_TOKEN_RENEW_BEFORE_MS = 2 * 60_000;

/** People paste the address they see: `…/home` or `…/sharing/rest` work as well as the bare portal. */
const portalUrlSchema = baseUrlSchema.transform((url) => url.replace(/\/(?:home|sharing(?:\/rest)?)$/i, ''));

const configSchema = z.strictObject({
  portalUrl: portalUrlSchema.default(ARCGIS_DEFAULT_PORTAL_URL),
  username: z.string().trim().min(1, 'enter the ArcGIS user name'),
  /** ArcGIS reports what is left, not a limit: a budget makes percentages possible. */
  creditBudget: z.number().positive().optional(),
});
type ArcgisConfig = z.infer<typeof configSchema>;

const secretsSchema = z.object({ password: z.string().min(1) });
type ArcgisSecrets = z.infer<typeof secretsSchema>;

/** Epoch milliseconds; ArcGIS Server's admin docs show it as a string of digits, so both are read. */
const epochMsSchema = z.union([
  z.number().int().positive(),
  z.string().regex(/^\d{10,}$/, 'must be a time in epoch milliseconds').transform(Number),
]);

const tokenAnswerSchema = z.object({
  token: z.string().min(1),
  expires: epochMsSchema,
  /** True: the token may only travel over HTTPS. */
  ssl: z.boolean().optional(),
});

/** Only the fields Headroom reads; the answer has dozens more (see seed 000's organizationInformation). */
const portalSelfSchema = z.object({
  isPortal: z.boolean().optional(),
  /** Can go below zero: an organization may overspend its credits. */
  availableCredits: z.number().nullish(),
  storageUsage: z.number().min(0).nullish(),
  storageQuota: z.number().nullish(),
  /** Present only when the token was accepted: without it this is the anonymous view. */
  user: z.object({ username: z.string() }).nullish(),
});
type PortalSelf = z.infer<typeof portalSelfSchema>;

/** `{"error":{"code":498,"message":"Invalid token.","details":[]}}`, usually with HTTP 200. */
const errorBodySchema = z.object({
  error: z.object({
    code: z.union([z.number(), z.string()]).optional(),
    messageCode: z.string().optional(),
    message: z.string().nullish(),
    details: z.array(z.unknown()).nullish(),
  }),
});
type ArcgisError = z.infer<typeof errorBodySchema>['error'];

interface CachedToken {
  value: string;
  renewAt: number;
}

type Messages = FetchContext['messages'];

/** A failed answer keeps the messages that know the token, so no message can repeat it. */
type PortalAnswer = { ok: true; portal: PortalSelf } | { ok: false; error: ArcgisError; messages: Messages };

export const arcgisProvider = defineProvider({
  id: 'arcgis',
  name: 'ArcGIS Online',
  configSchema,
  secretsSchema,
  secretFields: [
    { key: 'password', label: 'Password', help: 'The password of the ArcGIS user name above. An administrator account can read the organization\'s credits.' },
  ],
  minIntervalMinutes: 5,
  usageCallCountsAgainstQuota: false,
  createSession: ({ config, secrets }) => new ArcgisSession(config, secrets),
});

class ArcgisSession implements AccountSession {
  private token: CachedToken | undefined;
  /**
   * A sign-in that failed for good is not tried again in this session (new settings open a new
   * one): repeated failed sign-ins can lock the ArcGIS account, and an HTTPS-only token refused
   * over http would send the password in the clear at every poll.
   */
  private blocked: ProviderError | undefined;

  constructor(
    private readonly config: ArcgisConfig,
    private readonly secrets: ArcgisSecrets,
  ) {}

  async fetch(context: FetchContext): Promise<FetchResult> {
    const portal = await this.readPortalSelf(context);
    return { meters: metersOf(portal, this.config, context.messages) };
  }

  /** 498 (invalid or expired token) and 499 (token required): a new token once, then one retry. */
  private async readPortalSelf(context: FetchContext): Promise<PortalSelf> {
    const first = await this.requestPortalSelf(context, await this.currentToken(context));
    if (first.ok) return first.portal;
    if (!isTokenProblem(first.error)) throw portalFailure(first.error, this.config, first.messages);

    this.token = undefined;
    const second = await this.requestPortalSelf(context, await this.currentToken(context));
    if (second.ok) return second.portal;
    if (isTokenProblem(second.error)) throw tokenRejected(second.error, second.messages);
    throw portalFailure(second.error, this.config, second.messages);
  }

  private async currentToken(context: FetchContext): Promise<string> {
    if (this.token && context.now().getTime() < this.token.renewAt) return this.token.value;
    if (this.blocked) throw this.blocked;
    this.token = await this.generateToken(context);
    return this.token.value;
  }

  private async generateToken(context: FetchContext): Promise<CachedToken> {
    const { portalUrl, username } = this.config;
    const requestedAt = context.now().getTime();
    const response = await context.request({
      method: 'POST',
      url: `${portalUrl}/sharing/rest/generateToken`,
      form: {
        username,
        password: this.secrets.password,
        client: 'referer',
        referer: portalUrl,
        expiration: String(ARCGIS_TOKEN_MINUTES),
        f: 'json',
      },
      headers: { Accept: 'application/json' },
    });
    const body = readBody(response, context.messages);
    const error = arcgisErrorOf(body);
    if (error) throw this.blockIfFinal(tokenFailure(error, this.config, context.messages));

    const answer = validateShape(tokenAnswerSchema, body, context.messages, 'its sign-in token');
    if (answer.ssl === true && !portalUrl.toLowerCase().startsWith('https:')) throw this.blockIfFinal(httpsRequired(this.config, context.messages));
    // Never trust a lifetime longer than the one asked for: the local clock may disagree with the portal's.
    const expiresAt = Math.min(answer.expires, requestedAt + ARCGIS_TOKEN_MINUTES * 60_000);
    return { value: answer.token, renewAt: expiresAt - ARCGIS_TOKEN_RENEW_BEFORE_MS };
  }

  private blockIfFinal(error: ProviderError): ProviderError {
    if (error.kind === 'auth' || error.kind === 'config') this.blocked = error;
    return error;
  }

  private async requestPortalSelf(context: FetchContext, token: string): Promise<PortalAnswer> {
    const { portalUrl } = this.config;
    const response = await context.request({
      url: `${portalUrl}/sharing/rest/portals/self`,
      query: { f: 'json', token },
      // The token is bound to this referer (client=referer), so every request must carry it.
      headers: { Accept: 'application/json', Referer: portalUrl },
    });
    const messages = { ...context.messages, secrets: [...context.messages.secrets, token] };
    const body = readBody(response, messages);
    const error = arcgisErrorOf(body);
    if (error) return { ok: false, error, messages };
    return { ok: true, portal: validateShape(portalSelfSchema, body, messages, 'its organization details') };
  }
}

/** ArcGIS explains failures in a JSON body, even with HTTP 4xx; any other non-2xx is the generic case. */
function readBody(response: HttpResponse, messages: Messages): unknown {
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

function arcgisErrorOf(body: unknown): ArcgisError | undefined {
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
function isTokenProblem(error: ArcgisError): boolean {
  const code = codeOf(error);
  return code === 498 || code === 499;
}

function isBadCredentials(error: ArcgisError): boolean {
  return /invalid username or password/i.test(describe(error));
}

/** "Unable to generate token. Invalid username or password." — ArcGIS's own words, clipped, secrets removed. */
function describe(error: ArcgisError, secrets: readonly string[] = []): string {
  const parts = [error.message ?? '', ...(error.details ?? []).filter((detail): detail is string => typeof detail === 'string')];
  const unique = [...new Set(parts.map((part) => part.trim()).filter(Boolean))];
  const text = unique.map((part) => (/[.!?]$/.test(part) ? part : `${part}.`)).join(' ');
  return quoteSafely(text, secrets);
}

function saying(error: ArcgisError, messages: Messages): string {
  const code = codeOf(error) ?? error.messageCode ?? 'no code';
  const text = describe(error, messages.secrets);
  return text ? `(${code}: "${text}")` : `(code ${code})`;
}

/** Failures any ArcGIS answer may carry: busy or broken servers. */
function transientFailure(error: ArcgisError, messages: Messages): ProviderError | undefined {
  const { service, account } = messages;
  const code = codeOf(error);
  if (code === 429) {
    return new ProviderError('rate_limited', `${service} is rate limiting requests for '${account}' ${saying(error, messages)}. Headroom will ask again later.`);
  }
  if (code !== undefined && code >= 500) {
    return new ProviderError('server', `${service} reported a server error for '${account}' ${saying(error, messages)}; this is usually temporary and Headroom will try again.`);
  }
  return undefined;
}

function tokenFailure(error: ArcgisError, config: ArcgisConfig, messages: Messages): ProviderError {
  const { service, account } = messages;
  if (isBadCredentials(error)) {
    return new ProviderError('auth', `${service} rejected the user name or password for '${account}'; check them in Settings.`);
  }
  return (
    transientFailure(error, messages) ??
    new ProviderError('auth', `${service} would not sign in '${config.username}' for '${account}' ${saying(error, messages)}. Check the user name and password in Settings.`)
  );
}

function portalFailure(error: ArcgisError, config: ArcgisConfig, messages: Messages): ProviderError {
  const { service, account } = messages;
  const code = codeOf(error);
  if (code === 401 || code === 403 || error.messageCode === 'GWM_0003') {
    return new ProviderError(
      'auth',
      `${service} does not allow '${config.username}' to read the organization's details for '${account}' ${saying(error, messages)}. Use an administrator account in Settings, or ask an administrator to check this account's role.`,
    );
  }
  return (
    transientFailure(error, messages) ??
    new ProviderError('bad_response', `${service} answered with an error Headroom does not expect for '${account}' ${saying(error, messages)}. Check the portal address in Settings; if it is right, try again later.`)
  );
}

function tokenRejected(error: ArcgisError, messages: Messages): ProviderError {
  const { service, account } = messages;
  return new ProviderError(
    'auth',
    `${service} did not accept a freshly issued sign-in token for '${account}' ${saying(error, messages)}. Check the portal address and the account in Settings; a proxy that removes the token or the Referer header would also cause this.`,
  );
}

function httpsRequired(config: ArcgisConfig, messages: Messages): ProviderError {
  return new ProviderError(
    'config',
    `${messages.service} only accepts the sign-in token of '${messages.account}' over HTTPS, but the portal address is ${config.portalUrl}. Change it to start with https:// in Settings.`,
  );
}

function metersOf(portal: PortalSelf, config: ArcgisConfig, messages: Messages): MeterReading[] {
  const { service, account } = messages;
  if (portal.isPortal === true) {
    throw new ProviderError(
      'config',
      `The portal at ${config.portalUrl} for '${account}' is ArcGIS Enterprise, which has no credits to report; Headroom watches ArcGIS Online organizations. Check the portal address in Settings.`,
    );
  }
  if (!portal.user) {
    throw new ProviderError(
      'auth',
      `${service} answered for '${account}' as if nobody had signed in: it did not accept the sign-in token. Check the portal address and the user name in Settings.`,
    );
  }
  if (portal.availableCredits === null || portal.availableCredits === undefined) {
    throw new ProviderError(
      'config',
      `${service} does not show the organization's credits to '${portal.user.username}' for '${account}': only administrators (or members whose role may view the organization's credit status) can read them. Use such an account in Settings.`,
    );
  }
  const storage = storageMeter(portal);
  return [creditsMeter(portal.availableCredits, config.creditBudget), ...(storage ? [storage] : [])];
}

function creditsMeter(remaining: number, budget: number | undefined): MeterReading {
  return {
    id: 'credits',
    label: 'Credits',
    unit: 'credits',
    used: budget === undefined ? null : budget - remaining,
    limit: budget ?? null,
    remaining,
    unlimited: false,
  };
}

/** Omitted when ArcGIS does not report the usage: an invented zero would look like an empty store. */
function storageMeter(portal: PortalSelf): MeterReading | undefined {
  const used = portal.storageUsage;
  if (used === null || used === undefined) return undefined;
  // A quota of zero or less is not a real limit; show the usage without a percentage.
  const quota = portal.storageQuota !== null && portal.storageQuota !== undefined && portal.storageQuota > 0 ? portal.storageQuota : null;
  return {
    id: 'storage',
    label: 'Storage',
    unit: 'bytes',
    used,
    limit: quota,
    remaining: quota === null ? null : quota - used,
    unlimited: false,
  };
}
