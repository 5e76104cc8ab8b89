import { z } from 'zod';
import { accountIdSchema } from '../../shared/account';
import { isoTimeSchema, snapshotSchema } from '../../shared/snapshot';
import type { AccountAlertState } from '../engine/alerts/decisions';
import type { UserCreditsAlertState } from '../engine/alerts/user-credits';
import { alertMessageSchema } from './alert-message';
import type { SameShape } from '../../shared/same-shape';

/** What `serve` keeps across restarts, in `<state dir>/serve-state.json`. */

export const accountAlertStateSchema = z.object({
  meters: z.record(z.string(), z.enum(['warning', 'critical'])),
  consecutiveFailures: z.number().int().min(0),
  outageNotified: z.boolean(),
  /** Added after the first release: a state file without it loads as "no refill marks yet" (none is announced). */
  refills: z
    .record(
      z.string(),
      z.object({ basis: z.enum(['remaining', 'used']), low: z.number(), resetsAt: isoTimeSchema.optional() }),
    )
    .optional(),
});

/** Per member (user name): the worst level notified and not yet recovered from. */
export const userCreditsAlertStateSchema = z.record(z.string(), z.enum(['warning', 'critical']));

// Restated from the engine for persistence; this breaks the build if they drift apart.
const _schemaMatchesCore: SameShape<z.infer<typeof accountAlertStateSchema>, AccountAlertState> = true;
const _userCreditsMatchesCore: SameShape<z.infer<typeof userCreditsAlertStateSchema>, UserCreditsAlertState> = true;

/** An alert on its way to one channel. */
export const deliverySchema = z.object({
  id: z.string(),
  channel: z.string(),
  message: alertMessageSchema,
  /** Failed attempts so far. */
  attempts: z.number().int().min(0),
  nextAttemptAt: isoTimeSchema,
  lastError: z.string().optional(),
});
export type Delivery = z.infer<typeof deliverySchema>;

export const serveStateSchema = z.object({
  version: z.literal(1),
  savedAt: isoTimeSchema,
  /** Per account: what has been notified already, so a restart does not say it again. */
  alerts: z.record(accountIdSchema, accountAlertStateSchema),
  /**
   * Per account with credit budgeting: the members already told about. Added after the first
   * release: a state file without it loads as "nobody told yet".
   */
  userCredits: z.record(accountIdSchema, userCreditsAlertStateSchema).default({}),
  /** Alerts decided but not yet accepted by every channel. */
  outbox: z.array(deliverySchema),
  /** The last snapshot per account: its meters survive a failing first check after a restart. */
  snapshots: z.record(accountIdSchema, snapshotSchema),
});
export type ServeState = z.infer<typeof serveStateSchema>;

export const SERVE_STATE_FILE = 'serve-state.json';
