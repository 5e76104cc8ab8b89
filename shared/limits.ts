/**
 * Bounds the contract enforces, in a module without zod: the windows check input against them
 * without loading the schemas.
 */

/** The longest polling interval: a day. */
export const MAX_INTERVAL_MINUTES = 24 * 60;

/** The longest pause or snooze of notifications: a week. */
export const MAX_SNOOZE_MINUTES = 7 * 24 * 60;
