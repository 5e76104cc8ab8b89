/** One line per event, for the journal (systemd adds the time) or a terminal. */
export type Log = (level: 'info' | 'warn' | 'error', message: string) => void;

export function streamLog(write: (text: string) => void): Log {
  return (level, message) => {
    write(`headroom serve: ${level === 'info' ? '' : `${level}: `}${message}\n`);
  };
}
