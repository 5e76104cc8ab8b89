import { describe, expect, it } from 'vitest';
import type {
  AccountEntry,
  AppState,
  HeadroomApi,
  IpcError,
  IpcEvent,
  IpcEventChannel,
  IpcInvokeChannel,
  IpcReply,
  IpcResult,
} from '../../shared/ipc';
import { preferencesSchema } from '../../shared/settings';
import { HeadroomStore } from '../../renderer/src/state/headroom-store';
import { entry, NOW } from './fixtures';

/** Main's answer to one call; it may send events first, as main does when it announces a change before replying. */
type Answer = (request: unknown, api: FakeApi) => IpcResult<unknown>;

/**
 * A page's API with main's answers given per channel. Events are sent by hand, so a test says
 * whether main's `accounts:changed` came at all, and when.
 */
class FakeApi implements HeadroomApi {
  readonly calls: { channel: IpcInvokeChannel; request: unknown }[] = [];
  private readonly listeners = new Map<IpcEventChannel, ((payload: never) => void)[]>();

  constructor(private readonly answers: Partial<Record<IpcInvokeChannel, Answer>>) {}

  invoke<C extends IpcInvokeChannel>(channel: C, request: unknown): Promise<IpcResult<IpcReply<C>>> {
    this.calls.push({ channel, request });
    const answer = this.answers[channel];
    if (!answer) return Promise.reject(new Error(`no answer for ${channel}`));
    return Promise.resolve(answer(request, this) as IpcResult<IpcReply<C>>);
  }

  on<C extends IpcEventChannel>(channel: C, listener: (payload: IpcEvent<C>) => void): () => void {
    this.listeners.set(channel, [...(this.listeners.get(channel) ?? []), listener]);
    return () => undefined;
  }

  emit<C extends IpcEventChannel>(channel: C, payload: IpcEvent<C>): void {
    for (const listener of this.listeners.get(channel) ?? []) (listener as (payload: IpcEvent<C>) => void)(payload);
  }
}

const refused: IpcError = { code: 'failed', message: 'The keychain is locked.' };
const ok = <T>(value: T): IpcResult<T> => ({ ok: true, value });

async function storeWith(
  accounts: AccountEntry[],
  answers: Partial<Record<IpcInvokeChannel, Answer>>,
): Promise<{ store: HeadroomStore; api: FakeApi }> {
  const api = new FakeApi({
    'snapshots:get': () => ok([]),
    'accounts:list': () => ok(accounts),
    'app:get-state': () => ({ ok: false, error: refused }),
    ...answers,
  });
  const store = new HeadroomStore(api, () => NOW);
  await store.start();
  return { store, api };
}

const ids = (store: HeadroomStore): string[] =>
  (store.getState().accounts ?? []).map((candidate) => candidate.account.id);

