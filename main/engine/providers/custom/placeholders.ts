/**
 * `{{secret:NAME}}` in a custom endpoint's URL, headers, query, form body and basic auth: the
 * description names a secret, the keychain (or the CLI's environment) holds its value, and the
 * value is put in only when the request is made.
 */

export const SECRET_NAME_PATTERN = /^[A-Za-z][A-Za-z0-9_]{0,63}$/;

/** Any `{{…}}`; what is inside is checked by `placeholderProblems`. */
const PLACEHOLDER = /\{\{\s*([^{}]*?)\s*\}\}/g;
const SECRET_REFERENCE = /^secret:([A-Za-z][A-Za-z0-9_]{0,63})$/;

/** The secret names a text refers to, in order, without repeats. */
export function referencedSecrets(text: string): string[] {
  const names = new Set<string>();
  for (const match of text.matchAll(PLACEHOLDER)) {
    const reference = SECRET_REFERENCE.exec(match[1] ?? '');
    if (reference?.[1]) names.add(reference[1]);
  }
  return [...names];
}

/** Placeholders that are not `{{secret:NAME}}`, for a config message. */
export function placeholderProblems(text: string): string[] {
  const problems: string[] = [];
  for (const match of text.matchAll(PLACEHOLDER)) {
    if (!SECRET_REFERENCE.test(match[1] ?? '')) problems.push(match[0]);
  }
  return problems;
}

/** Replaces every `{{secret:NAME}}` with `encode(value)`; a name without a value is left for the caller to report. */
export function fillSecrets(
  text: string,
  secrets: Readonly<Record<string, string>>,
  encode: (value: string) => string = (value) => value,
): string {
  return text.replace(PLACEHOLDER, (whole, inner: string) => {
    const name = SECRET_REFERENCE.exec(inner)?.[1];
    const value = name === undefined ? undefined : secrets[name];
    return value === undefined ? whole : encode(value);
  });
}
