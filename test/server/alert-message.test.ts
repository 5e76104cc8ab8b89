import { describe, expect, it } from 'vitest';
import { alertMessageSchema, composeAlertMessage, MAX_LISTED_MEMBERS } from '../../main/server/alert-message';
import type { AlertNotification } from '../../main/engine/alerts/decisions';
import { NAMED_MEMBERS, type UserCreditsNotification } from '../../main/engine/alerts/user-credits';
import type { MemberCredits, Meter, Snapshot } from '../../shared/snapshot';

const NOW = new Date('2026-11-20T10:00:00.000Z');

function snapshotWith(meter: Meter, provider = 'arcgis'): Snapshot {
  return {
    accountId: 'gis',
    provider,
    label: 'GIS org',
    status: 'ok',
    checkedAt: NOW.toISOString(),
    fetchedAt: NOW.toISOString(),
    meters: [meter],
  };
}

function level(overrides: Partial<Extract<AlertNotification, { type: 'level' }>>): AlertNotification {
  return {
    type: 'level',
    accountId: 'gis',
    accountLabel: 'GIS org',
    meterId: 'credits',
    meterLabel: 'Credits',
    level: 'warning',
    remaining: 1_500,
    limit: 10_000,
    unit: 'credits',
    ...overrides,
  };
}

const credits: Meter = {
  id: 'credits',
  label: 'Credits',
  unit: 'credits',
  used: 8_500,
  limit: 10_000,
  remaining: 1_500,
  unlimited: false,
  level: 'warning',
  resetsAt: '2026-12-01T00:00:00.000Z',
};

