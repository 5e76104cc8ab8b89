import { ProviderError } from '../../errors';
import type { HttpRequest } from '../../http/client';
import type { Endpoint } from './endpoint-schema';
import type { JsonValue } from '../../http/client';
import { fillSecrets } from './placeholders';

/** The request a description asks for, secrets filled in, and the values to mask in anything shown. */
export interface BuiltRequest {
  request: HttpRequest;
  /** Secret values plus what is derived from them (the basic-auth token). */
  secrets: string[];
}

export function buildRequest(
  endpoint: Endpoint,
  secrets: Readonly<Record<string, string>>,
  who: { service: string; account: string },
): BuiltRequest {
  // Secret values in a path segment are percent-encoded; query values are encoded by the client.
  const url = fillSecrets(endpoint.url, secrets, encodeURIComponent);
  const headers: Record<string, string> = {};
  for (const [name, template] of Object.entries(endpoint.headers))
    headers[name] = headerValue(fillSecrets(template, secrets), name, who);
  const masked = Object.values(secrets);
  if (endpoint.basicAuth) {
    const username = fillSecrets(endpoint.basicAuth.username, secrets);
    const password = fillSecrets(endpoint.basicAuth.password, secrets);
    const token = Buffer.from(`${username}:${password}`, 'utf8').toString('base64');
    headers.Authorization = `Basic ${token}`;
    masked.push(token);
  }
  const query = Object.fromEntries(
    Object.entries(endpoint.query).map(([name, template]) => [name, fillSecrets(template, secrets)]),
  );
  const form =
    endpoint.body && 'form' in endpoint.body
      ? Object.fromEntries(
          Object.entries(endpoint.body.form).map(([name, template]) => [name, fillSecrets(template, secrets)]),
        )
      : undefined;
  // Secrets go into the JSON's strings before it is serialised, so quotes in a secret stay quoted.
  const json = endpoint.body && 'json' in endpoint.body ? fillJsonSecrets(endpoint.body.json, secrets) : undefined;
  return {
    request: {
      method: endpoint.method,
      url,
      ...(Object.keys(query).length ? { query } : {}),
      headers,
      ...(form ? { form } : {}),
      ...(json !== undefined ? { json } : {}),
    },
    secrets: masked,
  };
}

/** A line break in a header value would end the header: say so instead of sending it. */
function headerValue(value: string, name: string, who: { service: string; account: string }): string {
  if (/[\r\n]/.test(value)) {
    throw new ProviderError(
      'config',
      `The ${name} header for ${who.service} of '${who.account}' would contain a line break (from a secret or the description); remove it in Settings.`,
    );
  }
  return value;
}

function fillJsonSecrets(value: JsonValue, secrets: Readonly<Record<string, string>>): JsonValue {
  if (typeof value === 'string') return fillSecrets(value, secrets);
  if (Array.isArray(value)) return value.map((item) => fillJsonSecrets(item, secrets));
  if (value !== null && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, fillJsonSecrets(item, secrets)]));
  return value;
}
