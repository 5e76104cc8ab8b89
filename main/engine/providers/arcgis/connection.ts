import { z } from 'zod';
import type { ProviderError } from '../../errors';
import { validateShape } from '../../http/parse';
import type { FetchContext } from '../provider';
import {
  arcgisErrorOf,
  httpsRequired,
  isTokenProblem,
  readBody,
  tokenFailure,
  tokenRejected,
  type ArcgisError,
  type Messages,
} from './errors';

/** Minutes asked for in generateToken; the portal may grant less (`maxTokenExpirationMinutes`). */
export const ARCGIS_TOKEN_MINUTES = 60;
/** A cached token is renewed this long before its `expires`, so it never dies mid-request. */
export const ARCGIS_TOKEN_RENEW_BEFORE_MS = 2 * 60_000;

/** Epoch milliseconds; ArcGIS Server's admin docs show it as a string of digits, so both are read. */
export const epochMsSchema = z.union([
  z.number().int().positive(),
  z
    .string()
    .regex(/^\d{10,}$/, 'must be a time in epoch milliseconds')
    .transform(Number),
]);

const tokenAnswerSchema = z.object({
  token: z.string().min(1),
  expires: epochMsSchema,
  /** True: the token may only travel over HTTPS. */
  ssl: z.boolean().optional(),
});

interface CachedToken {
  value: string;
  renewAt: number;
}

/** An answer of the sharing API: its JSON body, or the error it carries, with messages that know the token. */
export type SharingAnswer =
  { ok: true; body: unknown; messages: Messages } | { ok: false; error: ArcgisError; messages: Messages };

/**
 * The signed-in side of ArcGIS: a token from `POST {portalUrl}/sharing/rest/generateToken`, kept
 * until shortly before it expires, and GETs of the sharing API with it. A token the portal calls
 * invalid or missing (498, 499) is replaced once per request; any other error body goes back to the
 * caller, who knows what it means for that resource.
 */
export class ArcgisConnection {
  private token: CachedToken | undefined;
  /**
   * A sign-in that failed for good is not tried again in this session (new settings open a new
   * one): repeated failed sign-ins can lock the ArcGIS account, and an HTTPS-only token refused
   * over http would send the password in the clear at every poll.
   */
  private blocked: ProviderError | undefined;

  constructor(
    private readonly portalUrl: string,
    private readonly username: string,
    private readonly password: string,
  ) {}

  /** GET `{portalUrl}/sharing/rest/{path}` with `f=json` and the token; a new token once on 498/499. */
  async get(context: FetchContext, path: string, query: Record<string, string | number> = {}): Promise<SharingAnswer> {
    const first = await this.request(context, path, query, await this.currentToken(context));
    if (first.ok || !isTokenProblem(first.error)) return first;

    this.token = undefined;
    const second = await this.request(context, path, query, await this.currentToken(context));
    if (!second.ok && isTokenProblem(second.error)) throw tokenRejected(second.error, second.messages);
    return second;
  }

  private async request(
    context: FetchContext,
    path: string,
    query: Record<string, string | number>,
    token: string,
  ): Promise<SharingAnswer> {
    const response = await context.request({
      url: `${this.portalUrl}/sharing/rest/${path}`,
      query: { ...query, f: 'json', token },
      // The token is bound to this referer (client=referer), so every request must carry it.
      headers: { Accept: 'application/json', Referer: this.portalUrl },
    });
    const messages = { ...context.messages, secrets: [...context.messages.secrets, token] };
    const body = readBody(response, messages);
    const error = arcgisErrorOf(body);
    return error ? { ok: false, error, messages } : { ok: true, body, messages };
  }

  private async currentToken(context: FetchContext): Promise<string> {
    if (this.token && context.now().getTime() < this.token.renewAt) return this.token.value;
    if (this.blocked) throw this.blocked;
    this.token = await this.generateToken(context);
    return this.token.value;
  }

  private async generateToken(context: FetchContext): Promise<CachedToken> {
    const requestedAt = context.now().getTime();
    const response = await context.request({
      method: 'POST',
      url: `${this.portalUrl}/sharing/rest/generateToken`,
      form: {
        username: this.username,
        password: this.password,
        client: 'referer',
        referer: this.portalUrl,
        expiration: String(ARCGIS_TOKEN_MINUTES),
        f: 'json',
      },
      headers: { Accept: 'application/json' },
    });
    const body = readBody(response, context.messages);
    const error = arcgisErrorOf(body);
    if (error) throw this.blockIfFinal(tokenFailure(error, this.username, context.messages));

    const answer = validateShape(tokenAnswerSchema, body, context.messages, 'its sign-in token');
    if (answer.ssl === true && !this.portalUrl.toLowerCase().startsWith('https:'))
      throw this.blockIfFinal(httpsRequired(this.portalUrl, context.messages));
    // Never trust a lifetime longer than the one asked for: the local clock may disagree with the portal's.
    const expiresAt = Math.min(answer.expires, requestedAt + ARCGIS_TOKEN_MINUTES * 60_000);
    return { value: answer.token, renewAt: expiresAt - ARCGIS_TOKEN_RENEW_BEFORE_MS };
  }

  private blockIfFinal(error: ProviderError): ProviderError {
    if (error.kind === 'auth' || error.kind === 'config') this.blocked = error;
    return error;
  }
}
