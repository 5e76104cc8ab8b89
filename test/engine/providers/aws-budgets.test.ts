import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { CancelledError, ProviderError } from '../../../main/engine/errors';
import { awsBudgetsProvider } from '../../../main/engine/providers/aws-budgets/aws-budgets-provider';
import { budgetPeriod } from '../../../main/engine/providers/aws-budgets/budget-figures';
import { type FetchResult, type SecretValues } from '../../../main/engine/providers/provider';
import { localizedMeters, meterName } from '../../../shared/i18n/engine-names';
import { meterReadingSchema } from '../../../shared/snapshot';
import {
  AWS_BUDGETS,
  AWS_KEYS,
  AWS_MOCK_ACCOUNT_ID,
  AWS_OTHER_ACCOUNT_ID,
  AWS_UNKNOWN_KEY,
  AWS_WRONG_SECRET,
  startAwsBudgetsMock,
  type AwsBudgetsMock,
  type AwsKey,
} from '../../mock-servers/aws-budgets';
import { sendText, startMockServer, type MockServer } from '../../mock-servers/harness';
import { DE, EN } from '../../support/builders';
import { failureLog, fetchOnce } from '../../support/provider-fetch';

const ACCOUNT = { id: 'cloud', label: 'Cloud bill' };
/** Mid-November: the monthly period is November, the quarterly one October to December. */
const NOW = new Date('2026-11-16T12:00:00Z');

let mock: AwsBudgetsMock;
let dir: string;
const { seen: seenErrors, failure } = failureLog();

/** Every variable through which the SDK's chain could find credentials, a Region or a profile on this machine. */
const AWS_ENV = [
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'AWS_CREDENTIAL_EXPIRATION',
  'AWS_PROFILE',
  'AWS_DEFAULT_PROFILE',
  'AWS_REGION',
  'AWS_DEFAULT_REGION',
  'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI',
  'AWS_CONTAINER_CREDENTIALS_FULL_URI',
  'AWS_CONTAINER_AUTHORIZATION_TOKEN',
  'AWS_WEB_IDENTITY_TOKEN_FILE',
  'AWS_ROLE_ARN',
  'AWS_ENDPOINT_URL',
  'AWS_ENDPOINT_URL_BUDGETS',
];

beforeAll(async () => {
  mock = await startAwsBudgetsMock();
  dir = await mkdtemp(join(tmpdir(), 'headroom-aws-budgets-'));
});
afterAll(async () => {
  await mock.close();
  await rm(dir, { recursive: true, force: true });
});
beforeEach(async () => {
  mock.reset();
  mock.setNow(NOW);
  mock.requests.length = 0;
  // Nothing reaches the instance metadata service or reads this machine's own AWS files.
  for (const name of AWS_ENV) vi.stubEnv(name, undefined);
  vi.stubEnv('AWS_EC2_METADATA_DISABLED', 'true');
  const files = await mkdtemp(join(dir, 'files-'));
  await writeFile(join(files, 'config'), '');
  await writeFile(join(files, 'credentials'), '');
  vi.stubEnv('AWS_CONFIG_FILE', join(files, 'config'));
  vi.stubEnv('AWS_SHARED_CREDENTIALS_FILE', join(files, 'credentials'));
});
afterEach(() => {
  vi.unstubAllEnvs();
});

function secretsOf(key: AwsKey | null): SecretValues {
  if (!key) return {};
  return {
    accessKeyId: key.accessKeyId,
    secretAccessKey: key.secretAccessKey,
    ...(key.sessionToken ? { sessionToken: key.sessionToken } : {}),
  };
}

function check(
  budgetName: string,
  /** null: no key in Settings, so the standard chain. */
  key: AwsKey | null = AWS_KEYS.valid,
  options: { config?: Record<string, unknown>; signal?: AbortSignal; endpoint?: string; timeoutMs?: number } = {},
): Promise<FetchResult> {
  const now = () => NOW;
  const secrets = secretsOf(key);
  const config = {
    accountId: AWS_MOCK_ACCOUNT_ID,
    budgetName,
    endpoint: options.endpoint ?? mock.url,
    ...options.config,
  };
  return fetchOnce(awsBudgetsProvider, ACCOUNT, config, secrets, {
    now,
    ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
    ...(options.signal === undefined ? {} : { signal: options.signal }),
  });
}

