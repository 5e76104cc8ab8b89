import { once } from 'node:events';
import { createWriteStream, type WriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { isoTimeSchema } from '../../shared/snapshot';
import { HistoryError } from '../engine/history/history-error';
import { HistoryStore } from '../engine/history/history-store';
import { EXIT_INVALID_CONFIG, EXIT_OK, parseCommandArgs, UsageError, type CliIo, type Command } from './command';

export const exportCommand: Command = {
  name: 'export',
  usage: `Usage: headroom export --history FILE [--account ID] [--meter ID] [--from TIME] [--to TIME] [--out FILE]

  --history FILE  the history file \`check --history FILE\` records into
  --account ID    one account (default: all)
  --meter ID      one meter, such as credits or requests (default: all)
  --from TIME     first moment, ISO-8601: 2026-11-01 or 2026-11-01T08:00:00Z (default: the beginning)
  --to TIME       last moment, same forms; a bare date means the end of that day (default: the latest)
  --out FILE      write the CSV there instead of standard output

CSV as RFC 4180 (comma-separated, CRLF line ends), a header row, then one row per stored point:
time, account, meter, unit, used, limit, remaining, resets_at (ISO-8601, UTC) and source
(observed by a check, or reported by the provider for the past).

Exit status: 0 written, 2 invalid usage or a history that cannot be read.
`,
  async run(argv, io) {
    const { values } = parseCommandArgs(argv, {
      history: { type: 'string' },
      account: { type: 'string' },
      meter: { type: 'string' },
      from: { type: 'string' },
      to: { type: 'string' },
      out: { type: 'string' },
    });
    if (values.history === undefined)
      throw new UsageError('--history FILE is required: the file `check --history FILE` records into');
    const range = {
      ...(values.account !== undefined ? { accountId: values.account } : {}),
      ...(values.meter !== undefined ? { meterId: values.meter } : {}),
      ...(values.from !== undefined ? { from: parseTime(values.from, 'from') } : {}),
      ...(values.to !== undefined ? { to: parseTime(values.to, 'to') } : {}),
    };
    if (range.from !== undefined && range.to !== undefined && Date.parse(range.from) > Date.parse(range.to)) {
      throw new UsageError(`--from (${values.from ?? ''}) is after --to (${values.to ?? ''})`);
    }
    return runExport({ history: values.history, range, ...(values.out !== undefined ? { out: values.out } : {}) }, io);
  },
};

/** `2026-11-01` (the day's first or, for --to, last second, UTC) or a full ISO-8601 time with offset. */
function parseTime(text: string, option: 'from' | 'to'): string {
  if (/^\d{4}-\d{2}-\d{2}$/.test(text)) {
    const day = Date.parse(`${text}T00:00:00Z`);
    if (!Number.isNaN(day)) return new Date(option === 'from' ? day : day + 86_399_000).toISOString();
  }
  if (isoTimeSchema.safeParse(text).success) return new Date(Date.parse(text)).toISOString();
  throw new UsageError(
    `--${option} "${text}" is not a date (2026-11-01) or an ISO-8601 time with offset (2026-11-01T08:00:00Z)`,
  );
}

interface ExportOptions {
  history: string;
  range: { accountId?: string; meterId?: string; from?: string; to?: string };
  out?: string;
}

async function runExport(options: ExportOptions, io: CliIo): Promise<number> {
  let store: HistoryStore;
  try {
    store = HistoryStore.openReadonly(options.history);
  } catch (error) {
    if (error instanceof HistoryError) {
      io.stderr(
        `headroom export: ${error.message}${error.kind === 'missing' ? ' Record one with `headroom check --config FILE --history FILE`.' : ''}\n`,
      );
      return EXIT_INVALID_CONFIG;
    }
    throw error;
  }
  try {
    const unknown = unknownSelection(store, options.range);
    if (unknown) {
      io.stderr(`headroom export: ${unknown}\n`);
      return EXIT_INVALID_CONFIG;
    }
    if (options.out === undefined) {
      const { rows } = await store.exportCsv(options.range, (chunk) => {
        io.stdout(chunk);
      });
      if (rows === 0) io.stderr('headroom export: no points in that range (the CSV has its header only).\n');
      return EXIT_OK;
    }
    const rows = await writeFileAtomically(options.out, (write) => store.exportCsv(options.range, write));
    io.stderr(`headroom export: wrote ${rows} point${rows === 1 ? '' : 's'} to ${options.out}.\n`);
    return EXIT_OK;
  } catch (error) {
    if (error instanceof HistoryError) {
      io.stderr(`headroom export: ${error.message}\n`);
      return EXIT_INVALID_CONFIG;
    }
    throw error;
  } finally {
    store.close();
  }
}

/** A typo in --account or --meter should not pass for an empty history: name what is there. */
function unknownSelection(store: HistoryStore, range: ExportOptions['range']): string | null {
  const series = store.listSeries();
  if (range.accountId !== undefined && !series.some((entry) => entry.accountId === range.accountId)) {
    const accounts = [...new Set(series.map((entry) => entry.accountId))];
    return `no history for account "${range.accountId}" in ${store.path}; ${accounts.length ? `it has ${accounts.join(', ')}` : 'it is empty'}.`;
  }
  if (
    range.meterId !== undefined &&
    !series.some(
      (entry) =>
        entry.meterId === range.meterId && (range.accountId === undefined || entry.accountId === range.accountId),
    )
  ) {
    const meters = [
      ...new Set(
        series
          .filter((entry) => range.accountId === undefined || entry.accountId === range.accountId)
          .map((entry) => entry.meterId),
      ),
    ];
    return `no history for meter "${range.meterId}"${range.accountId !== undefined ? ` of account "${range.accountId}"` : ''}; there is ${meters.join(', ')}.`;
  }
  return null;
}

/** Writes to `FILE.partial` and renames it at the end, so a failed export never leaves half a file named FILE. */
async function writeFileAtomically(
  path: string,
  produce: (write: (chunk: string) => Promise<void>) => Promise<{ rows: number }>,
): Promise<number> {
  const partial = `${path}.partial`;
  const stream = createWriteStream(partial, { encoding: 'utf8' });
  try {
    await once(stream, 'open');
    const { rows } = await produce(async (chunk) => {
      if (!stream.write(chunk)) await once(stream, 'drain');
    });
    await closeStream(stream);
    await rename(partial, path);
    return rows;
  } catch (error) {
    stream.destroy();
    await rm(partial, { force: true });
    if (error instanceof Error && 'code' in error && typeof error.code === 'string' && error.code.startsWith('E')) {
      throw new HistoryError(
        'io',
        `Headroom could not write ${path} (${error.message}); check the folder exists and may be written.`,
      );
    }
    throw error;
  }
}

function closeStream(stream: WriteStream): Promise<void> {
  return new Promise((resolve, reject) => {
    stream.end((error?: Error | null) => {
      if (error) reject(error);
      else resolve();
    });
  });
}

// --- `check --history FILE` -------------------------------------------------------------------

/** The history `check --history FILE` records into, or the exit code when it cannot be opened. */
export function openCheckHistory(path: string, io: CliIo): HistoryStore | number {
  try {
    return HistoryStore.open(path, io.now ? { now: io.now } : {});
  } catch (error) {
    if (error instanceof HistoryError) {
      io.stderr(`headroom check: ${error.message}\n`);
      return EXIT_INVALID_CONFIG;
    }
    throw error;
  }
}

/**
 * After the check: says once if the file had to be replaced, thins old points to the retention (a
 * CLI run by cron has no background maintenance; after the first run this is a few milliseconds),
 * and closes the file.
 */
export async function finishCheckHistory(store: HistoryStore, io: CliIo): Promise<void> {
  try {
    const notice = store.takeNotice();
    if (notice) io.stderr(`headroom check: ${notice}\n`);
    await store.compact();
  } finally {
    store.close();
  }
}
