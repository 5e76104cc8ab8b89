import { formatAmount, formatPercent, percentRemaining } from '../../shared/format';
import type { MemberCreditsReading } from '../../shared/snapshot';
import { NAMED_MEMBERS, type UserCreditsNotification } from '../engine/alerts/user-credits';

/**
 * Server mode's English words for a members' credit alert (mail subject and body, webhook text);
 * the desktop says the same in the user's language (main/electron/notifications/user-credits-content.ts).
 */

/** The words of a notification: a title for the banner, a body naming the members and their figures. */
export function describeUserCreditsNotification(notification: UserCreditsNotification): {
  title: string;
  body: string;
} {
  const { users, accountLabel } = notification;
  const first = users[0];
  const level = notification.level === 'critical' ? 'Critical' : 'Warning';
  const title =
    users.length === 1 && first
      ? `${level}: ${nameOf(first)} is low on credits in '${accountLabel}'`
      : `${level}: ${users.length} members of '${accountLabel}' are low on credits`;
  const lines = users.slice(0, NAMED_MEMBERS).map((member) => `${nameOf(member)}: ${figures(member)}`);
  if (users.length > NAMED_MEMBERS) lines.push(`and ${users.length - NAMED_MEMBERS} more.`);
  const others = notification.lowCount - users.length;
  if (others > 0) lines.push(`${others} other member${others === 1 ? ' was' : 's were'} already low.`);
  return { title, body: lines.join('\n') };
}

function nameOf(member: MemberCreditsReading): string {
  return member.fullName && member.fullName !== member.username
    ? `${member.fullName} (${member.username})`
    : member.username;
}

function figures(member: MemberCreditsReading): string {
  const left = formatAmount(member.available, 'credits');
  const percent = percentRemaining(member.available, member.assigned);
  return `${left} of ${formatAmount(member.assigned, 'credits')} credits left${percent === null ? '' : ` (${formatPercent(percent)})`}`;
}
