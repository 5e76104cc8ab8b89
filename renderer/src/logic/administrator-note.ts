import type { AdministratorFigure } from '../../../shared/snapshot';
import type { Message } from './message';

export type AdministratorKey = 'administrator.usage' | 'administrator.members' | 'administrator.usageAndMembers';

/** Which figures this account may not read without administrator rights, in plain words; null when none. */
export function administratorNote(
  figures: readonly AdministratorFigure[] | undefined,
): Message<AdministratorKey> | null {
  const usage = figures?.includes('usage') ?? false;
  const members = figures?.includes('members') ?? false;
  if (usage && members) return { key: 'administrator.usageAndMembers' };
  if (usage) return { key: 'administrator.usage' };
  if (members) return { key: 'administrator.members' };
  return null;
}
