import type { Snapshot } from '../../shared/snapshot';
import { decideAlerts, EMPTY_ALERT_STATE, isSnoozed } from '../core/alerts/decisions';
import type { SettingsStore } from '../core/settings/settings-store';
import type { AlertToShow } from './app-events';

/**
 * Runs the engine's alert decisions on a new snapshot with what was already said about the account
 * (kept in the settings' accountState, so a restart does not repeat a notification), and saves the
 * new state. Decisions are made even while muted (notifications off, paused, account snoozed),
 * so nothing bursts out when the mute ends; only what is to be shown is returned.
 */
export function trackAlerts(settings: SettingsStore, snapshot: Snapshot, now: Date): AlertToShow[] {
  const current = settings.get();
  const account = current.accounts.find((candidate) => candidate.id === snapshot.accountId);
  // Deleted while its check was in flight: nothing to say, nothing to keep.
  if (!account) return [];
  const stored = current.accountState[account.id];
  const preferences = current.preferences;
  const muted = !preferences.notificationsEnabled || isSnoozed(preferences.pausedUntil ?? undefined, now) || isSnoozed(stored?.snoozedUntil, now);
  const decision = decideAlerts({ previous: stored?.alerts ?? EMPTY_ALERT_STATE, snapshot, rules: account.rules, snoozed: muted });
  if (JSON.stringify(decision.state) !== JSON.stringify(stored?.alerts ?? EMPTY_ALERT_STATE)) {
    settings.setAccountState(account.id, { ...stored, alerts: decision.state });
  }
  return decision.notifications.map((notification) => ({ notification, snapshot }));
}

/** When a pause or snooze of `minutes` ends (null: it ends now). */
export function muteUntil(minutes: number | null, now: Date): string | null {
  return minutes === null ? null : new Date(now.getTime() + minutes * 60_000).toISOString();
}
