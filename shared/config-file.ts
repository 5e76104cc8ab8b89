import { z } from 'zod';
import { accountSchema } from './account';

/** A secret in a config file: written in place, or read from an environment variable. */
export const secretRefSchema = z.union([
  z.string(),
  z.strictObject({ env: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'an environment variable name') }),
]);
export type SecretRef = z.infer<typeof secretRefSchema>;

export const configAccountSchema = accountSchema.extend({
  secrets: z.record(z.string(), secretRefSchema).optional(),
});
export type ConfigAccount = z.infer<typeof configAccountSchema>;

/** The CLI config file, also the import/export format. */
export const configFileSchema = z
  .strictObject({
    timeoutSeconds: z.number().positive().max(600).default(20),
    accounts: z.array(configAccountSchema),
  })
  .superRefine((file, ctx) => {
    const seen = new Set<string>();
    file.accounts.forEach((account, index) => {
      if (seen.has(account.id)) {
        ctx.addIssue({ code: 'custom', path: ['accounts', index, 'id'], message: `duplicate account id "${account.id}"` });
      }
      seen.add(account.id);
    });
  });
export type ConfigFile = z.infer<typeof configFileSchema>;
