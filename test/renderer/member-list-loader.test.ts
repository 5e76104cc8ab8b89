import { describe, expect, it } from 'vitest';
import type { IpcResult } from '../../shared/ipc';
import type { UserCreditsView } from '../../shared/snapshot';
import { MemberListLoader, shownList, type MemberListState } from '../../renderer/src/state/member-list-loader';
import { memberListRevision } from '../../renderer/src/logic/member-credits';
import { userCreditsSummary } from '../../main/services/ipc/window-snapshots';

type Reply = IpcResult<UserCreditsView | null>;

/** Main's side of `members:get`, answered by hand: each call waits until the test settles it. */
class FakeMain {
  readonly calls: { accountId: string; settle: (reply: Reply) => void }[] = [];

  fetch = (accountId: string): Promise<Reply> =>
    new Promise((resolve) => {
      this.calls.push({ accountId, settle: resolve });
    });

  async answer(index: number, reply: Reply): Promise<void> {
    this.calls[index]?.settle(reply);
    await new Promise((resolve) => setTimeout(resolve, 0));
  }
}

function list(names: string[], readAt = '2026-11-28T11:50:00.000Z'): UserCreditsView {
  return {
    budgeting: 'on',
    defaultAllocation: 500,
    readAt,
    memberCount: names.length,
    users: names.map((username) => ({ username, assigned: 100, available: 1, unlimited: false, level: 'critical' })),
  };
}

function loaderFor(accountId = 'gis') {
  const main = new FakeMain();
  const states: MemberListState[] = [];
  const loader = new MemberListLoader(accountId, main.fetch, (state) => states.push(state));
  return { main, states, loader };
}

const names = (state: MemberListState): string[] | null => shownList(state)?.users.map((user) => user.username) ?? null;

describe('the member list of an open table', () => {
  it('is fetched when the table opens, not before, and not again for the same snapshot', async () => {
    const { main, loader } = loaderFor();
    expect(loader.current()).toEqual({ status: 'closed' });
    expect(main.calls).toHaveLength(0);

    loader.follow('r1');
    expect(main.calls.map((call) => call.accountId)).toEqual(['gis']);
    // Loading, with nothing to show yet: never an empty list as if it were real.
    expect(loader.current()).toEqual({ status: 'loading', previous: null });
    expect(shownList(loader.current())).toBeNull();
    await main.answer(0, { ok: true, value: list(['dana', 'amara']) });
    expect(names(loader.current())).toEqual(['dana', 'amara']);

    loader.follow('r1');
    expect(main.calls).toHaveLength(1);
  });

  it('is fetched again when the account’s snapshot changes, showing the list before until the new one is there', async () => {
    const { main, loader } = loaderFor();
    loader.follow('r1');
    await main.answer(0, { ok: true, value: list(['dana', 'amara']) });

    loader.follow('r2');
    expect(main.calls).toHaveLength(2);
    expect(loader.current().status).toBe('loading');
    expect(names(loader.current())).toEqual(['dana', 'amara']);
    await main.answer(1, { ok: true, value: list(['dana']) });
    expect(loader.current()).toEqual({ status: 'loaded', view: list(['dana']) });
  });

  it('never lets an older reply replace a newer one, nor fill a closed table', async () => {
    const { main, loader, states } = loaderFor();
    loader.follow('r1');
    loader.follow('r2');
    await main.answer(1, { ok: true, value: list(['new']) });
    await main.answer(0, { ok: true, value: list(['old']) });
    expect(names(loader.current())).toEqual(['new']);

    loader.follow('r3');
    loader.follow(null);
    await main.answer(2, { ok: true, value: list(['late']) });
    expect(loader.current()).toEqual({ status: 'closed' });
    expect(states.some((state) => names(state)?.includes('late'))).toBe(false);
    expect(states.some((state) => names(state)?.includes('old'))).toBe(false);
  });

  it('says when the list could not be fetched, and fetches it again on retry', async () => {
    const { main, loader } = loaderFor();
    loader.follow('r1');
    await main.answer(0, { ok: false, error: { code: 'failed', message: 'The main process did not answer.' } });
    expect(loader.current()).toEqual({
      status: 'failed',
      error: { code: 'failed', message: 'The main process did not answer.' },
    });
    expect(shownList(loader.current())).toBeNull();

    loader.retry();
    expect(main.calls).toHaveLength(2);
    await main.answer(1, { ok: true, value: list(['dana']) });
    expect(names(loader.current())).toEqual(['dana']);
  });

  it('treats a thrown call as a failure, and a null answer as no list at all', async () => {
    const thrown = new MemberListLoader(
      'gis',
      () => Promise.reject(new Error('bridge gone')),
      () => undefined,
    );
    thrown.follow('r1');
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(thrown.current()).toEqual({ status: 'failed', error: { code: 'failed', message: 'bridge gone' } });

    const { main, loader } = loaderFor('deleted');
    loader.follow('r1');
    await main.answer(0, { ok: true, value: null });
    expect(loader.current()).toEqual({ status: 'missing' });
  });

  it('starts over after the table is closed and opened again', async () => {
    const { main, loader } = loaderFor();
    loader.follow('r1');
    await main.answer(0, { ok: true, value: list(['dana']) });
    loader.follow(null);
    loader.follow('r1');
    expect(main.calls).toHaveLength(2);
    expect(loader.current()).toEqual({ status: 'loading', previous: null });
  });
});

describe('the revision an open table follows', () => {
  it('changes with a new check or a new summary, not with a copy of the same snapshot', () => {
    const summary = userCreditsSummary(list(['dana', 'amara']));
    const same = memberListRevision('2026-11-28T11:55:00.000Z', structuredClone(summary));
    expect(memberListRevision('2026-11-28T11:55:00.000Z', summary)).toBe(same);
    expect(memberListRevision('2026-11-28T12:10:00.000Z', summary)).not.toBe(same);
    const relevelled = { ...summary, members: { ...summary.members, low: 1, critical: 1 } };
    expect(memberListRevision('2026-11-28T11:55:00.000Z', relevelled)).not.toBe(same);
  });
});
