import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { HistorySeries } from '../../../shared/history';
import type { AccountEntry, AppState } from '../../../shared/ipc';
import type { MemberCredits, Meter, Snapshot, Views } from '../../../shared/snapshot';
import { windowSnapshots } from '../../../main/services/ipc/window-snapshots';

export interface DashboardFixture {
  snapshots: Snapshot[];
  accounts: AccountEntry[];
  history: HistorySeries[];
  appState: AppState;
}

/** Members of an organization with credit budgeting, a few of them low, some unlimited. */
function members(count: number): MemberCredits[] {
  return Array.from({ length: count }, (_, index) => {
    const username = `member-${index}`;
    if (index % 40 === 0) return { username, assigned: null, available: null, unlimited: true, level: 'ok' as const };
    const assigned = 100 + ((index * 37) % 900);
    const available = (assigned * ((index * 53) % 100)) / 100;
    const share = available / assigned;
    return {
      username,
      fullName: `Member ${index}`,
      assigned,
      available,
      unlimited: false,
      level: share <= 0.05 ? ('critical' as const) : share <= 0.2 ? ('warning' as const) : ('ok' as const),
    };
  });
}

/**
 * `count` ArcGIS accounts named "Organization 0"… of three meters each (credits with breakdowns and
 * forecasts, storage, the subscription's countdown), every 25th with 1,240 members' credit budgets,
 * every 10th failing, and a week of history: a busy dashboard.
 */
export function dashboardFixture(count: number, now: Date): DashboardFixture {
  const iso = (offsetMs: number): string => new Date(now.getTime() + offsetMs).toISOString();
  const snapshots: Snapshot[] = [];
  const accounts: AccountEntry[] = [];
  const history: HistorySeries[] = [];
  for (let index = 0; index < count; index++) {
    const accountId = `account-${index}`;
    const remaining = 1_000 + ((index * 7919) % 49_000);
    const level: Meter['level'] = remaining < 2_500 ? 'critical' : remaining < 10_000 ? 'warning' : 'ok';
    const meters: Meter[] = [
      {
        id: 'credits',
        label: 'Credits',
        unit: 'credits',
        used: 50_000 - remaining,
        limit: 50_000,
        remaining,
        unlimited: false,
        level,
        resetsAt: iso(9 * 86_400_000),
        breakdown: Array.from({ length: 6 }, (_, item) => ({
          key: `api-${item}`,
          label: `API ${item}`,
          used: (50_000 - remaining) / (item + 2),
        })),
        forecast: {
          state: 'ok',
          exhaustsAt: iso(4 * 86_400_000),
          beforeReset: true,
          burnPerDay: 1_200,
          confidence: 'medium',
          basis: null,
        },
      },
      {
        id: 'storage',
        label: 'Storage',
        unit: 'bytes',
        used: 3e9 + (index % 50) * 1e8,
        limit: 1e10,
        remaining: 7e9 - (index % 50) * 1e8,
        unlimited: false,
        level: 'ok',
      },
      {
        id: 'subscription',
        label: 'Subscription',
        unit: 'days',
        used: null,
        limit: null,
        remaining: 10 + index * 7.3,
        unlimited: false,
        level: index < 3 ? 'warning' : 'ok',
      },
    ];
    const views: Views = {
      subscription: { type: 'Organizational', endsAt: iso((10 + index * 7.3) * 86_400_000) },
      userCredits:
        index % 25 === 0
          ? { budgeting: 'on', defaultAllocation: 500, readAt: iso(-600_000), memberCount: 1240, users: members(1240) }
          : { budgeting: 'off', defaultAllocation: null, readAt: iso(-600_000), memberCount: null, users: [] },
    };
    snapshots.push({
      accountId,
      provider: 'arcgis',
      label: `Organization ${index}`,
      status: index % 10 === 3 ? 'error' : 'ok',
      checkedAt: iso(-60_000),
      fetchedAt: iso(-120_000),
      meters,
      views,
      ...(index % 10 === 3
        ? {
            error: {
              kind: 'network' as const,
              message: `ArcGIS Online could not be reached for 'Organization ${index}'.`,
            },
          }
        : {}),
    });
    accounts.push({
      account: { id: accountId, provider: 'arcgis', label: `Organization ${index}`, config: {}, enabled: true },
      providerName: 'ArcGIS Online',
      secrets: [],
      snoozedUntil: null,
    });
    history.push({
      accountId,
      meterId: 'credits',
      label: 'Credits',
      unit: 'credits',
      points: Array.from({ length: 48 }, (_, point) => ({
        at: iso(-(48 - point) * 3.5 * 3_600_000),
        used: null,
        limit: 50_000,
        remaining: remaining + (48 - point) * 100,
        resetsAt: null,
        source: 'observed' as const,
      })),
    });
  }
  const appState: AppState = {
    version: 'fixture',
    preferences: {
      launchAtLogin: false,
      theme: 'system',
      notificationsEnabled: true,
      language: 'system',
      pausedUntil: null,
      defaultIntervalMinutes: 15,
      displayCurrency: null,
    },
    keychain: { available: true },
    notices: [],
    pausedUntil: null,
    platform: 'linux',
    exchangeRates: null,
  };
  return { snapshots, accounts, history, appState };
}

