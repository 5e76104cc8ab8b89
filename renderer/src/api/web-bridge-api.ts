import {
  ipcEventContract,
  ipcInvokeContract,
  type HeadroomApi,
  type IpcEvent,
  type IpcEventChannel,
  type IpcInvokeChannel,
  type IpcReply,
  type IpcRequest,
  type IpcResult,
} from '../../../shared/ipc';
import { BRIDGE_PATH, bridgeMessageSchema, type BridgeCall } from '../../../shared/web-bridge';

/** The part of the browser's WebSocket the bridge uses, so tests can hand in their own. */
export interface BridgeSocket {
  readonly readyState: number;
  send(data: string): void;
  close(): void;
  addEventListener(type: 'open' | 'close' | 'error', listener: () => void): void;
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
}

const OPEN = 1;
/** A call that gets no answer in this time fails instead of hanging the window. */
const CALL_TIMEOUT_MS = 60_000;
const RECONNECT_DELAYS_MS = [500, 1000, 2000, 5000];

type Pending = {
  channel: IpcInvokeChannel;
  resolve: (result: IpcResult<unknown>) => void;
  timer: ReturnType<typeof setTimeout>;
};
type AnyListener = (payload: unknown) => void;

function failure(message: string): IpcResult<never> {
  return { ok: false, error: { code: 'failed', message } };
}

/**
 * The preload API over the dev:web WebSocket (shared/web-bridge.ts): the same calls and events as
 * in Electron, for a plain browser. Every message from the server is checked against the contract;
 * a lost connection fails the calls in flight with a message and is re-opened for the next ones.
 */
export function createWebBridgeApi(args: {
  origin: string;
  token: string;
  connect?: (url: string) => BridgeSocket;
}): HeadroomApi {
  const url = new URL(BRIDGE_PATH, args.origin.replace(/^http/, 'ws'));
  url.searchParams.set('token', args.token);
  const connect = args.connect ?? ((address: string): BridgeSocket => new WebSocket(address));
  const pending = new Map<number, Pending>();
  const listeners = new Map<IpcEventChannel, Set<AnyListener>>();
  const queue: string[] = [];
  let nextId = 1;
  let socket: BridgeSocket | null = null;
  let failures = 0;

  function settle(id: number, result: IpcResult<unknown>): void {
    const call = pending.get(id);
    if (!call) return;
    pending.delete(id);
    clearTimeout(call.timer);
    call.resolve(result);
  }

  function onMessage(data: unknown): void {
    if (typeof data !== 'string') return;
    let json: unknown;
    try {
      json = JSON.parse(data);
    } catch {
      return;
    }
    const message = bridgeMessageSchema.safeParse(json);
    if (!message.success) {
      console.error('Headroom: the dev:web server sent a message outside the contract', message.error.issues);
      return;
    }
    if (message.data.type === 'result') {
      const call = pending.get(message.data.id);
      if (!call) return;
      const result = message.data.result;
      if (!result.ok) {
        settle(message.data.id, result);
        return;
      }
      const value = ipcInvokeContract[call.channel].reply.safeParse(result.value);
      settle(
        message.data.id,
        value.success
          ? { ok: true, value: value.data }
          : failure(`Headroom's answer to "${call.channel}" did not have the expected shape; reload the page.`),
      );
      return;
    }
    const { channel } = message.data;
    const payload = ipcEventContract[channel].safeParse(message.data.payload);
    if (!payload.success) return;
    for (const listener of listeners.get(channel) ?? []) listener(payload.data);
  }

  function open(): BridgeSocket {
    if (socket) return socket;
    const opened = connect(url.toString());
    socket = opened;
    opened.addEventListener('open', () => {
      failures = 0;
      for (const data of queue.splice(0)) opened.send(data);
    });
    opened.addEventListener('message', (event) => {
      onMessage(event.data);
    });
    opened.addEventListener('close', () => {
      if (socket !== opened) return;
      socket = null;
      for (const id of [...pending.keys()])
        settle(
          id,
          failure(
            'The connection to the Headroom dev:web server was lost. Is `npm run dev:web` still running? Reload the page once it is.',
          ),
        );
      // Events only arrive over an open socket: keep trying for a while, so a restarted server is found again.
      const delay = RECONNECT_DELAYS_MS[failures];
      failures += 1;
      if (delay !== undefined && listeners.size > 0) setTimeout(open, delay);
    });
    return opened;
  }

  return {
    invoke<C extends IpcInvokeChannel>(channel: C, request: IpcRequest<C>): Promise<IpcResult<IpcReply<C>>> {
      return new Promise((resolve) => {
        const id = nextId++;
        const timer = setTimeout(() => {
          settle(
            id,
            failure(
              `Headroom did not answer "${channel}" within a minute. Check the terminal running \`npm run dev:web\`.`,
            ),
          );
        }, CALL_TIMEOUT_MS);
        pending.set(id, { channel, resolve: resolve as (result: IpcResult<unknown>) => void, timer });
        const call: BridgeCall = { type: 'invoke', id, channel, request };
        const data = JSON.stringify(call);
        const current = open();
        if (current.readyState === OPEN) current.send(data);
        else queue.push(data);
      });
    },
    on<C extends IpcEventChannel>(channel: C, listener: (payload: IpcEvent<C>) => void): () => void {
      const set = listeners.get(channel) ?? new Set<AnyListener>();
      const wrapped = listener as AnyListener;
      set.add(wrapped);
      listeners.set(channel, set);
      open();
      return () => {
        set.delete(wrapped);
        if (set.size === 0) listeners.delete(channel);
      };
    },
  };
}
