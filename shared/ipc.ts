import { z } from 'zod';
import { accountIdSchema, accountSchema } from './account';
import { MAX_SNOOZE_MINUTES } from './limits';
import { historyExportSchema, historyQuerySchema, historySeriesSchema } from './history';
import { exchangeRatesStatusSchema } from './money';
import { alertRulesSchema } from './rules';
import { preferencesPatchSchema, preferencesSchema } from './settings';
import { isoTimeSchema, meterSchema, snapshotErrorSchema, userCreditsViewSchema } from './snapshot';
import { windowSnapshotSchema } from './window-snapshot';

/**
 * The one contract between the main process and the renderer: every channel's name, the schema
 * of its request and of its reply, and every event main sends. Main validates each request
 * against it (an invalid one gets an `invalid_request` reply, never a crash); the preload and the
 * renderer's types are inferred from it. No schema here may carry a secret value out of main:
 * a secret only ever travels in (set-secret, create, test-connection), and replies say `isSet`.
 */

// ---- Shapes shared by several channels ---------------------------------------------------

/** Whether a secret is set, never its value. `isSet: null`: the keychain could not say. */
export const secretStatusSchema = z.object({
  field: z.string(),
  label: z.string(),
  help: z.string().optional(),
  isSet: z.boolean().nullable(),
});
export type SecretStatus = z.infer<typeof secretStatusSchema>;

export const accountEntrySchema = z.object({
  account: accountSchema,
  providerName: z.string(),
  secrets: z.array(secretStatusSchema),
  /** The account's notifications are snoozed until then (`app:snooze-account`); null when they are not. */
  snoozedUntil: isoTimeSchema.nullable(),
});
export type AccountEntry = z.infer<typeof accountEntrySchema>;

export const accountChangeSchema = z.object({
  entry: accountEntrySchema,
  warnings: z.array(z.string()),
});
export type AccountChange = z.infer<typeof accountChangeSchema>;

/** A problem with a field of something the user entered or imported: `accounts[2].config.portalUrl`. */
export const problemSchema = z.object({ path: z.string(), message: z.string() });
export type IpcProblem = z.infer<typeof problemSchema>;

export const keychainStatusSchema = z.discriminatedUnion('available', [
  z.object({ available: z.literal(true) }),
  z.object({ available: z.literal(false), message: z.string() }),
]);

/** Secret values typed into a form: field → value. Empty means "keep what is stored". */
export const secretInputSchema = z.record(z.string().min(1).max(64), z.string().max(16_384));

/** A secret a provider or preset asks for, as the form labels it. */
export const secretFieldSchema = z.object({ key: z.string(), label: z.string(), help: z.string().optional() });
export type SecretField = z.infer<typeof secretFieldSchema>;

/** What the add/edit form is generated from: one entry per provider. */
export const providerInfoSchema = z.object({
  id: z.string(),
  name: z.string(),
  minIntervalMinutes: z.number(),
  usageCallCountsAgainstQuota: z.boolean(),
  /** Its accounts list members' own credit allocations: the form offers the members' alert rule. */
  reportsMemberCredits: z.boolean(),
  /** The provider's config schema as JSON Schema (zod's toJSONSchema), for labels, types and defaults. */
  configJsonSchema: z.record(z.string(), z.unknown()),
  secretFields: z.array(secretFieldSchema),
  /** Rules that suit its meters (a balance without a limit needs amounts); the form proposes them. */
  suggestedRules: alertRulesSchema.optional(),
});
export type ProviderInfo = z.infer<typeof providerInfoSchema>;

/** A field of a preset the settings form shows, with words for a person (main/engine/providers/custom/presets). */
export const presetFieldSchema = z.object({
  /** The description's field: `url`, `service`, or a header or query parameter (`headers.Accept`). */
  key: z.string().min(1),
  label: z.string(),
  help: z.string().optional(),
  choices: z
    .array(z.object({ label: z.string(), value: z.string() }))
    .readonly()
    .optional(),
});
export type PresetField = z.infer<typeof presetFieldSchema>;

export const presetInfoSchema = z.object({
  id: z.string(),
  name: z.string(),
  /** How the add-account form lists it (tells apart two presets of one service). */
  title: z.string(),
  /** Polling more often than this never helps (the description's `minIntervalMinutes`). */
  minIntervalMinutes: z.number(),
  summary: z.string(),
  docsUrl: z.string().optional(),
  keysUrl: z.string().optional(),
  /** The fields of the description worth showing, as the preset words them. */
  fields: z.array(presetFieldSchema).readonly(),
  secrets: z.array(secretFieldSchema),
  /** Rules that suit its meters (a balance without a limit needs amounts); the form proposes them. */
  suggestedRules: alertRulesSchema.optional(),
});
export type PresetInfo = z.infer<typeof presetInfoSchema>;

