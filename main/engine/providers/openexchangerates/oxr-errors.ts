import { z } from 'zod';
import { ProviderError } from '../../errors';
import type { HttpResponse } from '../../http/client';
import { readErrorBody, unexpectedStatus } from '../../http/parse';
import { quoteSafely } from '../../http/redact';
import type { FetchContext } from '../provider';

/** Open Exchange Rates' error answers, the same for every endpoint (https://docs.openexchangerates.org/reference/errors). */

export const OXR_ACCOUNT_PAGE = 'https://openexchangerates.org/account';

/** The documented error body: `{"error": true, "status": 401, "message": "invalid_app_id", "description": "…"}`. */
const errorBodySchema = z.object({
  error: z.literal(true),
  status: z.number().optional(),
  message: z.string(),
  description: z.string().optional(),
});
type ErrorBody = z.infer<typeof errorBodySchema>;

/** `reading` says what was asked for, as in "… to read its usage" or "… to read the latest rates". */
export function oxrErrorFor(response: HttpResponse, context: FetchContext, reading: string): ProviderError {
  const body = readErrorBody(response, context.messages, errorBodySchema);
  const who = `'${context.messages.account}'`;
  switch (body?.message) {
    case 'missing_app_id':
      return new ProviderError(
        'auth',
        `Open Exchange Rates received no App ID for ${who}${says(body, context)}. Enter the App ID in Settings.`,
      );
    case 'invalid_app_id':
      return new ProviderError(
        'auth',
        `Open Exchange Rates does not recognise the App ID of ${who}${says(body, context)}. Check the App ID in Settings (${OXR_ACCOUNT_PAGE}/app-ids lists yours).`,
      );
    case 'access_restricted':
      return oxrRestricted(context, body);
    case 'not_allowed':
      return new ProviderError(
        'auth',
        `Open Exchange Rates does not allow the App ID of ${who} to read ${reading}${says(body, context)}. Check the plan at ${OXR_ACCOUNT_PAGE}.`,
      );
    default:
      return unexpectedStatus(response, context.messages);
  }
}

/** The App ID works but OXR has restricted it: a plan or payment matter, not a wrong ID. */
export function oxrRestricted(context: FetchContext, body: ErrorBody | undefined): ProviderError {
  return new ProviderError(
    'auth',
    `Open Exchange Rates has restricted access for the App ID of '${context.messages.account}'${says(body, context)}; this usually means the plan's requests are used up or a payment is overdue. Check the plan and billing at ${OXR_ACCOUNT_PAGE}, or contact Open Exchange Rates support.`,
  );
}

function says(body: ErrorBody | undefined, context: FetchContext): string {
  const description = body?.description?.trim();
  if (!description) return '';
  return ` (it says: "${quoteSafely(description, context.messages.secrets)}")`;
}
