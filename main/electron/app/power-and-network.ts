import { net, powerMonitor } from 'electron';
import type { AppLog, AppServices } from '../../services/app-services';
import { watchNetwork } from './network-watch';

/**
 * Sleep: nothing polls while suspended; on resume (and when the network returns) stale accounts are
 * checked. Returns the function that stops watching the network.
 */
export function followPowerAndNetwork(
  polling: Pick<AppServices['polling'], 'pause' | 'resume' | 'refreshStale'>,
  log: AppLog,
): () => void {
  powerMonitor.on('suspend', () => {
    log('info', 'The system is suspending: polling paused.');
    polling.pause();
  });
  powerMonitor.on('resume', () => {
    log('info', 'The system resumed: polling again, stale accounts first.');
    polling.resume();
    polling.refreshStale('resume');
  });
  return watchNetwork(
    () => net.isOnline(),
    () => {
      log('info', 'The network is back: checking the accounts that may be stale.');
      polling.refreshStale('online');
    },
  );
}
