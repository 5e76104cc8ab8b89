import { z } from 'zod';
import { accountSchema, refineUniqueAccountIds } from './account';

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

/** Where `serve` sends alerts; the SMTP server itself is set in the environment (README, "Run on a server"). */
export const serverAlertsSchema = z.strictObject({
  mail: z.strictObject({ to: z.array(z.email()).min(1), from: z.string().min(3).optional() }).optional(),
  webhooks: z
    .array(
      z.strictObject({
        /** An address, or `{ "env": "NAME" }` (secretRefSchema's second form): Slack-style webhook URLs are secrets. */
        url: z.union([
          z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// address' }),
          secretRefSchema.options[1],
        ]),
        format: z.enum(['json', 'slack']).default('json'),
        headers: z.record(z.string(), secretRefSchema).optional(),
      }),
    )
    .optional(),
});
export type ServerAlerts = z.infer<typeof serverAlertsSchema>;

/** The CLI config file, also the import/export format. */
export const configFileSchema = z
  .strictObject({
    timeoutSeconds: z.number().positive().max(600).default(20),
    accounts: z.array(configAccountSchema),
    server: serverAlertsSchema.optional(),
  })
  .superRefine(refineUniqueAccountIds);
export type ConfigFile = z.infer<typeof configFileSchema>;
