import jsonata from 'jsonata';

/**
 * JSONata expressions over a usage answer: compiled once, evaluated per poll with guard rails
 * (a user's expression must never hang or exhaust the engine), and helpers that say which field of
 * the answer an expression reads, so a mismatch names it.
 */

/** Evaluation limits: a usage answer needs milliseconds; anything longer is a runaway expression. */
export const EXPRESSION_LIMITS = { timeoutMs: 1_000, maxDepth: 200 } as const;

export interface CompiledExpression {
  source: string;
  /** Root-relative field paths the expression reads (["data", "limit"]), in order of appearance. */
  paths: readonly (readonly string[])[];
  evaluate(input: unknown, now: Date): Promise<unknown>;
}

/** A JSONata compile or evaluation failure, as the library reports it. */
export interface ExpressionFailure {
  code: string;
  message: string;
  position: number | undefined;
}

export class ExpressionCompileError extends Error {
  override readonly name = 'ExpressionCompileError';
  constructor(readonly failure: ExpressionFailure) {
    super(failure.message);
  }
}

export function compileExpression(source: string): CompiledExpression {
  let compiled: jsonata.Expression;
  try {
    compiled = jsonata(source, { timeout: EXPRESSION_LIMITS.timeoutMs, stack: EXPRESSION_LIMITS.maxDepth });
  } catch (error) {
    throw new ExpressionCompileError(readFailure(error));
  }
  return {
    source,
    paths: rootPaths(compiled.ast()),
    evaluate: (input, now) => compiled.evaluate(input, helpers(now)) as Promise<unknown>,
  };
}

/** The compile error of an expression, or undefined when it compiles. */
export function compileProblem(source: string): ExpressionFailure | undefined {
  try {
    compileExpression(source);
    return undefined;
  } catch (error) {
    if (error instanceof ExpressionCompileError) return error.failure;
    throw error;
  }
}

/** JSONata throws plain objects `{ code, position, token, message }`, not Error instances. */
export function readFailure(error: unknown): ExpressionFailure {
  if (typeof error === 'object' && error !== null) {
    const record = error as Record<string, unknown>;
    const message = typeof record.message === 'string' ? record.message : 'unknown error';
    const code = typeof record.code === 'string' ? record.code : 'unknown';
    const position = typeof record.position === 'number' ? record.position : undefined;
    return { code, message, position };
  }
  return { code: 'unknown', message: String(error), position: undefined };
}

export function describeFailure(failure: ExpressionFailure): string {
  const at = failure.position !== undefined ? ` at position ${failure.position}` : '';
  return `${failure.message}${at} (JSONata ${failure.code})`;
}

export const PERIODS = ['hour', 'day', 'week', 'month', 'year'] as const;
type Period = (typeof PERIODS)[number];

const PERIOD_ALIASES: Readonly<Record<string, Period>> = {
  hour: 'hour',
  hourly: 'hour',
  day: 'day',
  daily: 'day',
  week: 'week',
  weekly: 'week',
  month: 'month',
  monthly: 'month',
  year: 'year',
  yearly: 'year',
  annual: 'year',
};

/**
 * The start of the next UTC period after `now`: where an API says "monthly" or "daily" instead of
 * giving a date. Weeks start on Monday (ISO 8601, and OpenRouter's "current UTC week").
 */
export function startOfNext(period: Period, now: Date): Date {
  const year = now.getUTCFullYear();
  const month = now.getUTCMonth();
  const day = now.getUTCDate();
  switch (period) {
    case 'hour':
      return new Date(Date.UTC(year, month, day, now.getUTCHours() + 1));
    case 'day':
      return new Date(Date.UTC(year, month, day + 1));
    case 'week': {
      const sinceMonday = (now.getUTCDay() + 6) % 7;
      return new Date(Date.UTC(year, month, day - sinceMonday + 7));
    }
    case 'month':
      return new Date(Date.UTC(year, month + 1, 1));
    case 'year':
      return new Date(Date.UTC(year + 1, 0, 1));
  }
}

/** A failure of one of Headroom's helpers, with a code like JSONata's own errors carry. */
class HelperError extends Error {
  readonly code = 'HEADROOM';
}

/** Functions Headroom adds to JSONata's own, bound per evaluation so they use the engine's clock. */
function helpers(now: Date): Record<string, unknown> {
  return {
    /** `$startOfNext('month')` → ISO time; null in, null out (an API's "never resets"). */
    startOfNext: (period: unknown): string | null => {
      if (period === null || period === undefined) return null;
      const known = typeof period === 'string' ? PERIOD_ALIASES[period.toLowerCase()] : undefined;
      if (!known) {
        throw new HelperError(
          `$startOfNext() takes ${PERIODS.join(', ')} (or hourly, daily, weekly, monthly, yearly), not ${JSON.stringify(period)}`,
        );
      }
      return startOfNext(known, now).toISOString();
    },
  };
}

interface AstNode {
  type?: unknown;
  value?: unknown;
  steps?: unknown;
  [key: string]: unknown;
}

/**
 * The root-relative paths an expression reads: `resources.core.limit` for that path, `balance` for
 * `$number(balance)`, `data.limit` for `data.limit = null`. Read from JSONata's own syntax tree
 * (no parsing here); paths inside filters, lambdas and sort terms are relative to something else
 * and are left out.
 */
function rootPaths(ast: unknown): string[][] {
  const found = new Map<string, string[]>();
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) {
      for (const child of node) visit(child);
      return;
    }
    if (typeof node !== 'object' || node === null) return;
    const current = node as AstNode;
    if (current.type === 'lambda') return;
    if (current.type === 'path' && Array.isArray(current.steps)) {
      const names: string[] = [];
      for (const step of current.steps as AstNode[]) {
        if (step.type !== 'name' || typeof step.value !== 'string') break;
        names.push(step.value);
      }
      if (names.length > 0) found.set(JSON.stringify(names), names);
      return;
    }
    for (const [key, child] of Object.entries(current)) {
      if (key === 'stages' || key === 'predicate' || key === 'group' || key === 'terms') continue;
      visit(child);
    }
  };
  visit(ast);
  return [...found.values()];
}

/** "resources.core.limit", as messages name a field. */
export function fieldName(path: readonly string[]): string {
  return path.join('.');
}

/** The first of `paths` that the answer does not hold, walking objects only (arrays: assumed present). */
export function firstMissingPath(
  paths: readonly (readonly string[])[],
  answer: unknown,
): readonly string[] | undefined {
  return paths.find((path) => {
    let value: unknown = answer;
    for (const name of path) {
      if (Array.isArray(value)) return false;
      if (typeof value !== 'object' || value === null || !Object.hasOwn(value, name)) return true;
      value = (value as Record<string, unknown>)[name];
    }
    return false;
  });
}
