import { formatAmount, formatCountdown, formatPercent, percentRemaining } from '../../shared/format';
import type { Meter } from '../../shared/snapshot';
import type { AlertNotification } from '../core/alerts/decisions';
import type { AlertToShow } from '../services/app-events';

/** What one native notification says, and where clicking it leads. */
export interface NotificationContent {
  title: string;
  body: string;
  /** The account the dashboard opens at; absent for a summary of several accounts. */
  accountId?: string;
  /** Linux only: critical notifications stay until dismissed. */
  urgency: 'normal' | 'critical';
}

/** Lines a summary lists before "and N more": notification centres show four or five lines. */
const SUMMARY_LINES = 4;

/**
 * One notification for the alerts of a poll round: an alert on its own says which account, which
 * meter, what is left and when it resets or runs out; several become one summary, one line each,
 * that opens the dashboard (at the account, when they are all about one).
 */
export function notificationFor(alerts: readonly AlertToShow[], now: Date): NotificationContent | null {
  const first = alerts[0];
  if (!first) return null;
  const urgency = alerts.some(({ notification }) => notification.type === 'outage' || notification.level === 'critical') ? 'critical' : 'normal';
  if (alerts.length === 1) return { ...single(first, now), accountId: first.notification.accountId, urgency };
  const accounts = new Set(alerts.map(({ notification }) => notification.accountId));
  const lines = alerts.slice(0, SUMMARY_LINES).map((alert) => `• ${summaryLine(alert.notification)}`);
  if (alerts.length > SUMMARY_LINES) lines.push(`and ${alerts.length - SUMMARY_LINES} more — open the dashboard to see them`);
  const title = accounts.size === 1 ? `'${first.notification.accountLabel}': ${alerts.length} alerts` : `${alerts.length} alerts on ${accounts.size} accounts`;
  return { title, body: lines.join('\n'), ...(accounts.size === 1 ? { accountId: first.notification.accountId } : {}), urgency };
}

function single({ notification, snapshot }: AlertToShow, now: Date): { title: string; body: string } {
  if (notification.type === 'outage') return outage(notification);
  const meter = snapshot.meters.find((candidate) => candidate.id === notification.meterId);
  const title = `'${notification.accountLabel}': ${notification.meterLabel} ${notification.level === 'critical' ? 'critically low' : 'running low'}`;
  return { title, body: [whatIsLeft(notification, meter), whenItEnds(notification, meter, now)].filter(Boolean).join(' ') };
}

function outage(notification: Extract<AlertNotification, { type: 'outage' }>): { title: string; body: string } {
  const account = `'${notification.accountLabel}'`;
  switch (notification.kind) {
    case 'auth':
      // The provider's message names what was refused; the fix is always the same place.
      return { title: `${account}: sign-in refused`, body: `${notification.message} Fix the credentials in Settings; Headroom checks again as soon as they change.` };
    case 'config':
      return { title: `${account} needs its settings fixed`, body: `${notification.message} Open Settings to fix it.` };
    default:
      return { title: `${account} cannot be checked`, body: `${notification.message} Headroom keeps trying and says so when it works again.` };
  }
}

/** "1,234 credits left of 50,000 (2.5 %)." */
function whatIsLeft(notification: Extract<AlertNotification, { type: 'level' }>, meter: Meter | undefined): string {
  if (notification.remaining === null) return `Headroom cannot tell how much ${notification.meterLabel.toLowerCase()} is left.`;
  const unit = meter?.unit ?? 'credits';
  const amount = (value: number): string => formatAmount(value, unit, meter?.currency ? { currency: meter.currency } : {});
  const word = unit === 'bytes' || unit === 'money' ? '' : ` ${unit}`;
  if (notification.limit === null) return `${amount(notification.remaining)}${word} left.`;
  return `${amount(notification.remaining)}${word} left of ${amount(notification.limit)} (${formatPercent(percentRemaining(notification.remaining, notification.limit))}).`;
}

/** "At the current pace it runs out in 3 d, before it resets in 9 d." or "It resets in 9 d." */
function whenItEnds(notification: Extract<AlertNotification, { type: 'level' }>, meter: Meter | undefined, now: Date): string {
  const resets = meter?.resetsAt ? `resets ${formatCountdown(new Date(meter.resetsAt), now)}` : undefined;
  const exhaustsAt = notification.forecast?.exhaustsAt ?? meter?.forecast?.exhaustsAt ?? null;
  if (exhaustsAt && Date.parse(exhaustsAt) > now.getTime()) {
    const runsOut = `At the current pace it runs out ${formatCountdown(new Date(exhaustsAt), now)}`;
    return resets ? `${runsOut}; it ${resets}.` : `${runsOut}.`;
  }
  return resets ? `It ${resets}.` : '';
}

function summaryLine(notification: AlertNotification): string {
  if (notification.type === 'outage') return `${notification.accountLabel}: ${notification.kind === 'auth' ? 'sign-in refused, fix the credentials in Settings' : 'cannot be checked'}`;
  const left = notification.remaining !== null && notification.limit !== null ? ` (${formatPercent(percentRemaining(notification.remaining, notification.limit))} left)` : '';
  return `${notification.accountLabel}: ${notification.meterLabel} ${notification.level === 'critical' ? 'critically low' : 'running low'}${left}`;
}
