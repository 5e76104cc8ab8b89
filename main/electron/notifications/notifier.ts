import { Notification } from 'electron';
import type { AlertToShow, AppLog } from '../../services/app-events';
import { notificationFor, type NotificationLocale } from './notification-content';

/** Notifications kept referenced until closed: one that is garbage-collected loses its click handler. */
const MAX_LIVE = 20;

/**
 * Shows the alerts of a poll round as one native notification; a click opens the dashboard at the
 * account. Pause, snooze and "notifications off" were honoured before: muted decisions never get here.
 */
export class Notifier {
  private readonly live = new Set<Notification>();

  constructor(
    private readonly openDashboard: (accountId: string | undefined) => void,
    private readonly log: AppLog,
    /** The person's language at the time a notification is shown. */
    private readonly words: () => NotificationLocale,
    private readonly now: () => Date = () => new Date(),
  ) {}

  show(alerts: readonly AlertToShow[]): void {
    const content = notificationFor(alerts, this.now(), this.words());
    if (!content) return;
    this.log('info', `Alert: ${content.title}`);
    if (!Notification.isSupported()) {
      this.log(
        'warn',
        'This system shows no notifications (no notification service); the alert is only in the tray and this log.',
      );
      return;
    }
    const notification = new Notification({
      title: content.title,
      body: content.body,
      urgency: content.urgency,
      timeoutType: content.urgency === 'critical' ? 'never' : 'default',
    });
    const forget = (): void => {
      this.live.delete(notification);
    };
    notification.on('click', () => {
      forget();
      this.openDashboard(content.accountId);
    });
    notification.on('close', forget);
    notification.on('failed', (_event, error) => {
      forget();
      this.log('warn', `The notification "${content.title}" could not be shown: ${error}`);
    });
    this.live.add(notification);
    for (const old of [...this.live].slice(0, Math.max(0, this.live.size - MAX_LIVE))) this.live.delete(old);
    notification.show();
  }
}
