import type { IpcRenderer, IpcRendererEvent } from 'electron';
import type { HeadroomApi, IpcEvent, IpcEventChannel, IpcInvokeChannel, IpcReply, IpcResult } from '../../shared/ipc';

/**
 * What the preload exposes on `window.headroom`: exactly `HeadroomApi`. It runs in the sandbox, so
 * it holds no schema (main validates every request) and only the channel names, typed against the
 * contract: a channel added to shared/ipc.ts and missing here fails the type check.
 */
const INVOKE_CHANNELS: Record<IpcInvokeChannel, true> = {
  'snapshots:get': true,
  'snapshots:refresh': true,
  'members:get': true,
  'providers:list': true,
  'accounts:list': true,
  'accounts:create': true,
  'accounts:update': true,
  'accounts:duplicate': true,
  'accounts:delete': true,
  'accounts:set-secret': true,
  'accounts:clear-secret': true,
  'accounts:test-connection': true,
  'accounts:export': true,
  'accounts:import': true,
  'app:get-state': true,
  'app:update-preferences': true,
  'app:pause-notifications': true,
  'app:snooze-account': true,
  'app:open-view': true,
  'app:open-external': true,
  'history:query': true,
  'history:export-csv': true,
};

const EVENT_CHANNELS: Record<IpcEventChannel, true> = {
  'snapshots:changed': true,
  'accounts:changed': true,
  'app:state-changed': true,
  'app:navigate': true,
  'snapshots:refreshing': true,
};

function isInvokeChannel(channel: string): channel is IpcInvokeChannel {
  return Object.hasOwn(INVOKE_CHANNELS, channel);
}

function isEventChannel(channel: string): channel is IpcEventChannel {
  return Object.hasOwn(EVENT_CHANNELS, channel);
}

export function createHeadroomApi(ipcRenderer: Pick<IpcRenderer, 'invoke' | 'on' | 'removeListener'>): HeadroomApi {
  return {
    invoke<C extends IpcInvokeChannel>(channel: C, request: unknown): Promise<IpcResult<IpcReply<C>>> {
      if (!isInvokeChannel(channel))
        return Promise.resolve({
          ok: false,
          error: { code: 'invalid_request', message: `"${String(channel)}" is not a Headroom channel.` },
        });
      return ipcRenderer.invoke(channel, request) as Promise<IpcResult<IpcReply<C>>>;
    },
    on<C extends IpcEventChannel>(channel: C, listener: (payload: IpcEvent<C>) => void): () => void {
      if (!isEventChannel(channel) || typeof listener !== 'function')
        throw new TypeError(`"${channel}" is not a Headroom event.`);
      // The page gets the payload only, never Electron's event object (it reaches ipcRenderer itself).
      const forward = (_event: IpcRendererEvent, payload: IpcEvent<C>): void => {
        listener(payload);
      };
      ipcRenderer.on(channel, forward);
      return () => {
        ipcRenderer.removeListener(channel, forward);
      };
    },
  };
}
