import { MAX_SNOOZE_MINUTES } from '../../../shared/limits';
import type { Formatters } from './formatters';
import type { Message } from './message';

/** The hour "until tomorrow" ends at, as the tray's pause does: the start of a working day. */
export const TOMORROW_HOUR = 8;

export type SnoozeChoice = 'hour' | 'tomorrow' | 'week';
export const SNOOZE_CHOICES: readonly SnoozeChoice[] = ['hour', 'tomorrow', 'week'];

/** Tomorrow at TOMORROW_HOUR, local time. */
export function tomorrowMorning(now: Date): Date {
  const at = new Date(now);
  at.setDate(at.getDate() + 1);
  at.setHours(TOMORROW_HOUR, 0, 0, 0);
  return at;
}

/** The minutes to ask main for: whole, at least one, at most a week. */
export function snoozeMinutes(choice: SnoozeChoice, now: Date): number {
  switch (choice) {
    case 'hour':
      return 60;
    case 'week':
      return MAX_SNOOZE_MINUTES;
    case 'tomorrow':
      return Math.min(
        MAX_SNOOZE_MINUTES,
        Math.max(1, Math.ceil((tomorrowMorning(now).getTime() - now.getTime()) / 60_000)),
      );
  }
}

/** The snooze (or pause) still running at `now`, or null (none, or ended since main said it). */
export function activeSnooze(snoozedUntil: string | null | undefined, now: Date): Date | null {
  if (!snoozedUntil) return null;
  const until = new Date(snoozedUntil);
  return until.getTime() > now.getTime() ? until : null;
}

function sameDay(a: Date, b: Date): boolean {
  return a.getFullYear() === b.getFullYear() && a.getMonth() === b.getMonth() && a.getDate() === b.getDate();
}

export type SnoozeKey = 'snooze.untilToday' | 'snooze.untilTomorrow' | 'snooze.untilDate';

/** "Notifications snoozed until 14:30", "… until 8:00 (tomorrow)", "… until 3 Dec, 14:30". */
export function snoozeMessage(until: Date, now: Date, format: Formatters): Message<SnoozeKey> {
  const time = format.time(until);
  if (sameDay(until, now)) return { key: 'snooze.untilToday', values: { time } };
  if (sameDay(until, tomorrowMorning(now))) return { key: 'snooze.untilTomorrow', values: { time } };
  return { key: 'snooze.untilDate', values: { date: format.dayAndTime(until) } };
}

/** The words of each choice, for the snooze buttons. */
export function snoozeChoiceMessage(
  choice: SnoozeChoice,
  now: Date,
  format: Formatters,
): Message<'snooze.forHour' | 'snooze.untilTomorrowAt' | 'snooze.forWeek'> {
  if (choice === 'hour') return { key: 'snooze.forHour' };
  if (choice === 'week') return { key: 'snooze.forWeek' };
  return { key: 'snooze.untilTomorrowAt', values: { time: format.time(tomorrowMorning(now)) } };
}