/** The channels the fixture answers, and what main would answer on each: the windows' snapshots, without members. */
export function fixtureReplies(fixture: DashboardFixture): Record<string, unknown> {
  return {
    'snapshots:get': windowSnapshots(fixture.snapshots),
    'accounts:list': fixture.accounts,
    'app:get-state': fixture.appState,
    'history:query': fixture.history,
    'app:open-view': { opened: false },
  };
}

/** `members:get` answers per account: one file each, read when that account's table opens, as main answers. */
export function fixtureMemberReplies(fixture: DashboardFixture): Record<string, unknown> {
  return Object.fromEntries(
    fixture.snapshots.map((snapshot) => [snapshot.accountId, snapshot.views?.userCredits ?? null]),
  );
}

/**
 * Writes the fixture's replies under `dir`, one JSON file per channel (and one per account for `members:get`), as
 * `fixtureApiScript` reads them.
 */
export async function writeFixtureReplies(dir: string, fixture: DashboardFixture): Promise<string[]> {
  await mkdir(join(dir, MEMBERS_DIR), { recursive: true });
  const replies = Object.entries(fixtureReplies(fixture));
  await Promise.all([
    ...replies.map(([channel, value]) => writeFile(join(dir, replyFile(channel)), JSON.stringify(value))),
    ...Object.entries(fixtureMemberReplies(fixture)).map(([accountId, value]) =>
      writeFile(join(dir, MEMBERS_DIR, `${accountId}.json`), JSON.stringify(value)),
    ),
  ]);
  return [...replies.map(([channel]) => channel), 'members:get'];
}

const replyFile = (channel: string): string => `${channel.replace(':', '-')}.json`;
const MEMBERS_DIR = 'members-get';

/**
 * Runs in the page before its scripts: a `window.headroom` that answers `channels` from the files
 * `writeFixtureReplies` wrote, served under `base` on the page's own origin (the CSP allows
 * nothing else), and says no to opening another window, so the page switches views itself: what
 * is measured or tested is the renderer alone. Each reply is fetched and parsed when the page asks
 * for it, as an IPC reply arrives and is read: a fixture held in the script would cost the page
 * its parse before its own scripts, and one file for all replies would have it read the trend
 * lines before the first frame, which main sends later.
 */
export function fixtureApiScript(base: string, channels: readonly string[]): string {
  const files = Object.fromEntries(
    channels.map((channel) => [
      channel,
      channel === 'members:get' ? `${base}/${MEMBERS_DIR}/` : `${base}/${replyFile(channel)}`,
    ]),
  );
  return `(() => {
  const files = ${JSON.stringify(files)};
  const reply = async (channel, request) => {
    if (!(channel in files)) return { ok: false, error: { code: 'failed', message: 'not in the fixture' } };
    const file = channel === 'members:get' ? files[channel] + encodeURIComponent(request.accountId) + '.json' : files[channel];
    const response = await fetch(file);
    if (!response.ok) return { ok: true, value: null };
    return { ok: true, value: await response.json() };
  };
  globalThis.headroom = {
    invoke: (channel, request) => reply(channel, request),
    on: () => () => undefined,
  };
})();`;
}
