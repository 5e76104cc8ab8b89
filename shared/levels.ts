import type { Level } from './snapshot';

/**
 * The two orders of levels. Each answers its own question, so each has one table here and every
 * layer (engine, tray, windows) asks the same one.
 */

/**
 * How bad a level is, for decisions: a notification fires when a meter gets worse by this order,
 * and `unknown` ranks below `ok` because not knowing a figure is no reason to alert.
 */
const HOW_BAD: Record<Level, number> = { unknown: -1, ok: 0, warning: 1, critical: 2 };

export function howBad(level: Level): number {
  return HOW_BAD[level];
}

/** The worst of several levels by how bad they are; `unknown` only when nothing is known. */
export function worstLevel(levels: Iterable<Level>): Level {
  let worst: Level = 'unknown';
  for (const level of levels) if (HOW_BAD[level] > HOW_BAD[worst]) worst = level;
  return worst;
}

/**
 * A level, or an account that fails to be checked: what the tray and the dashboard sort and
 * colour by.
 */
export type Severity = Level | 'error';

/**
 * What needs a person's attention first, for sorting: `unknown` above `ok` (a figure to look at),
 * and a failing account between warning and critical, since its figures may be out of date but
 * nothing is known to have run out.
 */
const ATTENTION: Record<Severity, number> = { ok: 0, unknown: 1, warning: 2, error: 3, critical: 4 };

export function attentionRank(severity: Severity): number {
  return ATTENTION[severity];
}

/** The severity that needs attention first, or `empty` when there is none. */
export function mostUrgent(severities: Iterable<Severity>, empty: Severity = 'ok'): Severity {
  let first: Severity | undefined;
  for (const severity of severities) {
    if (first === undefined || ATTENTION[severity] > ATTENTION[first]) first = severity;
  }
  return first ?? empty;
}
