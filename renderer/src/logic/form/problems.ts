import type { IpcProblem } from '../../../../shared/ipc';

/**
 * Where a problem main reports belongs in the form. Main names fields by their path in the request
 * (`account.config.portalUrl`, `patch.label`, `secrets.password`); the form names them
 * `config.portalUrl`, `label`, `secrets.password`, `rules…`, `intervalMinutes`.
 */
export function formFieldOf(path: string): string {
  return path.replace(/^(?:account|patch|request)\./, '');
}

/** Problems grouped by form field; the ones no field shows are kept under '' for the summary. */
export function problemsByField(
  problems: readonly IpcProblem[],
  shownFields: ReadonlySet<string>,
): Map<string, string[]> {
  const byField = new Map<string, string[]>();
  for (const problem of problems) {
    const field = formFieldOf(problem.path);
    const target = shownFields.has(field) ? field : (nearestShown(field, shownFields) ?? '');
    const messages = byField.get(target) ?? [];
    const message = target === '' ? `${field}: ${problem.message}` : problem.message;
    if (!messages.includes(message)) messages.push(message);
    byField.set(target, messages);
  }
  return byField;
}

/**
 * `config.meters[0].used` belongs to the field `config.meters`, `rules.warning.percentRemaining` to `rules.warning`.
 */
function nearestShown(field: string, shownFields: ReadonlySet<string>): string | undefined {
  let candidate = field;
  while (candidate.length > 0) {
    const cut = Math.max(candidate.lastIndexOf('.'), candidate.lastIndexOf('['));
    if (cut <= 0) return undefined;
    candidate = candidate.slice(0, cut);
    if (shownFields.has(candidate)) return candidate;
  }
  return undefined;
}
