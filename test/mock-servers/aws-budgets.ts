import { createHash, createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import type { ConfigAccount } from '../../shared/config-file';
import { sendText, startMockServer, type MockServer, type RecordedRequest } from './harness';

/**
 * A local AWS Budgets speaking the AWS JSON 1.1 protocol as the service does: `POST /` with
 * `Content-Type: application/x-amz-json-1.1` and `X-Amz-Target: AWSBudgetServiceGateway.DescribeBudget`,
 * every request's SigV4 `Authorization` checked by recomputing its signature with the key's secret
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html).
 * Answers and errors follow the API reference:
 * https://docs.aws.amazon.com/aws-cost-management/latest/APIReference/API_budgets_DescribeBudget.html
 * (DescribeBudget's own errors, all HTTP 400) and the common errors of AWS APIs
 * (https://docs.aws.amazon.com/aws-cost-management/latest/APIReference/CommonErrors.html:
 * MissingAuthenticationToken 403, IncompleteSignature 400, ThrottlingException 400). An unknown key,
 * a wrong signature and an expired session token get what JSON-protocol gateways send:
 * `com.amazon.coral.service#UnrecognizedClientException` / `#InvalidSignatureException` /
 * `#ExpiredTokenException`, HTTP 400, with a lower-case `message`; the Budgets errors carry `Message`.
 * Point an account's `endpoint` at the mock's `url`.
 */

export const AWS_MOCK_ACCOUNT_ID = '111122223333';
/** An account the mock's keys belong to none of: reading its budgets is denied. */
export const AWS_OTHER_ACCOUNT_ID = '444455556666';
export const AWS_MOCK_REGION = 'us-east-1';

export interface AwsKey {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

/** Keys the mock knows. `readOnly` may not read budgets (no budgets:ViewBudget); `expired` is a lapsed STS session. */
export const AWS_KEYS = {
  valid: { accessKeyId: 'AKIAHEADROOMVALID001', secretAccessKey: 'mock/valid/Secret+Key/0123456789abcdefghij' },
  temporary: {
    accessKeyId: 'ASIAHEADROOMTEMP0001',
    secretAccessKey: 'mock/temporary/Secret+Key/0123456789abcdef',
    sessionToken: 'mock-session-token-FwoGZXIvYXdzEHeadroomTemporary0001',
  },
  expired: {
    accessKeyId: 'ASIAHEADROOMEXPIRED1',
    secretAccessKey: 'mock/expired/Secret+Key/0123456789abcdefgh',
    sessionToken: 'mock-session-token-FwoGZXIvYXdzEHeadroomExpired00001',
  },
  readOnly: { accessKeyId: 'AKIAHEADROOMDENIED01', secretAccessKey: 'mock/denied/Secret+Key/0123456789abcdefghi' },
} as const satisfies Record<string, AwsKey>;

/** A key ID the mock has never issued, and a wrong secret for the valid key. */
export const AWS_UNKNOWN_KEY: AwsKey = {
  accessKeyId: 'AKIAHEADROOMUNKNOWN1',
  secretAccessKey: 'mock/unknown/Secret+Key/0123456789abcdefgh',
};
export const AWS_WRONG_SECRET: AwsKey = {
  accessKeyId: AWS_KEYS.valid.accessKeyId,
  secretAccessKey: 'mock/not-the-right/Secret+Key/0123456789ab',
};

/** Budgets of the mock account, by name; `throttled` always answers ThrottlingException. */
export const AWS_BUDGETS = {
  monthly: 'Monthly cloud',
  quarterly: 'Quarterly platform',
  planned: 'Planned monthly',
  noLimit: 'Auto-adjusting (new)',
  usage: 'EC2 instance hours',
  oddShape: 'Odd shape',
  throttled: 'Throttled budget',
} as const;

export const AWS_MESSAGES = {
  unknownKey: 'The security token included in the request is invalid.',
  badSignature:
    'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
  expiredToken: 'The security token included in the request is expired',
  missingToken: 'Missing Authentication Token',
  throttled: 'Rate exceeded',
} as const;

interface KeyInfo {
  secretAccessKey: string;
  sessionToken?: string;
  /** The IAM identity the key signs as. */
  arn: string;
  mayViewBudgets: boolean;
  expired: boolean;
}

const KEYS = new Map<string, KeyInfo>([
  [
    AWS_KEYS.valid.accessKeyId,
    {
      secretAccessKey: AWS_KEYS.valid.secretAccessKey,
      arn: `arn:aws:iam::${AWS_MOCK_ACCOUNT_ID}:user/headroom-billing`,
      mayViewBudgets: true,
      expired: false,
    },
  ],
  [
    AWS_KEYS.temporary.accessKeyId,
    {
      secretAccessKey: AWS_KEYS.temporary.secretAccessKey,
      sessionToken: AWS_KEYS.temporary.sessionToken,
      arn: `arn:aws:sts::${AWS_MOCK_ACCOUNT_ID}:assumed-role/BillingReader/headroom`,
      mayViewBudgets: true,
      expired: false,
    },
  ],
  [
    AWS_KEYS.expired.accessKeyId,
    {
      secretAccessKey: AWS_KEYS.expired.secretAccessKey,
      sessionToken: AWS_KEYS.expired.sessionToken,
      arn: `arn:aws:sts::${AWS_MOCK_ACCOUNT_ID}:assumed-role/BillingReader/headroom`,
      mayViewBudgets: true,
      expired: true,
    },
  ],
  [
    AWS_KEYS.readOnly.accessKeyId,
    {
      secretAccessKey: AWS_KEYS.readOnly.secretAccessKey,
      arn: `arn:aws:iam::${AWS_MOCK_ACCOUNT_ID}:user/headroom-no-billing`,
      mayViewBudgets: false,
      expired: false,
    },
  ],
]);

/** AWS accepts a signature within 15 minutes of its own clock. */
const CLOCK_SKEW_MS = 15 * 60_000;

export interface AwsBudgetsMock extends MockServer {
  /** The moment the budgets' periods and planned limits are computed for (default: the real clock). */
  setNow(now: Date | null): void;
  /** Answers the next DescribeBudget of any budget with this body instead (wrong shapes); null restores. */
  setBody(body: unknown): void;
  reset(): void;
}

export async function startAwsBudgetsMock(): Promise<AwsBudgetsMock> {
  let fixedNow: Date | null = null;
  let bodyOverride: unknown = null;

  const server = await startMockServer((request, res) => {
    if (request.method !== 'POST' || request.path !== '/') {
      sendAwsError(res, 404, 'UnknownOperationException', 'message', 'Unknown operation');
      return;
    }
    const denied = checkSignature(request, new Date());
    if (denied) {
      sendAwsError(res, denied.status, denied.type, 'message', denied.message);
      return;
    }
    if (!/^application\/x-amz-json-1\.1\b/.test(request.headers['content-type'] ?? '')) {
      sendAwsError(res, 400, 'SerializationException', 'message', 'Unsupported content type');
      return;
    }
    if (request.headers['x-amz-target'] !== 'AWSBudgetServiceGateway.DescribeBudget') {
      sendAwsError(res, 400, 'UnknownOperationException', 'message', 'Unknown operation');
      return;
    }
    let input: unknown;
    try {
      input = JSON.parse(request.body);
    } catch {
      sendAwsError(res, 400, 'SerializationException', 'message', 'Request body is not valid JSON');
      return;
    }
    const { AccountId, BudgetName } = (typeof input === 'object' && input !== null ? input : {}) as Record<
      string,
      unknown
    >;
    if (typeof AccountId !== 'string' || !/^\d{12}$/.test(AccountId) || typeof BudgetName !== 'string' || !BudgetName) {
      sendAwsError(res, 400, 'InvalidParameterException', 'Message', 'AccountId and BudgetName are required.');
      return;
    }
    const key = KEYS.get(accessKeyOf(request) ?? '');
    if (!key?.mayViewBudgets || AccountId !== AWS_MOCK_ACCOUNT_ID) {
      sendAwsError(
        res,
        400,
        'AccessDeniedException',
        'Message',
        `User: ${key?.arn ?? 'unknown'} is not authorized to perform: budgets:ViewBudget on resource: arn:aws:budgets::${AccountId}:budget/${BudgetName}`,
      );
      return;
    }
    if (BudgetName === AWS_BUDGETS.throttled) {
      sendAwsError(res, 400, 'ThrottlingException', 'Message', AWS_MESSAGES.throttled);
      return;
    }
    if (bodyOverride !== null) {
      sendAwsJson(res, 200, bodyOverride);
      return;
    }
    const budget = budgetNamed(BudgetName, fixedNow ?? new Date());
    if (!budget) {
      sendAwsError(
        res,
        400,
        'NotFoundException',
        'Message',
        `[Exception=NotFoundException] Failed to call DescribeBudget for [accountId: ${AccountId}] - Unable to get budget: ${BudgetName} - the budget doesn't exist.`,
      );
      return;
    }
    sendAwsJson(res, 200, { Budget: budget });
  });

  return {
    ...server,
    setNow(now) {
      fixedNow = now;
    },
    setBody(body) {
      bodyOverride = body;
    },
    reset() {
      fixedNow = null;
      bodyOverride = null;
    },
  };
}

// --- SigV4 -------------------------------------------------------------------------------------

interface Denial {
  status: number;
  type: string;
  message: string;
}

const AUTHORIZATION =
  /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, ?SignedHeaders=([a-z0-9;-]+), ?Signature=([0-9a-f]{64})$/;

function accessKeyOf(request: RecordedRequest): string | undefined {
  return AUTHORIZATION.exec(header(request, 'authorization'))?.[1];
}

/** Checks the request's signature as AWS does; undefined when it is good. */
function checkSignature(request: RecordedRequest, now: Date): Denial | undefined {
  const authorization = header(request, 'authorization');
  if (!authorization)
    return { status: 403, type: 'MissingAuthenticationTokenException', message: AWS_MESSAGES.missingToken };
  const match = AUTHORIZATION.exec(authorization);
  if (!match) {
    return {
      status: 400,
      type: 'IncompleteSignatureException',
      message: `Authorization header requires 'Credential', 'SignedHeaders' and 'Signature' parameters.`,
    };
  }
  const [, keyId = '', date = '', region = '', service = '', signedHeaderList = '', signature = ''] = match;
  const key = KEYS.get(keyId);
  if (!key) return { status: 400, type: 'UnrecognizedClientException', message: AWS_MESSAGES.unknownKey };
  const token = header(request, 'x-amz-security-token');
  if (key.sessionToken !== undefined && token !== key.sessionToken) {
    return { status: 400, type: 'UnrecognizedClientException', message: AWS_MESSAGES.unknownKey };
  }
  if (key.expired) return { status: 400, type: 'ExpiredTokenException', message: AWS_MESSAGES.expiredToken };

  const amzDate = header(request, 'x-amz-date');
  const signedHeaders = signedHeaderList.split(';');
  if (!/^\d{8}T\d{6}Z$/.test(amzDate) || !signedHeaders.includes('host') || !signedHeaders.includes('x-amz-date')) {
    return {
      status: 400,
      type: 'IncompleteSignatureException',
      message: 'The request must sign the host and x-amz-date headers.',
    };
  }
  if (!amzDate.startsWith(date)) {
    return {
      status: 400,
      type: 'InvalidSignatureException',
      message: `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${date}' != '${amzDate.slice(0, 8)}', from '${amzDate}'.`,
    };
  }
  const signedAt = Date.parse(
    `${amzDate.slice(0, 4)}-${amzDate.slice(4, 6)}-${amzDate.slice(6, 8)}T${amzDate.slice(9, 11)}:${amzDate.slice(11, 13)}:${amzDate.slice(13, 15)}Z`,
  );
  if (Math.abs(now.getTime() - signedAt) > CLOCK_SKEW_MS) {
    return {
      status: 400,
      type: 'InvalidSignatureException',
      message: `Signature expired: ${amzDate} is now earlier than ${compactDate(new Date(now.getTime() - CLOCK_SKEW_MS))} (${compactDate(now)} - 15 min.)`,
    };
  }
  if (region !== AWS_MOCK_REGION) {
    return {
      status: 400,
      type: 'InvalidSignatureException',
      message: `Credential should be scoped to a valid region, not '${region}'.`,
    };
  }
  if (service !== 'budgets') {
    return {
      status: 400,
      type: 'InvalidSignatureException',
      message: `Credential should be scoped to correct service: 'budgets'.`,
    };
  }
  const payloadHash = sha256Hex(request.body);
  const declaredHash = header(request, 'x-amz-content-sha256');
  if (declaredHash && declaredHash !== payloadHash) {
    return {
      status: 400,
      type: 'InvalidSignatureException',
      message: 'The provided x-amz-content-sha256 header does not match what was computed.',
    };
  }
  const canonicalRequest = [
    request.method,
    '/',
    canonicalQuery(request.query),
    ...signedHeaders.map((name) => `${name}:${header(request, name).trim().replace(/\s+/g, ' ')}`),
    '',
    signedHeaderList,
    payloadHash,
  ].join('\n');
  const scope = `${date}/${region}/${service}/aws4_request`;
  const stringToSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256Hex(canonicalRequest)].join('\n');
  let signingKey = hmac(`AWS4${key.secretAccessKey}`, date);
  for (const part of [region, service, 'aws4_request']) signingKey = hmac(signingKey, part);
  const expected = Buffer.from(hmac(signingKey, stringToSign).toString('hex'));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) {
    return { status: 400, type: 'InvalidSignatureException', message: AWS_MESSAGES.badSignature };
  }
  return undefined;
}

