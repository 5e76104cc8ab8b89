/** Query parameters and form fields whose values are secret wherever they appear. */
const SECRET_PARAM_NAMES = [
  'token',
  'access_token',
  'accesstoken',
  'app_id',
  'appid',
  'api_key',
  'apikey',
  'key',
  'password',
  'client_secret',
  'clientsecret',
  'secret',
];

const SECRET_PARAM_PATTERN = new RegExp(`([?&;](?:${SECRET_PARAM_NAMES.join('|')})=)[^&#\\s"']*`, 'gi');
const AUTH_HEADER_PATTERN =
  /\b(authorization|accesstoken|x-api-key)(["']?\s*[:=]\s*["']?)(?:oauth |bearer |basic )?[^\s"',}]+/gi;

export const REDACTED = '***';

/** Removes the given secret values (raw and URL-encoded) and any secret-looking URL parameters. */
export function redact(text: string, secrets: readonly string[] = []): string {
  let out = text;
  for (const secret of secrets) {
    if (secret.length < 3) continue;
    for (const form of new Set([secret, encodeURIComponent(secret), formEncode(secret)])) {
      out = out.split(form).join(REDACTED);
    }
  }
  return out.replace(SECRET_PARAM_PATTERN, `$1${REDACTED}`).replace(AUTH_HEADER_PATTERN, `$1$2${REDACTED}`);
}

/** A URL fit for messages and logs: origin and path, secret parameters masked. */
export function redactUrl(url: string, secrets: readonly string[] = []): string {
  return redact(url, secrets);
}

function formEncode(value: string): string {
  return new URLSearchParams({ v: value }).toString().slice(2);
}

/**
 * A remote text fit for a message: whitespace collapsed, secrets removed, then clipped (never the other way round, or a
 * cut secret would slip through).
 */
export function quoteSafely(text: string, secrets: readonly string[] = [], max = 200): string {
  const flat = redact(text, secrets).replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 3)}...` : flat;
}