describe('the store actions views call', () => {
  it('has a created account in its state when createAccount resolves, before any event', async () => {
    const created = entry('gis', { label: 'GIS org' });
    const { store } = await storeWith([entry('demo')], {
      'accounts:create': () => ok({ entry: created, warnings: [] }),
    });
    const result = await store.createAccount({ account: { provider: 'arcgis', label: 'GIS org', config: {} } });
    expect(result).toEqual({ ok: true, value: { entry: created, warnings: [] } });
    expect(ids(store)).toEqual(['demo', 'gis']);
  });

  it('replaces an edited entry in place, and reports the clears that failed as warnings of the save', async () => {
    const edited = entry('gis', { label: 'Renamed' });
    const cleared = entry('gis', { label: 'Renamed', enabled: false });
    const { store, api } = await storeWith([entry('a'), entry('gis'), entry('b')], {
      'accounts:update': () => ok({ entry: edited, warnings: ['w1'] }),
      'accounts:clear-secret': (request) =>
        (request as { field: string }).field === 'password'
          ? ok({ entry: cleared, warnings: [] })
          : { ok: false, error: refused },
    });
    const result = await store.updateAccount({ accountId: 'gis', patch: { label: 'Renamed' } }, ['password', 'token']);
    expect(result).toEqual({ ok: true, value: { entry: cleared, warnings: ['w1', 'The keychain is locked.'] } });
    expect(ids(store)).toEqual(['a', 'gis', 'b']);
    expect(store.getState().accounts?.[1]).toEqual(cleared);
    expect(api.calls.filter((call) => call.channel === 'accounts:clear-secret')).toHaveLength(2);
  });

  it('does not clear secrets, nor change its state, when the save itself is refused', async () => {
    const { store, api } = await storeWith([entry('gis')], {
      'accounts:update': () => ({ ok: false, error: refused }),
    });
    const before = store.getState().accounts;
    expect(await store.updateAccount({ accountId: 'gis', patch: { label: 'x' } }, ['password'])).toEqual({
      ok: false,
      error: refused,
    });
    expect(store.getState().accounts).toBe(before);
    expect(api.calls.some((call) => call.channel === 'accounts:clear-secret')).toBe(false);
  });

  it('deletes accounts one by one, drops each from its state at once, and goes on past a failure', async () => {
    const { store } = await storeWith([entry('a'), entry('b'), entry('c')], {
      'accounts:delete': (request) =>
        (request as { accountId: string }).accountId === 'b'
          ? { ok: false, error: refused }
          : ok({ warnings: ['kept history'] }),
    });
    expect(await store.deleteAccounts(['a', 'b', 'c'])).toEqual({
      deleted: 2,
      warnings: ['kept history', 'kept history'],
      failures: ['The keychain is locked.'],
    });
    expect(ids(store)).toEqual(['b']);
  });

  it('adds a duplicate, and lets main’s later accounts:changed have the last word', async () => {
    const copy = entry('gis-2');
    const { store, api } = await storeWith([entry('gis')], {
      'accounts:duplicate': () => ok({ entry: copy, warnings: [] }),
    });
    await store.duplicateAccount('gis');
    expect(ids(store)).toEqual(['gis', 'gis-2']);
    api.emit('accounts:changed', [copy]);
    expect(ids(store)).toEqual(['gis-2']);
  });

  it('lists the accounts again after an import that went through, not after one that was refused', async () => {
    let listed = [entry('gis')];
    const { store, api } = await storeWith(listed, {
      'accounts:list': () => ok(listed),
      'accounts:import': (request) =>
        (request as { json: string }).json === 'good'
          ? ok({ ok: true, added: ['oxr'], replaced: [], secretsStored: 0, needed: [], ignored: [], warnings: [] })
          : ok({ ok: false, problems: [{ path: 'accounts', message: 'is missing' }] }),
    });
    listed = [entry('gis'), entry('oxr')];
    await store.importAccounts('bad');
    expect(ids(store)).toEqual(['gis']);
    await store.importAccounts('good');
    expect(ids(store)).toEqual(['gis', 'oxr']);
    expect(api.calls.filter((call) => call.channel === 'accounts:list')).toHaveLength(2);
  });

  it('leaves its state as it was and hands back main’s refusal when a create, duplicate or delete is refused', async () => {
    const { store } = await storeWith([entry('gis')], {
      'accounts:create': () => ({ ok: false, error: refused }),
      'accounts:duplicate': () => ({ ok: false, error: refused }),
      'accounts:delete': () => ({ ok: false, error: refused }),
    });
    const before = store.getState().accounts;
    expect(await store.createAccount({ account: { provider: 'arcgis', label: 'GIS org', config: {} } })).toEqual({
      ok: false,
      error: refused,
    });
    expect(await store.duplicateAccount('gis')).toEqual({ ok: false, error: refused });
    expect(await store.deleteAccounts(['gis'])).toEqual({
      deleted: 0,
      warnings: [],
      failures: ['The keychain is locked.'],
    });
    expect(store.getState().accounts).toBe(before);
  });

  it('lists a created account once when main’s accounts:changed came before the reply', async () => {
    const created = entry('gis');
    const { store } = await storeWith([entry('demo')], {
      'accounts:create': (_request, api) => {
        api.emit('accounts:changed', [entry('demo'), created]);
        return ok({ entry: created, warnings: [] });
      },
    });
    await store.createAccount({ account: { provider: 'arcgis', label: 'gis', config: {} } });
    expect(ids(store)).toEqual(['demo', 'gis']);
  });

  it('takes the app state main answers a change of preferences with, and keeps its own on a refusal', async () => {
    const preferences = preferencesSchema.parse({ theme: 'dark' });
    const appState: AppState = {
      version: '1.0.0',
      preferences,
      keychain: { available: true },
      notices: [],
      pausedUntil: null,
      platform: 'linux',
      exchangeRates: null,
    };
    let answer: IpcResult<AppState> = ok(appState);
    const { store } = await storeWith([], { 'app:update-preferences': () => answer });
    expect(await store.updatePreferences({ theme: 'dark' })).toEqual(ok(appState));
    expect(store.getState().appState).toBe(appState);
    answer = { ok: false, error: refused };
    expect(await store.updatePreferences({ theme: 'light' })).toEqual({ ok: false, error: refused });
    expect(store.getState().appState).toBe(appState);
  });

  it('says whether main could open a view or a link, so the page can do it itself', async () => {
    const { store } = await storeWith([], {
      'app:open-view': () => ok({ opened: false }),
      'app:open-external': () => ({ ok: false, error: refused }),
    });
    expect(await store.openView({ view: 'settings' })).toBe(false);
    expect(await store.openExternal('https://example.org/')).toBe(false);
    const electron = await storeWith([], {
      'app:open-view': () => ok({ opened: true }),
      'app:open-external': () => ok({ opened: true }),
    });
    expect(await electron.store.openView({ view: 'dashboard', accountId: 'gis' })).toBe(true);
    expect(await electron.store.openExternal('https://example.org/')).toBe(true);
  });

  it('asks main for one account’s member list, and leaves the state alone', async () => {
    const { store, api } = await storeWith([], { 'members:get': () => ok(null) });
    const before = store.getState();
    expect(await store.memberCredits('gis')).toEqual(ok(null));
    expect(api.calls.at(-1)).toEqual({ channel: 'members:get', request: { accountId: 'gis' } });
    expect(store.getState()).toBe(before);
  });
});
