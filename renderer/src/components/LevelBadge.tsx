import type { Severity } from '../../../shared/levels';
import { toneClass } from '../logic/tone-class';
import { useT } from '../i18n/use-t';

/** A level in words and colour, never colour alone. */
export function LevelBadge({ severity }: { severity: Severity }) {
  const t = useT();
  return <span className={`badge ${toneClass(severity)}`}>{t(`level.${severity}`)}</span>;
}
