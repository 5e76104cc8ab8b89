import { describe, expect, it } from 'vitest';
import type { Level, MemberCredits } from '../../shared/snapshot';
import type { UserCreditsNotification } from '../../main/engine/alerts/user-credits';
import { describeUserCreditsNotification } from '../../main/server/user-credits-message';

function member(username: string, assigned: number, available: number, level: Level, fullName?: string): MemberCredits {
  return { username, ...(fullName ? { fullName } : {}), assigned, available, unlimited: false, level };
}

function notification(
  level: 'warning' | 'critical',
  users: MemberCredits[],
  lowCount: number,
): UserCreditsNotification {
  return { type: 'userCredits', accountId: 'gis', accountLabel: 'GIS org', level, users, lowCount };
}

describe('describeUserCreditsNotification', () => {
  it('names one member with the figures', () => {
    const note = notification('critical', [member('amara', 500, 10, 'critical', 'Amara Okafor')], 1);

    expect(describeUserCreditsNotification(note)).toEqual({
      title: "Critical: Amara Okafor (amara) is low on credits in 'GIS org'",
      body: 'Amara Okafor (amara): 10 of 500 credits left (2 %)',
    });
  });

  it('names the first five of many and counts the rest, and those already low', () => {
    const many = Array.from({ length: 8 }, (_, index) => member(`m${index + 1}`, 100, 10 + index, 'warning'));
    const note = notification('warning', many, 9);

    const { title, body } = describeUserCreditsNotification(note);
    expect(title).toBe("Warning: 8 members of 'GIS org' are low on credits");
    expect(body.split('\n')).toEqual([
      'm1: 10 of 100 credits left (10 %)',
      'm2: 11 of 100 credits left (11 %)',
      'm3: 12 of 100 credits left (12 %)',
      'm4: 13 of 100 credits left (13 %)',
      'm5: 14 of 100 credits left (14 %)',
      'and 3 more.',
      '1 other member was already low.',
    ]);
  });
});
