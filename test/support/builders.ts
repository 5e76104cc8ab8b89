import type { Account } from '../../shared/account';
import { Localizations } from '../../shared/i18n/localizations';
import { preferencesSchema, type Preferences } from '../../shared/settings';
import type { Meter, Snapshot } from '../../shared/snapshot';

export const NOW = new Date('2026-03-10T14:00:00.000Z');

export function meter(overrides: Partial<Meter> = {}): Meter {
  return {
    id: 'credits',
    label: 'Credits',
    unit: 'credits',
    used: 500,
    limit: 1000,
    remaining: 500,
    unlimited: false,
    level: 'ok',
    ...overrides,
  };
}

export function snapshot(accountId: string, meters: Meter[], overrides: Partial<Snapshot> = {}): Snapshot {
  return {
    accountId,
    provider: 'demo',
    label: `Account ${accountId}`,
    status: 'ok',
    checkedAt: NOW.toISOString(),
    fetchedAt: NOW.toISOString(),
    meters,
    ...overrides,
  };
}

export function failing(
  accountId: string,
  kind: NonNullable<Snapshot['error']>['kind'],
  meters: Meter[] = [],
): Snapshot {
  return snapshot(accountId, meters, { status: 'error', error: { kind, message: `'${accountId}' failed (${kind}).` } });
}

export function account(id: string, overrides: Partial<Account> = {}): Account {
  return { id, provider: 'demo', label: `Account ${id}`, config: {}, enabled: true, ...overrides };
}

export function preferences(overrides: Partial<Preferences> = {}): Preferences {
  return { ...preferencesSchema.parse({}), ...overrides };
}

const localizations = new Localizations();
/** The words and formats of the two languages, with their usual regions. */
export const EN = localizations.for('en', ['en-US']);
export const DE = localizations.for('de', ['de-DE']);
