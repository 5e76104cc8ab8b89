import { join } from 'node:path';
import log from 'electron-log/main';
import type { AppLog } from '../../services/app-events';
import { redactLogData } from './log-redaction';

export const LOG_FILE_NAME = 'main.log';

/**
 * electron-log writing to `<logs folder>/main.log` (rotated at 2 MB, one old file kept), every line
 * redacted, and uncaught errors of the main process logged instead of shown in a dialog.
 */
export function setUpLogging(logsFolder: string): AppLog {
  log.transports.file.resolvePathFn = () => join(logsFolder, LOG_FILE_NAME);
  log.transports.file.maxSize = 2 * 1024 * 1024;
  log.hooks.push((message) => ({ ...message, data: redactLogData(message.data as unknown[]) }));
  log.errorHandler.startCatching({ showDialog: false });
  return (level, message, error) => {
    if (error === undefined) log[level](message);
    else log[level](message, error);
  };
}
