import { formatAmount, formatPercent, percentRemaining } from '../../../shared/format';
import { quantity } from '../../../shared/i18n/quantity';
import type { MemberCreditsReading } from '../../../shared/snapshot';
import { NAMED_MEMBERS, type UserCreditsNotification } from '../../engine/alerts/user-credits';
import type { NotificationLocale } from './notification-content';

/**
 * The words of a members' credits notification (ArcGIS Online credit budgeting): a title naming the
 * member (or how many), a body with each named member's figures, at most NAMED_MEMBERS of them, then
 * "and N more", and how many others were already low.
 */
export function userCreditsContent(
  notification: UserCreditsNotification,
  words: NotificationLocale,
): { title: string; body: string } {
  const { t } = words;
  const { users, accountLabel: account } = notification;
  const first = users[0];
  const title =
    users.length === 1 && first
      ? t(first.level === 'critical' ? 'notifications.members.criticalOne' : 'notifications.members.warningOne', {
          account,
          member: memberName(first, words),
        })
      : t('notifications.members.many', { account, count: users.length });
  const lines = users.slice(0, NAMED_MEMBERS).map((member) => memberFigures(member, words));
  if (users.length > NAMED_MEMBERS)
    lines.push(t('notifications.members.more', { count: users.length - NAMED_MEMBERS }));
  const others = notification.lowCount - users.length;
  if (others > 0) lines.push(t('notifications.members.alreadyLow', { count: others }));
  return { title, body: lines.join('\n') };
}

/** One line of a summary of several alerts: "GIS org: Amara Okafor (amara) is low on credits". */
export function userCreditsSummaryLine(notification: UserCreditsNotification, words: NotificationLocale): string {
  const { t } = words;
  const first = notification.users[0];
  const account = notification.accountLabel;
  return notification.users.length === 1 && first
    ? t('notifications.summary.member', { account, member: memberName(first, words) })
    : t('notifications.summary.members', { account, count: notification.users.length });
}

/** "Amara Okafor (amara)", or the user name alone when there is no other name. */
function memberName(member: MemberCreditsReading, { t }: NotificationLocale): string {
  return member.fullName && member.fullName !== member.username
    ? t('notifications.members.name', { fullName: member.fullName, username: member.username })
    : member.username;
}

/** "Amara Okafor (amara): 25 of 500 credits left (5 %)". */
function memberFigures(member: MemberCreditsReading, words: NotificationLocale): string {
  const { t, locale } = words;
  const name = memberName(member, words);
  const left = formatAmount(member.available, 'credits', { locale });
  if (member.assigned === null)
    return t('notifications.members.figuresNoAllocation', {
      member: name,
      left: member.available === null ? left : quantity(t, 'credits', member.available, left),
    });
  const assigned = quantity(t, 'credits', member.assigned, formatAmount(member.assigned, 'credits', { locale }));
  const percent = percentRemaining(member.available, member.assigned);
  if (percent === null) return t('notifications.members.figuresNoPercent', { member: name, left, assigned });
  return t('notifications.members.figures', { member: name, left, assigned, percent: formatPercent(percent, locale) });
}
