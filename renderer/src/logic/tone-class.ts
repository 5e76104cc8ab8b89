import type { Severity } from '../../../shared/levels';

/** The class that gives a level its colour (always shown beside words, never colour alone). */
export function toneClass(severity: Severity): string {
  return `tone-${severity}`;
}
