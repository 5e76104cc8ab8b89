import { z } from 'zod';
import { accountIdSchema, accountSchema, DEFAULT_INTERVAL_MINUTES, refineUniqueAccountIds } from './account';
import { MAX_INTERVAL_MINUTES } from './limits';
import { UI_LANGUAGES } from './i18n/language';
import { currencyCodeSchema } from './money';
import { isoTimeSchema } from './snapshot';

/**
 * Everything a person configures in Headroom, as the settings file holds it. Never a secret:
 * those live in the OS keychain, and whether one is set is asked of the keychain, not stored here.
 * Bump SETTINGS_VERSION only together with a migration in main/services/settings/migrations.ts.
 */
export const SETTINGS_VERSION = 1;

/** What a meter's next refill is judged against (the alerts engine's RefillMark). */
export const refillMarkSchema = z.strictObject({
  basis: z.enum(['remaining', 'used']),
  low: z.number(),
  resetsAt: isoTimeSchema.optional(),
});

/** What has already been notified about one account (the alerts engine's AccountAlertState). */
export const alertStateSchema = z.strictObject({
  meters: z.record(z.string(), z.enum(['warning', 'critical'])),
  consecutiveFailures: z.number().int().min(0),
  outageNotified: z.boolean(),
  /** Per meter, while the account asks for refill notifications: the mark the next check is judged against. */
  refills: z.record(z.string(), refillMarkSchema).optional(),
});
export type StoredAlertState = z.infer<typeof alertStateSchema>;

/**
 * Per member (user name) of an organization with credit budgeting: the worst level notified about
 * their allocation and not yet recovered from (the alerts engine's UserCreditsAlertState).
 */
export const userCreditsAlertStateSchema = z.record(z.string().min(1), z.enum(['warning', 'critical']));

/**
 * What Headroom remembers about an account between runs, so notifications do not repeat after a
 * restart. Every field is optional, so a file written before one existed reads unchanged.
 */
export const accountStateSchema = z.strictObject({
  snoozedUntil: isoTimeSchema.optional(),
  alerts: alertStateSchema.optional(),
  /** Absent until a member has been notified about (ArcGIS Online accounts with credit budgeting). */
  userCredits: userCreditsAlertStateSchema.optional(),
});
export type AccountState = z.infer<typeof accountStateSchema>;

export const themeSchema = z.enum(['system', 'light', 'dark']);
export const languageSchema = z.enum(['system', ...UI_LANGUAGES]);

/**
 * What the tray shows beside its icon (macOS) and in its tooltip: the pinned meter (null: the
 * tightest of all), as a percent, the remaining amount or both, and optionally the countdown to reset.
 */
export const trayDisplaySchema = z.strictObject({
  pinned: z
    .strictObject({ accountId: accountIdSchema, meterId: z.string().min(1).max(128) })
    .nullable()
    .default(null),
  figure: z.enum(['percent', 'remaining', 'both']).default('percent'),
  showCountdown: z.boolean().default(false),
});
export type TrayDisplay = z.infer<typeof trayDisplaySchema>;
export const DEFAULT_TRAY_DISPLAY: TrayDisplay = { pinned: null, figure: 'percent', showCountdown: false };

export const preferencesSchema = z.strictObject({
  launchAtLogin: z.boolean().default(false),
  theme: themeSchema.default('system'),
  notificationsEnabled: z.boolean().default(true),
  language: languageSchema.default('system'),
  /** Every notification paused until then (null: not paused). */
  pausedUntil: isoTimeSchema.nullable().default(null),
  /** For accounts without their own `intervalMinutes`. */
  defaultIntervalMinutes: z.number().positive().max(MAX_INTERVAL_MINUTES).default(DEFAULT_INTERVAL_MINUTES),
  /** Absent until the person chooses: DEFAULT_TRAY_DISPLAY. */
  tray: trayDisplaySchema.optional(),
  /**
   * Money meters and their sums are shown in this currency (the original amount beside); null: each in its own.
   * Display only: alert rules keep the meter's own currency.
   */
  displayCurrency: currencyCodeSchema.nullable().default(null),
});
export type Preferences = z.infer<typeof preferencesSchema>;
/**
 * A change to some preferences, as the settings window sends it: only the fields given. (Not
 * `preferencesSchema.partial()`: zod fills the defaults of absent fields in, so every patch would
 * reset the other preferences.)
 */
const fields = preferencesSchema.shape;
export const preferencesPatchSchema = z.strictObject({
  launchAtLogin: fields.launchAtLogin.unwrap().optional(),
  theme: fields.theme.unwrap().optional(),
  notificationsEnabled: fields.notificationsEnabled.unwrap().optional(),
  language: fields.language.unwrap().optional(),
  pausedUntil: fields.pausedUntil.unwrap().optional(),
  defaultIntervalMinutes: fields.defaultIntervalMinutes.unwrap().optional(),
  tray: fields.tray,
  displayCurrency: fields.displayCurrency.unwrap().optional(),
});
export type PreferencesPatch = z.infer<typeof preferencesPatchSchema>;

export const settingsSchema = z
  .strictObject({
    schemaVersion: z.literal(SETTINGS_VERSION),
    accounts: z.array(accountSchema).default([]),
    accountState: z.record(accountIdSchema, accountStateSchema).default({}),
    preferences: preferencesSchema.default(preferencesSchema.parse({})),
  })
  .superRefine(refineUniqueAccountIds);
export type Settings = z.infer<typeof settingsSchema>;

export function defaultSettings(): Settings {
  return settingsSchema.parse({ schemaVersion: SETTINGS_VERSION });
}
