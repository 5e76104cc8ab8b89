import type { AlertRules, Threshold } from '../../shared/rules';
import type { Level, Meter, Snapshot } from '../../shared/snapshot';
import { formatAmount, formatCountdown, formatPercent, percentRemaining } from '../../shared/format';
import { rulesForMeter } from '../engine/alerts/levels';

/** Exit codes of the monitoring-plugin convention (Nagios, Icinga, Sensu, Checkmk). */
const NAGIOS_STATUS = { OK: 0, WARNING: 1, CRITICAL: 2, UNKNOWN: 3 } as const;
type NagiosStatus = keyof typeof NAGIOS_STATUS;

/** The plugin guidelines' order of badness: an unknown hides nothing worse than a warning. */
const RANK: Record<NagiosStatus, number> = { OK: 0, UNKNOWN: 1, WARNING: 2, CRITICAL: 3 };
const FROM_LEVEL: Record<Level, NagiosStatus> = {
  ok: 'OK',
  warning: 'WARNING',
  critical: 'CRITICAL',
  unknown: 'UNKNOWN',
};
const PROBLEMS_SHOWN = 4;

export interface NagiosReport {
  status: NagiosStatus;
  exitCode: number;
  /** One line: `HEADROOM <STATUS> - <what> | <perfdata>`. */
  line: string;
}

/**
 * The worst level of every meter decides the status (an account that could not be checked counts
 * as UNKNOWN); the line names the worst problems first, and the perfdata gives each meter's
 * remaining with its warning and critical thresholds as amounts (`X:` alerts below X), 0 and the limit.
 */
export function nagiosReport(
  snapshots: readonly Snapshot[],
  rulesOf: (accountId: string) => AlertRules | undefined,
  now = new Date(),
): NagiosReport {
  const problems: { status: NagiosStatus; text: string }[] = [];
  let meters = 0;
  for (const snapshot of snapshots) {
    if (snapshot.status === 'error') {
      problems.push({
        status: 'UNKNOWN',
        text: `'${snapshot.label}' cannot be checked (${snapshot.error?.kind ?? 'error'}): ${truncate(snapshot.error?.message ?? 'no details', 200)}`,
      });
      continue;
    }
    for (const meter of snapshot.meters) {
      meters += 1;
      const status = FROM_LEVEL[meter.level];
      if (status !== 'OK')
        problems.push({
          status,
          text: `'${snapshot.label}' ${meter.label} ${meter.level}${meter.level === 'unknown' ? ' (no limit to judge a percent rule by)' : `: ${left(meter, now)}`}`,
        });
    }
  }
  problems.sort((a, b) => RANK[b.status] - RANK[a.status]);
  const status: NagiosStatus = snapshots.length === 0 ? 'UNKNOWN' : (problems[0]?.status ?? 'OK');
  const accounts = `${snapshots.length} account${snapshots.length === 1 ? '' : 's'}`;
  let summary: string;
  if (snapshots.length === 0) summary = 'no accounts to check';
  else if (problems.length === 0) summary = `${accounts}, ${meters} meter${meters === 1 ? '' : 's'} ok`;
  else {
    const shown = problems.slice(0, PROBLEMS_SHOWN).map((problem) => problem.text);
    const more = problems.length > PROBLEMS_SHOWN ? `; and ${problems.length - PROBLEMS_SHOWN} more` : '';
    summary = `${shown.join('; ')}${more} (${accounts})`;
  }
  const perfdata = snapshots.flatMap((snapshot) =>
    snapshot.status === 'ok'
      ? snapshot.meters.flatMap((meter) => perfdatum(snapshot.accountId, meter, rulesOf(snapshot.accountId)))
      : [],
  );
  const text = oneLine(`HEADROOM ${status} - ${summary}`);
  return {
    status,
    exitCode: NAGIOS_STATUS[status],
    line: perfdata.length > 0 ? `${text} | ${perfdata.join(' ')}` : text,
  };
}

/** A config that cannot be read is UNKNOWN (exit 3), not CRITICAL: the check itself is broken. */
export function nagiosUnknown(message: string): NagiosReport {
  return { status: 'UNKNOWN', exitCode: NAGIOS_STATUS.UNKNOWN, line: oneLine(`HEADROOM UNKNOWN - ${message}`) };
}

function left(meter: Meter, now: Date): string {
  const amount = formatAmount(meter.remaining, meter.unit, { currency: meter.currency });
  const percent = percentRemaining(meter.remaining, meter.limit);
  // With --history the level may come from the forecast rule: say when it runs out.
  const exhaustsAt = meter.forecast?.exhaustsAt;
  const runsOut = exhaustsAt
    ? `, runs out ${formatCountdown(new Date(exhaustsAt), now)}${meter.forecast?.beforeReset ? ' (before the reset)' : ''}`
    : '';
  return `${amount} left${percent === null ? '' : ` (${formatPercent(percent)})`}${runsOut}`;
}

/** `'label'=value[UOM];warn;crit;min;max` as the plugin guidelines write it; ids need no quotes. */
function perfdatum(accountId: string, meter: Meter, rules: AlertRules | undefined): string[] {
  if (meter.unlimited) return [];
  const label = `${accountId}.${meter.id}`.replace(/[='\s]/g, '_');
  if (meter.remaining === null) return [`${label}=U`];
  const uom = meter.unit === 'bytes' ? 'B' : '';
  const resolved = rulesForMeter(meter.id, rules, meter.unit);
  const below = (threshold: Threshold): string => {
    const amount =
      'remaining' in threshold
        ? threshold.remaining
        : meter.limit === null
          ? null
          : (meter.limit * threshold.percentRemaining) / 100;
    return amount === null ? '' : `${number(amount)}:`;
  };
  const max = meter.limit === null ? '' : number(meter.limit);
  return [`${label}=${number(meter.remaining)}${uom};${below(resolved.warning)};${below(resolved.critical)};0;${max}`];
}

function truncate(text: string, length: number): string {
  return text.length <= length ? text : `${text.slice(0, length - 1)}…`;
}

function number(value: number): string {
  return String(Math.round(value * 100) / 100);
}

/** The status line must stay one line and must not contain the perfdata separator. */
function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').replace(/\|/g, '/').trim();
}
