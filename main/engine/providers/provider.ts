import { z } from 'zod';
import type { ReportedSeries } from '../../../shared/history';
import type { AlertRules } from '../../../shared/rules';
import type { MeterReading, ViewsReading } from '../../../shared/snapshot';
import { ProviderError } from '../errors';
import type { HttpClient, HttpRequest, HttpResponse, RequestContext } from '../http/client';
import { describeIssues } from '../http/parse';

/** A secret an account of this provider needs; the value lives in the keychain (or env for the CLI). */
export interface SecretField {
  key: string;
  label: string;
  help?: string;
}

export type SecretValues = Readonly<Record<string, string | undefined>>;

export interface AccountRef {
  id: string;
  label: string;
}

/** What a provider's fetch may use: requests already bound to the account, its signal and its secrets. */
export interface FetchContext {
  request(request: HttpRequest): Promise<HttpResponse>;
  /** Service, account label and secrets, for messages made with http/parse. */
  messages: Pick<RequestContext, 'service' | 'account' | 'secrets'>;
  signal: AbortSignal;
  now(): Date;
}

export interface FetchResult {
  meters: MeterReading[];
  /**
   * The past this answer already tells (a count "since the month began" is zero at the month's
   * start), to seed the history so a forecast exists from the first poll. Costs no request.
   */
  reported?: ReportedSeries[];
  /** Detail beside the meters (ArcGIS Online's per-member credit budgets); the snapshot carries it. */
  views?: ViewsReading;
}

/** One account's live connection to its provider: keeps tokens between polls. */
export interface AccountSession {
  fetch(context: FetchContext): Promise<FetchResult>;
  /**
   * Reads the past the provider keeps (past months' usage), once, to seed the history. Only for
   * providers whose usage call costs nothing against the quota; the engine calls it at most once.
   */
  fetchPast?(context: FetchContext): Promise<ReportedSeries[]>;
}

/** How often an account may be polled, and whether each poll costs what it watches. */
export interface PollingPolicy {
  minIntervalMinutes: number;
  usageCallCountsAgainstQuota: boolean;
}

export interface Provider {
  id: string;
  /** The service's name as people know it, used in every message: "ArcGIS Online". */
  name: string;
  configSchema: z.ZodType;
  secretFields: readonly SecretField[];
  /**
   * Where the secrets depend on the account's config (the custom provider's are declared there); else `secretFields`.
   */
  secretFieldsFor?(config: unknown): readonly SecretField[];
  /** Where the service depends on the account's config (a custom endpoint's preset or `service`); else `name`. */
  nameFor?(config: unknown): string;
  /** Polling more often than this never helps and may annoy the service. */
  minIntervalMinutes: number;
  /** True when the usage call itself is billed against the quota it reports. */
  usageCallCountsAgainstQuota: boolean;
  /**
   * Where how often it may be polled, and whether polling costs quota, depend on the account's config
   * (a custom endpoint's description says); else `minIntervalMinutes` and `usageCallCountsAgainstQuota`.
   */
  pollingPolicyFor?(config: unknown): PollingPolicy;
  /**
   * True when its accounts report members' own credit allocations (`views.userCredits`), judged by `rules.userCredits`.
   */
  reportsMemberCredits: boolean;
  /** Rules for meters percent rules cannot judge (a balance without a limit); the form proposes them. */
  suggestedRules?: AlertRules;
  /** Validates config and secrets; fails with a `config` (or `auth`) ProviderError naming what is missing. */
  open(account: AccountRef, config: unknown, secrets: SecretValues): AccountSession;
}

export interface ProviderSpec<C extends z.ZodType, S extends z.ZodType> {
  id: string;
  name: string;
  configSchema: C;
  secretsSchema: S;
  secretFields: readonly SecretField[];
  minIntervalMinutes: number;
  usageCallCountsAgainstQuota: boolean;
  reportsMemberCredits?: boolean;
  suggestedRules?: AlertRules;
  createSession(args: { account: AccountRef; config: z.infer<C>; secrets: z.infer<S> }): AccountSession;
}

/** Builds a Provider whose `open` validates config and secrets with the spec's schemas. */
export function defineProvider<C extends z.ZodType, S extends z.ZodType>(spec: ProviderSpec<C, S>): Provider {
  return {
    id: spec.id,
    name: spec.name,
    configSchema: spec.configSchema,
    secretFields: spec.secretFields,
    minIntervalMinutes: spec.minIntervalMinutes,
    usageCallCountsAgainstQuota: spec.usageCallCountsAgainstQuota,
    reportsMemberCredits: spec.reportsMemberCredits ?? false,
    ...(spec.suggestedRules ? { suggestedRules: spec.suggestedRules } : {}),
    open(account, rawConfig, rawSecrets) {
      const config = spec.configSchema.safeParse(rawConfig ?? {});
      if (!config.success) {
        throw new ProviderError(
          'config',
          `The ${spec.name} settings of '${account.label}' are not valid: ${describeIssues(config.error)}. Fix them in Settings.`,
        );
      }
      const present = Object.fromEntries(
        Object.entries(rawSecrets).filter(([, value]) => value !== undefined && value !== ''),
      );
      const secrets = spec.secretsSchema.safeParse(present);
      if (!secrets.success) {
        throw new ProviderError(
          'config',
          `${missingSecretsMessage(spec, secrets.error)} for '${account.label}'; add it in Settings.`,
        );
      }
      return spec.createSession({ account, config: config.data, secrets: secrets.data });
    },
  };
}

function missingSecretsMessage(
  spec: { name: string; secretFields: readonly SecretField[] },
  error: z.ZodError,
): string {
  const labels = error.issues.map((issue) => {
    const key = issue.path[0];
    const field = spec.secretFields.find((candidate) => candidate.key === key);
    return field ? `the ${field.label}` : issue.message;
  });
  return `${spec.name} needs ${[...new Set(labels)].join(' and ')}`;
}

/** Binds requests to an account: service name, label, signal and secrets travel with every call. */
export function createFetchContext(args: {
  http: HttpClient;
  service: string;
  account: AccountRef;
  secrets: SecretValues;
  signal: AbortSignal;
  now: () => Date;
}): FetchContext {
  const secretList = Object.values(args.secrets).filter(
    (value): value is string => typeof value === 'string' && value !== '',
  );
  const messages = { service: args.service, account: args.account.label, secrets: secretList };
  return {
    messages,
    signal: args.signal,
    now: args.now,
    request: (request) => args.http.request(request, { ...messages, signal: args.signal }),
  };
}

/** A URL setting: http(s) only, trailing slashes trimmed so paths join cleanly. */
export const baseUrlSchema = z
  .url({ protocol: /^https?$/, error: 'must be an http:// or https:// address' })
  .transform((url) => url.replace(/\/+$/, ''));

/** An account's polling policy: its config's, where the provider lets the config say, else the provider's. */
export function pollingPolicyOf(provider: Provider, config: unknown): PollingPolicy {
  return (
    provider.pollingPolicyFor?.(config) ?? {
      minIntervalMinutes: provider.minIntervalMinutes,
      usageCallCountsAgainstQuota: provider.usageCallCountsAgainstQuota,
    }
  );
}
