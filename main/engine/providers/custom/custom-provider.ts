import type { MeterReading, SnapshotError } from '../../../../shared/snapshot';
import { isCancelled, ProviderError } from '../../errors';
import type { HttpResponse } from '../../http/client';
import { describeIssues, parseJsonBody } from '../../http/parse';
import { redact } from '../../http/redact';
import { findPreset } from './presets';
import type {
  AccountRef,
  AccountSession,
  FetchContext,
  PollingPolicy,
  Provider,
  SecretField,
  SecretValues,
} from '../provider';
import { answerError } from './answer-errors';
import { buildRequest } from './build-request';
import { customConfigSchema, type Endpoint } from './endpoint-schema';
import { compileExpression, type CompiledExpression } from './expressions';
import { compileMeters, readMeters, type CompiledMeter } from './read-meters';
import { previewResponse, type ResponsePreview } from './response-preview';

/**
 * The `custom` provider: any JSON usage endpoint a user can describe (URL, method, headers, query,
 * form body, basic auth, secrets by name) with meters as JSONata expressions over the answer.
 * Presets (main/engine/providers/custom/presets) are such descriptions for popular APIs. It goes through the
 * shared HTTP client, so timeouts, Retry-After, error classes and redaction are the same as for the
 * built-in providers.
 */

const GENERIC_NAME = 'Custom endpoint';

/** "Test connection": what the endpoint answered (secrets masked) beside the meters it produced. */
export interface ConnectionTest {
  /** Null when no answer came (network, timeout, a config error before the request). */
  preview: ResponsePreview | null;
  meters: MeterReading[];
  error?: SnapshotError;
}

interface OpenedEndpoint {
  endpoint: Endpoint;
  service: string;
  meters: CompiledMeter[];
  errorMessage: CompiledExpression | undefined;
  secrets: Record<string, string>;
  /** "the API key", "the Account SID and the Auth Token": what a refusal asks the user to check. */
  credentials: string;
}

export const customProvider: Provider = {
  id: 'custom',
  name: GENERIC_NAME,
  configSchema: customConfigSchema,
  // The secrets are the ones each description declares: see `secretFieldsFor`.
  secretFields: [],
  secretFieldsFor,
  nameFor: serviceNameFor,
  minIntervalMinutes: 5,
  usageCallCountsAgainstQuota: false,
  // Each description says how often it may be asked and whether asking costs quota.
  pollingPolicyFor: customPollingPolicy,
  reportsMemberCredits: false,
  open(account, config, secrets): AccountSession {
    const opened = openEndpoint(account, config, secrets);
    return { fetch: async (context) => ({ meters: await fetchOnce(opened, context, account) }) };
  },
};

/** The secret fields a description declares, with the preset's labels and help where it has them. */
export function secretFieldsFor(config: unknown): readonly SecretField[] {
  const parsed = customConfigSchema.safeParse(config ?? {});
  return parsed.success ? secretFieldsOf(parsed.data) : [];
}

function secretFieldsOf(endpoint: Endpoint): SecretField[] {
  const preset = endpoint.preset ? findPreset(endpoint.preset) : undefined;
  return endpoint.secrets.map((key) => preset?.secrets.find((field) => field.key === key) ?? { key, label: key });
}

/** The service a description watches, as its messages name it ("DeepL", or the URL's host). */
export function serviceNameFor(config: unknown): string {
  const parsed = customConfigSchema.safeParse(config ?? {});
  return parsed.success ? (parsed.data.service ?? hostOf(parsed.data.url)) : GENERIC_NAME;
}

/** How often a described endpoint may be polled, and whether polling costs quota: the description says. */
export function customPollingPolicy(config: unknown): PollingPolicy {
  const parsed = customConfigSchema.safeParse(config ?? {});
  if (!parsed.success)
    return {
      minIntervalMinutes: customProvider.minIntervalMinutes,
      usageCallCountsAgainstQuota: customProvider.usageCallCountsAgainstQuota,
    };
  return {
    minIntervalMinutes: parsed.data.minIntervalMinutes,
    usageCallCountsAgainstQuota: parsed.data.usageCallCountsAgainstQuota,
  };
}

/**
 * Runs the description once and reports everything a person needs to fix it: the answer (masked)
 * and the meters, or the error with the answer that caused it. Never throws except on cancellation.
 */
