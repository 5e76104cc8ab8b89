/** Reads `headers.Accept` from a config: preset field keys may name a nested value. */
export function valueAt(config: Readonly<Record<string, unknown>>, key: string): unknown {
  let current: unknown = config;
  for (const part of key.split('.')) {
    if (typeof current !== 'object' || current === null || Array.isArray(current)) return undefined;
    current = (current as Record<string, unknown>)[part];
  }
  return current;
}

/** A copy without one key. */
export function without(record: Readonly<Record<string, unknown>>, key: string): Record<string, unknown> {
  return Object.fromEntries(Object.entries(record).filter(([name]) => name !== key));
}

/** Writes `headers.Accept` into a copy of the config; an empty value removes the key (the preset's own applies). */
export function withValueAt(
  config: Readonly<Record<string, unknown>>,
  key: string,
  value: string,
): Record<string, unknown> {
  const [head, ...rest] = key.split('.');
  if (head === undefined) return { ...config };
  if (rest.length === 0) return value === '' ? without(config, head) : { ...config, [head]: value };
  const inner = config[head];
  const child =
    typeof inner === 'object' && inner !== null && !Array.isArray(inner) ? (inner as Record<string, unknown>) : {};
  const next = withValueAt(child, rest.join('.'), value);
  return Object.keys(next).length === 0 ? without(config, head) : { ...config, [head]: next };
}

/** The secret names an own endpoint description declares (`"secrets": ["apiKey"]`), from its JSON text. */
export function declaredSecrets(description: unknown): string[] {
  if (typeof description !== 'object' || description === null || Array.isArray(description)) return [];
  const secrets = (description as Record<string, unknown>).secrets;
  return Array.isArray(secrets)
    ? secrets.filter((name): name is string => typeof name === 'string' && name.length > 0)
    : [];
}
