import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { formatAmount, formatCountdown, formatPercent, percentRemaining } from '../../shared/format';
import {
  errorKindSchema,
  isoTimeSchema,
  memberCreditsSchema,
  meterUnitSchema,
  type Meter,
  type Snapshot,
} from '../../shared/snapshot';
import type { AlertNotification } from '../engine/alerts/decisions';
import type { UserCreditsNotification } from '../engine/alerts/user-credits';
import { findProvider } from '../engine/providers/registry';
import type { SameShape } from '../../shared/same-shape';
import { describeUserCreditsNotification } from './user-credits-message';

const levelNotificationSchema = z.object({
  type: z.literal('level'),
  accountId: z.string(),
  accountLabel: z.string(),
  meterId: z.string(),
  meterLabel: z.string(),
  level: z.enum(['warning', 'critical']),
  remaining: z.number().nullable(),
  limit: z.number().nullable(),
  unit: z.string(),
  forecast: z.object({ exhaustsAt: isoTimeSchema, beforeReset: z.boolean().nullable() }).optional(),
});
const outageNotificationSchema = z.object({
  type: z.literal('outage'),
  accountId: z.string(),
  accountLabel: z.string(),
  kind: errorKindSchema,
  message: z.string(),
});
const refillNotificationSchema = z.object({
  type: z.literal('refill'),
  accountId: z.string(),
  accountLabel: z.string(),
  meterId: z.string(),
  meterLabel: z.string(),
  kind: z.enum(['reset', 'topUp']),
  basis: z.enum(['remaining', 'used']),
  before: z.number(),
  after: z.number(),
  limit: z.number().nullable(),
  unit: z.string(),
  currency: z.string().optional(),
  resetsAt: isoTimeSchema.optional(),
});

/**
 * How many of the members who got worse an alert carries in its `notification` (worst first).
 * An organization of thousands can cross a threshold all at once (budgeting switched on); the
 * state file and webhook bodies stay small, and `worseCount` says how many there were.
 */
export const MAX_LISTED_MEMBERS = 100;

const userCreditsNotificationSchema = z.object({
  type: z.literal('userCredits'),
  accountId: z.string(),
  accountLabel: z.string(),
  level: z.enum(['warning', 'critical']),
  /** The members who got worse with this check, worst first: the first MAX_LISTED_MEMBERS of them. */
  users: z.array(memberCreditsSchema).max(MAX_LISTED_MEMBERS),
  /** How many members got worse with this check. */
  worseCount: z.number().int().min(1),
  /** Members at or below the warning threshold now, those who got worse included. */
  lowCount: z.number().int().min(0),
});

// The schemas restate the engine's types for persistence; this breaks the build if they drift apart.
const _levelOrOutageMatchesCore: SameShape<
  | z.infer<typeof levelNotificationSchema>
  | z.infer<typeof outageNotificationSchema>
  | z.infer<typeof refillNotificationSchema>,
  AlertNotification
> = true;
const _userCreditsMatchesCore: SameShape<
  Omit<z.infer<typeof userCreditsNotificationSchema>, 'worseCount'>,
  UserCreditsNotification
> = true;

/**
 * A decision of `decideAlerts` or `decideUserCreditAlerts`, as the state file keeps it until every channel has
 * delivered it.
 */
const alertNotificationSchema = z.discriminatedUnion('type', [
  levelNotificationSchema,
  outageNotificationSchema,
  userCreditsNotificationSchema,
  refillNotificationSchema,
]);

/** One alert, worded once when decided, then sent as mail, JSON or Slack text. */
export const alertMessageSchema = z.object({
  id: z.string(),
  decidedAt: isoTimeSchema,
  /** `info`: news that needs no action (a quota reset, a balance topped up). */
  severity: z.enum(['warning', 'critical', 'outage', 'info']),
  accountId: z.string(),
  provider: z.string(),
  title: z.string(),
  text: z.string(),
  notification: alertNotificationSchema,
});
export type AlertMessage = z.infer<typeof alertMessageSchema>;

