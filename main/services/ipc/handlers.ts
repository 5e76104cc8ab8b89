import { open, rm } from 'node:fs/promises';
import { z } from 'zod';
import {
  ipcInvokeContract,
  type IpcHandlers,
  type IpcInvokeChannel,
  type IpcResult,
  type PresetInfo,
  type ProviderInfo,
  type View,
} from '../../../shared/ipc';
import { customPollingPolicy } from '../../engine/providers/custom/custom-provider';
import { PRESETS } from '../../engine/providers/custom/presets';
import type { SecretField } from '../../engine/providers/provider';
import { PROVIDERS } from '../../engine/providers/registry';
import { externalUrlOrNull } from '../security/external-url';
import type { AppServices } from '../app-services';
import { ForbiddenRequestError, invalidRequest, toIpcError } from './ipc-errors';
import { windowSnapshots } from './window-snapshots';

/** What only the desktop shell can do; the dev:web server and the tests pass their own. */
export interface PlatformActions {
  /** Shows the dashboard or the settings window at a view; false when there is nothing to show it in. */
  openView(view: View): boolean | Promise<boolean>;
  /**
   * Opens an http(s) address (already validated) in the person's browser; rejects where there is no shell to do it (the
   * page then opens it itself).
   */
  openExternal(url: string): Promise<void>;
  /** Asks where to save a file; undefined when the person cancelled. */
  showSaveDialog(options: {
    title: string;
    defaultName: string;
    filters: { name: string; extensions: string[] }[];
  }): Promise<string | undefined>;
  /** Starts Headroom at login, or stops doing so. */
  setLoginItem(enabled: boolean): void;
}

/**
 * Main's side of every channel, as plain functions of the services and the platform: Electron's
 * ipcMain (through register.ts), the dev:web bridge and the renderer's e2e tests call these same
 * functions. Each validates its request with the contract's schema and answers with a result; an
 * invalid request or a failure is an error value, never a throw. Replies are parsed with their
 * schema on the way out, so nothing the contract does not name (a secret) can cross.
 */
export function createIpcHandlers(services: AppServices, platform: PlatformActions): IpcHandlers {
  const define = <Req extends z.ZodType, Rep extends z.ZodType>(
    channel: IpcInvokeChannel,
    spec: { request: Req; reply: Rep },
    run: (request: z.output<Req>) => Promise<z.input<Rep>>,
  ): ((request: unknown) => Promise<IpcResult<z.output<Rep>>>) => {
    return async (raw) => {
      const request = spec.request.safeParse(raw);
      if (!request.success) return { ok: false, error: invalidRequest(channel, request.error) };
      try {
        const reply = spec.reply.safeParse(await run(request.data));
        if (reply.success) return { ok: true, value: reply.data };
        return {
          ok: false,
          error: toIpcError(
            channel,
            new Error(`The reply broke the contract: ${reply.error.message}`),
            services.log,
            services.platform,
          ),
        };
      } catch (error) {
        return { ok: false, error: toIpcError(channel, error, services.log, services.platform) };
      }
    };
  };
  const c = ipcInvokeContract;
  let catalog: { providers: ProviderInfo[]; presets: PresetInfo[] } | undefined;

  return {
    'snapshots:get': define('snapshots:get', c['snapshots:get'], () =>
      Promise.resolve(windowSnapshots(services.polling.snapshots())),
    ),
    'snapshots:refresh': define('snapshots:refresh', c['snapshots:refresh'], async (request) =>
      windowSnapshots(await services.refresh(request.accountId)),
    ),
    'members:get': define('members:get', c['members:get'], (request) => {
      const snapshot = services.polling.snapshots().find((candidate) => candidate.accountId === request.accountId);
      return Promise.resolve(snapshot?.views?.userCredits ?? null);
    }),

    'providers:list': define('providers:list', c['providers:list'], () => {
      catalog ??= { providers: PROVIDERS.map(providerInfo), presets: PRESETS.map(presetInfo) };
      return Promise.resolve(catalog);
    }),

    'accounts:list': define('accounts:list', c['accounts:list'], () => services.accounts.list()),
    // Every change to the accounts reaches the windows as `accounts:changed` before its reply: the services announce
    // it.
    'accounts:create': define('accounts:create', c['accounts:create'], (request) =>
      services.accounts.create({ account: request.account, secrets: request.secrets }),
    ),
    'accounts:update': define('accounts:update', c['accounts:update'], (request) =>
      services.accounts.update(request.accountId, { account: request.patch, secrets: request.secrets }),
    ),
    'accounts:duplicate': define('accounts:duplicate', c['accounts:duplicate'], (request) =>
      services.accounts.duplicate(request.accountId),
    ),
    'accounts:delete': define('accounts:delete', c['accounts:delete'], (request) =>
      services.accounts.delete(request.accountId),
    ),
    'accounts:set-secret': define('accounts:set-secret', c['accounts:set-secret'], (request) =>
      services.accounts.setSecret(request.accountId, request.field, request.value),
    ),
    'accounts:clear-secret': define('accounts:clear-secret', c['accounts:clear-secret'], (request) =>
      services.accounts.clearSecret(request.accountId, request.field),
    ),
    'accounts:test-connection': define('accounts:test-connection', c['accounts:test-connection'], (request) =>
      services.accounts.testConnection({
        account: request.account,
        secrets: request.secrets,
        ...(request.existingAccountId === undefined ? {} : { accountId: request.existingAccountId }),
      }),
    ),
    'accounts:export': define('accounts:export', c['accounts:export'], () =>
      Promise.resolve({ json: `${JSON.stringify(services.accounts.exportConfig(), null, 2)}\n` }),
    ),
    'accounts:import': define('accounts:import', c['accounts:import'], async (request) => {
      let parsed: unknown;
      try {
        parsed = JSON.parse(request.json);
      } catch (error) {
        return {
          ok: false as const,
          problems: [
            {
              path: '(file)',
              message: `is not valid JSON (${error instanceof Error ? error.message : String(error)})`,
            },
          ],
        };
      }
      // `{ "env": … }` secrets are not read from the app's environment: a page must not be able to
      // move environment variables into the keychain (and on to an address of its choosing).
      return services.accounts.importConfig(parsed, { env: {} });
    }),

    'app:get-state': define('app:get-state', c['app:get-state'], () => services.appState()),
    'app:update-preferences': define('app:update-preferences', c['app:update-preferences'], async (patch) => {
      const state = await services.updatePreferences(patch);
      if (patch.launchAtLogin !== undefined) platform.setLoginItem(patch.launchAtLogin);
      return state;
    }),
    'app:pause-notifications': define('app:pause-notifications', c['app:pause-notifications'], (request) =>
      services.pauseNotifications(request.minutes),
    ),
    'app:snooze-account': define('app:snooze-account', c['app:snooze-account'], (request) =>
      services.snoozeAccount(request.accountId, request.minutes),
    ),
    'app:open-view': define('app:open-view', c['app:open-view'], async (view) => ({
      opened: await platform.openView(view),
    })),
    'app:open-external': define('app:open-external', c['app:open-external'], async (request) => {
      const url = externalUrlOrNull(request.url);
      if (url === null)
        throw new ForbiddenRequestError(
          'Headroom opens only plain http:// and https:// addresses in the browser, without a user name or password in them.',
        );
      // Accepted OPEN_EXTERNAL_JS_CHECK: the URL passed externalUrlOrNull on the line above.
      await platform.openExternal(url); // eng-disable OPEN_EXTERNAL_JS_CHECK
      return { opened: true };
    }),

    'history:query': define('history:query', c['history:query'], (query) =>
      Promise.resolve(services.history.query(query)),
    ),
    'history:export-csv': define('history:export-csv', c['history:export-csv'], async (range) => {
      const path = await platform.showSaveDialog({
        title: services.localization().t('shell.exportHistoryTitle'),
        defaultName: `headroom-history-${services.now().toISOString().slice(0, 10)}.csv`,
        filters: [{ name: 'CSV', extensions: ['csv'] }],
      });
      if (path === undefined) return { saved: false };
      const { rows } = await writeCsv(path, (write) => services.history.exportCsv(range, write));
      return { saved: true, path, rows };
    }),
  };
}

