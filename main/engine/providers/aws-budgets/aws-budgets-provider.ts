import type * as BudgetsSdkModule from '@aws-sdk/client-budgets';
import { z } from 'zod';
import { CancelledError, ProviderError } from '../../errors';
import { baseUrlSchema, defineProvider, type AccountSession, type FetchContext, type FetchResult } from '../provider';
import { awsError, type ErrorScope } from './aws-errors';
import { budgetMeters, readBudget } from './budget-figures';
import { EngineHttpHandler } from './engine-http-handler';

/**
 * AWS Budgets: `DescribeBudget` (AccountId, BudgetName) through the official SDK
 * (@aws-sdk/client-budgets), which signs with SigV4 and speaks the AWS JSON 1.1 protocol
 * (`POST /`, `X-Amz-Target: AWSBudgetServiceGateway.DescribeBudget`).
 * https://docs.aws.amazon.com/aws-cost-management/latest/APIReference/API_budgets_DescribeBudget.html
 *
 * Credentials: an access key in the keychain (`accessKeyId` + `secretAccessKey`, and `sessionToken`
 * for temporary keys) when one is given; otherwise the SDK's standard chain on this computer
 * (environment, ~/.aws/config and credentials with the optional `profile`, SSO, container and
 * instance roles). The choice follows from what is filled in, as with InsideView's token or client
 * ID: nothing to pick twice, and a half-given key is refused instead of quietly using the chain.
 *
 * The SDK is loaded when an AWS account is first checked, never by a check of other providers or the
 * app's start.
 */

const SERVICE = 'AWS Budgets';

/**
 * The request itself has the engine's timeout, but finding credentials (an SSO token refresh, a
 * `credential_process`, a role to assume) is the SDK's own work and has none; a hung one must not
 * keep the account from ever being checked again. Well above any request timeout people set.
 */
export const AWS_CHECK_DEADLINE_MS = 120_000;
export const AWS_DEFAULT_REGION = 'us-east-1';

const configSchema = z.strictObject({
  accountId: z
    .string({ error: 'needs the 12-digit ID of the AWS account that owns the budget' })
    .trim()
    .regex(/^\d{12}$/, 'must be the 12-digit ID of the AWS account that owns the budget'),
  budgetName: z
    .string({ error: 'needs the name of the budget' })
    .trim()
    .min(1, 'needs the name of the budget')
    .max(100, 'must be at most 100 characters, as AWS allows')
    .regex(/^[^:\\]+$/, 'may not contain ":" or "\\", as AWS does not allow them'),
  /** A profile of ~/.aws/config for the standard chain; with an access key in Settings it is an error. */
  profile: z
    .string()
    .trim()
    .regex(/^[\w.@+-]{1,64}$/, 'must be the name of a profile in ~/.aws/config, such as "billing"')
    .optional(),
  region: z
    .string()
    .trim()
    .regex(/^[a-z]{2}(-[a-z]+)+-\d+$/, 'must be an AWS Region such as "us-east-1"')
    .default(AWS_DEFAULT_REGION),
  /** Empty: the SDK's own endpoint for the region. Set: a proxy or a test server. */
  endpoint: baseUrlSchema.optional(),
});
type AwsBudgetsConfig = z.infer<typeof configSchema>;

const secretsSchema = z
  .object({
    accessKeyId: z.string().trim().min(1).optional(),
    secretAccessKey: z.string().min(1).optional(),
    sessionToken: z.string().min(1).optional(),
  })
  .superRefine((secrets, ctx) => {
    if (secrets.accessKeyId && !secrets.secretAccessKey) {
      ctx.addIssue({
        code: 'custom',
        path: ['secretAccessKey'],
        message: 'a secret access key to go with the access key ID',
      });
    } else if (secrets.secretAccessKey && !secrets.accessKeyId) {
      ctx.addIssue({
        code: 'custom',
        path: ['accessKeyId'],
        message: 'an access key ID to go with the secret access key',
      });
    } else if (secrets.sessionToken && !secrets.accessKeyId) {
      ctx.addIssue({
        code: 'custom',
        path: ['accessKeyId'],
        message: 'the access key ID and secret access key that go with the session token',
      });
    }
  });
type AwsBudgetsSecrets = z.infer<typeof secretsSchema>;

type BudgetsSdk = typeof BudgetsSdkModule;
let sdk: Promise<BudgetsSdk> | undefined;

/** The SDK, imported once on first use (a chunk of its own in the CLI bundle). */
function loadSdk(): Promise<BudgetsSdk> {
  // On Node 20 the SDK warns on stderr that its releases after January 2027 will need Node 22. The
  // version is pinned, so the warning is for Headroom's developers, not for a person running
  // `headroom check`; one who sets the variable themselves keeps their choice.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  sdk ??= import('@aws-sdk/client-budgets').then(withNamedExports);
  return sdk;
}

/**
 * Node's own import of the package (tests, the desktop main) gives its named exports; the CLI bundle
 * (esbuild with code splitting) hands a CommonJS package's dynamic import over as `default` only.
 */
