import { app } from 'electron';
import type { AppLog } from '../../services/app-services';

/** When quitting takes longer (a keychain or disk that hangs), Headroom exits anyway. */
const QUIT_TIMEOUT_MS = 5_000;

/**
 * Holds the first `before-quit` until `cleanUp` has finished (or failed, or QUIT_TIMEOUT_MS passed),
 * then quits for real. Asking again meanwhile waits for the same clean-up.
 */
export function quitAfterCleanUp(cleanUp: () => Promise<void>, log: AppLog): void {
  let quitting: Promise<void> | undefined;
  let quitDone = false;
  app.on('before-quit', (event) => {
    if (quitDone) return;
    event.preventDefault();
    quitting ??= (async () => {
      setTimeout(() => {
        log('warn', `Quitting took longer than ${QUIT_TIMEOUT_MS / 1000} s; Headroom exits anyway.`);
        app.exit(0);
      }, QUIT_TIMEOUT_MS).unref();
      await cleanUp();
    })()
      .catch((error: unknown) => {
        log('error', 'Headroom did not stop cleanly.', error);
      })
      .finally(() => {
        quitDone = true;
        app.quit();
      });
  });
}
