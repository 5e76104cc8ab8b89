import { z } from 'zod';
import type { AdministratorFigure, MeterReading, ViewsReading } from '../../../../shared/snapshot';
import { validateShape } from '../../http/parse';
import { ArcgisConnection } from './connection';
import { readCreditUsage, reportedCredits, type CreditUsage } from './credit-usage';
import { portalFailure } from './errors';
import { readMembers, userCreditsReading, type Members } from './members';
import { creditsMeter, organizationOf, portalSelfSchema, type Organization, type PortalSelf } from './organization';
import { ReportUnavailable, ScheduledReport, type ReportState } from './reports';
import { baseUrlSchema, defineProvider, type AccountSession, type FetchContext, type FetchResult } from '../provider';

export { ARCGIS_TOKEN_MINUTES, ARCGIS_TOKEN_RENEW_BEFORE_MS } from './connection';

/**
 * ArcGIS Online: a token from `POST {portalUrl}/sharing/rest/generateToken`, then at every poll the
 * organization as the signed-in user sees it from `GET {portalUrl}/sharing/rest/portals/self`
 * (`availableCredits`, storage, credit budgeting, the subscription's end). On a slower schedule of
 * their own (`reportIntervalMinutes`), the heavier reports an administrator may read: credits used
 * per service and per day (`portals/self/usage`) and, with credit budgeting on, every member's
 * allocation (`portals/self/users`). None of these reads costs credits.
 */

export const ARCGIS_DEFAULT_PORTAL_URL = 'https://www.arcgis.com';
export const ARCGIS_DEFAULT_REPORT_INTERVAL_MINUTES = 60;

/** People paste the address they see: `…/home` or `…/sharing/rest` work as well as the bare portal. */
const portalUrlSchema = baseUrlSchema.transform((url) => url.replace(/\/(?:home|sharing(?:\/rest)?)$/i, ''));

const configSchema = z.strictObject({
  portalUrl: portalUrlSchema.default(ARCGIS_DEFAULT_PORTAL_URL),
  username: z.string({ error: 'enter the ArcGIS user name' }).trim().min(1, 'enter the ArcGIS user name'),
  /** ArcGIS reports what is left, not a limit: a budget makes percentages possible. */
  creditBudget: z.number().positive().optional(),
  /** How often the usage statistics and the member list are read; the balance is read at every poll. */
  reportIntervalMinutes: z
    .number()
    .int()
    .min(15)
    .max(24 * 60)
    .default(ARCGIS_DEFAULT_REPORT_INTERVAL_MINUTES),
});
type ArcgisConfig = z.infer<typeof configSchema>;

const secretsSchema = z.object({ password: z.string().min(1) });
type ArcgisSecrets = z.infer<typeof secretsSchema>;

export const arcgisProvider = defineProvider({
  id: 'arcgis',
  name: 'ArcGIS Online',
  configSchema,
  secretsSchema,
  secretFields: [
    {
      key: 'password',
      label: 'Password',
      help: "The password of the ArcGIS user name above. An administrator account can read the organization's credits, their use per service and per day, and members' credit budgets.",
    },
  ],
  minIntervalMinutes: 5,
  reportsMemberCredits: true,
  usageCallCountsAgainstQuota: false,
  createSession: ({ config, secrets }) => new ArcgisSession(config, secrets),
});

class ArcgisSession implements AccountSession {
  private readonly connection: ArcgisConnection;
  private readonly usage: ScheduledReport<CreditUsage | ReportUnavailable>;
  private readonly members: ScheduledReport<Members | ReportUnavailable>;
  /** The daily use seeds the history once per session: later polls observe the balance themselves. */
  private seeded = false;

  constructor(
    private readonly config: ArcgisConfig,
    secrets: ArcgisSecrets,
  ) {
    this.connection = new ArcgisConnection(config.portalUrl, config.username, secrets.password);
    const interval = config.reportIntervalMinutes * 60_000;
    this.usage = new ScheduledReport(interval);
    this.members = new ScheduledReport(interval);
  }

  async fetch(context: FetchContext): Promise<FetchResult> {
    const portal = await this.readPortalSelf(context);
    const now = context.now();
    const organization = organizationOf(portal, this.config.portalUrl, context.messages, now);
    // One request at a time: the reports follow the balance, never in parallel with it.
    const usage = await this.usage.get(now.getTime(), () =>
      readCreditUsage(this.connection, context, organization.username, now),
    );
    const members =
      organization.budgeting === 'on'
        ? await this.members.get(now.getTime(), () => readMembers(this.connection, context, organization.username))
        : undefined;

    const { storage, subscription } = organization.meters;
    const credits = withUsage(creditsMeter(organization.availableCredits, this.config.creditBudget), usage);
    const meters = [credits, ...(storage ? [storage] : []), ...(subscription ? [subscription] : [])];
    const needsAdministrator = figuresNeedingAdministrator(organization, usage, members);
    const views: ViewsReading = {
      userCredits: userCreditsReading(organization, members, now),
      ...(organization.subscription ? { subscription: organization.subscription } : {}),
      ...(needsAdministrator.length ? { needsAdministrator } : {}),
    };
    const read = usage.last?.value;
    if (!this.seeded && usage.fresh && read && !(read instanceof ReportUnavailable)) {
      this.seeded = true;
      return {
        meters,
        views,
        reported: [reportedCredits(read, organization.availableCredits, this.config.creditBudget)],
      };
    }
    return { meters, views };
  }

  private async readPortalSelf(context: FetchContext): Promise<PortalSelf> {
    const answer = await this.connection.get(context, 'portals/self');
    if (!answer.ok) throw portalFailure(answer.error, this.config.username, answer.messages);
    return validateShape(portalSelfSchema, answer.body, answer.messages, 'its organization details');
  }
}

/** The reports this user may not read for want of administrator rights (budgeting not shown to them counts too). */
function figuresNeedingAdministrator(
  organization: Organization,
  usage: ReportState<CreditUsage | ReportUnavailable>,
  members: ReportState<Members | ReportUnavailable> | undefined,
): AdministratorFigure[] {
  const denied = (report: ReportState<unknown> | undefined): boolean =>
    report?.last?.value instanceof ReportUnavailable && report.last.value.needsAdministrator;
  return [
    ...(denied(usage) ? (['usage'] as const) : []),
    ...(organization.budgeting === 'unknown' || denied(members) ? (['members'] as const) : []),
  ];
}

/** The credits meter with this month's use per service, or a note saying why it is missing or old. */
function withUsage(meter: MeterReading, report: ReportState<CreditUsage | ReportUnavailable>): MeterReading {
  const last = report.last;
  if (!last) return { ...meter, note: `Credits by service could not be read: ${report.failure ?? 'not read yet'}` };
  if (last.value instanceof ReportUnavailable) return { ...meter, note: last.value.reason };
  const breakdown = last.value.byService;
  if (report.failure === undefined) return { ...meter, breakdown };
  return {
    ...meter,
    breakdown,
    note: `Credits by service are from ${utcMinute(last.readAt)}; reading them again failed: ${report.failure}`,
  };
}

function utcMinute(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}