function withNamedExports(loaded: BudgetsSdk): BudgetsSdk {
  if (typeof loaded.BudgetsClient === 'function') return loaded;
  const { default: commonJs } = loaded as BudgetsSdk & { default?: BudgetsSdk };
  if (typeof commonJs?.BudgetsClient === 'function') return commonJs;
  throw new Error('@aws-sdk/client-budgets loaded without its BudgetsClient.');
}

export const awsBudgetsProvider = defineProvider({
  id: 'aws-budgets',
  name: SERVICE,
  configSchema,
  secretsSchema,
  secretFields: [
    {
      key: 'accessKeyId',
      label: 'Access key ID',
      help: 'Optional: leave the three key fields empty to use the standard AWS credential chain of this computer.',
    },
    { key: 'secretAccessKey', label: 'Secret access key', help: 'The secret of that access key.' },
    { key: 'sessionToken', label: 'Session token', help: 'Only for temporary credentials (from STS or SSO).' },
  ],
  // "Amazon Web Services updates your budget status several times a day" (the Budgets API
  // reference's introduction): hourly polls see each update within the hour without asking needlessly.
  minIntervalMinutes: 60,
  // DescribeBudget is a read of the budget, not part of the spend it reports.
  usageCallCountsAgainstQuota: false,
  createSession({ account, config, secrets }) {
    if (secrets.accessKeyId && config.profile) {
      throw new ProviderError(
        'config',
        `'${account.label}' has both an AWS profile ("${config.profile}") and an access key in Settings; Headroom would not know which to use. Clear the profile to use the access key, or clear the access key to use the profile.`,
      );
    }
    return new AwsBudgetsSession(config, secrets);
  },
});

class AwsBudgetsSession implements AccountSession {
  private readonly handler = new EngineHttpHandler();
  private client: Promise<InstanceType<BudgetsSdk['BudgetsClient']>> | undefined;

  constructor(
    private readonly config: AwsBudgetsConfig,
    private readonly secrets: AwsBudgetsSecrets,
  ) {}

  async fetch(context: FetchContext): Promise<FetchResult> {
    const scope: ErrorScope = {
      service: SERVICE,
      account: context.messages.account,
      accountId: this.config.accountId,
      budgetName: this.config.budgetName,
      credentials: this.credentialsInWords(),
      secrets: context.messages.secrets,
    };
    let output: unknown;
    try {
      const { DescribeBudgetCommand } = await loadSdk();
      const client = await this.openClient();
      const command = new DescribeBudgetCommand({
        AccountId: this.config.accountId,
        BudgetName: this.config.budgetName,
      });
      output = await this.handler.with(context, () =>
        withinDeadline(client.send(command, { abortSignal: context.signal }), context.signal, scope),
      );
    } catch (error) {
      throw awsError(error, scope, context.signal);
    }
    return budgetMeters(readBudget(output, scope), context.now(), scope);
  }

  /**
   * One client per session, so the chain's credentials (an SSO or role session) are kept and
   * renewed by the SDK between polls instead of being looked up at every one.
   */
  private openClient(): Promise<InstanceType<BudgetsSdk['BudgetsClient']>> {
    this.client ??= loadSdk().then(({ BudgetsClient }) => {
      const { accessKeyId, secretAccessKey, sessionToken } = this.secrets;
      return new BudgetsClient({
        region: this.config.region,
        ...(this.config.endpoint ? { endpoint: this.config.endpoint } : {}),
        ...(accessKeyId && secretAccessKey
          ? { credentials: { accessKeyId, secretAccessKey, ...(sessionToken ? { sessionToken } : {}) } }
          : this.config.profile
            ? { profile: this.config.profile }
            : {}),
        // The poller retries with backoff and honours the account's interval; the SDK retrying on
        // its own would hide throttling from it.
        maxAttempts: 1,
        requestHandler: this.handler,
      });
    });
    return this.client;
  }

  private credentialsInWords(): string {
    if (this.secrets.accessKeyId) return 'the access key in Settings';
    if (this.config.profile) return `the AWS profile '${this.config.profile}'`;
    return 'the standard AWS credential chain';
  }
}

/** Settles with `work`, or fails at the deadline or when the check is cancelled; a late end of `work` is ignored. */
function withinDeadline<T>(work: Promise<T>, signal: AbortSignal, scope: ErrorScope): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const settle = (): void => {
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
    };
    const onAbort = (): void => {
      settle();
      reject(new CancelledError());
    };
    const timer = setTimeout(() => {
      settle();
      reject(
        new ProviderError(
          'timeout',
          `${scope.service} did not finish within ${String(AWS_CHECK_DEADLINE_MS / 1000)} s for '${scope.account}' while finding credentials in ${scope.credentials} or reading the budget; Headroom will try again.`,
        ),
      );
    }, AWS_CHECK_DEADLINE_MS);
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (value) => {
        settle();
        resolve(value);
      },
      (error: unknown) => {
        settle();
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}