function openError(config: Record<string, unknown>, secrets: SecretValues = secretsOf(AWS_KEYS.valid)): ProviderError {
  let caught: unknown;
  try {
    awsBudgetsProvider.open(ACCOUNT, config, secrets);
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(ProviderError);
  return caught as ProviderError;
}

describe('aws-budgets provider', () => {
  it('describes itself: config, optional key secrets, hourly at most, no quota spent', () => {
    expect(awsBudgetsProvider.id).toBe('aws-budgets');
    expect(awsBudgetsProvider.name).toBe('AWS Budgets');
    expect(awsBudgetsProvider.minIntervalMinutes).toBe(60);
    expect(awsBudgetsProvider.usageCallCountsAgainstQuota).toBe(false);
    expect(awsBudgetsProvider.secretFields.map((field) => field.key)).toEqual([
      'accessKeyId',
      'secretAccessKey',
      'sessionToken',
    ]);
  });

  it('sends DescribeBudget as the AWS JSON 1.1 protocol, signed with SigV4', async () => {
    await check(AWS_BUDGETS.monthly);
    expect(mock.requests).toHaveLength(1);
    const [request] = mock.requests;
    expect(request?.method).toBe('POST');
    expect(request?.path).toBe('/');
    expect(request?.headers['content-type']).toBe('application/x-amz-json-1.1');
    expect(request?.headers['x-amz-target']).toBe('AWSBudgetServiceGateway.DescribeBudget');
    expect(request?.headers.authorization).toMatch(
      new RegExp(`^AWS4-HMAC-SHA256 Credential=${AWS_KEYS.valid.accessKeyId}/\\d{8}/us-east-1/budgets/aws4_request, `),
    );
    expect(request?.headers['user-agent']).toMatch(/^Headroom\//);
    expect(JSON.parse(request?.body ?? '')).toEqual({
      AccountId: AWS_MOCK_ACCOUNT_ID,
      BudgetName: AWS_BUDGETS.monthly,
    });
  });

  it('reads a monthly budget: actual and forecasted spend against the limit, resetting on the 1st', async () => {
    const result = await check(AWS_BUDGETS.monthly);
    for (const meter of result.meters) expect(meterReadingSchema.safeParse(meter).success).toBe(true);
    expect(result.meters).toEqual([
      {
        id: 'actualSpend',
        label: 'Actual spend',
        unit: 'money',
        currency: 'USD',
        used: 123.456,
        limit: 500,
        remaining: 500 - 123.456,
        unlimited: false,
        resetsAt: '2026-12-01T00:00:00.000Z',
      },
      {
        id: 'forecastedSpend',
        label: 'Forecasted spend',
        unit: 'money',
        currency: 'USD',
        used: 410.2,
        limit: 500,
        remaining: 500 - 410.2,
        unlimited: false,
        resetsAt: '2026-12-01T00:00:00.000Z',
      },
    ]);
    // The actual spend counts from the month's start: it was zero then.
    expect(result.reported).toEqual([
      {
        meterId: 'actualSpend',
        label: 'Actual spend',
        unit: 'money',
        currency: 'USD',
        points: [
          { at: '2026-11-01T00:00:00.000Z', used: 0, limit: 500, remaining: 500, resetsAt: '2026-12-01T00:00:00.000Z' },
        ],
      },
    ]);
  });

  it('names its meters so that a window says them in its own language', async () => {
    const result = await check(AWS_BUDGETS.monthly);
    const names = (t: typeof DE.t) => result.meters.map((meter) => meterName('aws-budgets', meter.id, meter.label, t));
    expect(names(DE.t)).toEqual(['Tatsächliche Ausgaben', 'Prognostizierte Ausgaben']);
    expect(names(EN.t)).toEqual(['Actual spend', 'Forecasted spend']);
  });

  it('reads a quarterly budget with temporary credentials; a forecast over the limit says by how much', async () => {
    const result = await check(AWS_BUDGETS.quarterly, AWS_KEYS.temporary);
    expect(mock.requests[0]?.headers['x-amz-security-token']).toBe(AWS_KEYS.temporary.sessionToken);
    const [spend, forecast] = result.meters;
    expect(spend).toMatchObject({ used: 1250.5, limit: 3000, remaining: 1749.5, resetsAt: '2027-01-01T00:00:00.000Z' });
    expect(spend?.note).toBeUndefined();
    expect(forecast).toMatchObject({
      id: 'forecastedSpend',
      used: 3300.75,
      limit: 3000,
      remaining: 0,
      note: 'Forecast over budget by 300.75 USD.',
    });
    expect(localizedMeters('aws-budgets', result.meters, EN.t)[1]?.note).toBe('Forecast over budget by 300.75 USD.');
    expect(localizedMeters('aws-budgets', result.meters, DE.t)[1]?.note).toBe(
      'Laut Prognose wird das Budget um 300,75 USD überschritten.',
    );
    expect(result.reported?.[0]?.points[0]?.at).toBe('2026-10-01T00:00:00.000Z');
  });

  it("takes a planned budget's limit for the current month from PlannedBudgetLimits", async () => {
    const result = await check(AWS_BUDGETS.planned);
    expect(result.meters.map((meter) => [meter.id, meter.used, meter.limit, meter.remaining])).toEqual([
      ['actualSpend', 50, 200, 150],
      ['forecastedSpend', 180, 200, 20],
    ]);
  });

  it('says plainly when AWS reports no limit and no forecast: no made-up limit, one meter', async () => {
    const result = await check(AWS_BUDGETS.noLimit);
    expect(result.meters).toHaveLength(1);
    expect(result.meters[0]).toMatchObject({
      id: 'actualSpend',
      used: 12.34,
      limit: null,
      remaining: null,
      unlimited: false,
    });
    expect(result.meters[0]?.note).toContain('AWS reports no limit for this budget');
    expect(result.meters[0]?.note).toContain('no forecast');
    expect(localizedMeters('aws-budgets', result.meters, DE.t)[0]?.note).toBe(
      'AWS meldet für dieses Budget im aktuellen Zeitraum kein Limit, daher gelten dafür nur Regeln mit Beträgen. AWS hat für dieses Budget noch keine Prognose; dafür braucht es einige Wochen Nutzung.',
    );
    expect(result.reported?.[0]?.points[0]).toMatchObject({ used: 0, limit: null, remaining: null });
  });

  it('counts a budget spent beyond its limit as nothing remaining, with a note', async () => {
    mock.setBody({
      Budget: {
        BudgetName: AWS_BUDGETS.monthly,
        BudgetType: 'COST',
        TimeUnit: 'MONTHLY',
        BudgetLimit: { Amount: '100', Unit: 'USD' },
        CalculatedSpend: {
          ActualSpend: { Amount: '123.4', Unit: 'USD' },
          ForecastedSpend: { Amount: '150', Unit: 'USD' },
        },
      },
    });
    const result = await check(AWS_BUDGETS.monthly);
    expect(result.meters[0]).toMatchObject({
      used: 123.4,
      limit: 100,
      remaining: 0,
      note: 'Over budget by 23.40 USD.',
    });
    expect(localizedMeters('aws-budgets', result.meters, DE.t)[0]?.note).toBe('Budget um 23,40 USD überschritten.');
  });

  it('refuses a usage budget: it counts hours, not money', async () => {
    const error = await failure(check(AWS_BUDGETS.usage));
    expect(error.kind).toBe('config');
    expect(error.message).toContain(`'${AWS_BUDGETS.usage}'`);
    expect(error.message).toContain('USAGE budget');
  });

  it('takes credentials from the environment when no key is given', async () => {
    vi.stubEnv('AWS_ACCESS_KEY_ID', AWS_KEYS.valid.accessKeyId);
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', AWS_KEYS.valid.secretAccessKey);
    const result = await check(AWS_BUDGETS.monthly, null);
    expect(result.meters[0]).toMatchObject({ id: 'actualSpend', used: 123.456 });
    expect(mock.requests[0]?.headers.authorization).toContain(`Credential=${AWS_KEYS.valid.accessKeyId}/`);
  });

  it('takes credentials from a named profile of the shared credentials file', async () => {
    const credentials = join(dir, 'profile-credentials');
    await writeFile(
      credentials,
      [
        '[default]',
        `aws_access_key_id = ${AWS_UNKNOWN_KEY.accessKeyId}`,
        `aws_secret_access_key = ${AWS_UNKNOWN_KEY.secretAccessKey}`,
        '',
        '[billing]',
        `aws_access_key_id = ${AWS_KEYS.temporary.accessKeyId}`,
        `aws_secret_access_key = ${AWS_KEYS.temporary.secretAccessKey}`,
        `aws_session_token = ${AWS_KEYS.temporary.sessionToken}`,
        '',
      ].join('\n'),
    );
    vi.stubEnv('AWS_SHARED_CREDENTIALS_FILE', credentials);
    const result = await check(AWS_BUDGETS.quarterly, null, { config: { profile: 'billing' } });
    expect(result.meters[0]).toMatchObject({ used: 1250.5 });
    expect(mock.requests[0]?.headers.authorization).toContain(`Credential=${AWS_KEYS.temporary.accessKeyId}/`);
  });

  it('prefers the access key in Settings over the environment', async () => {
    vi.stubEnv('AWS_ACCESS_KEY_ID', AWS_UNKNOWN_KEY.accessKeyId);
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', AWS_UNKNOWN_KEY.secretAccessKey);
    await check(AWS_BUDGETS.monthly, AWS_KEYS.valid);
    expect(mock.requests[0]?.headers.authorization).toContain(`Credential=${AWS_KEYS.valid.accessKeyId}/`);
  });

  it('says what to set up when the chain finds no credentials at all', async () => {
    const error = await failure(check(AWS_BUDGETS.monthly, null));
    expect(error.kind).toBe('auth');
    expect(error.message).toContain(
      "found no usable AWS credentials for 'Cloud bill' in the standard AWS credential chain",
    );
    expect(error.message).toContain('access key ID and secret access key in Settings');
    expect(mock.requests).toHaveLength(0);
  });

  it('names the missing profile', async () => {
    const error = await failure(check(AWS_BUDGETS.monthly, null, { config: { profile: 'nowhere' } }));
    expect(error.kind).toBe('auth');
    expect(error.message).toContain("the AWS profile 'nowhere'");
  });

  it('turns an unknown access key into auth, saying which key to check', async () => {
    const error = await failure(check(AWS_BUDGETS.monthly, AWS_UNKNOWN_KEY));
    expect(error.kind).toBe('auth');
    expect(error.message).toContain('does not recognise the access key ID');
    expect(error.message).toContain('UnrecognizedClientException');
  });

  it('turns a wrong secret (the signature does not match) into auth about the secret access key', async () => {
    const error = await failure(check(AWS_BUDGETS.monthly, AWS_WRONG_SECRET));
    expect(error.kind).toBe('auth');
    expect(error.message).toContain('InvalidSignatureException');
    expect(error.message).toContain('Check the secret access key');
    expect(mock.requests).toHaveLength(1);
  });

  it('turns a session token that does not belong to the key into auth', async () => {
    const error = await failure(
      check(AWS_BUDGETS.monthly, { ...AWS_KEYS.temporary, sessionToken: 'some-other-token' }),
    );
    expect(error.kind).toBe('auth');
    expect(error.message).toContain('UnrecognizedClientException');
  });

  it('turns an expired session token into auth asking for new credentials', async () => {
    const error = await failure(check(AWS_BUDGETS.monthly, AWS_KEYS.expired));
    expect(error.kind).toBe('auth');
    expect(error.message).toContain('have expired (ExpiredTokenException)');
  });

  it('turns AccessDeniedException into auth naming budgets:ViewBudget on the budget', async () => {
    const error = await failure(check(AWS_BUDGETS.monthly, AWS_KEYS.readOnly));
    expect(error.kind).toBe('auth');
    expect(error.message).toContain('budgets:ViewBudget');
    expect(error.message).toContain(`arn:aws:budgets::${AWS_MOCK_ACCOUNT_ID}:budget/${AWS_BUDGETS.monthly}`);
    expect(error.message).toContain('headroom-no-billing');
  });

  it("is denied another account's budget", async () => {
    const error = await failure(
      check(AWS_BUDGETS.monthly, AWS_KEYS.valid, { config: { accountId: AWS_OTHER_ACCOUNT_ID } }),
    );
    expect(error.kind).toBe('auth');
    expect(error.message).toContain(`AWS account ${AWS_OTHER_ACCOUNT_ID}`);
  });

  it('turns NotFoundException into config naming the budget and the account', async () => {
    const error = await failure(check('Deleted budget'));
    expect(error.kind).toBe('config');
    expect(error.message).toContain(`no budget 'Deleted budget' in AWS account ${AWS_MOCK_ACCOUNT_ID}`);
    expect(error.message).toContain("the budget doesn't exist");
  });

  it('turns ThrottlingException into rate_limited, without retrying on its own', async () => {
    const error = await failure(check(AWS_BUDGETS.throttled));
    expect(error.kind).toBe('rate_limited');
    expect(error.message).toContain('ThrottlingException');
    expect(mock.requests).toHaveLength(1);
  });

  it('turns an unexpected shape into bad_response naming the field', async () => {
    const error = await failure(check(AWS_BUDGETS.oddShape));
    expect(error.kind).toBe('bad_response');
    expect(error.message).toContain('field "Budget.TimeUnit"');
  });

  it('turns a missing spend and an answer that is no budget at all into bad_response', async () => {
    mock.setBody({ Budget: { BudgetName: 'x', BudgetType: 'COST', TimeUnit: 'MONTHLY' } });
    const noSpend = await failure(check(AWS_BUDGETS.monthly));
    expect(noSpend.kind).toBe('bad_response');
    expect(noSpend.message).toContain('Budget.CalculatedSpend');
    mock.setBody({ Budgets: [] });
    const noBudget = await failure(check(AWS_BUDGETS.monthly));
    expect(noBudget.kind).toBe('bad_response');
    expect(noBudget.message).toContain('field "Budget"');
  });

  it('turns amounts that are not numbers into bad_response', async () => {
    mock.setBody({
      Budget: {
        BudgetName: 'x',
        BudgetType: 'COST',
        TimeUnit: 'MONTHLY',
        CalculatedSpend: { ActualSpend: { Amount: 'lots', Unit: 'USD' } },
      },
    });
    const error = await failure(check(AWS_BUDGETS.monthly));
    expect(error.kind).toBe('bad_response');
    expect(error.message).toContain('Budget.CalculatedSpend.ActualSpend.Amount');
  });

  it('turns an answer that is not JSON into bad_response, and a web page into server', async () => {
    const odd = await startMockServer((request, res) => {
      if (request.body.includes('"BudgetName":"Html"'))
        sendText(res, 200, 'text/html', '<!doctype html><title>Proxy login</title>');
      else sendText(res, 200, 'application/x-amz-json-1.1', 'not json at all');
    });
    try {
      const notJson = await failure(check(AWS_BUDGETS.monthly, AWS_KEYS.valid, { endpoint: odd.url }));
      expect(notJson.kind).toBe('bad_response');
      expect(notJson.message).toBe("AWS Budgets sent an answer that is not JSON for 'Cloud bill' (HTTP 200).");
      const page = await failure(check('Html', AWS_KEYS.valid, { endpoint: odd.url }));
      expect(page.kind).toBe('server');
      expect(page.message).toContain('a web page instead of data');
    } finally {
      await odd.close();
    }
  });

  it('turns a refused connection into network and a silent server into timeout', async () => {
    const closed = await startMockServer(() => undefined);
    const url = closed.url;
    await closed.close();
    const network = await failure(check(AWS_BUDGETS.monthly, AWS_KEYS.valid, { endpoint: url }));
    expect(network.kind).toBe('network');

    const silent: MockServer = await startMockServer(() => new Promise(() => undefined));
    try {
      const timeout = await failure(
        check(AWS_BUDGETS.monthly, AWS_KEYS.valid, { endpoint: silent.url, timeoutMs: 300 }),
      );
      expect(timeout.kind).toBe('timeout');
    } finally {
      await silent.close();
    }
  });

  it('stops when the check is cancelled', async () => {
    const silent = await startMockServer(() => new Promise(() => undefined));
    try {
      const controller = new AbortController();
      const pending = check(AWS_BUDGETS.monthly, AWS_KEYS.valid, { endpoint: silent.url, signal: controller.signal });
      setTimeout(() => {
        controller.abort();
      }, 100);
      await expect(pending).rejects.toBeInstanceOf(CancelledError);
    } finally {
      await silent.close();
    }
  });

  it('stops when the check is cancelled while the chain is still finding credentials', async () => {
    const config = join(dir, 'slow-config');
    // A credential process that takes its time; the check must not wait for it once cancelled.
    await writeFile(config, ['[profile slow]', 'credential_process = sleep 2', ''].join('\n'));
    vi.stubEnv('AWS_CONFIG_FILE', config);
    const controller = new AbortController();
    const started = Date.now();
    const pending = check(AWS_BUDGETS.monthly, null, { config: { profile: 'slow' }, signal: controller.signal });
    setTimeout(() => {
      controller.abort();
    }, 200);
    await expect(pending).rejects.toBeInstanceOf(CancelledError);
    expect(Date.now() - started).toBeLessThan(1500);
    expect(mock.requests).toHaveLength(0);
  });

  it('validates config and secrets before any request', () => {
    expect(openError({ accountId: '1234', budgetName: 'x' }).message).toContain('12-digit ID');
    expect(openError({ accountId: AWS_MOCK_ACCOUNT_ID, budgetName: 'a:b' }).message).toContain('":"');
    expect(openError({ accountId: AWS_MOCK_ACCOUNT_ID, budgetName: 'x', region: 'Frankfurt' }).message).toContain(
      'AWS Region',
    );
    const half = openError(
      { accountId: AWS_MOCK_ACCOUNT_ID, budgetName: 'x' },
      { accessKeyId: AWS_KEYS.valid.accessKeyId },
    );
    expect(half.kind).toBe('config');
    expect(half.message).toContain('AWS Budgets needs the Secret access key');
    const both = openError({ accountId: AWS_MOCK_ACCOUNT_ID, budgetName: 'x', profile: 'ops' });
    expect(both.kind).toBe('config');
    expect(both.message).toContain('both an AWS profile ("ops") and an access key');
    expect(mock.requests).toHaveLength(0);
  });

  it('never puts a secret in a message', () => {
    expect(seenErrors.length).toBeGreaterThan(10);
    const secrets = [
      ...Object.values(AWS_KEYS).flatMap((key: AwsKey) => [key.secretAccessKey, key.sessionToken ?? '']),
      AWS_UNKNOWN_KEY.secretAccessKey,
      AWS_WRONG_SECRET.secretAccessKey,
    ].filter(Boolean);
    for (const error of seenErrors) for (const secret of secrets) expect(error.message).not.toContain(secret);
  });
});

describe('budget periods (UTC, aligned to the calendar)', () => {
  const far = { Start: new Date('2020-01-01T00:00:00Z'), End: new Date('2087-06-15T00:00:00Z') };
  it.each([
    ['DAILY', '2026-11-16T00:00:00.000Z', '2026-11-17T00:00:00.000Z'],
    ['MONTHLY', '2026-11-01T00:00:00.000Z', '2026-12-01T00:00:00.000Z'],
    ['QUARTERLY', '2026-10-01T00:00:00.000Z', '2027-01-01T00:00:00.000Z'],
    ['ANNUALLY', '2026-01-01T00:00:00.000Z', '2027-01-01T00:00:00.000Z'],
  ] as const)('%s', (unit, start, end) => {
    const period = budgetPeriod(unit, far, NOW);
    expect([period.start.toISOString(), period.end.toISOString()]).toEqual([start, end]);
  });

  it('ends with the budget, and a CUSTOM budget has its time period as its one period', () => {
    const ending = { Start: far.Start, End: new Date('2026-11-20T00:00:00Z') };
    expect(budgetPeriod('MONTHLY', ending, NOW).end.toISOString()).toBe('2026-11-20T00:00:00.000Z');
    const custom = { Start: new Date('2026-09-15T00:00:00Z'), End: new Date('2027-03-15T00:00:00Z') };
    const period = budgetPeriod('CUSTOM', custom, NOW);
    expect([period.start.toISOString(), period.end.toISOString()]).toEqual([
      '2026-09-15T00:00:00.000Z',
      '2027-03-15T00:00:00.000Z',
    ]);
  });
});
