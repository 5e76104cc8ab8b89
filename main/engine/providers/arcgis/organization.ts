import { z } from 'zod';
import { engineNames } from '../../../../shared/i18n/locales/engine-names';
import type { MeterReading, SubscriptionView } from '../../../../shared/snapshot';
import { ProviderError } from '../../errors';
import { epochMsSchema } from './connection';
import type { Messages } from './errors';

const DAY_MS = 86_400_000;

/**
 * Only the fields Headroom reads of `portals/self`; the answer has dozens more (see seed 000's
 * organizationInformation). The credit-budgeting fields come from the ArcGIS API for Python's
 * CreditManager (seed 001): `creditAssignments` "enabled" when budgeting is on,
 * `defaultUserCreditAssignment` -1 for unlimited.
 */
export const portalSelfSchema = z.object({
  isPortal: z.boolean().optional(),
  /** Can go below zero: an organization may overspend its credits. */
  availableCredits: z.number().nullish(),
  storageUsage: z.number().min(0).nullish(),
  storageQuota: z.number().nullish(),
  creditAssignments: z.string().nullish(),
  defaultUserCreditAssignment: z.number().nullish(),
  subscriptionInfo: z
    .object({
      type: z.string().nullish(),
      state: z.string().nullish(),
      expDate: epochMsSchema.nullish(),
    })
    .nullish(),
  /** Present only when the token was accepted: without it this is the anonymous view. */
  user: z.object({ username: z.string() }).nullish(),
});
export type PortalSelf = z.infer<typeof portalSelfSchema>;

/**
 * What portals/self tells about the organization, checked: an ArcGIS Online organization seen by a signed-in member.
 */
export interface Organization {
  username: string;
  availableCredits: number;
  budgeting: 'on' | 'off' | 'unknown';
  /** What a new member is allocated; null: unlimited (-1, or budgeting off) or not reported. */
  defaultAllocation: number | null;
  meters: { storage: MeterReading | undefined; subscription: MeterReading | undefined };
  /** The subscription's plan and end, beside its meter; undefined when portals/self does not show it. */
  subscription: SubscriptionView | undefined;
}

export function organizationOf(portal: PortalSelf, portalUrl: string, messages: Messages, now: Date): Organization {
  const { service, account } = messages;
  if (portal.isPortal === true) {
    throw new ProviderError(
      'config',
      `The portal at ${portalUrl} for '${account}' is ArcGIS Enterprise, which has no credits to report; Headroom watches ArcGIS Online organizations. Check the portal address in Settings.`,
    );
  }
  if (!portal.user) {
    throw new ProviderError(
      'auth',
      `${service} answered for '${account}' as if nobody had signed in: it did not accept the sign-in token. Check the portal address and the user name in Settings.`,
    );
  }
  if (portal.availableCredits === null || portal.availableCredits === undefined) {
    throw new ProviderError(
      'config',
      `${service} does not show the organization's credits to '${portal.user.username}' for '${account}': only administrators (or members whose role may view the organization's credit status) can read them. Use such an account in Settings.`,
    );
  }
  const budgeting = budgetingOf(portal.creditAssignments);
  const allocation = portal.defaultUserCreditAssignment;
  return {
    username: portal.user.username,
    availableCredits: portal.availableCredits,
    budgeting,
    // Without budgeting the default is not applied: every member may use the organization's credits.
    defaultAllocation:
      budgeting !== 'on' || allocation === null || allocation === undefined || allocation < 0 ? null : allocation,
    meters: { storage: storageMeter(portal), subscription: subscriptionMeter(portal, now) },
    subscription: subscriptionView(portal),
  };
}

function budgetingOf(creditAssignments: string | null | undefined): Organization['budgeting'] {
  if (creditAssignments === 'enabled') return 'on';
  if (creditAssignments === 'disabled') return 'off';
  return 'unknown';
}

export function creditsMeter(remaining: number, budget: number | undefined): MeterReading {
  return {
    id: 'credits',
    label: engineNames.meter.credits,
    unit: 'credits',
    used: budget === undefined ? null : budget - remaining,
    limit: budget ?? null,
    remaining,
    unlimited: false,
  };
}

/** Omitted when ArcGIS does not report the usage: an invented zero would look like an empty store. */
function storageMeter(portal: PortalSelf): MeterReading | undefined {
  const used = portal.storageUsage;
  if (used === null || used === undefined) return undefined;
  // A quota of zero or less is not a real limit; show the usage without a percentage.
  const quota =
    portal.storageQuota !== null && portal.storageQuota !== undefined && portal.storageQuota > 0
      ? portal.storageQuota
      : null;
  return {
    id: 'storage',
    label: engineNames.meter.storage,
    unit: 'bytes',
    used,
    limit: quota,
    remaining: quota === null ? null : quota - used,
    unlimited: false,
  };
}

/**
 * The days left of the subscription: its credits go with it. A countdown without `resetsAt`: the
 * forecast rule "runs out before the period resets" would compare the countdown with its own end
 * and, with days rounded down, warn at most polls (see the arcgis tests). The date is in the note.
 */
function subscriptionMeter(portal: PortalSelf, now: Date): MeterReading | undefined {
  const expDate = portal.subscriptionInfo?.expDate;
  if (expDate === null || expDate === undefined) return undefined;
  const ended = expDate <= now.getTime();
  const date = new Date(expDate).toISOString().slice(0, 10);
  const type = portal.subscriptionInfo?.type?.trim();
  const what = type ? `The subscription (${type})` : 'The subscription';
  return {
    id: 'subscription',
    label: engineNames.meter.subscription,
    unit: 'days',
    used: null,
    limit: null,
    // Tenths of a day, rounded down: never more time than there is.
    remaining: ended ? 0 : Math.floor(((expDate - now.getTime()) / DAY_MS) * 10) / 10,
    unlimited: false,
    note: `${what} ${ended ? 'ended' : 'ends'} on ${date} (UTC).`,
  };
}

function subscriptionView(portal: PortalSelf): SubscriptionView | undefined {
  const expDate = portal.subscriptionInfo?.expDate;
  if (expDate === null || expDate === undefined) return undefined;
  return { type: portal.subscriptionInfo?.type?.trim() || null, endsAt: new Date(expDate).toISOString() };
}