describe('composeAlertMessage', () => {
  it('words a warning with the figures, the reset, what comes next and where it came from', () => {
    const message = composeAlertMessage(level({}), snapshotWith(credits), NOW, 'srv-1');
    expect(alertMessageSchema.parse(message)).toEqual(message);
    expect(message).toMatchObject({
      severity: 'warning',
      accountId: 'gis',
      provider: 'arcgis',
      decidedAt: NOW.toISOString(),
    });
    expect(message.title).toBe("Warning: 'GIS org' Credits — 1,500 credits left (15 %)");
    expect(message.text).toBe(
      [
        "Credits of 'GIS org' is warning: 1,500 credits left of 10,000 (15 %).",
        'The period resets in 11 d (2026-12-01 00:00 UTC).',
        'You will hear again if it becomes critical, or once it has recovered and drops again.',
        '',
        "Account 'GIS org' (id gis, ArcGIS Online) · 2026-11-20T10:00:00.000Z · headroom serve on srv-1",
      ].join('\n'),
    );
  });

  it('says when the forecast, not a threshold, raised the level', () => {
    const forecast = { exhaustsAt: '2026-11-25T10:00:00.000Z', beforeReset: true };
    const message = composeAlertMessage(
      level({ remaining: 6_000, forecast }),
      snapshotWith({ ...credits, remaining: 6_000 }),
      NOW,
      'srv-1',
    );
    expect(message.text.split('\n').slice(0, 2)).toEqual([
      "Credits of 'GIS org' is warning: 6,000 credits left of 10,000 (60 %).",
      'At the pace of its history it runs out in 5 d (2026-11-25 10:00 UTC), before the period resets.',
    ]);
  });

  it('writes bytes and unknown limits as people read them', () => {
    const storage: Meter = {
      id: 'storage',
      label: 'Storage',
      unit: 'bytes',
      used: 9.6e9,
      limit: 1e10,
      remaining: 4e8,
      unlimited: false,
      level: 'critical',
    };
    const bytes = composeAlertMessage(
      level({
        meterId: 'storage',
        meterLabel: 'Storage',
        level: 'critical',
        remaining: 4e8,
        limit: 1e10,
        unit: 'bytes',
      }),
      snapshotWith(storage),
      NOW,
      'srv-1',
    );
    expect(bytes.title).toBe("Critical: 'GIS org' Storage — 400 MB left (4 %)");
    expect(bytes.text.split('\n')[1]).toBe('You will hear again once it has recovered and drops again.');

    const noLimit = composeAlertMessage(
      level({ remaining: 300, limit: null }),
      snapshotWith({ ...credits, limit: null, remaining: 300, resetsAt: undefined }),
      NOW,
      'srv-1',
    );
    expect(noLimit.title).toBe("Warning: 'GIS org' Credits — 300 credits left");
    expect(noLimit.text.split('\n')[0]).toBe("Credits of 'GIS org' is warning: 300 credits left.");
  });

  it('words an outage with the provider message first', () => {
    const message = composeAlertMessage(
      {
        type: 'outage',
        accountId: 'gis',
        accountLabel: 'GIS org',
        kind: 'auth',
        message: "ArcGIS Online rejected the user name or password for 'GIS org' — check them in Settings.",
      },
      { ...snapshotWith(credits), status: 'error' },
      NOW,
      'srv-1',
    );
    expect(message.severity).toBe('outage');
    expect(message.title).toBe("'GIS org' cannot be checked (auth)");
    expect(message.text.split('\n').slice(0, 2)).toEqual([
      "ArcGIS Online rejected the user name or password for 'GIS org' — check them in Settings.",
      'Headroom keeps checking ArcGIS Online for this account and tells once per outage; its last known figures stay in /metrics and /api/snapshots.',
    ]);
  });

  describe('members low on credits', () => {
    const member = (index: number, available: number): MemberCredits => ({
      username: `member${index}`,
      fullName: `Member ${index}`,
      assigned: 500,
      available,
      unlimited: false,
      level: available <= 25 ? 'critical' : 'warning',
    });
    const withView = (users: MemberCredits[]): Snapshot => ({
      ...snapshotWith(credits),
      views: {
        userCredits: {
          budgeting: 'on',
          defaultAllocation: 500,
          readAt: '2026-11-20T09:30:00.000Z',
          memberCount: users.length,
          users,
        },
      },
    });
    const notification = (users: MemberCredits[], lowCount = users.length): UserCreditsNotification => ({
      type: 'userCredits',
      accountId: 'gis',
      accountLabel: 'GIS org',
      level: users.some((user) => user.level === 'critical') ? 'critical' : 'warning',
      users,
      lowCount,
    });

    it('names one member in the title, and says where the rest is and what comes next', () => {
      const users = [member(1, 60)];
      const message = composeAlertMessage(notification(users, 3), withView(users), NOW, 'srv-1');
      expect(alertMessageSchema.parse(message)).toEqual(message);
      expect(message).toMatchObject({
        severity: 'warning',
        accountId: 'gis',
        provider: 'arcgis',
        title: "Warning: Member 1 (member1) is low on credits in 'GIS org'",
      });
      expect(message.text).toBe(
        [
          'Member 1 (member1): 60 of 500 credits left (12 %)',
          '2 other members were already low.',
          "From the member list read 2026-11-20 09:30 UTC; each member is judged on their own allocation (the account's userCredits rule).",
          'Every member, worst first: GET /api/snapshots (views.userCredits); members per level: headroom_user_credits_members in /metrics.',
          'You will hear again when another member runs low, when one of these gets worse, or when one recovers and drops again.',
          '',
          "Account 'GIS org' (id gis, ArcGIS Online) · 2026-11-20T10:00:00.000Z · headroom serve on srv-1",
        ].join('\n'),
      );
      expect(message.notification).toEqual({ ...notification(users, 3), worseCount: 1 });
    });

    it(`names ${NAMED_MEMBERS} members, then "and N more", and keeps at most ${MAX_LISTED_MEMBERS} in the notification`, () => {
      const users = Array.from({ length: 250 }, (_, index) => member(index + 1, index < 2 ? 10 : 100));
      const message = composeAlertMessage(notification(users), withView(users), NOW, 'srv-1');
      expect(alertMessageSchema.parse(message)).toEqual(message);
      expect(message.severity).toBe('critical');
      expect(message.title).toBe("Critical: 250 members of 'GIS org' are low on credits");
      expect(message.text.split('\n').slice(0, NAMED_MEMBERS + 1)).toEqual([
        'Member 1 (member1): 10 of 500 credits left (2 %)',
        'Member 2 (member2): 10 of 500 credits left (2 %)',
        'Member 3 (member3): 100 of 500 credits left (20 %)',
        'Member 4 (member4): 100 of 500 credits left (20 %)',
        'Member 5 (member5): 100 of 500 credits left (20 %)',
        'and 245 more.',
      ]);
      expect(message.notification).toMatchObject({ type: 'userCredits', worseCount: 250, lowCount: 250 });
      expect(
        message.notification.type === 'userCredits' ? message.notification.users.map((user) => user.username) : [],
      ).toEqual(users.slice(0, MAX_LISTED_MEMBERS).map((user) => user.username));
    });

    it('leaves out when the list was read if the snapshot has no members view', () => {
      const users = [member(1, 10)];
      const message = composeAlertMessage(notification(users), snapshotWith(credits), NOW, 'srv-1');
      expect(message.text).not.toContain('From the member list read');
      expect(message.text.split('\n')[1]).toBe(
        'Every member, worst first: GET /api/snapshots (views.userCredits); members per level: headroom_user_credits_members in /metrics.',
      );
    });
  });
});
