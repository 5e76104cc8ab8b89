import type { z } from 'zod';

/** One thing wrong with a value a person gave, and where: `accounts[0].config.portalUrl`. */
export interface Problem {
  path: string;
  message: string;
}

function joinPath(prefix: string, parts: readonly PropertyKey[]): string {
  return parts.reduce<string>((out, part) => {
    if (typeof part === 'number') return `${out}[${part}]`;
    const name = String(part);
    return out ? `${out}.${name}` : name;
  }, prefix);
}

/** Every issue of a zod error, each with its full path under `prefix`. */
export function problemsOf(error: z.ZodError, prefix = ''): Problem[] {
  return error.issues.map((issue) => ({ path: joinPath(prefix, issue.path) || '(top level)', message: issue.message }));
}

/** `accounts[0].label: Too small; accounts[1].id: …` */
export function describeProblems(problems: readonly Problem[], limit = 5): string {
  const shown = problems.slice(0, limit).map((problem) => `${problem.path}: ${problem.message}`);
  const more = problems.length > limit ? [`and ${problems.length - limit} more`] : [];
  return [...shown, ...more].join('; ');
}
