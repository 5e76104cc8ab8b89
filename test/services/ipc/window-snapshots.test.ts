import { describe, expect, it } from 'vitest';
import { ipcEventContract, ipcInvokeContract } from '../../../shared/ipc';
import type { MemberCredits, Snapshot, UserCreditsView } from '../../../shared/snapshot';
import { memberCounts, windowSnapshot, windowSnapshots } from '../../../main/services/ipc/window-snapshots';

function member(username: string, level: MemberCredits['level'], unlimited = false): MemberCredits {
  return unlimited
    ? { username, assigned: null, available: null, unlimited, level }
    : { username, assigned: 100, available: 50, unlimited, level };
}

function view(users: MemberCredits[], overrides: Partial<UserCreditsView> = {}): UserCreditsView {
  return {
    budgeting: 'on',
    defaultAllocation: 500,
    readAt: '2026-11-28T11:50:00.000Z',
    memberCount: users.length,
    users,
    ...overrides,
  };
}

function snapshot(overrides: Partial<Snapshot> = {}): Snapshot {
  return {
    accountId: 'gis',
    provider: 'arcgis',
    label: 'GIS org',
    status: 'ok',
    checkedAt: '2026-11-28T11:55:00.000Z',
    fetchedAt: '2026-11-28T11:55:00.000Z',
    meters: [
      {
        id: 'credits',
        label: 'Credits',
        unit: 'credits',
        used: 1,
        limit: 10,
        remaining: 9,
        unlimited: false,
        level: 'ok',
      },
    ],
    ...overrides,
  };
}

describe('the members’ summary the windows get instead of the list', () => {
  it('counts the members, the low and the critical ones, and names the worst level', () => {
    const users = [
      member('a', 'ok'),
      member('b', 'warning'),
      member('c', 'critical'),
      member('d', 'unknown'),
      member('e', 'ok', true),
      member('f', 'critical'),
    ];
    expect(memberCounts(view(users))).toEqual({ listed: 6, total: 6, low: 3, critical: 2, worst: 'critical' });
    expect(memberCounts(view([member('a', 'ok'), member('b', 'warning')]))).toMatchObject({ low: 1, worst: 'warning' });
    // `unknown` needs a look before `ok` does, as the renderer sorts them.
    expect(memberCounts(view([member('a', 'ok'), member('d', 'unknown')]))).toMatchObject({ low: 0, worst: 'unknown' });
  });

  it('takes the organization’s own count where it is larger than the list, and the list’s length where none was read', () => {
    expect(memberCounts(view([member('a', 'ok')], { memberCount: 1240 }))).toMatchObject({ listed: 1, total: 1240 });
    expect(memberCounts(view([member('a', 'ok'), member('b', 'ok')], { memberCount: null }))).toMatchObject({
      listed: 2,
      total: 2,
    });
    expect(memberCounts(view([], { budgeting: 'off', memberCount: null }))).toEqual({
      listed: 0,
      total: 0,
      low: 0,
      critical: 0,
      worst: 'ok',
    });
  });

  it('leaves the list out of the snapshot and keeps everything else, within the windows’ contract', () => {
    const users = Array.from({ length: 1240 }, (_, index) => member(`m${index}`, index < 3 ? 'critical' : 'ok'));
    const full = snapshot({
      views: {
        userCredits: view(users, { note: 'Kept from the last read.' }),
        subscription: { type: 'In Org', endsAt: '2027-03-03T12:00:00.000Z' },
        needsAdministrator: ['usage'],
      },
    });
    const slim = windowSnapshot(full);
    expect(slim).toEqual({
      ...full,
      views: {
        subscription: { type: 'In Org', endsAt: '2027-03-03T12:00:00.000Z' },
        needsAdministrator: ['usage'],
        userCredits: {
          budgeting: 'on',
          defaultAllocation: 500,
          readAt: '2026-11-28T11:50:00.000Z',
          memberCount: 1240,
          note: 'Kept from the last read.',
          members: { listed: 1240, total: 1240, low: 3, critical: 3, worst: 'critical' },
        },
      },
    });
    expect(JSON.stringify(slim)).not.toContain('m1239');
    expect(ipcEventContract['snapshots:changed'].safeParse([slim]).success).toBe(true);
    expect(ipcInvokeContract['snapshots:get'].reply.safeParse(windowSnapshots([full, snapshot()])).success).toBe(true);
    // The full snapshot is untouched: the engine, tray and notifications keep their list.
    expect(full.views?.userCredits?.users).toHaveLength(1240);
  });

  it('passes a snapshot without views, or without members, through as it is', () => {
    const plain = snapshot();
    expect(windowSnapshot(plain)).toEqual(plain);
    const subscriptionOnly = snapshot({ views: { subscription: { type: null, endsAt: '2027-03-03T12:00:00.000Z' } } });
    expect(windowSnapshot(subscriptionOnly)).toEqual(subscriptionOnly);
    const failed = snapshot({
      status: 'error',
      error: { kind: 'network', message: 'ArcGIS Online could not be reached.' },
    });
    expect(windowSnapshot(failed)).toEqual(failed);
  });
});
