import { z } from 'zod';
import { levelSchema, snapshotSchema, userCreditsViewSchema, viewsSchema } from './snapshot';

/**
 * The snapshots as the windows receive them (`snapshots:get`, `snapshots:refresh`, `snapshots:changed`): the Snapshot
 * contract, except that the members' credit budgets travel as a summary. An organization's list runs to thousands of
 * members; a window asks for one account's list (`members:get`) only when its table opens. The engine, the CLI, serve,
 * the tray and the notifications keep the full Snapshot.
 */

/** What the card says of the members without their list: the counts and the worst level the account's rule gives. */
export const memberCountsSchema = z.object({
  /** Members in the list as read: the table can open when there are any. */
  listed: z.number().int().nonnegative(),
  /** The organization's members: its own count where the provider read one, else the list's length. */
  total: z.number().int().nonnegative(),
  /** Members at warning or critical. */
  low: z.number().int().nonnegative(),
  critical: z.number().int().nonnegative(),
  /** The worst level among them; `ok` for an empty list. */
  worst: levelSchema,
});
export type MemberCounts = z.infer<typeof memberCountsSchema>;

export const userCreditsSummarySchema = userCreditsViewSchema
  .omit({ users: true })
  .extend({ members: memberCountsSchema });
export type UserCreditsSummary = z.infer<typeof userCreditsSummarySchema>;

export const windowViewsSchema = viewsSchema.extend({ userCredits: userCreditsSummarySchema.optional() });
export type WindowViews = z.infer<typeof windowViewsSchema>;

export const windowSnapshotSchema = snapshotSchema.extend({ views: windowViewsSchema.optional() });
export type WindowSnapshot = z.infer<typeof windowSnapshotSchema>;
