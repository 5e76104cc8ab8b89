import { formatAmount, formatCountdown, formatPercent, percentRemaining } from '../../shared/format';
import type { Level, Meter, Snapshot } from '../../shared/snapshot';

interface TableOptions {
  color: boolean;
  now: Date;
}

const COLORS: Record<Level | 'error', string> = { ok: '32', warning: '33', critical: '31', unknown: '90', error: '31' };

/** The readable `check` output: one line per meter, errors in plain words, aligned columns. */
export function renderTable(snapshots: readonly Snapshot[], options: TableOptions): string {
  const paint = (text: string, tone: Level | 'error'): string =>
    options.color ? `\u001b[${COLORS[tone]}m${text}\u001b[39m` : text;
  const header = ['ACCOUNT', 'METER', 'REMAINING', 'USED / LIMIT', 'LEVEL', 'RESETS'];
  const rows: { cells: string[]; tone: Level | 'error' }[] = [];
  const notes: string[] = [];

  for (const snapshot of snapshots) {
    const stale = snapshot.status === 'error';
    snapshot.meters.forEach((meter, index) => {
      rows.push({
        cells: [index === 0 ? snapshot.label : '', ...meterCells(meter, options.now, stale)],
        tone: stale ? 'unknown' : meter.level,
      });
    });
    if (snapshot.error) {
      if (snapshot.meters.length === 0)
        rows.push({ cells: [snapshot.label, '—', '—', '—', `error (${snapshot.error.kind})`, ''], tone: 'error' });
      const since = snapshot.fetchedAt ? ` Figures above are from ${snapshot.fetchedAt}.` : '';
      notes.push(paint(`✗ ${snapshot.label} [${snapshot.error.kind}]: ${snapshot.error.message}${since}`, 'error'));
    }
  }

  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => (row.cells[column] ?? '').length)),
  );
  const line = (cells: string[], tone?: Level | 'error'): string =>
    cells
      .map((cell, column) => {
        const width = widths[column] ?? 0;
        const padded = column === 2 || column === 3 ? cell.padStart(width) : cell.padEnd(width);
        return column === 4 && tone ? paint(padded, tone) : padded;
      })
      .join('  ')
      .trimEnd();
  const body = rows.map((row) => line(row.cells, row.tone));
  const counts = summarize(snapshots);
  return [line(header), ...body, ...(notes.length ? ['', ...notes] : []), '', counts].join('\n');
}

function meterCells(meter: Meter, now: Date, stale: boolean): string[] {
  const amount = (value: number | null): string => formatAmount(value, meter.unit, { currency: meter.currency });
  const percent = percentRemaining(meter.remaining, meter.limit);
  const remaining = meter.unlimited
    ? 'unlimited'
    : meter.unit === 'days'
      ? daysLeft(meter.remaining)
      : percent === null
        ? amount(meter.remaining)
        : `${amount(meter.remaining)} (${formatPercent(percent)})`;
  const limit = meter.unlimited ? 'unlimited' : amount(meter.limit);
  const resets = meter.resetsAt ? formatCountdown(new Date(meter.resetsAt), now) : '';
  return [
    meter.label,
    remaining,
    `${amount(meter.used)} / ${limit}`,
    stale ? `${meter.level}, stale` : meter.level,
    resets,
  ];
}

/** A countdown meter (a subscription's end) in whole days, as a calendar says it. */
function daysLeft(days: number | null): string {
  if (days === null) return '—';
  return `${formatAmount(days, 'days')} day${Math.floor(days) === 1 ? '' : 's'} left`;
}

function summarize(snapshots: readonly Snapshot[]): string {
  const failing = snapshots.filter((snapshot) => snapshot.status === 'error').length;
  const levels = snapshots.flatMap((snapshot) =>
    snapshot.status === 'ok' ? snapshot.meters.map((meter) => meter.level) : [],
  );
  const count = (level: Level): number => levels.filter((candidate) => candidate === level).length;
  const parts = [`${snapshots.length} account${snapshots.length === 1 ? '' : 's'}`];
  if (failing) parts.push(`${failing} failing`);
  if (count('critical')) parts.push(`${count('critical')} critical`);
  if (count('warning')) parts.push(`${count('warning')} warning`);
  if (!failing && !count('critical') && !count('warning')) parts.push('all ok');
  return parts.join(', ');
}
