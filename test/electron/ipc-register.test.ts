import type { IpcMainInvokeEvent } from 'electron';
import { describe, expect, it, vi } from 'vitest';
import { IPC_EVENT_CHANNELS, IPC_INVOKE_CHANNELS, type IpcHandlers } from '../../shared/ipc';
import { registerIpcHandlers, senderRefusal, type SenderFrame } from '../../main/electron/ipc/register';
import { createHeadroomApi } from '../../main/preload/preload-api';
import { electronFake } from './electron-fakes';

vi.mock('electron', async () => (await import('./electron-fakes')).electronFake);

type Handler = (event: IpcMainInvokeEvent, ...args: unknown[]) => Promise<unknown>;

const APP_FRAME: SenderFrame = { url: 'app://headroom/index.html#/dashboard', origin: 'app://headroom', parent: null };

/** Handlers that answer with the request they got, to see what reached them. */
function echoHandlers(): IpcHandlers {
  return Object.fromEntries(
    IPC_INVOKE_CHANNELS.map((channel) => [
      channel,
      (request: unknown) => Promise.resolve({ ok: true, value: { channel, request } }),
    ]),
  ) as unknown as IpcHandlers;
}

function register(handlers: IpcHandlers = echoHandlers()) {
  const registered = new Map<string, Handler>();
  const removed: string[] = [];
  const logs: string[] = [];
  const ipcMain = {
    handle: (channel: string, handler: Handler) => {
      registered.set(channel, handler);
    },
    removeHandler: (channel: string) => {
      removed.push(channel);
    },
  };
  const dispose = registerIpcHandlers(ipcMain, handlers, (_level, message) => logs.push(message));
  const call = (channel: string, frame: SenderFrame | null, ...args: unknown[]) => {
    const handler = registered.get(channel);
    if (!handler) throw new Error(`no handler for ${channel}`);
    return handler({ senderFrame: frame } as unknown as IpcMainInvokeEvent, ...args);
  };
  return { registered, removed, logs, dispose, call };
}

describe('the sender check', () => {
  it("accepts only the main frame of the app's own page", () => {
    expect(senderRefusal(APP_FRAME)).toBeNull();
    expect(senderRefusal(null)).toMatch(/no longer exists/);
    expect(senderRefusal(undefined)).toMatch(/no longer exists/);
    expect(senderRefusal({ ...APP_FRAME, parent: APP_FRAME as never })).toMatch(/sub-frame/);
    expect(senderRefusal({ url: 'https://evil.example/', origin: 'https://evil.example', parent: null })).toMatch(
      /not Headroom's own page/,
    );
    expect(senderRefusal({ url: 'file:///tmp/page.html', origin: 'file://', parent: null })).toMatch(
      /not Headroom's own page/,
    );
    // Both the reported origin and the URL must be the app's.
    expect(senderRefusal({ url: 'https://evil.example/', origin: 'app://headroom', parent: null })).not.toBeNull();
    expect(senderRefusal({ url: 'app://headroom/index.html', origin: 'null', parent: null })).not.toBeNull();
  });
});