function providerInfo(provider: (typeof PROVIDERS)[number]): ProviderInfo {
  return {
    id: provider.id,
    name: provider.name,
    minIntervalMinutes: provider.minIntervalMinutes,
    usageCallCountsAgainstQuota: provider.usageCallCountsAgainstQuota,
    reportsMemberCredits: provider.reportsMemberCredits,
    configJsonSchema: configJsonSchema(provider.configSchema),
    secretFields: provider.secretFields.map(secretFieldInfo),
    ...(provider.suggestedRules ? { suggestedRules: provider.suggestedRules } : {}),
  };
}

/** What a form can know of a config schema; parts JSON Schema cannot say (a refinement) are left open. */
function configJsonSchema(schema: z.ZodType): Record<string, unknown> {
  return z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' });
}

function presetInfo(preset: (typeof PRESETS)[number]): PresetInfo {
  return {
    id: preset.id,
    name: preset.name,
    title: preset.title,
    minIntervalMinutes: customPollingPolicy({ preset: preset.id }).minIntervalMinutes,
    summary: preset.summary,
    docsUrl: preset.docsUrl,
    keysUrl: preset.keysUrl,
    fields: preset.fields,
    secrets: preset.secrets.map(secretFieldInfo),
    ...(preset.suggestedRules ? { suggestedRules: preset.suggestedRules } : {}),
  };
}

function secretFieldInfo(field: SecretField): ProviderInfo['secretFields'][number] {
  return { key: field.key, label: field.label, ...(field.help ? { help: field.help } : {}) };
}

/** Writes an export to `path`; a failed export leaves no half-written file behind. */
async function writeCsv(
  path: string,
  produce: (write: (chunk: string) => Promise<void>) => Promise<{ rows: number }>,
): Promise<{ rows: number }> {
  const file = await open(path, 'w');
  try {
    const result = await produce(async (chunk) => {
      await file.write(chunk);
    });
    await file.close();
    return result;
  } catch (error) {
    await file.close().catch(() => undefined);
    await rm(path, { force: true });
    throw error;
  }
}
