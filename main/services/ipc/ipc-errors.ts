import type { z } from 'zod';
import type { IpcError, IpcInvokeChannel } from '../../../shared/ipc';
import { AccountInputError, AccountNotFoundError } from '../accounts/account-input';
import { HistoryError } from '../../engine/history/history-error';
import { keychainFix } from '../secrets/keychain-messages';
import { isSecretStoreUnavailable } from '../secrets/secret-store';
import { describeProblems, problemsOf } from '../../engine/problems';
import { InvalidSettingsChangeError } from '../settings/settings-store';
import type { AppLog } from '../app-events';

/** A request main refuses on purpose (a link that is not http(s)); the message says why. */
export class ForbiddenRequestError extends Error {
  override readonly name = 'ForbiddenRequestError';
}

export function invalidRequest(channel: IpcInvokeChannel, error: z.ZodError): IpcError {
  const problems = problemsOf(error);
  return {
    code: 'invalid_request',
    message: `Headroom refused a malformed "${channel}" request: ${describeProblems(problems)}.`,
    problems,
  };
}

/**
 * Turns a failure into an error reply. Failures the engine understands keep their message (written
 * for a person, never holding a secret); anything else is a bug: logged in full, and answered with
 * a message that names what failed and where the details are, so no stray text crosses to the page.
 */
export function toIpcError(
  channel: IpcInvokeChannel,
  error: unknown,
  log: AppLog,
  platform: NodeJS.Platform,
): IpcError {
  if (error instanceof AccountInputError)
    return { code: 'invalid_request', message: error.message, problems: [...error.problems] };
  if (error instanceof AccountNotFoundError)
    return {
      code: 'not_found',
      message: `There is no account with the id "${error.accountId}"; it may have been deleted meanwhile.`,
    };
  if (isSecretStoreUnavailable(error))
    return { code: 'keychain_unavailable', message: `${error.message} ${keychainFix(error.problem, platform)}` };
  if (error instanceof HistoryError)
    return { code: error.kind === 'invalid' ? 'invalid_request' : 'failed', message: error.message };
  if (error instanceof InvalidSettingsChangeError) return { code: 'invalid_request', message: error.message };
  if (error instanceof ForbiddenRequestError) return { code: 'forbidden', message: error.message };
  log('error', `The "${channel}" request failed unexpectedly.`, error);
  return {
    code: 'failed',
    message: `Headroom could not complete "${channel}" because of an unexpected error; the log has the details (Open logs folder in the tray menu).`,
  };
}
