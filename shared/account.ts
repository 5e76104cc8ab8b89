import { z } from 'zod';
import { MAX_INTERVAL_MINUTES } from './limits';
import { alertRulesSchema } from './rules';

export const accountIdSchema = z
  .string({ error: 'needs an id' })
  .regex(/^[a-z0-9][a-z0-9_-]{0,63}$/i, 'use letters, digits, "-" or "_" (at most 64)');

/** An account as settings and config files hold it: never a secret in here. */
export const accountSchema = z.strictObject({
  id: accountIdSchema,
  provider: z.string({ error: 'needs a provider' }).min(1, 'needs a provider'),
  label: z
    .string({ error: 'needs a name' })
    .trim()
    .min(1, 'needs a name')
    .max(80, 'is too long (80 characters at most)'),
  /** Provider-specific, validated by the provider's own schema. */
  config: z.record(z.string(), z.unknown()).default({}),
  rules: alertRulesSchema.optional(),
  intervalMinutes: z.number().positive().max(MAX_INTERVAL_MINUTES).optional(),
  enabled: z.boolean().default(true),
  /**
   * Also notify when a quota resets or a balance is topped up. Absent means off, and it is written
   * only when on, so the accounts of everyone who never asks for it stay as they were.
   */
  notifyOnRefill: z.boolean().optional(),
});
export type Account = z.infer<typeof accountSchema>;
export type AccountInput = z.input<typeof accountSchema>;

/** A refinement for a file that lists accounts: each id once, a repeat named at its place. */
export function refineUniqueAccountIds(file: { accounts: readonly Pick<Account, 'id'>[] }, ctx: z.RefinementCtx): void {
  const seen = new Set<string>();
  file.accounts.forEach((account, index) => {
    if (seen.has(account.id))
      ctx.addIssue({
        code: 'custom',
        path: ['accounts', index, 'id'],
        message: `duplicate account id "${account.id}"`,
      });
    seen.add(account.id);
  });
}

export const DEFAULT_INTERVAL_MINUTES = 15;
