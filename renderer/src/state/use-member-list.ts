import { useEffect, useMemo, useState } from 'react';
import { MemberListLoader, type MemberListState } from './member-list-loader';
import { useStore } from './use-headroom';

/**
 * One account's member list for its table, fetched from main while `revision` is not null (the table is open) and
 * again on each new revision; see MemberListLoader.
 */
export function useMemberList(
  accountId: string,
  revision: string | null,
): { state: MemberListState; retry: () => void } {
  const store = useStore();
  const [state, setState] = useState<MemberListState>({ status: 'closed' });
  const loader = useMemo(
    () => new MemberListLoader(accountId, (id) => store.memberCredits(id), setState),
    [accountId, store],
  );
  useEffect(() => {
    loader.follow(revision);
  }, [loader, revision]);
  useEffect(
    () => () => {
      loader.follow(null);
    },
    [loader],
  );
  return {
    state,
    retry: () => {
      loader.retry();
    },
  };
}
