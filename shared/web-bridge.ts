import { z } from 'zod';
import {
  IPC_EVENT_CHANNELS,
  IPC_INVOKE_CHANNELS,
  ipcErrorSchema,
  type IpcEventChannel,
  type IpcInvokeChannel,
} from './ipc';

/**
 * The messages of the dev:web bridge: the preload API carried over a WebSocket on 127.0.0.1, so
 * the renderer runs in any browser against the same handlers as in Electron. The page connects to
 * `/bridge?token=<per-run token>`; a wrong or missing token is refused before any message.
 */
const invokeChannelSchema = z.enum(IPC_INVOKE_CHANNELS as [IpcInvokeChannel, ...IpcInvokeChannel[]]);
const eventChannelSchema = z.enum(IPC_EVENT_CHANNELS as [IpcEventChannel, ...IpcEventChannel[]]);

/** Page → server: one call. */
export const bridgeCallSchema = z.strictObject({
  type: z.literal('invoke'),
  id: z.number().int().nonnegative(),
  channel: invokeChannelSchema,
  // Optional: JSON leaves out an undefined request (the argument-less channels), and zod 4 requires a z.unknown() key.
  request: z.unknown().optional(),
});
export type BridgeCall = z.infer<typeof bridgeCallSchema>;

/** Server → page: the result of a call, or an event. */
export const bridgeMessageSchema = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('result'),
    id: z.number().int().nonnegative(),
    result: z.union([
      z.object({ ok: z.literal(true), value: z.unknown() }),
      z.object({ ok: z.literal(false), error: ipcErrorSchema }),
    ]),
  }),
  z.strictObject({ type: z.literal('event'), channel: eventChannelSchema, payload: z.unknown() }),
]);
export type BridgeMessage = z.infer<typeof bridgeMessageSchema>;

export const BRIDGE_PATH = '/bridge';
