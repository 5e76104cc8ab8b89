import { z } from 'zod';
import { accountIdSchema, accountSchema } from '../../../shared/account';
import { alertRulesSchema } from '../../../shared/rules';
import { describeProblems, problemsOf, type Problem } from '../../engine/problems';

/** Secret values as a form sends them: a value to store; an empty string is "leave as it is". */
const secretValuesSchema = z.record(z.string(), z.string());

/** `create`: an account as the settings window or a script gives it; the id is made from the label when absent. */
export const createAccountInputSchema = z.strictObject({
  account: accountSchema.extend({ id: accountIdSchema.optional() }),
  secrets: secretValuesSchema.optional(),
});

/**
 * `update`: only what changes. `null` clears an optional setting (rules, interval) or a secret;
 * the provider of an account cannot change.
 */
export const updateAccountInputSchema = z.strictObject({
  account: z
    .strictObject({
      label: accountSchema.shape.label.optional(),
      config: z.record(z.string(), z.unknown()).optional(),
      rules: alertRulesSchema.nullable().optional(),
      intervalMinutes: accountSchema.shape.intervalMinutes.unwrap().nullable().optional(),
      enabled: z.boolean().optional(),
      notifyOnRefill: z.boolean().optional(),
    })
    .optional(),
  secrets: z.record(z.string(), z.string().nullable()).optional(),
});
export type UpdateAccountInput = z.infer<typeof updateAccountInputSchema>;

/** "Test connection": unsaved values; secrets left empty are taken from the saved account `accountId`. */
export const connectionTestInputSchema = z.strictObject({
  accountId: accountIdSchema.optional(),
  account: accountSchema.extend({ id: accountIdSchema.optional() }),
  secrets: secretValuesSchema.optional(),
});

/** Input that cannot be saved; every problem names its field. */
export class AccountInputError extends Error {
  override readonly name = 'AccountInputError';
  constructor(
    readonly problems: readonly Problem[],
    what = 'The account',
  ) {
    super(`${what} cannot be saved: ${describeProblems(problems)}.`);
  }
}

export class AccountNotFoundError extends Error {
  override readonly name = 'AccountNotFoundError';
  constructor(readonly accountId: string) {
    super(`There is no account with the id "${accountId}"; list them with \`headroom accounts list\`.`);
  }
}

/** Parses input with a schema, or throws every problem at once. */
export function parseInput<T extends z.ZodType>(schema: T, input: unknown, what?: string): z.infer<T> {
  const parsed = schema.safeParse(input);
  if (!parsed.success) throw new AccountInputError(problemsOf(parsed.error), what);
  return parsed.data;
}
