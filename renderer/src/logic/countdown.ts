import type { Meter, SubscriptionView } from '../../../shared/snapshot';
import type { Formatters } from './formatters';
import type { Message } from './message';

export type CountdownKey =
  | 'countdown.endsOn'
  | 'countdown.endsOnPlan'
  | 'countdown.ended'
  | 'countdown.endedPlan'
  | 'countdown.daysLeft'
  | 'countdown.notReported';

/** One line for a countdown meter, and the end date for its hover title. */
export interface CountdownLine extends Message<CountdownKey> {
  endsAt: Date | null;
}

/**
 * A countdown (unit `days`: a subscription's end) as one sentence instead of a used/limit bar:
 * "Subscription (Organizational) ends on 3 Mar 2027 — 98 days left". Whole days left, never more
 * than there are. The date and the plan come from the subscription view beside the meter; without
 * it the line says only the days left.
 */
export function countdownLine(
  meter: Meter,
  subscription: SubscriptionView | undefined,
  format: Formatters,
  now: Date,
): CountdownLine {
  const plan = subscription?.type ?? null;
  const named: Record<string, string> = plan === null ? {} : { plan };
  if (meter.remaining === null) return { key: 'countdown.notReported', values: { label: meter.label }, endsAt: null };
  const days = Math.max(0, Math.floor(meter.remaining));
  const endsAt = subscription ? new Date(subscription.endsAt) : null;
  if (endsAt === null)
    return {
      key: 'countdown.daysLeft',
      values: { label: meter.label, count: days, days: format.count(days) },
      endsAt: null,
    };
  const date = format.date(endsAt);
  if (meter.remaining <= 0 || endsAt.getTime() <= now.getTime()) {
    return {
      key: plan === null ? 'countdown.ended' : 'countdown.endedPlan',
      values: { label: meter.label, date, ...named },
      endsAt,
    };
  }
  return {
    key: plan === null ? 'countdown.endsOn' : 'countdown.endsOnPlan',
    values: { label: meter.label, date, count: days, days: format.count(days), ...named },
    endsAt,
  };
}
