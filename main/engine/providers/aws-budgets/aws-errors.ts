import { z } from 'zod';
import { CancelledError, isCancelled, ProviderError } from '../../errors';
import { quoteSafely } from '../../http/redact';

/**
 * What the SDK throws, turned into the engine's kinds with a message for a person. The SDK names a
 * service error after its `__type` (modelled ones as classes, others as the service exception with
 * that name), and a credential chain that found nothing throws `CredentialsProviderError`.
 *
 * DescribeBudget's errors (AccessDeniedException, InternalErrorException, InvalidParameterException,
 * NotFoundException, ThrottlingException, all HTTP 400):
 * https://docs.aws.amazon.com/aws-cost-management/latest/APIReference/API_budgets_DescribeBudget.html
 * The errors common to every AWS API (IncompleteSignature, InvalidClientTokenId, MissingAuthenticationToken,
 * RequestExpired, ThrottlingException, InternalFailure, ServiceUnavailable…):
 * https://docs.aws.amazon.com/aws-cost-management/latest/APIReference/CommonErrors.html
 * JSON-protocol gateways answer an unknown key with UnrecognizedClientException, a wrong secret with
 * InvalidSignatureException (also "Signature expired" when the clock is off:
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/signature-v4-troubleshooting.html) and an expired
 * session token with ExpiredTokenException; they are told apart by name, whatever their status.
 * The IAM action behind DescribeBudget is `budgets:ViewBudget`:
 * https://docs.aws.amazon.com/service-authorization/latest/reference/list_awsbudgetservice.html
 */

export const VIEW_BUDGET_ACTION = 'budgets:ViewBudget';

/** The parts of an SDK error Headroom reads; anything else about it is ignored. */
const sdkErrorSchema = z.object({
  name: z.string(),
  message: z.string().optional(),
  $fault: z.enum(['client', 'server']).optional(),
  $metadata: z.object({ httpStatusCode: z.number().optional() }).optional(),
});

export interface ErrorScope {
  service: string;
  account: string;
  accountId: string;
  budgetName: string;
  /** Where the credentials came from, in words: "the access key in Settings", "the AWS profile 'ops'". */
  credentials: string;
  /** The keychain's values, never to appear in a message. */
  secrets: readonly string[];
}

const UNKNOWN_KEY = new Set(['UnrecognizedClientException', 'InvalidClientTokenId', 'MissingAuthenticationToken']);
const BAD_SIGNATURE = new Set(['InvalidSignatureException', 'SignatureDoesNotMatch', 'IncompleteSignature']);
const EXPIRED = new Set(['ExpiredTokenException', 'ExpiredToken', 'RequestExpired']);
const THROTTLED = new Set(['ThrottlingException', 'Throttling', 'TooManyRequestsException']);
const SERVER = new Set([
  'InternalErrorException',
  'InternalFailure',
  'ServiceUnavailable',
  'ServiceUnavailableException',
]);
const NO_CREDENTIALS = new Set(['CredentialsProviderError', 'TokenProviderError']);

