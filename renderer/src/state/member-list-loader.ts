import type { IpcError, IpcResult } from '../../../shared/ipc';
import type { UserCreditsView } from '../../../shared/snapshot';

/**
 * One account's member list as its table has it. `loading` keeps the list shown before (null on first open) while a
 * newer one is on its way; `missing`: main has no list for the account; `failed`: it could not be fetched.
 */
export type MemberListState =
  | { status: 'closed' }
  | { status: 'loading'; previous: UserCreditsView | null }
  | { status: 'loaded'; view: UserCreditsView }
  | { status: 'missing' }
  | { status: 'failed'; error: IpcError };

export type FetchMemberList = (accountId: string) => Promise<IpcResult<UserCreditsView | null>>;

/**
 * Follows one account's member list while its table is open: fetched when it opens, fetched again whenever the
 * account's snapshot changes (a new revision), forgotten when it closes. A reply that arrives after a newer request, or
 * after closing, is dropped, so an older list never replaces a newer one.
 */
export class MemberListLoader {
  private state: MemberListState = { status: 'closed' };
  private revision: string | null = null;
  private latestRequest = 0;

  constructor(
    private readonly accountId: string,
    private readonly fetchList: FetchMemberList,
    private readonly onChange: (state: MemberListState) => void,
  ) {}

  current(): MemberListState {
    return this.state;
  }

  /** `revision` says which snapshot of the account the open table belongs to; null when the table is closed. */
  follow(revision: string | null): void {
    if (revision === this.revision) return;
    this.revision = revision;
    if (revision !== null) {
      void this.load();
      return;
    }
    this.latestRequest++;
    this.set({ status: 'closed' });
  }

  /** After a failure: asks again for the same revision. */
  retry(): void {
    if (this.revision !== null) void this.load();
  }

  private async load(): Promise<void> {
    const request = ++this.latestRequest;
    this.set({ status: 'loading', previous: shownList(this.state) });
    let result: IpcResult<UserCreditsView | null>;
    try {
      result = await this.fetchList(this.accountId);
    } catch (error) {
      // The API answers with results; a preload that throws anyway must not leave the table loading forever.
      result = {
        ok: false,
        error: { code: 'failed', message: error instanceof Error ? error.message : String(error) },
      };
    }
    if (request !== this.latestRequest) return;
    if (!result.ok) this.set({ status: 'failed', error: result.error });
    else if (result.value === null) this.set({ status: 'missing' });
    else this.set({ status: 'loaded', view: result.value });
  }

  private set(state: MemberListState): void {
    this.state = state;
    this.onChange(state);
  }
}

/** The list a table shows in this state: the fetched one, or while a newer one loads the one before; else none. */
export function shownList(state: MemberListState): UserCreditsView | null {
  if (state.status === 'loaded') return state.view;
  if (state.status === 'loading') return state.previous;
  return null;
}
