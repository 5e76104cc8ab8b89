import type { HttpResponse } from '../../http/client';
import { REDACTED, redact } from '../../http/redact';

/**
 * The raw answer as "Test connection" shows it beside the meters: pretty-printed, secrets masked
 * (the account's own values wherever they appear, and any value under a key that names a secret,
 * because some APIs echo the key back: SerpApi's account.json does), and clipped.
 */
export interface ResponsePreview {
  status: number;
  contentType: string;
  /** Response headers worth seeing (rate-limit and retry headers among them), masked. */
  headers: Record<string, string>;
  body: string;
  /** True when the body was longer than `PREVIEW_MAX_CHARS` and was cut. */
  truncated: boolean;
}

export const PREVIEW_MAX_CHARS = 32_000;

/** JSON keys whose values are secret whatever they hold. */
export const SECRET_KEY =
  /(?:^|[_-])(?:api[_-]?key|apikey|key|token|access[_-]?token|auth[_-]?token|secret|password|passwd|authorization|credentials?)$/i;

const HIDDEN_HEADERS = new Set(['set-cookie', 'authorization', 'proxy-authorization', 'cookie']);

export function previewResponse(response: HttpResponse, secrets: readonly string[]): ResponsePreview {
  let body: string;
  try {
    body = JSON.stringify(maskJson(JSON.parse(response.body) as unknown, secrets), null, 2);
  } catch {
    body = response.body;
  }
  body = redact(body, secrets);
  const truncated = body.length > PREVIEW_MAX_CHARS;
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(response.headers)) {
    headers[name] = HIDDEN_HEADERS.has(name) ? REDACTED : redact(value, secrets);
  }
  return {
    status: response.status,
    contentType: response.contentType,
    headers,
    body: truncated ? body.slice(0, PREVIEW_MAX_CHARS) : body,
    truncated,
  };
}

function maskJson(value: unknown, secrets: readonly string[], key = ''): unknown {
  if (typeof value === 'string') return SECRET_KEY.test(key) && value !== '' ? REDACTED : redact(value, secrets);
  if (Array.isArray(value)) return value.map((item) => maskJson(item, secrets));
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([name, child]) => [name, maskJson(child, secrets, name)]));
  }
  return value;
}