export async function testCustomEndpoint(
  account: AccountRef,
  config: unknown,
  secrets: SecretValues,
  context: FetchContext,
): Promise<ConnectionTest> {
  let opened: OpenedEndpoint;
  try {
    opened = openEndpoint(account, config, secrets);
  } catch (error) {
    return { preview: null, meters: [], error: asProviderError(error, GENERIC_NAME, account).toSnapshotError() };
  }
  const seen: { response?: HttpResponse } = {};
  const preview = (): ResponsePreview | null =>
    seen.response ? previewResponse(seen.response, maskedSecrets(opened, context, account)) : null;
  try {
    const meters = await fetchOnce(opened, context, account, (response) => {
      seen.response = response;
    });
    return { preview: preview(), meters };
  } catch (error) {
    if (isCancelled(error) || context.signal.aborted) throw error;
    return {
      preview: preview(),
      meters: [],
      error: asProviderError(error, opened.service, account, maskedSecrets(opened, context, account)).toSnapshotError(),
    };
  }
}

function openEndpoint(account: AccountRef, rawConfig: unknown, rawSecrets: SecretValues): OpenedEndpoint {
  const parsed = customConfigSchema.safeParse(rawConfig ?? {});
  if (!parsed.success) {
    throw new ProviderError(
      'config',
      `The endpoint description of '${account.label}' is not valid: ${describeIssues(parsed.error)}. Fix it in Settings.`,
    );
  }
  const endpoint = parsed.data;
  const service = endpoint.service ?? hostOf(endpoint.url);
  const secrets: Record<string, string> = {};
  const missing: string[] = [];
  const fields = secretFieldsOf(endpoint);
  const labelOf = (name: string): string => fields.find((field) => field.key === name)?.label ?? name;
  for (const name of endpoint.secrets) {
    const value = rawSecrets[name];
    if (value === undefined || value === '') missing.push(labelOf(name));
    else secrets[name] = value;
  }
  if (missing.length > 0) {
    throw new ProviderError(
      'config',
      `${service} needs the ${missing.join(' and the ')} for '${account.label}'; add ${missing.length > 1 ? 'them' : 'it'} in Settings.`,
    );
  }
  const credentials =
    endpoint.secrets.length > 0 ? `the ${endpoint.secrets.map(labelOf).join(' and the ')}` : 'the endpoint description';
  return {
    endpoint,
    service,
    meters: compileMeters(endpoint.meters),
    errorMessage: endpoint.errorMessage !== undefined ? compileExpression(endpoint.errorMessage) : undefined,
    secrets,
    credentials,
  };
}

/** The request with secrets filled in, and every value to mask in what is shown or said. */
function prepare(opened: OpenedEndpoint, context: FetchContext, account: AccountRef) {
  const built = buildRequest(opened.endpoint, opened.secrets, { service: opened.service, account: account.label });
  const secrets = [...context.messages.secrets, ...built.secrets];
  return { request: built.request, secrets, messages: { service: opened.service, account: account.label, secrets } };
}

/** Every value to mask, even when the request could not be built (a header the description breaks). */
function maskedSecrets(opened: OpenedEndpoint, context: FetchContext, account: AccountRef): string[] {
  try {
    return prepare(opened, context, account).secrets;
  } catch {
    return [...context.messages.secrets, ...Object.values(opened.secrets)];
  }
}

async function fetchOnce(
  opened: OpenedEndpoint,
  context: FetchContext,
  account: AccountRef,
  onAnswer?: (response: HttpResponse) => void,
): Promise<MeterReading[]> {
  const { request, messages } = prepare(opened, context, account);
  const now = context.now();
  let response: HttpResponse;
  try {
    response = await context.request(request);
  } catch (error) {
    throw asProviderError(error, opened.service, account, messages.secrets);
  }
  onAnswer?.(response);
  if (response.status < 200 || response.status >= 300) {
    throw await answerError(response, {
      ...messages,
      now,
      errorMessage: opened.errorMessage,
      credentials: opened.credentials,
    });
  }
  const answer = parseJsonBody(response, messages);
  return readMeters(opened.meters, answer, { ...messages, now });
}

/**
 * The HTTP client names the service by the provider's name ("Custom endpoint"); a described
 * endpoint has its own ("DeepL"), so the client's message is re-said with it. The name comes
 * before the account label in every client message, so the first occurrence is the one.
 */
function asProviderError(
  error: unknown,
  service: string,
  account: AccountRef,
  secrets: readonly string[] = [],
): ProviderError {
  if (error instanceof ProviderError) {
    return service === GENERIC_NAME
      ? error
      : new ProviderError(
          error.kind,
          error.message.replace(GENERIC_NAME, () => service),
          error.retryAt,
        );
  }
  if (isCancelled(error)) throw error;
  const detail = error instanceof Error ? error.message : String(error);
  return new ProviderError(
    'bad_response',
    `Headroom failed while reading ${service} for '${account.label}': ${redact(detail, secrets)}.`,
  );
}

function hostOf(url: string): string {
  try {
    return new URL(url.replace(/\{\{[^{}]*\}\}/g, 'x')).host;
  } catch {
    return GENERIC_NAME;
  }
}