/** Words an alert for people: what happened to which account, the figures, and what comes next. */
export function composeAlertMessage(
  notification: AlertNotification | UserCreditsNotification,
  snapshot: Snapshot,
  now: Date,
  origin: string,
): AlertMessage {
  const service = findProvider(snapshot.provider)?.name ?? snapshot.provider;
  const footer = `Account '${notification.accountLabel}' (id ${notification.accountId}, ${service}) · ${now.toISOString()} · headroom serve on ${origin}`;
  const base = {
    id: randomUUID(),
    decidedAt: now.toISOString(),
    accountId: notification.accountId,
    provider: snapshot.provider,
  };
  if (notification.type === 'userCredits') {
    const { title, body } = describeUserCreditsNotification(notification);
    const readAt = snapshot.views?.userCredits?.readAt;
    return {
      ...base,
      notification: {
        ...notification,
        users: notification.users.slice(0, MAX_LISTED_MEMBERS),
        worseCount: notification.users.length,
      },
      severity: notification.level,
      title,
      text: [
        body,
        ...(readAt === undefined
          ? []
          : [
              `From the member list read ${utc(new Date(readAt))}; each member is judged on their own allocation (the account's userCredits rule).`,
            ]),
        'Every member, worst first: GET /api/snapshots (views.userCredits); members per level: headroom_user_credits_members in /metrics.',
        'You will hear again when another member runs low, when one of these gets worse, or when one recovers and drops again.',
        '',
        footer,
      ].join('\n'),
    };
  }
  if (notification.type === 'outage') {
    return {
      ...base,
      notification,
      severity: 'outage',
      title: `'${notification.accountLabel}' cannot be checked (${notification.kind})`,
      text: [
        notification.message,
        `Headroom keeps checking ${service} for this account and tells once per outage; its last known figures stay in /metrics and /api/snapshots.`,
        '',
        footer,
      ].join('\n'),
    };
  }
  if (notification.type === 'refill') {
    const { title, lines } = describeRefill(notification, now);
    return { ...base, notification, severity: 'info', title, text: [...lines, '', footer].join('\n') };
  }
  const meter = snapshot.meters.find((candidate) => candidate.id === notification.meterId);
  const amount = (value: number | null): string =>
    meter ? formatAmount(value, meter.unit, { currency: meter.currency }) : value === null ? '—' : String(value);
  const percent = percentRemaining(notification.remaining, notification.limit);
  const left = `${amount(notification.remaining)}${meter?.unit === 'money' || meter?.unit === 'bytes' ? '' : ` ${notification.unit}`} left`;
  const share = percent === null ? '' : ` (${formatPercent(percent)})`;
  const of = notification.limit === null ? '' : ` of ${amount(notification.limit)}`;
  const next =
    notification.level === 'warning'
      ? 'You will hear again if it becomes critical, or once it has recovered and drops again.'
      : 'You will hear again once it has recovered and drops again.';
  return {
    ...base,
    notification,
    severity: notification.level,
    title: `${capitalize(notification.level)}: '${notification.accountLabel}' ${notification.meterLabel} — ${left}${share}`,
    text: [
      `${notification.meterLabel} of '${notification.accountLabel}' is ${notification.level}: ${left}${of}${share}.`,
      forecastLine(notification, now),
      resetLine(meter, now),
      next,
      '',
      footer,
    ]
      .filter((line): line is string => line !== undefined)
      .join('\n'),
  };
}

function forecastLine(notification: Extract<AlertNotification, { type: 'level' }>, now: Date): string | undefined {
  const forecast = notification.forecast;
  if (forecast === undefined) return undefined;
  const at = new Date(forecast.exhaustsAt);
  const when = at.getTime() <= now.getTime() ? 'has run out' : `runs out ${formatCountdown(at, now)} (${utc(at)})`;
  const reset = forecast.beforeReset === true ? ', before the period resets' : '';
  return `At the pace of its history it ${when}${reset}.`;
}

/** "Reset: 'GIS org' Credits — 10,000 credits left (100 %)", the figures before and now, and the next reset. */
function describeRefill(
  notification: Extract<AlertNotification, { type: 'refill' }>,
  now: Date,
): { title: string; lines: string[] } {
  const unit = meterUnitSchema.safeParse(notification.unit).data ?? 'credits';
  const inline = unit === 'money' || unit === 'bytes' ? '' : ` ${notification.unit}`;
  const amount = (value: number): string =>
    `${formatAmount(value, unit, { currency: notification.currency })}${inline}`;
  const what = `${notification.meterLabel} of '${notification.accountLabel}'`;
  const head = `${notification.kind === 'reset' ? 'Reset' : 'Topped up'}: '${notification.accountLabel}' ${notification.meterLabel}`;
  const resets =
    notification.resetsAt === undefined
      ? []
      : [
          `The new period resets ${formatCountdown(new Date(notification.resetsAt), now)} (${utc(new Date(notification.resetsAt))}).`,
        ];
  const next = 'You will hear again at the next reset or top-up.';
  if (notification.basis === 'used') {
    return {
      title: `${head} — ${amount(notification.after)} used so far`,
      lines: [
        `${what} reset: ${amount(notification.after)} used so far, down from ${amount(notification.before)}.`,
        ...resets,
        next,
      ],
    };
  }
  const percent = percentRemaining(notification.after, notification.limit);
  const share = percent === null ? '' : ` (${formatPercent(percent)})`;
  const of =
    notification.limit === null
      ? ''
      : ` of ${formatAmount(notification.limit, unit, { currency: notification.currency })}`;
  return {
    title: `${head} — ${amount(notification.after)} left${share}`,
    lines: [
      `${what} ${notification.kind === 'reset' ? 'reset' : 'was topped up'}: up from ${amount(notification.before)} to ${amount(notification.after)} left${of}${share}.`,
      ...resets,
      next,
    ],
  };
}

function utc(at: Date): string {
  return `${at.toISOString().replace('T', ' ').slice(0, 16)} UTC`;
}

function resetLine(meter: Meter | undefined, now: Date): string | undefined {
  if (meter?.resetsAt === undefined) return undefined;
  const at = new Date(meter.resetsAt);
  return `The period resets ${formatCountdown(at, now)} (${utc(at)}).`;
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