describe('registerIpcHandlers', () => {
  it("registers exactly the contract's channels and removes them again", () => {
    const { registered, removed, dispose } = register();
    expect([...registered.keys()].sort()).toEqual([...IPC_INVOKE_CHANNELS].sort());
    dispose();
    expect(removed.sort()).toEqual([...IPC_INVOKE_CHANNELS].sort());
  });

  it('refuses a handler for a channel outside the contract', () => {
    expect(() =>
      register({
        ...echoHandlers(),
        'shell:exec': () => Promise.resolve({ ok: true, value: null }),
      } as unknown as IpcHandlers),
    ).toThrow(/outside the contract.*shell:exec/);
  });

  it("passes the app's own requests through, one argument only", async () => {
    const { call } = register();
    await expect(call('accounts:delete', APP_FRAME, { accountId: 'fx' })).resolves.toEqual({
      ok: true,
      value: { channel: 'accounts:delete', request: { accountId: 'fx' } },
    });
    await expect(call('accounts:delete', APP_FRAME, { accountId: 'fx' }, 'extra')).resolves.toMatchObject({
      ok: false,
      error: { code: 'invalid_request' },
    });
  });

  it('refuses a foreign origin, a vanished frame and a sub-frame, and logs why', async () => {
    const { call, logs } = register();
    const refused = { ok: false, error: { code: 'forbidden', message: 'Headroom answers only its own windows.' } };
    await expect(
      call(
        'accounts:delete',
        { url: 'https://evil.example/', origin: 'https://evil.example', parent: null },
        { accountId: 'fx' },
      ),
    ).resolves.toEqual(refused);
    await expect(call('accounts:delete', null, { accountId: 'fx' })).resolves.toEqual(refused);
    await expect(
      call('accounts:delete', { ...APP_FRAME, parent: APP_FRAME as never }, { accountId: 'fx' }),
    ).resolves.toEqual(refused);
    expect(logs).toEqual([
      'IPC "accounts:delete" refused: the sender (https://evil.example) is not Headroom\'s own page.',
      'IPC "accounts:delete" refused: the sending frame no longer exists (it navigated away or was closed).',
      'IPC "accounts:delete" refused: a sub-frame (app://headroom/index.html#/dashboard) may not talk to the main process.',
    ]);
  });

  it('refuses when reading the sender frame throws (a frame torn down mid-call)', async () => {
    const { registered } = register();
    const event = Object.defineProperty({}, 'senderFrame', {
      get() {
        throw new Error('Render frame was disposed before WebFrameMain could be accessed');
      },
    }) as IpcMainInvokeEvent;
    await expect(registered.get('snapshots:get')?.(event, undefined)).resolves.toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
  });
});

describe('the preload', () => {
  it('exposes exactly invoke and on as window.headroom', async () => {
    await import('../../main/preload/preload');
    expect(electronFake.contextBridge.exposeInMainWorld).toHaveBeenCalledTimes(1);
    const [name, api] = electronFake.contextBridge.exposeInMainWorld.mock.calls[0] ?? [];
    expect(name).toBe('headroom');
    expect(Object.keys(api as object).sort()).toEqual(['invoke', 'on']);
  });

  it('invokes only contract channels, and hands listeners the payload, never the event', async () => {
    const listeners = new Map<string, (event: unknown, payload: unknown) => void>();
    const ipcRenderer = {
      invoke: vi.fn((channel: string, request: unknown) => Promise.resolve({ ok: true, value: { channel, request } })),
      on: vi.fn((channel: string, listener: (event: unknown, payload: unknown) => void) => {
        listeners.set(channel, listener);
      }),
      removeListener: vi.fn((channel: string) => {
        listeners.delete(channel);
      }),
    };
    const api = createHeadroomApi(ipcRenderer as never);
    await expect(api.invoke('accounts:list', undefined)).resolves.toEqual({
      ok: true,
      value: { channel: 'accounts:list', request: undefined },
    });
    await expect(api.invoke('shell:exec' as never, {} as never)).resolves.toMatchObject({
      ok: false,
      error: { code: 'invalid_request' },
    });
    expect(ipcRenderer.invoke).toHaveBeenCalledTimes(1);

    const received: unknown[][] = [];
    const stop = api.on('snapshots:refreshing', (...args: unknown[]) => received.push(args));
    listeners.get('snapshots:refreshing')?.(
      { sender: 'the IpcRendererEvent with ipcRenderer on it' },
      { refreshing: true },
    );
    expect(received).toEqual([[{ refreshing: true }]]);
    stop();
    expect(listeners.has('snapshots:refreshing')).toBe(false);
    expect(() => api.on('ipc:raw' as never, () => undefined)).toThrow(/not a Headroom event/);
    for (const channel of IPC_EVENT_CHANNELS) expect(() => api.on(channel, () => undefined)).not.toThrow();
  });
});
