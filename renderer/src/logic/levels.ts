import type { Level } from '../../../shared/snapshot';

/**
 * How bad things are, for sorting and the header: an account that fails ranks between warning
 * and critical, since its figures may be out of date but nothing is known to have run out.
 */
export type Severity = Level | 'error';

const RANK: Record<Severity, number> = { ok: 0, unknown: 1, warning: 2, error: 3, critical: 4 };

export function severityRank(severity: Severity): number {
  return RANK[severity];
}

export function worstOf(severities: Iterable<Severity>, empty: Severity = 'ok'): Severity {
  let worst: Severity | undefined;
  for (const severity of severities) {
    if (worst === undefined || RANK[severity] > RANK[worst]) worst = severity;
  }
  return worst ?? empty;
}

/** The class that gives a level its colour (always shown beside words, never colour alone). */
export function toneClass(severity: Severity): string {
  return `tone-${severity}`;
}
