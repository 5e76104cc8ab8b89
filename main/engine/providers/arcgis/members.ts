import { z } from 'zod';
import type { MemberCreditsReading, UserCreditsReading } from '../../../../shared/snapshot';
import { ProviderError } from '../../errors';
import { validateShape } from '../../http/parse';
import type { FetchContext } from '../provider';
import type { ArcgisConnection } from './connection';
import { isPermissionProblem, saying, unexpectedAnswer } from './errors';
import { figureSchema } from './figures';
import type { Organization } from './organization';
import { ReportUnavailable, type ReportState } from './reports';

/**
 * The organization's members and their credit allocations: `GET {portalUrl}/sharing/rest/portals/
 * self/users`, paged with `start` (1-based) and `num` (at most 100), followed through `nextStart`
 * until it is -1. Each member carries `assignedCredits` and `availableCredits`: null while credit
 * budgeting is off; with it on, a member without an allocation is unlimited (no figure, or -1 as
 * for `defaultUserCreditAssignment`). Listing the members needs an administrator.
 */

/** Members per page: the most ArcGIS returns. */
export const MEMBER_PAGE_SIZE = 100;
/**
 * The most pages followed in one read (20,000 members). A portal that keeps announcing pages must
 * not keep Headroom reading; an organization this large is told why its list is missing.
 */
export const MAX_MEMBER_PAGES = 200;

const creditsSchema = figureSchema.nullish();

const pageSchema = z.object({
  total: z.number().int().nonnegative().nullish(),
  nextStart: z.number().int(),
  users: z.array(
    z.object({
      username: z.string().min(1),
      fullName: z.string().nullish(),
      assignedCredits: creditsSchema,
      availableCredits: creditsSchema,
    }),
  ),
});
type MemberRow = z.infer<typeof pageSchema>['users'][number];

export interface Members {
  /** How many members the organization has, as ArcGIS counted them. */
  total: number;
  members: MemberCreditsReading[];
}

export async function readMembers(
  connection: ArcgisConnection,
  context: FetchContext,
  username: string,
): Promise<Members | ReportUnavailable> {
  // By user name: members added or removed while the pages are read may shift a page; the map
  // keeps one entry per member whatever the overlap.
  const byName = new Map<string, MemberCreditsReading>();
  let total: number | undefined;
  let start = 1;
  for (let page = 1; page <= MAX_MEMBER_PAGES; page += 1) {
    const answer = await connection.get(context, 'portals/self/users', {
      start,
      num: MEMBER_PAGE_SIZE,
      sortField: 'username',
      sortOrder: 'asc',
    });
    if (!answer.ok) {
      if (isPermissionProblem(answer.error)) {
        return new ReportUnavailable(
          `Members' credit budgets need an ArcGIS Online administrator: '${username}' may not list the organization's members ${saying(answer.error, answer.messages)}.`,
          true,
        );
      }
      throw unexpectedAnswer(answer.error, answer.messages, 'for the member list');
    }
    const body = validateShape(pageSchema, answer.body, answer.messages, 'its member list');
    total ??= body.total ?? undefined;
    for (const row of body.users) byName.set(row.username, memberOf(row));
    if (body.nextStart === -1) return { total: total ?? byName.size, members: [...byName.values()].sort(worstFirst) };
    if (body.nextStart <= start) {
      throw new ProviderError(
        'bad_response',
        `${context.messages.service} sent a member list whose next page (field "nextStart": ${body.nextStart}) does not come after the page Headroom asked for (start ${start}) for '${context.messages.account}'; following it would never end, so Headroom stopped.`,
      );
    }
    start = body.nextStart;
  }
  return new ReportUnavailable(
    `The organization has more than ${(MAX_MEMBER_PAGES * MEMBER_PAGE_SIZE).toLocaleString('en-US')} members, more than Headroom reads; members' credit budgets are not shown.`,
  );
}

function memberOf(row: MemberRow): MemberCreditsReading {
  const assigned = row.assignedCredits;
  const fullName = row.fullName?.trim();
  const name = fullName ? { fullName } : {};
  if (assigned === null || assigned === undefined || assigned < 0) {
    return { username: row.username, ...name, assigned: null, available: null, unlimited: true };
  }
  return { username: row.username, ...name, assigned, available: row.availableCredits ?? null, unlimited: false };
}

/**
 * Worst first: the smallest share of the allocation left (an allocation of zero counts as used up),
 * then members whose figure is missing, then the unlimited; ties by credits left, then by name.
 */
function worstFirst(a: MemberCreditsReading, b: MemberCreditsReading): number {
  return rank(a) - rank(b) || (a.available ?? 0) - (b.available ?? 0) || a.username.localeCompare(b.username);
}

function rank(member: MemberCreditsReading): number {
  if (member.unlimited) return 3;
  if (member.available === null || member.assigned === null) return 2;
  if (member.assigned <= 0) return member.available > 0 ? 1 : -1;
  return member.available / member.assigned;
}

/** The `userCredits` view: budgeting off or unknown as such, the list or why it is missing. */
export function userCreditsReading(
  organization: Organization,
  report: ReportState<Members | ReportUnavailable> | undefined,
  now: Date,
): UserCreditsReading {
  const base = { budgeting: organization.budgeting, defaultAllocation: organization.defaultAllocation };
  if (organization.budgeting === 'off') return { ...base, readAt: now.toISOString(), memberCount: null, users: [] };
  if (organization.budgeting === 'unknown') {
    return {
      ...base,
      readAt: now.toISOString(),
      memberCount: null,
      users: [],
      unavailable: `ArcGIS Online does not tell '${organization.username}' whether the organization budgets credits per member; an administrator account can read members' credit budgets.`,
    };
  }
  const last = report?.last;
  if (!last) {
    return {
      ...base,
      readAt: now.toISOString(),
      memberCount: null,
      users: [],
      unavailable: `The member list could not be read: ${report?.failure ?? 'it has not been read yet'}`,
    };
  }
  const readAt = new Date(last.readAt).toISOString();
  const note = report.failure === undefined ? {} : { note: `Reading the member list again failed: ${report.failure}` };
  if (last.value instanceof ReportUnavailable)
    return { ...base, readAt, memberCount: null, users: [], unavailable: last.value.reason, ...note };
  return { ...base, readAt, memberCount: last.value.total, users: last.value.members, ...note };
}