export function awsError(error: unknown, scope: ErrorScope, signal: AbortSignal): Error {
  if (error instanceof ProviderError || isCancelled(error)) return error;
  if (signal.aborted) return new CancelledError();
  const parsed = sdkErrorSchema.safeParse(error);
  if (!parsed.success) {
    const detail = error instanceof Error ? error.message : String(error);
    return new ProviderError(
      'bad_response',
      `Headroom failed while reading ${scope.service} for '${scope.account}': ${quoteSafely(detail, scope.secrets)}.`,
    );
  }
  const { name, $fault, $metadata } = parsed.data;
  const who = `'${scope.account}'`;
  const quoted = parsed.data.message?.trim() ? `"${quoteSafely(parsed.data.message, scope.secrets)}"` : '';
  const said = quoted ? ` AWS said: ${quoted}.` : '';
  const budget = `the budget '${scope.budgetName}' of AWS account ${scope.accountId}`;

  if (NO_CREDENTIALS.has(name)) {
    return new ProviderError(
      'auth',
      `Headroom found no usable AWS credentials for ${who} in ${scope.credentials}${quoted ? ` (the AWS SDK said: ${quoted})` : ''}. Enter an access key ID and secret access key in Settings, or set up the standard AWS chain (AWS_PROFILE or the profile field, ~/.aws/credentials, "aws sso login", or an instance or container role).`,
    );
  }
  const status = $metadata?.httpStatusCode;
  const http = status === undefined ? '' : `HTTP ${String(status)}`;
  if (name === 'SyntaxError') {
    return new ProviderError(
      'bad_response',
      `${scope.service} sent an answer that is not JSON for ${who}${http ? ` (${http})` : ''}.`,
    );
  }
  if (!$metadata) {
    // Not an answer of the service: the SDK failed before or after the request (a bad endpoint, a bug).
    return new ProviderError(
      'bad_response',
      `Headroom failed while reading ${scope.service} for ${who}: ${quoteSafely(parsed.data.message ?? name, scope.secrets)}.`,
    );
  }
  if (UNKNOWN_KEY.has(name)) {
    return new ProviderError(
      'auth',
      `AWS does not recognise the access key ID of ${who} from ${scope.credentials} (${name}). Check the access key ID, and the session token where the key is temporary.`,
    );
  }
  if (BAD_SIGNATURE.has(name)) {
    const clock = /expired|not yet current/i.test(parsed.data.message ?? '')
      ? ' The signature is out of date: check that the computer’s clock is right.'
      : ' Check the secret access key: it does not belong to the access key ID.';
    return new ProviderError(
      'auth',
      `AWS refused the signature of the request for ${who} made with ${scope.credentials} (${name}).${clock}`,
    );
  }
  if (EXPIRED.has(name)) {
    return new ProviderError(
      'auth',
      `The temporary AWS credentials of ${who} from ${scope.credentials} have expired (${name}). Get new ones ("aws sso login", or a new session token in Settings).`,
    );
  }
  if (name === 'AccessDeniedException' || name === 'AccessDenied') {
    return new ProviderError(
      'auth',
      `AWS does not let the credentials of ${who} (${scope.credentials}) read ${budget}.${said} Allow the IAM action ${VIEW_BUDGET_ACTION} on arn:aws:budgets::${scope.accountId}:budget/${scope.budgetName} for that user or role.`,
    );
  }
  if (name === 'NotFoundException') {
    return new ProviderError(
      'config',
      `AWS finds no budget '${scope.budgetName}' in AWS account ${scope.accountId} for ${who}.${said} Check the account ID and the budget name (as the Budgets console lists it) in Settings.`,
    );
  }
  if (THROTTLED.has(name)) {
    return new ProviderError(
      'rate_limited',
      `${scope.service} is throttling requests for ${who} (${name}). Headroom will ask again later.`,
    );
  }
  if (name === 'InvalidParameterException') {
    return new ProviderError(
      'config',
      `${scope.service} refused the request for ${budget} as invalid (${name}).${said} Check the account ID and budget name in Settings.`,
    );
  }
  if (SERVER.has(name) || $fault === 'server' || (status !== undefined && status >= 500)) {
    return new ProviderError(
      'server',
      `${scope.service} answered with a server error for ${who} (${name}${http ? `, ${http}` : ''}); this is usually temporary and Headroom will try again.`,
    );
  }
  if (status === 401 || status === 403) {
    return new ProviderError(
      'auth',
      `${scope.service} refused the credentials of ${who} from ${scope.credentials} (${name}, HTTP ${String(status)}).${said} Check them in Settings.`,
    );
  }
  if (status === 404) {
    return new ProviderError(
      'config',
      `${scope.service} has nothing at the endpoint in Settings for ${who} (HTTP 404); leave the endpoint empty for AWS's own, or check the proxy's address.`,
    );
  }
  return new ProviderError(
    'bad_response',
    `${scope.service} sent an answer Headroom does not expect for ${who} (${name}${http ? `, ${http}` : ''}).${said}`,
  );
}
