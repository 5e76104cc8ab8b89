/**
 * Why the history cannot be used, with a message for a person. `corrupt` is only thrown where the
 * store may not repair the file itself (read-only use, such as an export); `missing`: no such file;
 * `invalid`: a query or value the history cannot take.
 */
export type HistoryErrorKind = 'corrupt' | 'newer' | 'foreign' | 'missing' | 'invalid' | 'io';

export class HistoryError extends Error {
  override readonly name = 'HistoryError';

  constructor(
    readonly kind: HistoryErrorKind,
    message: string,
  ) {
    super(message);
  }
}

/** SQLite's way of saying the file is not (or no longer) a sound database. */
export function isCorruption(error: unknown): boolean {
  if (!(error instanceof Error) || !('code' in error) || typeof error.code !== 'string') return false;
  return error.code.startsWith('SQLITE_CORRUPT') || error.code === 'SQLITE_NOTADB';
}
