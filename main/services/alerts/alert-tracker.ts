import { isDeepStrictEqual } from 'node:util';
import type { AccountState } from '../../../shared/settings';
import type { Snapshot } from '../../../shared/snapshot';
import { decideAlerts, EMPTY_ALERT_STATE, isSnoozed } from '../../engine/alerts/decisions';
import { decideUserCreditAlerts, EMPTY_USER_CREDITS_ALERT_STATE } from '../../engine/alerts/user-credits';
import type { SettingsStore } from '../settings/settings-store';
import type { AlertToShow } from '../app-events';

/**
 * Runs the engine's alert decisions on a new snapshot with what was already said about the account
 * (kept in the settings' accountState, so a restart does not repeat a notification), and saves the
 * new state: the meters' levels and outages, and the members low on their credits (ArcGIS Online
 * credit budgeting). Decisions are made even while muted (notifications off, paused, account
 * snoozed), so nothing bursts out when the mute ends; only what is to be shown is returned.
 */
export function trackAlerts(settings: SettingsStore, snapshot: Snapshot, now: Date): AlertToShow[] {
  const current = settings.get();
  const account = current.accounts.find((candidate) => candidate.id === snapshot.accountId);
  // Deleted while its check was in flight: nothing to say, nothing to keep.
  if (!account) return [];
  const stored = current.accountState[account.id];
  const preferences = current.preferences;
  const muted =
    !preferences.notificationsEnabled ||
    isSnoozed(preferences.pausedUntil ?? undefined, now) ||
    isSnoozed(stored?.snoozedUntil, now);
  const meters = decideAlerts({
    previous: stored?.alerts ?? EMPTY_ALERT_STATE,
    snapshot,
    rules: account.rules,
    snoozed: muted,
    notifyOnRefill: account.notifyOnRefill ?? false,
  });
  const members = decideUserCreditAlerts({
    previous: stored?.userCredits ?? EMPTY_USER_CREDITS_ALERT_STATE,
    snapshot,
    rules: account.rules,
    snoozed: muted,
  });
  const next = nextState(stored, meters.state, members.state);
  if (!isDeepStrictEqual(next, stored ?? {})) settings.setAccountState(account.id, next);
  return [...meters.notifications, ...members.notifications].map((notification) => ({ notification, snapshot }));
}

/**
 * The account's state with the new decisions. An account nothing was ever said about keeps no
 * entry (as before there was one), and `userCredits` is kept only while a member is low, so the
 * settings of accounts without credit budgeting look as they always did.
 */
function nextState(
  stored: AccountState | undefined,
  alerts: NonNullable<AccountState['alerts']>,
  userCredits: NonNullable<AccountState['userCredits']>,
): AccountState {
  const { alerts: _alerts, userCredits: _members, ...rest } = stored ?? {};
  const keepAlerts = stored?.alerts !== undefined || !isDeepStrictEqual(alerts, EMPTY_ALERT_STATE);
  return {
    ...rest,
    ...(keepAlerts ? { alerts } : {}),
    ...(Object.keys(userCredits).length > 0 ? { userCredits } : {}),
  };
}

/** When a pause or snooze of `minutes` ends (null: it ends now). */
export function muteUntil(minutes: number | null, now: Date): string | null {
  return minutes === null ? null : new Date(now.getTime() + minutes * 60_000).toISOString();
}
