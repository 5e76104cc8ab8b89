import type { TFunction } from 'i18next';
import { formatAmount, formatPercent, percentRemaining, relativeTime } from '../../../shared/format';
import { meterName } from '../../../shared/i18n/engine-names';
import { quantity } from '../../../shared/i18n/quantity';
import type { Meter } from '../../../shared/snapshot';
import type { AlertNotification } from '../../engine/alerts/decisions';
import type { AlertToShow } from '../../services/app-events';
import { relativeFormat, unitOf } from './figures';
import { refillContent, refillSummaryLine } from './refill-content';
import { userCreditsContent, userCreditsSummaryLine } from './user-credits-content';

/** What one native notification says, and where clicking it leads. */
export interface NotificationContent {
  title: string;
  body: string;
  /** The account the dashboard opens at; absent for a summary of several accounts. */
  accountId?: string;
  /** Linux only: critical notifications stay until dismissed. */
  urgency: 'normal' | 'critical';
}

/** The person's words and formats: `t` of their language, the locale of numbers and times. */
export interface NotificationLocale {
  t: TFunction;
  locale: string;
}

/** Lines a summary lists before "and N more": notification centres show four or five lines. */
const SUMMARY_LINES = 4;

/**
 * One notification for the alerts of a poll round: an alert on its own says which account, which
 * meter (or which members), what is left and when it resets or runs out; several become one summary,
 * one line each, that opens the dashboard (at the account, when they are all about one).
 */
export function notificationFor(
  decided: readonly AlertToShow[],
  now: Date,
  words: NotificationLocale,
): NotificationContent | null {
  const { t } = words;
  const alerts = decided.map((alert) => withMeterNamed(alert, t));
  const first = alerts[0];
  if (!first) return null;
  const urgency = alerts.some(
    ({ notification }) =>
      notification.type === 'outage' || (notification.type !== 'refill' && notification.level === 'critical'),
  )
    ? 'critical'
    : 'normal';
  if (alerts.length === 1) return { ...single(first, now, words), accountId: first.notification.accountId, urgency };
  const accounts = new Set(alerts.map(({ notification }) => notification.accountId));
  const lines = alerts.slice(0, SUMMARY_LINES).map((alert) => `• ${summaryLine(alert.notification, words)}`);
  if (alerts.length > SUMMARY_LINES) lines.push(t('notifications.more', { count: alerts.length - SUMMARY_LINES }));
  const count = t('notifications.alerts', { count: alerts.length });
  const title =
    accounts.size === 1
      ? t('notifications.summaryOneAccount', { account: first.notification.accountLabel, alerts: count })
      : t('notifications.summaryAccounts', {
          alerts: count,
          accounts: t('notifications.accounts', { count: accounts.size }),
        });
  return {
    title,
    body: lines.join('\n'),
    ...(accounts.size === 1 ? { accountId: first.notification.accountId } : {}),
    urgency,
  };
}

/** A level or refill alert names its meter in the person's language (the engine names it in English). */
function withMeterNamed(alert: AlertToShow, t: TFunction): AlertToShow {
  const { notification, snapshot } = alert;
  if (notification.type !== 'level' && notification.type !== 'refill') return alert;
  const meterLabel = meterName(snapshot.provider, notification.meterId, notification.meterLabel, t);
  return meterLabel === notification.meterLabel ? alert : { ...alert, notification: { ...notification, meterLabel } };
}

function single(
  { notification, snapshot }: AlertToShow,
  now: Date,
  words: NotificationLocale,
): { title: string; body: string } {
  if (notification.type === 'outage') return outage(notification, words.t);
  if (notification.type === 'userCredits') return userCreditsContent(notification, words);
  if (notification.type === 'refill') return refillContent(notification, now, words);
  const meter = snapshot.meters.find((candidate) => candidate.id === notification.meterId);
  const title = words.t(notification.level === 'critical' ? 'notifications.critical' : 'notifications.warning', {
    account: notification.accountLabel,
    meter: notification.meterLabel,
  });
  return {
    title,
    body: [whatIsLeft(notification, meter, words), whenItEnds(notification, meter, now, words)]
      .filter(Boolean)
      .join(' '),
  };
}

function outage(
  notification: Extract<AlertNotification, { type: 'outage' }>,
  t: TFunction,
): { title: string; body: string } {
  const values = { account: notification.accountLabel, message: notification.message };
  switch (notification.kind) {
    case 'auth':
      // The provider's message names what was refused; the fix is always the same place.
      return { title: t('notifications.authTitle', values), body: t('notifications.authBody', values) };
    case 'config':
      return { title: t('notifications.configTitle', values), body: t('notifications.configBody', values) };
    default:
      return { title: t('notifications.outageTitle', values), body: t('notifications.outageBody', values) };
  }
}

/** "1,234 credits left of 50,000 (2.5 %)." */
function whatIsLeft(
  notification: Extract<AlertNotification, { type: 'level' }>,
  meter: Meter | undefined,
  { t, locale }: NotificationLocale,
): string {
  if (notification.remaining === null) return t('notifications.unknownLeft', { meter: notification.meterLabel });
  const unit = meter?.unit ?? unitOf(notification.unit);
  const amount = (value: number): string => formatAmount(value, unit, { locale, currency: meter?.currency });
  const left = quantity(t, unit, notification.remaining, amount(notification.remaining));
  if (notification.limit === null) return t('notifications.left', { quantity: left });
  return t('notifications.leftOf', {
    quantity: left,
    limit: amount(notification.limit),
    percent: formatPercent(percentRemaining(notification.remaining, notification.limit), locale),
  });
}

/** "At the current pace it runs out in 3 days; it resets in 9 days." or "It resets tomorrow." */
function whenItEnds(
  notification: Extract<AlertNotification, { type: 'level' }>,
  meter: Meter | undefined,
  now: Date,
  { t, locale }: NotificationLocale,
): string {
  const format = relativeFormat(locale);
  const resets = meter?.resetsAt ? relativeTime(new Date(meter.resetsAt), now, format) : undefined;
  const exhaustsAt = notification.forecast?.exhaustsAt ?? meter?.forecast?.exhaustsAt ?? null;
  if (exhaustsAt && Date.parse(exhaustsAt) > now.getTime()) {
    const when = relativeTime(new Date(exhaustsAt), now, format);
    return resets ? t('notifications.runsOutAndResets', { when, resets }) : t('notifications.runsOut', { when });
  }
  return resets ? t('notifications.resets', { when: resets }) : '';
}

function summaryLine(notification: AlertToShow['notification'], words: NotificationLocale): string {
  const { t } = words;
  const account = notification.accountLabel;
  if (notification.type === 'outage')
    return notification.kind === 'auth'
      ? t('notifications.summary.auth', { account })
      : t('notifications.summary.outage', { account });
  if (notification.type === 'userCredits') return userCreditsSummaryLine(notification, words);
  if (notification.type === 'refill') return refillSummaryLine(notification, t);
  const values = { account, meter: notification.meterLabel };
  const percent =
    notification.remaining !== null && notification.limit !== null
      ? percentRemaining(notification.remaining, notification.limit)
      : null;
  if (percent === null)
    return t(
      notification.level === 'critical' ? 'notifications.summary.critical' : 'notifications.summary.warning',
      values,
    );
  return t(
    notification.level === 'critical'
      ? 'notifications.summary.criticalPercent'
      : 'notifications.summary.warningPercent',
    { ...values, percent: formatPercent(percent, words.locale) },
  );
}
