import type { TFunction } from 'i18next';
import { formatAmount, formatPercent, percentRemaining, relativeTime } from '../../../shared/format';
import { quantity } from '../../../shared/i18n/quantity';
import type { RefillNotification } from '../../engine/alerts/refills';
import { relativeFormat, unitOf } from './figures';
import type { NotificationLocale } from './notification-content';

/**
 * The words of a refill notification: "Quota reset: “GIS org” has 10,000 credits again" or
 * "Topped up: “OpenAI” now has $50.00", then the meter's figures before and now, and when the new
 * period ends. A meter that reports only its use says how much is used in the new period.
 */
export function refillContent(
  notification: RefillNotification,
  now: Date,
  { t, locale }: NotificationLocale,
): { title: string; body: string } {
  const unit = unitOf(notification.unit);
  const amount = (value: number): string => formatAmount(value, unit, { locale, currency: notification.currency });
  const values = {
    account: notification.accountLabel,
    meter: notification.meterLabel,
    quantity: quantity(t, unit, notification.after, amount(notification.after)),
    before: amount(notification.before),
  };
  const resets = notification.resetsAt
    ? t('notifications.resets', { when: relativeTime(new Date(notification.resetsAt), now, relativeFormat(locale)) })
    : '';
  if (notification.basis === 'used') {
    return {
      title: t('notifications.refill.resetUsedTitle', values),
      body: [t('notifications.refill.used', values), resets].filter(Boolean).join(' '),
    };
  }
  const title = t(
    notification.kind === 'reset' ? 'notifications.refill.resetTitle' : 'notifications.refill.topUpTitle',
    values,
  );
  const figures =
    notification.limit === null
      ? t('notifications.refill.up', values)
      : t('notifications.refill.upOf', {
          ...values,
          limit: amount(notification.limit),
          percent: formatPercent(percentRemaining(notification.after, notification.limit), locale),
        });
  return { title, body: [figures, resets].filter(Boolean).join(' ') };
}

/** One line of a summary of several alerts: "GIS org: Credits reset". */
export function refillSummaryLine(notification: RefillNotification, t: TFunction): string {
  const values = { account: notification.accountLabel, meter: notification.meterLabel };
  return t(notification.kind === 'reset' ? 'notifications.summary.reset' : 'notifications.summary.topUp', values);
}
