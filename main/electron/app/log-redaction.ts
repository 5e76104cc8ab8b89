import { inspect } from 'node:util';
import { redact } from '../../engine/http/redact';

/**
 * What a log line may carry: every string, error and object as text with secret-looking parts
 * masked (`token=…`, `Authorization: …`, `app_id=…`). The engine never puts a secret in a message;
 * this is the second line of defence for whatever a library throws.
 */
export function redactLogData(data: readonly unknown[]): unknown[] {
  return data.map((item) => {
    if (typeof item === 'string') return redact(item);
    if (item instanceof Error) return redact(item.stack ?? `${item.name}: ${item.message}`);
    if (typeof item === 'object' && item !== null) return redact(inspect(item, { depth: 4, breakLength: Infinity }));
    return item;
  });
}
