/** The content type of Prometheus' text exposition format, version 0.0.4. */
export const PROMETHEUS_TEXT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

export type MetricType = 'gauge' | 'counter' | 'histogram';

/** Label values escape backslash, double quote and newline; HELP text escapes backslash and newline. */
const LABEL_SPECIAL = /[\\"\n]/;
const HELP_SPECIAL = /[\\\n]/;

export function labelValue(value: string): string {
  if (!LABEL_SPECIAL.test(value)) return value;
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

/** `{name="value",…}` from label pairs, values escaped; '' without labels. */
export function labelSet(labels: Readonly<Record<string, string>>): string {
  const pairs = Object.entries(labels).map(([name, value]) => `${name}="${labelValue(value)}"`);
  return pairs.length === 0 ? '' : `{${pairs.join(',')}}`;
}

export function sampleValue(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  return String(value);
}

/** How much text a scrape holds at once before handing it on (and letting polls run). */
const CHUNK_CHARS = 64 * 1024;

/**
 * Builds the exposition text a chunk at a time, so a scrape of thousands of accounts never holds
 * the whole body: the renderer appends, and yields `take()` whenever `full` says so.
 */
export class TextChunks {
  private text = '';

  family(name: string, type: MetricType, help: string): void {
    const escaped = HELP_SPECIAL.test(help) ? help.replace(/\\/g, '\\\\').replace(/\n/g, '\\n') : help;
    this.text += `# HELP ${name} ${escaped}\n# TYPE ${name} ${type}\n`;
  }

  /** One sample; `labels` is a `labelSet()` (or a string built the same way). */
  sample(name: string, labels: string, value: number): void {
    this.text += `${name}${labels} ${sampleValue(value)}\n`;
  }

  get full(): boolean {
    return this.text.length >= CHUNK_CHARS;
  }

  take(): string {
    const chunk = this.text;
    this.text = '';
    return chunk;
  }
}