export const connectionTestResultSchema = z.discriminatedUnion('status', [
  z.object({
    status: z.literal('ok'),
    checkedAt: isoTimeSchema,
    meters: z.array(meterSchema),
    preview: z.string().optional(),
  }),
  z.object({
    status: z.literal('error'),
    checkedAt: isoTimeSchema,
    error: snapshotErrorSchema,
    problems: z.array(problemSchema).optional(),
    preview: z.string().optional(),
  }),
]);
export type ConnectionTestResult = z.infer<typeof connectionTestResultSchema>;

export const importResultSchema = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(false), problems: z.array(problemSchema) }),
  z.object({
    ok: z.literal(true),
    added: z.array(z.string()),
    replaced: z.array(z.string()),
    secretsStored: z.number(),
    needed: z.array(
      z.object({
        accountId: z.string(),
        accountLabel: z.string(),
        field: z.string(),
        label: z.string(),
        reason: z.string(),
      }),
    ),
    ignored: z.array(z.string()),
    warnings: z.array(z.string()),
  }),
]);
export type ImportResult = z.infer<typeof importResultSchema>;

/** Everything the settings window shows besides the accounts. */
export const appStateSchema = z.object({
  version: z.string(),
  preferences: preferencesSchema,
  keychain: keychainStatusSchema,
  /** Said once: a damaged settings file or history moved aside, and similar. */
  notices: z.array(z.string()),
  /** Notifications paused for all accounts until then. */
  pausedUntil: isoTimeSchema.nullable(),
  platform: z.enum(['darwin', 'win32', 'linux', 'other']),
  /** The rates money is shown with (and the currencies the preference offers); null: not known. */
  exchangeRates: exchangeRatesStatusSchema.nullable(),
});
export type AppState = z.infer<typeof appStateSchema>;

export const viewSchema = z.discriminatedUnion('view', [
  z.object({ view: z.literal('dashboard'), accountId: accountIdSchema.optional() }),
  z.object({ view: z.literal('settings'), accountId: accountIdSchema.optional() }),
]);
export type View = z.infer<typeof viewSchema>;

// ---- Request/reply channels --------------------------------------------------------------

const none = z.undefined();

/** Minutes to pause or snooze notifications for, or null to end it. */
const snoozeMinutesSchema = z.number().int().positive().max(MAX_SNOOZE_MINUTES).nullable();

/** Account fields the form edits; the provider of an account never changes. */
export const accountDraftSchema = accountSchema.omit({ id: true }).extend({ id: accountIdSchema.optional() });