function header(request: RecordedRequest, name: string): string {
  const value = request.headers[name];
  return Array.isArray(value) ? value.join(',') : (value ?? '');
}

function canonicalQuery(query: URLSearchParams): string {
  return [...query.entries()]
    .map(([name, value]) => [encodeRfc3986(name), encodeRfc3986(value)] as const)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, value]) => `${name}=${value}`)
    .join('&');
}

function encodeRfc3986(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

function hmac(key: string | Buffer, text: string): Buffer {
  return createHmac('sha256', key).update(text, 'utf8').digest();
}

function compactDate(date: Date): string {
  return date
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
}

// --- Budgets -----------------------------------------------------------------------------------

/** Epoch seconds, as the JSON protocol writes timestamps. */
function seconds(ms: number): number {
  return Math.floor(ms / 1000);
}

/** The far end AWS gives a budget without an end date: 06/15/87 00:00 UTC. */
const NO_END = seconds(Date.UTC(2087, 5, 15));

const COST_TYPES = {
  IncludeCredit: false,
  IncludeDiscount: true,
  IncludeOtherSubscription: true,
  IncludeRecurring: true,
  IncludeRefund: false,
  IncludeSubscription: true,
  IncludeSupport: true,
  IncludeTax: true,
  IncludeUpfront: true,
  UseAmortized: false,
  UseBlended: false,
};

function budgetNamed(name: string, now: Date): Record<string, unknown> | undefined {
  const year = now.getUTCFullYear();
  const month = now.getUTCMonth();
  const common = {
    BudgetName: name,
    BudgetType: 'COST',
    CostFilters: {},
    CostTypes: COST_TYPES,
    LastUpdatedTime: seconds(now.getTime() - 3 * 3_600_000),
  };
  switch (name) {
    case AWS_BUDGETS.monthly:
      return {
        ...common,
        TimeUnit: 'MONTHLY',
        BudgetLimit: { Amount: '500.0', Unit: 'USD' },
        CalculatedSpend: {
          ActualSpend: { Amount: '123.456', Unit: 'USD' },
          ForecastedSpend: { Amount: '410.2', Unit: 'USD' },
        },
        TimePeriod: { Start: seconds(Date.UTC(2024, 0, 1)), End: NO_END },
      };
    case AWS_BUDGETS.quarterly:
      return {
        ...common,
        TimeUnit: 'QUARTERLY',
        BudgetLimit: { Amount: '3000', Unit: 'USD' },
        CalculatedSpend: {
          ActualSpend: { Amount: '1250.5', Unit: 'USD' },
          ForecastedSpend: { Amount: '3300.75', Unit: 'USD' },
        },
        TimePeriod: { Start: seconds(Date.UTC(2025, 0, 1)), End: NO_END },
      };
    case AWS_BUDGETS.planned: {
      // Twelve months from this one, as the API asks for planned monthly budgets; no BudgetLimit here,
      // to check that the current month's planned amount is the one read.
      const planned = Object.fromEntries(
        Array.from({ length: 12 }, (_, index) => [
          String(seconds(Date.UTC(year, month + index, 1))),
          { Amount: String(200 + index * 10), Unit: 'USD' },
        ]),
      );
      return {
        ...common,
        TimeUnit: 'MONTHLY',
        PlannedBudgetLimits: planned,
        CalculatedSpend: {
          ActualSpend: { Amount: '50', Unit: 'USD' },
          ForecastedSpend: { Amount: '180', Unit: 'USD' },
        },
        TimePeriod: { Start: seconds(Date.UTC(year, month, 1)), End: NO_END },
      };
    }
    case AWS_BUDGETS.noLimit:
      return {
        ...common,
        TimeUnit: 'MONTHLY',
        AutoAdjustData: { AutoAdjustType: 'FORECAST' },
        CalculatedSpend: { ActualSpend: { Amount: '12.34', Unit: 'USD' } },
        TimePeriod: { Start: seconds(Date.UTC(year, month, 1)), End: NO_END },
      };
    case AWS_BUDGETS.usage:
      return {
        ...common,
        BudgetType: 'USAGE',
        TimeUnit: 'MONTHLY',
        BudgetLimit: { Amount: '720', Unit: 'Hrs' },
        CalculatedSpend: { ActualSpend: { Amount: '133', Unit: 'Hrs' } },
        TimePeriod: { Start: seconds(Date.UTC(2024, 0, 1)), End: NO_END },
      };
    case AWS_BUDGETS.oddShape:
      return {
        ...common,
        TimeUnit: 'FORTNIGHTLY',
        BudgetLimit: { Amount: '100', Unit: 'USD' },
        CalculatedSpend: { ActualSpend: { Amount: '1', Unit: 'USD' } },
      };
    default:
      return undefined;
  }
}

function sendAwsJson(res: ServerResponse, status: number, body: unknown): void {
  sendText(res, status, 'application/x-amz-json-1.1', JSON.stringify(body), {
    'x-amzn-RequestId': randomUUID(),
  });
}

/** `Message` for the errors DescribeBudget models, lower-case `message` for the gateway's own. */
function sendAwsError(
  res: ServerResponse,
  status: number,
  type: string,
  messageField: 'Message' | 'message',
  message: string,
): void {
  const gateway = messageField === 'message' ? 'com.amazon.coral.service#' : '';
  sendAwsJson(res, status, { __type: `${gateway}${type}`, [messageField]: message });
}

/** Accounts for a "try it" config against a running mock: healthy ones, and one per documented error. */
export function awsBudgetsMockAccounts(endpoint: string): ConfigAccount[] {
  const account = (
    id: string,
    label: string,
    budgetName: string,
    key: AwsKey,
    accountId: string = AWS_MOCK_ACCOUNT_ID,
  ): ConfigAccount => ({
    id,
    provider: 'aws-budgets',
    label,
    config: { accountId, budgetName, endpoint },
    secrets: {
      accessKeyId: key.accessKeyId,
      secretAccessKey: key.secretAccessKey,
      ...(key.sessionToken ? { sessionToken: key.sessionToken } : {}),
    },
    enabled: true,
  });
  return [
    account('aws-monthly', 'AWS Budgets (monthly)', AWS_BUDGETS.monthly, AWS_KEYS.valid),
    account('aws-quarterly', 'AWS Budgets (quarterly, temporary key)', AWS_BUDGETS.quarterly, AWS_KEYS.temporary),
    account('aws-planned', 'AWS Budgets (planned limits)', AWS_BUDGETS.planned, AWS_KEYS.valid),
    account('aws-no-limit', 'AWS Budgets (no limit yet)', AWS_BUDGETS.noLimit, AWS_KEYS.valid),
    account('aws-unknown-key', 'AWS Budgets (unknown key)', AWS_BUDGETS.monthly, AWS_UNKNOWN_KEY),
    account('aws-wrong-secret', 'AWS Budgets (wrong secret)', AWS_BUDGETS.monthly, AWS_WRONG_SECRET),
    account('aws-expired', 'AWS Budgets (expired session)', AWS_BUDGETS.monthly, AWS_KEYS.expired),
    account('aws-denied', 'AWS Budgets (no budgets:ViewBudget)', AWS_BUDGETS.monthly, AWS_KEYS.readOnly),
    account('aws-not-found', 'AWS Budgets (no such budget)', 'Deleted budget', AWS_KEYS.valid),
    account('aws-throttled', 'AWS Budgets (throttled)', AWS_BUDGETS.throttled, AWS_KEYS.valid),
  ];
}
