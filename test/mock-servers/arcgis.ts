import { randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import type { ConfigAccount } from '../../shared/config-file';
import { formBody, sendJson, sendText, startMockServer, type MockServer, type RecordedRequest } from './harness';

/**
 * A local ArcGIS Online: `POST /sharing/rest/generateToken`, `GET /sharing/rest/portals/self`, and
 * the administrators' reports `GET /sharing/rest/portals/self/usage` (credits per service type and
 * day, figures as strings the way the ArcGIS API for Python shows them) and
 * `GET /sharing/rest/portals/self/users` (members with their credit allocations, paged with
 * `start`/`num`/`nextStart`), with the answers and error bodies ArcGIS sends (errors inside JSON,
 * with HTTP 200).
 *
 * One server serves many accounts: the user name picks the scenario (ARCGIS_MOCK_USERS), and
 * every user has the password ARCGIS_MOCK_PASSWORD. Tests steer it further with the controls
 * of ArcgisMock (credits, storage, budgeting, members, usage, expiring tokens, queued answers).
 */

/** Has characters that must be form-encoded, so a sloppy client fails here rather than in the field. */
export const ARCGIS_MOCK_PASSWORD = 'correct horse&battery=staple+1';

export const ARCGIS_MOCK_USERS = {
  /** An administrator of an ArcGIS Online organization: credits and storage. */
  admin: 'gis-admin',
  /** A member without administrative privileges: portals/self leaves the credits out. */
  viewer: 'org-viewer',
  /** An ArcGIS Enterprise portal (`isPortal: true`, no credits). */
  enterprise: 'enterprise-admin',
  /** generateToken answers `ssl: true`: the token may only travel over HTTPS. */
  httpsOnly: 'https-only',
  /** portals/self answers 403 with messageCode GWM_0003. */
  noPermission: 'no-permission',
  /** Every token of this user is answered with 498, even a fresh one. */
  tokenRejected: 'token-rejected',
  /** portals/self ignores this user's token (as behind a proxy that drops it) and answers the anonymous view. */
  anonymousView: 'anonymous-view',
  /** portals/self answers HTTP 429 with Retry-After. */
  rateLimited: 'busy-portal',
  /** portals/self answers HTTP 502 with an HTML page, as a broken proxy in front of the portal would. */
  proxyError: 'broken-proxy',
  /**
   * A member whose role may view the organization's credit status but who is no administrator:
   * portals/self shows the balance, the usage statistics and the member list answer 403 (GWM_0003) in a 200 body.
   */
  member: 'org-member',
  /** The administrator of a second organization, one without credit budgeting (`creditAssignments: "disabled"`). */
  noBudgetsAdmin: 'admin-no-budgets',
} as const;
export type ArcgisMockUser = (typeof ARCGIS_MOCK_USERS)[keyof typeof ARCGIS_MOCK_USERS];

export const ARCGIS_MOCK_USERNAME = ARCGIS_MOCK_USERS.admin;
export const ARCGIS_MOCK_ORG_NAME = 'Headroom Mock GIS';
export const ARCGIS_MOCK_DEFAULT_CREDITS = 4210.57;
/** Bytes, as portals/self reports them. */
export const ARCGIS_MOCK_DEFAULT_STORAGE = { usage: 3_221_225_472, quota: 2_199_023_255_552 } as const;
export const ARCGIS_MOCK_RETRY_AFTER_SECONDS = 120;
/** What a new member is allocated in the mock organization (`defaultUserCreditAssignment`). */
export const ARCGIS_MOCK_DEFAULT_ALLOCATION = 500;
/** The most members one page of portals/self/users holds, as ArcGIS documents for `num`. */
export const ARCGIS_MOCK_MAX_PAGE_SIZE = 100;
const DAY_MS = 86_400_000;

/**
 * A member of the mock organization as portals/self/users lists them. With budgeting on, the
 * credit fields are sent as given (a number, -1 or null for "no allocation", or text); with it
 * off, both are null whatever is set here.
 */
export interface ArcgisMockMember {
  username: string;
  fullName: string;
  role?: 'org_admin' | 'org_publisher' | 'org_user';
  assignedCredits: number | string | null;
  availableCredits: number | string | null;
}

/** The mock organization's members: one of each case, worst first by share left. */
export const ARCGIS_MOCK_MEMBERS: readonly ArcgisMockMember[] = [
  { username: 'dana.kowalski', fullName: 'Dana Kowalski', role: 'org_user', assignedCredits: 250, availableCredits: 0 },
  {
    username: 'amara.okafor',
    fullName: 'Amara Okafor',
    role: 'org_publisher',
    assignedCredits: 500,
    availableCredits: 12.5,
  },
  {
    username: 'ben.hughes',
    fullName: 'Ben Hughes',
    role: 'org_publisher',
    assignedCredits: 400,
    availableCredits: 61.2,
  },
  { username: 'farah.haddad', fullName: 'Farah Haddad', role: 'org_user', assignedCredits: 300, availableCredits: 87 },
  { username: 'chen.wei', fullName: 'Chen Wei', role: 'org_publisher', assignedCredits: 1000, availableCredits: 640 },
  {
    username: 'field-app',
    fullName: 'Field collection app',
    role: 'org_user',
    assignedCredits: 2000,
    availableCredits: 1730.25,
  },
  { username: 'gis-admin', fullName: 'Mock gis-admin', role: 'org_admin', assignedCredits: -1, availableCredits: -1 },
  {
    username: 'eli.martin',
    fullName: 'Eli Martin',
    role: 'org_publisher',
    assignedCredits: null,
    availableCredits: null,
  },
];

/** Credits per day of one service type (`stype`) and event type (`etype`), and the operations counted (`num`). */
export interface ArcgisMockUsageRow {
  stype: string;
  etype: string;
  creditsPerDay: number;
  countPerDay: number;
}

/** About 27 credits a day: the balance of ARCGIS_MOCK_DEFAULT_CREDITS lasts some five months. */
export const ARCGIS_MOCK_USAGE: readonly ArcgisMockUsageRow[] = [
  { stype: 'geocode', etype: 'geocodecnt', creditsPerDay: 14.2, countPerDay: 355 },
  { stype: 'spanalysis', etype: 'svcusg', creditsPerDay: 6.75, countPerDay: 675 },
  { stype: 'features', etype: 'stg', creditsPerDay: 3.1, countPerDay: 1 },
  { stype: 'geoenrich', etype: 'svcusg', creditsPerDay: 2.5, countPerDay: 250 },
  { stype: 'tiles', etype: 'stg', creditsPerDay: 0.42, countPerDay: 1 },
  { stype: 'portal', etype: 'stg', creditsPerDay: 0.0002, countPerDay: 1 },
  { stype: 'nasimpleroute', etype: 'svcusg', creditsPerDay: 0, countPerDay: 0 },
];

/** ArcGIS caps token lifetimes at the organization's `maxTokenExpirationMinutes` (two weeks by default). */
const MAX_TOKEN_MINUTES = 20_160;
const DEFAULT_TOKEN_MINUTES = 60;

/** Error bodies as ArcGIS Online sends them (shapes from Esri's arcgis-rest-js tests and mocks). */
export const ARCGIS_ERRORS = {
  invalidToken: { error: { code: 498, message: 'Invalid token.', details: [] } },
  tokenRequired: { error: { code: 499, message: 'Token Required', messageCode: 'GWM_0003', details: [] } },
  noPermission: {
    error: {
      code: 403,
      messageCode: 'GWM_0003',
      message: 'You do not have permissions to access this resource or perform this operation.',
      details: [],
    },
  },
  badCredentials: {
    error: { code: 400, message: 'Unable to generate token.', details: ['Invalid username or password.'] },
  },
  // The wording of the next two is the mock's own; ArcGIS answers these cases with code 400 too.
  refererRequired: {
    error: { code: 400, message: 'Unable to generate token.', details: ["'referer' must be specified."] },
  },
  postRequired: {
    error: { code: 400, message: 'Unable to generate token.', details: ['generateToken must be called with POST.'] },
  },
} as const;

export type ArcgisEndpoint = 'generateToken' | 'portals/self' | 'portals/self/usage' | 'portals/self/users';

/** A prepared answer, used once, before the endpoint's normal behaviour. */
export type CannedAnswer =
  | { kind: 'json'; body: unknown; status?: number; headers?: Record<string, string> }
  | { kind: 'html'; status: number }
  | { kind: 'rate-limited'; retryAfterSeconds: number }
  /** Never answers: for timeouts. The connection is dropped when the server closes. */
  | { kind: 'hang' };

export interface ArcgisMock extends MockServer {
  /** The organization's `availableCredits`; null leaves the field out. */
  setCredits(credits: number | null): void;
  /** `storageUsage` and `storageQuota`; null leaves a field out. */
  setStorage(usage: number | null, quota: number | null): void;
  /** Merged into the organization's portals/self answer; an `undefined` value removes the field. */
  patchPortalSelf(patch: Record<string, unknown>): void;
  /** Every token issued so far answers 498 from now on. */
  expireAllTokens(): void;
  /**
   * After `answers` more successful answers of `endpoint`, every token issued so far expires (a token dying between
   * pages).
   */
  expireTokensAfter(endpoint: ArcgisEndpoint, answers: number): void;
  /** `creditAssignments` "enabled" or "disabled": whether members get allocations. */
  setBudgeting(enabled: boolean): void;
  setMembers(members: readonly ArcgisMockMember[]): void;
  setUsage(rows: readonly ArcgisMockUsageRow[]): void;
  /** `subscriptionInfo.expDate` (epoch ms); null leaves `subscriptionInfo` out. */
  setSubscriptionEnd(expDate: number | null): void;
  enqueue(endpoint: ArcgisEndpoint, ...answers: CannedAnswer[]): void;
  /** The requests one endpoint received, oldest first. */
  calls(endpoint: ArcgisEndpoint): RecordedRequest[];
  issuedTokens(): string[];
}

interface IssuedToken {
  username: ArcgisMockUser;
  /** client=referer binds a token to its referer: any other Referer header makes it invalid. */
  referer: string | undefined;
  expires: number;
  revoked: boolean;
}

interface MockState {
  tokens: Map<string, IssuedToken>;
  queues: Record<ArcgisEndpoint, CannedAnswer[]>;
  organization: Record<string, unknown>;
  members: readonly ArcgisMockMember[];
  usage: readonly ArcgisMockUsageRow[];
  expireAfter: { endpoint: ArcgisEndpoint; answers: number } | undefined;
}

const PATHS: Record<ArcgisEndpoint, string> = {
  generateToken: '/sharing/rest/generateToken',
  'portals/self': '/sharing/rest/portals/self',
  'portals/self/usage': '/sharing/rest/portals/self/usage',
  'portals/self/users': '/sharing/rest/portals/self/users',
};

export async function startArcgisMock(): Promise<ArcgisMock> {
  const state: MockState = {
    tokens: new Map(),
    queues: { generateToken: [], 'portals/self': [], 'portals/self/usage': [], 'portals/self/users': [] },
    organization: organizationBody(),
    members: ARCGIS_MOCK_MEMBERS,
    usage: ARCGIS_MOCK_USAGE,
    expireAfter: undefined,
  };
  const server = await startMockServer((request, response) => {
    handle(state, request, response);
  });
  return {
    ...server,
    setCredits: (credits) => {
      patch(state.organization, { availableCredits: credits ?? undefined });
    },
    setStorage: (usage, quota) => {
      patch(state.organization, { storageUsage: usage ?? undefined, storageQuota: quota ?? undefined });
    },
    patchPortalSelf: (changes) => {
      patch(state.organization, changes);
    },
    expireAllTokens: () => {
      expireAll(state);
    },
    expireTokensAfter: (endpoint, answers) => {
      state.expireAfter = { endpoint, answers };
    },
    setBudgeting: (enabled) => {
      patch(state.organization, { creditAssignments: enabled ? 'enabled' : 'disabled' });
    },
    setMembers: (members) => {
      state.members = members;
    },
    setUsage: (rows) => {
      state.usage = rows;
    },
    setSubscriptionEnd: (expDate) => {
      patch(state.organization, { subscriptionInfo: expDate === null ? undefined : subscriptionInfo(expDate) });
    },
    enqueue: (endpoint, ...answers) => {
      state.queues[endpoint].push(...answers);
    },
    calls: (endpoint) => server.requests.filter((request) => request.path === PATHS[endpoint]),
    issuedTokens: () => [...state.tokens.keys()],
  };
}

function handle(state: MockState, request: RecordedRequest, response: ServerResponse): void {
  const endpoint = (Object.keys(PATHS) as ArcgisEndpoint[]).find((name) => PATHS[name] === request.path);
  if (!endpoint) {
    sendText(response, 404, 'text/html; charset=utf-8', htmlPage('404 Not Found'));
    return;
  }
  const canned = state.queues[endpoint].shift();
  if (canned) {
    answerCanned(canned, response);
    return;
  }
  if (endpoint === 'generateToken') generateToken(state, request, response);
  else signedIn(state, endpoint, request, response);
}

function expireAll(state: MockState): void {
  for (const token of state.tokens.values()) token.revoked = true;
}

/** Counts a successful answer of `endpoint` toward a pending `expireTokensAfter`. */
function answered(state: MockState, endpoint: ArcgisEndpoint): void {
  const pending = state.expireAfter;
  if (pending?.endpoint !== endpoint) return;
  pending.answers -= 1;
  if (pending.answers > 0) return;
  state.expireAfter = undefined;
  expireAll(state);
}

function answerCanned(answer: CannedAnswer, response: ServerResponse): void {
  switch (answer.kind) {
    case 'json':
      sendJson(response, answer.status ?? 200, answer.body, answer.headers);
      return;
    case 'html':
      sendText(response, answer.status, 'text/html; charset=utf-8', htmlPage(`${answer.status} Error`));
      return;
    case 'rate-limited':
      sendJson(
        response,
        429,
        { error: { code: 429, message: 'Too many requests. Try again later.', details: [] } },
        {
          'Retry-After': String(answer.retryAfterSeconds),
        },
      );
      return;
    case 'hang':
      return;
  }
}

/** Query and form parameters together, as ArcGIS reads both. */
function paramsOf(request: RecordedRequest): URLSearchParams {
  const params = new URLSearchParams(request.query);
  if (request.method === 'POST') for (const [name, value] of formBody(request)) params.set(name, value);
  return params;
}

/** Without f=json ArcGIS answers its HTML page, the documented default format. */
function wantsJson(params: URLSearchParams): boolean {
  const format = params.get('f');
  return format === 'json' || format === 'pjson';
}

function generateToken(state: MockState, request: RecordedRequest, response: ServerResponse): void {
  const params = paramsOf(request);
  if (!wantsJson(params)) {
    sendText(response, 200, 'text/html; charset=utf-8', htmlPage('Generate Token'));
    return;
  }
  if (request.method !== 'POST') {
    sendJson(response, 200, ARCGIS_ERRORS.postRequired);
    return;
  }
  const username = knownUser(params.get('username'));
  if (!username || params.get('password') !== ARCGIS_MOCK_PASSWORD) {
    sendJson(response, 200, ARCGIS_ERRORS.badCredentials);
    return;
  }
  const referer = params.get('referer') ?? undefined;
  if (params.get('client') === 'referer' && !referer) {
    sendJson(response, 200, ARCGIS_ERRORS.refererRequired);
    return;
  }
  const minutes = Math.min(
    Number(params.get('expiration') ?? DEFAULT_TOKEN_MINUTES) || DEFAULT_TOKEN_MINUTES,
    MAX_TOKEN_MINUTES,
  );
  const token = newToken();
  const expires = Date.now() + minutes * 60_000;
  state.tokens.set(token, { username, referer, expires, revoked: false });
  sendJson(response, 200, { token, expires, ssl: username === ARCGIS_MOCK_USERS.httpsOnly });
}

/** The resources behind a token: portals/self and the administrators' reports. */
function signedIn(
  state: MockState,
  endpoint: Exclude<ArcgisEndpoint, 'generateToken'>,
  request: RecordedRequest,
  response: ServerResponse,
): void {
  const params = paramsOf(request);
  if (!wantsJson(params)) {
    sendText(response, 200, 'text/html; charset=utf-8', htmlPage(endpoint));
    return;
  }
  const value = params.get('token');
  // The mock organization is private: without a token there is nothing to show.
  if (!value) {
    sendJson(response, 200, ARCGIS_ERRORS.tokenRequired);
    return;
  }
  const token = state.tokens.get(value);
  if (!token || !isValid(token, request)) {
    sendJson(response, 200, ARCGIS_ERRORS.invalidToken);
    return;
  }
  if (endpoint === 'portals/self') answerAs(token.username, state, response);
  else if (reportsFor(token.username, response)) {
    if (endpoint === 'portals/self/usage') usage(state, params, response);
    else users(state, token.username, params, response);
  } else return;
  answered(state, endpoint);
}

/**
 * Whether the user may read the administrators' reports; answers for those who may not, the way
 * ArcGIS does (403 GWM_0003 inside a 200 body).
 */
function reportsFor(username: ArcgisMockUser, response: ServerResponse): boolean {
  switch (username) {
    case ARCGIS_MOCK_USERS.admin:
    case ARCGIS_MOCK_USERS.httpsOnly:
    case ARCGIS_MOCK_USERS.noBudgetsAdmin:
      return true;
    case ARCGIS_MOCK_USERS.tokenRejected:
      sendJson(response, 200, ARCGIS_ERRORS.invalidToken);
      return false;
    case ARCGIS_MOCK_USERS.rateLimited:
      answerCanned({ kind: 'rate-limited', retryAfterSeconds: ARCGIS_MOCK_RETRY_AFTER_SECONDS }, response);
      return false;
    case ARCGIS_MOCK_USERS.proxyError:
      answerCanned({ kind: 'html', status: 502 }, response);
      return false;
    default:
      sendJson(response, 200, ARCGIS_ERRORS.noPermission);
      return false;
  }
}

const PERIODS: Record<string, number> = { '1h': 3_600_000, '1d': DAY_MS, '1w': 7 * DAY_MS };

/** Credits (and counts) per bucket from `startTime` to `endTime`, one row per service and event type. */
function usage(state: MockState, params: URLSearchParams, response: ServerResponse): void {
  const startTime = Number(params.get('startTime'));
  const endTime = Number(params.get('endTime'));
  const period = PERIODS[params.get('period') ?? ''];
  const vars = (params.get('vars') ?? '').split(',');
  if (
    !Number.isSafeInteger(startTime) ||
    !Number.isSafeInteger(endTime) ||
    startTime <= 0 ||
    endTime <= startTime ||
    period === undefined ||
    !vars.includes('credits')
  ) {
    sendJson(response, 200, {
      error: {
        code: 400,
        message: 'Unable to get usage.',
        details: ["'startTime', 'endTime', 'period' and 'vars' must be valid."],
      },
    });
    return;
  }
  if (params.get('groupby') !== 'stype,etype') {
    sendJson(response, 200, {
      error: { code: 400, message: 'Unable to get usage.', details: ['The mock only groups by stype,etype.'] },
    });
    return;
  }
  const first = Math.floor(startTime / period) * period;
  const buckets: number[] = [];
  for (let at = first; at <= endTime && buckets.length < 10_000; at += period) buckets.push(at);
  const share = (at: number): number => Math.min(1, (endTime - at) / period) * (period / DAY_MS);
  sendJson(response, 200, {
    startTime,
    endTime,
    period: params.get('period'),
    data: state.usage.map((row) => ({
      etype: row.etype,
      stype: row.stype,
      credits: buckets.map((at) => [String(at), javaDouble(row.creditsPerDay * share(at))]),
      num: buckets.map((at) => [String(at), String(Math.round(row.countPerDay * share(at)))]),
    })),
  });
}

/** How Java (and so ArcGIS) writes a double: "0.0", "14.2", "2.0E-4". */
function javaDouble(value: number): string {
  const rounded = Math.round(value * 1e6) / 1e6;
  if (rounded !== 0 && Math.abs(rounded) < 1e-3) return rounded.toExponential(1).toUpperCase();
  return Number.isInteger(rounded) ? `${rounded}.0` : String(rounded);
}

/** One page of members: `start` is 1-based, `num` at most 100, `nextStart` -1 after the last page. */
function users(state: MockState, username: ArcgisMockUser, params: URLSearchParams, response: ServerResponse): void {
  const start = Number(params.get('start') ?? '1');
  const num = Math.min(Number(params.get('num') ?? '10'), ARCGIS_MOCK_MAX_PAGE_SIZE);
  if (!Number.isSafeInteger(start) || start < 1 || !Number.isSafeInteger(num) || num < 1) {
    sendJson(response, 200, {
      error: { code: 400, message: 'Invalid parameters.', details: ["'start' and 'num' must be positive integers."] },
    });
    return;
  }
  const budgeting = username !== ARCGIS_MOCK_USERS.noBudgetsAdmin && state.organization.creditAssignments === 'enabled';
  const page = state.members.slice(start - 1, start - 1 + num);
  const after = start - 1 + page.length;
  sendJson(response, 200, {
    total: state.members.length,
    start,
    num: page.length,
    nextStart: after < state.members.length ? after + 1 : -1,
    users: page.map((member) => ({
      ...userBody(member.username, member.role ?? 'org_user'),
      fullName: member.fullName,
      assignedCredits: budgeting ? member.assignedCredits : null,
      availableCredits: budgeting ? member.availableCredits : null,
    })),
  });
}

function isValid(token: IssuedToken, request: RecordedRequest): boolean {
  if (token.revoked || Date.now() >= token.expires) return false;
  return token.referer === undefined || request.headers.referer === token.referer;
}

function answerAs(username: ArcgisMockUser, state: MockState, response: ServerResponse): void {
  switch (username) {
    case ARCGIS_MOCK_USERS.viewer:
      sendJson(response, 200, withoutCredits({ ...state.organization, user: userBody(username, 'org_user') }));
      return;
    case ARCGIS_MOCK_USERS.enterprise:
      sendJson(response, 200, enterpriseBody(username));
      return;
    case ARCGIS_MOCK_USERS.noPermission:
      sendJson(response, 200, ARCGIS_ERRORS.noPermission);
      return;
    case ARCGIS_MOCK_USERS.tokenRejected:
      sendJson(response, 200, ARCGIS_ERRORS.invalidToken);
      return;
    case ARCGIS_MOCK_USERS.anonymousView:
      sendJson(response, 200, anonymousBody());
      return;
    case ARCGIS_MOCK_USERS.rateLimited:
      answerCanned({ kind: 'rate-limited', retryAfterSeconds: ARCGIS_MOCK_RETRY_AFTER_SECONDS }, response);
      return;
    case ARCGIS_MOCK_USERS.proxyError:
      answerCanned({ kind: 'html', status: 502 }, response);
      return;
    case ARCGIS_MOCK_USERS.admin:
    case ARCGIS_MOCK_USERS.httpsOnly:
      sendJson(response, 200, { ...state.organization, user: userBody(username, 'org_admin') });
      return;
    case ARCGIS_MOCK_USERS.member:
      sendJson(response, 200, { ...state.organization, user: userBody(username, 'org_user') });
      return;
    case ARCGIS_MOCK_USERS.noBudgetsAdmin:
      sendJson(response, 200, {
        ...state.organization,
        id: 'HdrmMock0rg2d',
        name: `${ARCGIS_MOCK_ORG_NAME} (no budgets)`,
        creditAssignments: 'disabled',
        defaultUserCreditAssignment: -1,
        user: userBody(username, 'org_admin'),
      });
      return;
  }
}

/** portals/self's `subscriptionInfo` (the mock organization's ends 200 days after the server starts). */
function subscriptionInfo(expDate: number): Record<string, unknown> {
  return {
    id: 'HdrmMockSub1',
    type: 'In Org',
    state: 'active',
    expDate,
    maxUsers: 250,
    companyName: ARCGIS_MOCK_ORG_NAME,
  };
}

function knownUser(name: string | null): ArcgisMockUser | undefined {
  return Object.values(ARCGIS_MOCK_USERS).find((user) => user === name);
}

/** ArcGIS tokens are long URL-safe strings ending in a dot. */
function newToken(): string {
  return `${randomBytes(96).toString('base64url')}.`;
}

function patch(target: Record<string, unknown>, changes: Record<string, unknown>): void {
  for (const [key, value] of Object.entries(changes)) {
    if (value === undefined) Reflect.deleteProperty(target, key);
    else target[key] = value;
  }
}

/** An ArcGIS Online organization as its administrator sees it; field names from seed 000. */
function organizationBody(): Record<string, unknown> {
  return {
    access: 'private',
    allSSL: true,
    availableCredits: ARCGIS_MOCK_DEFAULT_CREDITS,
    backgroundImage: 'placeholder',
    basemapGalleryGroupQuery: 'title:"United States Basemaps" AND owner:Esri_cy_US',
    bingKey: '',
    canListApps: false,
    canListData: false,
    canListPreProvisionedItems: false,
    canProvisionDirectPurchase: false,
    canSearchPublic: true,
    canShareBingPublic: false,
    canSharePublic: true,
    canSignInArcGIS: true,
    canSignInIDP: true,
    colorSetsGroupQuery: 'title:"Esri Colors" AND owner:esri_en',
    commentsEnabled: true,
    created: 1_389_971_478_000,
    creditAssignments: 'enabled',
    culture: 'en',
    customBaseUrl: 'maps.arcgis.com',
    databaseQuota: 1_073_741_824,
    databaseUsage: 18_874_368,
    defaultUserCreditAssignment: ARCGIS_MOCK_DEFAULT_ALLOCATION,
    description: 'A pretend organization for Headroom tests.',
    featuredGroupsId: '',
    featuredItemsGroupQuery: '',
    galleryTemplatesGroupQuery: 'title:"Gallery Templates" AND owner:esri_en',
    helpBase: 'https://doc.arcgis.com/en/arcgis-online/',
    homePageFeaturedContent: '',
    homePageFeaturedContentCount: 12,
    httpPort: 80,
    httpsPort: 443,
    id: 'HdrmMock0rg1d',
    ipCntryCode: 'US',
    isPortal: false,
    layerTemplatesGroupQuery: 'title:"Esri Layer Templates" AND owner:esri_en',
    maxTokenExpirationMinutes: MAX_TOKEN_MINUTES,
    modified: 1_717_000_000_000,
    name: ARCGIS_MOCK_ORG_NAME,
    portalHostname: 'www.arcgis.com',
    portalMode: 'multitenant',
    portalName: 'ArcGIS Online',
    portalThumbnail: null,
    region: 'US',
    showHomePageDescription: false,
    staticImagesUrl: 'https://static.arcgis.com/images',
    storageQuota: ARCGIS_MOCK_DEFAULT_STORAGE.quota,
    storageUsage: ARCGIS_MOCK_DEFAULT_STORAGE.usage,
    subscriptionInfo: subscriptionInfo(Date.now() + 200 * DAY_MS),
    supportsHostedServices: true,
    supportsOAuth: true,
    symbolSetsGroupQuery: 'title:"Esri Symbols" AND owner:esri_en',
    templatesGroupQuery: 'title:"Web Application Templates" AND owner:esri_en',
    thumbnail: 'thumbnail.png',
    units: 'english',
    urlKey: 'headroom-mock',
    useStandardizedQuery: true,
  };
}

const PRIVILEGES = {
  org_admin: ['portal:admin:viewUsers', 'portal:admin:updateUsers', 'portal:user:createItem'],
  org_publisher: ['portal:user:createItem', 'portal:publisher:publishFeatures'],
  org_user: ['portal:user:joinGroup'],
} as const;

/** Per-user `assignedCredits`/`availableCredits` are null while credit budgeting is off. */
function userBody(username: string, role: 'org_admin' | 'org_publisher' | 'org_user'): Record<string, unknown> {
  return {
    username,
    id: `u${username.replace(/[^a-z]/g, '')}`,
    fullName: `Mock ${username}`,
    email: `${username}@example.com`,
    orgId: 'HdrmMock0rg1d',
    role,
    userLicenseTypeId: role === 'org_user' ? 'viewerUT' : 'creatorUT',
    privileges: PRIVILEGES[role],
    assignedCredits: null,
    availableCredits: null,
    level: role === 'org_user' ? '1' : '2',
    disabled: false,
    culture: 'en',
    region: 'US',
    units: 'english',
    created: 1_389_971_478_000,
    modified: 1_717_000_000_000,
  };
}

function withoutCredits(body: Record<string, unknown>): Record<string, unknown> {
  const copy = { ...body };
  patch(copy, {
    availableCredits: undefined,
    creditAssignments: undefined,
    defaultUserCreditAssignment: undefined,
    subscriptionInfo: undefined,
  });
  return copy;
}

/** ArcGIS Enterprise: the same resource, but `isPortal: true` and no credits at all. */
function enterpriseBody(username: string): Record<string, unknown> {
  const body = withoutCredits(organizationBody());
  patch(body, {
    id: '0123456789ABCDEF',
    name: 'Mock Enterprise',
    isPortal: true,
    portalMode: 'singletenant',
    portalName: 'ArcGIS Enterprise',
    portalHostname: 'gis.example.com/portal',
    customBaseUrl: undefined,
    urlKey: undefined,
    storageQuota: undefined,
    storageUsage: undefined,
    databaseQuota: undefined,
    databaseUsage: undefined,
    currentVersion: '2024.1',
    user: userBody(username, 'org_admin'),
  });
  return body;
}

/** What portals/self shows to nobody in particular: no user, no credits, no storage. */
function anonymousBody(): Record<string, unknown> {
  return {
    access: 'public',
    allSSL: true,
    canSearchPublic: true,
    canSharePublic: true,
    culture: 'en',
    customBaseUrl: 'maps.arcgis.com',
    helpBase: 'https://doc.arcgis.com/en/arcgis-online/',
    isPortal: false,
    name: ARCGIS_MOCK_ORG_NAME,
    portalHostname: 'www.arcgis.com',
    portalMode: 'multitenant',
    portalName: 'ArcGIS Online',
    region: 'US',
    staticImagesUrl: 'https://static.arcgis.com/images',
    supportsOAuth: true,
    units: 'english',
    urlKey: 'headroom-mock',
  };
}

function htmlPage(title: string): string {
  return `<!DOCTYPE html><html><head><title>${title}</title></head><body><h1>${title}</h1></body></html>`;
}

/**
 * Accounts for the "try it" config printed by `npm run mock-servers`: an administrator, a member, an organization
 * without budgets, one per documented failure.
 */
export function arcgisMockAccounts(baseUrl: string): ConfigAccount[] {
  const account = (
    id: string,
    label: string,
    username: string,
    extra: { password?: string; creditBudget?: number } = {},
  ): ConfigAccount => ({
    id: `arcgis-${id}`,
    provider: 'arcgis',
    label,
    config: { portalUrl: baseUrl, username, ...(extra.creditBudget ? { creditBudget: extra.creditBudget } : {}) },
    secrets: { password: extra.password ?? ARCGIS_MOCK_PASSWORD },
    enabled: true,
  });
  return [
    account('healthy', 'GIS org', ARCGIS_MOCK_USERS.admin, { creditBudget: 10_000 }),
    account('member', 'GIS org (member who may view credits, not an administrator)', ARCGIS_MOCK_USERS.member, {
      creditBudget: 10_000,
    }),
    account('no-budgets', 'Second GIS org (credit budgeting off)', ARCGIS_MOCK_USERS.noBudgetsAdmin),
    account('wrong-password', 'GIS org (wrong password)', ARCGIS_MOCK_USERS.admin, { password: 'not-the-password' }),
    account('viewer', 'GIS org (member who may not view credits)', ARCGIS_MOCK_USERS.viewer),
    account('enterprise', 'ArcGIS Enterprise portal', ARCGIS_MOCK_USERS.enterprise),
    account('https-only', 'GIS org (HTTPS-only token over http)', ARCGIS_MOCK_USERS.httpsOnly),
    account('no-permission', 'GIS org (no permission, GWM_0003)', ARCGIS_MOCK_USERS.noPermission),
    account('token-rejected', 'GIS org (token always rejected)', ARCGIS_MOCK_USERS.tokenRejected),
    account('anonymous-view', 'GIS org (token ignored, anonymous view)', ARCGIS_MOCK_USERS.anonymousView),
    account('rate-limited', 'GIS org (rate limited)', ARCGIS_MOCK_USERS.rateLimited),
    account('proxy-error', 'GIS org (proxy error page)', ARCGIS_MOCK_USERS.proxyError),
  ];
}