export const ipcInvokeContract = {
  // The windows' snapshots carry the members' credit budgets as a summary (shared/window-snapshot.ts).
  'snapshots:get': { request: none, reply: z.array(windowSnapshotSchema) },
  'snapshots:refresh': {
    request: z.strictObject({ accountId: accountIdSchema.optional() }),
    reply: z.array(windowSnapshotSchema),
  },
  /** One account's members' credit budgets with the list, for its table; null when it has none (or no snapshot). */
  'members:get': {
    request: z.strictObject({ accountId: accountIdSchema }),
    reply: userCreditsViewSchema.nullable(),
  },

  'providers:list': {
    request: none,
    reply: z.object({ providers: z.array(providerInfoSchema), presets: z.array(presetInfoSchema) }),
  },

  'accounts:list': { request: none, reply: z.array(accountEntrySchema) },
  'accounts:create': {
    request: z.strictObject({ account: accountDraftSchema, secrets: secretInputSchema.default({}) }),
    reply: accountChangeSchema,
  },
  'accounts:update': {
    request: z.strictObject({
      accountId: accountIdSchema,
      patch: z.record(z.string(), z.unknown()),
      secrets: secretInputSchema.default({}),
    }),
    reply: accountChangeSchema,
  },
  'accounts:duplicate': { request: z.strictObject({ accountId: accountIdSchema }), reply: accountChangeSchema },
  'accounts:delete': {
    request: z.strictObject({ accountId: accountIdSchema }),
    reply: z.object({ warnings: z.array(z.string()) }),
  },
  'accounts:set-secret': {
    request: z.strictObject({
      accountId: accountIdSchema,
      field: z.string().min(1).max(64),
      value: z.string().min(1).max(16_384),
    }),
    reply: accountChangeSchema,
  },
  'accounts:clear-secret': {
    request: z.strictObject({ accountId: accountIdSchema, field: z.string().min(1).max(64) }),
    reply: accountChangeSchema,
  },
  'accounts:test-connection': {
    request: z.strictObject({
      account: accountDraftSchema,
      secrets: secretInputSchema.default({}),
      existingAccountId: accountIdSchema.optional(),
    }),
    reply: connectionTestResultSchema,
  },
  /** The accounts in the config-file format, secrets left out (the renderer offers it as a download). */
  'accounts:export': { request: none, reply: z.object({ json: z.string() }) },
  'accounts:import': { request: z.strictObject({ json: z.string().max(5_000_000) }), reply: importResultSchema },

  'app:get-state': { request: none, reply: appStateSchema },
  'app:update-preferences': { request: preferencesPatchSchema, reply: appStateSchema },
  /** Pause every notification for a while (minutes), or resume (null). */
  'app:pause-notifications': { request: z.strictObject({ minutes: snoozeMinutesSchema }), reply: appStateSchema },
  'app:snooze-account': {
    request: z.strictObject({ accountId: accountIdSchema, minutes: snoozeMinutesSchema }),
    reply: z.object({ snoozedUntil: isoTimeSchema.nullable() }),
  },
  'app:open-view': { request: viewSchema, reply: z.object({ opened: z.boolean() }) },
  /** Opens an http(s) link in the user's browser, after validation in main. */
  'app:open-external': {
    request: z.strictObject({ url: z.url({ protocol: /^https?$/ }) }),
    reply: z.object({ opened: z.boolean() }),
  },

  'history:query': { request: historyQuerySchema, reply: z.array(historySeriesSchema) },
  /** Main asks where to save (a native dialog) and writes the CSV there. */
  'history:export-csv': {
    request: historyExportSchema,
    reply: z.object({ saved: z.boolean(), path: z.string().optional(), rows: z.number().optional() }),
  },
} as const;

export type IpcInvokeChannel = keyof typeof ipcInvokeContract;
export type IpcRequest<C extends IpcInvokeChannel> = z.input<(typeof ipcInvokeContract)[C]['request']>;
export type IpcReply<C extends IpcInvokeChannel> = z.infer<(typeof ipcInvokeContract)[C]['reply']>;

/** Every reply crosses as a result: a failure is a value with a kind and a message for a person. */
export const ipcErrorSchema = z.object({
  code: z.enum(['invalid_request', 'not_found', 'keychain_unavailable', 'failed', 'forbidden']),
  message: z.string(),
  problems: z.array(problemSchema).optional(),
});
export type IpcError = z.infer<typeof ipcErrorSchema>;
export type IpcResult<T> = { ok: true; value: T } | { ok: false; error: IpcError };

// ---- Events main sends to the renderer ---------------------------------------------------

export const ipcEventContract = {
  'snapshots:changed': z.array(windowSnapshotSchema),
  'accounts:changed': z.array(accountEntrySchema),
  'app:state-changed': appStateSchema,
  /** Main asks the page to show a view (a notification was clicked, "Settings…" chosen). */
  'app:navigate': viewSchema,
  /** A refresh round started or ended, for the header's progress. */
  'snapshots:refreshing': z.object({ refreshing: z.boolean() }),
} as const;

export type IpcEventChannel = keyof typeof ipcEventContract;
export type IpcEvent<C extends IpcEventChannel> = z.infer<(typeof ipcEventContract)[C]>;

/** The API the preload exposes on `window.headroom`: one typed call per channel, one subscription per event. */
export interface HeadroomApi {
  invoke<C extends IpcInvokeChannel>(channel: C, request: IpcRequest<C>): Promise<IpcResult<IpcReply<C>>>;
  /** Returns the unsubscribe function; the callback never sees Electron's event object. */
  on<C extends IpcEventChannel>(channel: C, listener: (payload: IpcEvent<C>) => void): () => void;
}

export const IPC_INVOKE_CHANNELS = Object.keys(ipcInvokeContract) as IpcInvokeChannel[];
export const IPC_EVENT_CHANNELS = Object.keys(ipcEventContract) as IpcEventChannel[];

/**
 * Main's side of every channel: validates the request against the contract and answers with a
 * result. The same functions serve Electron's ipcMain, the dev:web bridge and the e2e tests.
 */
export type IpcHandlers = { [C in IpcInvokeChannel]: (request: unknown) => Promise<IpcResult<IpcReply<C>>> };
