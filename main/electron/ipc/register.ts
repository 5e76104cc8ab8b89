import type { IpcMain, IpcMainInvokeEvent, WebFrameMain } from 'electron';
import { IPC_INVOKE_CHANNELS, type IpcError, type IpcHandlers } from '../../../shared/ipc';
import type { AppLog } from '../../services/app-events';
import { APP_ORIGIN, isAppUrl } from '../../services/app-protocol/app-origin';

/** The parts of a frame the sender check reads. */
export type SenderFrame = Pick<WebFrameMain, 'url' | 'origin' | 'parent'>;

/**
 * Why a message must be refused, or null when it comes from the app's own page: the frame must
 * still exist (it is null once it navigated away or was destroyed), be a main frame (never an
 * iframe), and have the app's origin, checked both as Chromium reports it and from its URL.
 */
export function senderRefusal(frame: SenderFrame | null | undefined): string | null {
  if (!frame) return 'the sending frame no longer exists (it navigated away or was closed)';
  if (frame.parent !== null) return `a sub-frame (${describe(frame.url)}) may not talk to the main process`;
  if (frame.origin !== APP_ORIGIN || !isAppUrl(frame.url))
    return `the sender (${describe(frame.origin || frame.url)}) is not Headroom's own page`;
  return null;
}

function describe(url: string): string {
  return url.length > 120 ? `${url.slice(0, 117)}...` : url;
}

const FORBIDDEN: IpcError = { code: 'forbidden', message: 'Headroom answers only its own windows.' };

/**
 * The one place that talks to ipcMain. It registers exactly the contract's channels (a handler
 * for any other channel is refused at start, so no stray channel can be opened), and every call
 * is checked first: sender frame (see senderRefusal) and a single argument; refusals are logged
 * with the reason and answered `forbidden`. Returns the function that removes the handlers.
 */
export function registerIpcHandlers(
  ipcMain: Pick<IpcMain, 'handle' | 'removeHandler'>,
  handlers: IpcHandlers,
  log: AppLog,
): () => void {
  const known = new Set<string>(IPC_INVOKE_CHANNELS);
  const stray = Object.keys(handlers).filter((channel) => !known.has(channel));
  if (stray.length > 0)
    throw new Error(
      `IPC handlers for channels outside the contract (shared/ipc.ts) were refused: ${stray.join(', ')}.`,
    );
  for (const channel of IPC_INVOKE_CHANNELS) {
    const handler = handlers[channel];
    ipcMain.handle(channel, async (event: IpcMainInvokeEvent, ...args: unknown[]) => {
      const refusal = senderRefusal(senderFrameOf(event));
      if (refusal !== null) {
        log('warn', `IPC "${channel}" refused: ${refusal}.`);
        return { ok: false, error: FORBIDDEN };
      }
      if (args.length > 1) {
        log('warn', `IPC "${channel}" refused: ${args.length} arguments where the contract has one.`);
        return {
          ok: false,
          error: {
            code: 'invalid_request',
            message: `"${channel}" takes one request object; ${args.length} arguments were sent.`,
          } satisfies IpcError,
        };
      }
      return handler(args[0]);
    });
  }
  return () => {
    for (const channel of IPC_INVOKE_CHANNELS) ipcMain.removeHandler(channel);
  };
}

/** `senderFrame` is a getter that may also throw once the frame is gone. */
function senderFrameOf(event: IpcMainInvokeEvent): SenderFrame | null {
  try {
    return event.senderFrame;
  } catch {
    return null;
  }
}
