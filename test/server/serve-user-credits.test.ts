import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { parseConfig } from '../../main/engine/config/config-file';
import { alertMessageSchema } from '../../main/server/alert-message';
import { startServe, type RunningServe } from '../../main/server/serve-runtime';
import { SERVE_STATE_FILE, serveStateSchema } from '../../main/server/serve-state';
import type { ConfigFile } from '../../shared/config-file';
import { snapshotSchema, type Snapshot } from '../../shared/snapshot';
import {
  ARCGIS_MOCK_MEMBERS,
  ARCGIS_MOCK_PASSWORD,
  ARCGIS_MOCK_USERS,
  startArcgisMock,
  type ArcgisMock,
  type ArcgisMockMember,
} from '../mock-servers/arcgis';
import { sendText, startMockServer, type MockServer } from '../mock-servers/harness';
import { ManualClock } from '../support/manual-clock';
import { startSmtpSink, type SmtpSink } from './smtp-sink';
import { requireBinary, runProgram, selfSignedCertificate, waitFor } from './system-tools';

/**
 * `serve` against the ArcGIS mock with credit budgeting on: members crossing their thresholds
 * between checks are told by mail, a JSON webhook and a Slack webhook, once, across a restart.
 * The poller runs on a ManualClock, so "the next check" (and the member list's next read, due
 * every 15 minutes) comes when the test moves time, not after real minutes.
 */

const LOGIN = { user: 'alerts@example.org', pass: 'smtp pass' };
const MINUTE = 60_000;
let arcgis: ArcgisMock;
let sink: SmtpSink;
let cert: { keyPath: string; certPath: string };
let receiver: MockServer;
/** Answers of the webhook receiver to come, before it answers 200 again. */
const failNext: { json: number; slack: number } = { json: 0, slack: 0 };

beforeAll(async () => {
  arcgis = await startArcgisMock();
  cert = await selfSignedCertificate(await mkdtemp(join(tmpdir(), 'headroom-members-mail-')));
  sink = await startSmtpSink({ ...cert, login: LOGIN });
  receiver = await startMockServer((request, res) => {
    const hook = request.path === '/json' ? 'json' : 'slack';
    if (failNext[hook] > 0) {
      failNext[hook] -= 1;
      sendText(res, 503, 'text/plain', 'unavailable');
      return;
    }
    sendText(res, 200, 'text/plain', 'ok');
  });
});
afterAll(async () => {
  await Promise.all([arcgis.close(), sink.close(), receiver.close()]);
});

const configFile: ConfigFile = {
  timeoutSeconds: 5,
  accounts: [
    {
      id: 'gis',
      provider: 'arcgis',
      label: 'GIS org',
      intervalMinutes: 15,
      enabled: true,
      config: { username: ARCGIS_MOCK_USERS.admin, reportIntervalMinutes: 15 },
      secrets: { password: { env: 'GIS_PASSWORD' } },
    },
  ],
  server: {
    mail: { to: ['ops@example.org'], from: 'Headroom <alerts@example.org>' },
    webhooks: [
      { url: { env: 'HOOK_JSON' }, format: 'json' },
      { url: { env: 'HOOK_SLACK' }, format: 'slack' },
    ],
  },
};

interface Serving {
  running: RunningServe;
  log: string[];
  clock: ManualClock;
  /**
   * Moves the clock minute by minute until the next check has started, then waits for its snapshot and for every alert
   * to be delivered.
   */
  nextCheck(): Promise<Snapshot>;
}

async function serve(stateDir: string): Promise<Serving> {
  const env = {
    GIS_PASSWORD: ARCGIS_MOCK_PASSWORD,
    HOOK_JSON: `${receiver.url}/json`,
    HOOK_SLACK: `${receiver.url}/slack`,
    HEADROOM_SMTP_URL: `smtp://127.0.0.1:${sink.port}`,
    HEADROOM_SMTP_USER: LOGIN.user,
    HEADROOM_SMTP_PASSWORD: LOGIN.pass,
    HEADROOM_SMTP_CA_FILE: cert.certPath,
  };
  const file = {
    ...configFile,
    accounts: configFile.accounts.map((account) => ({
      ...account,
      config: { ...account.config, portalUrl: arcgis.url },
    })),
  };
  const loaded = parseConfig(JSON.stringify(file), 'team.json', env);
  const clock = new ManualClock(Date.now());
  const started: string[] = [];
  const log: string[] = [];
  const running = await startServe({
    accounts: loaded.accounts,
    readSecrets: (account) => {
      // Called first thing in every check, right after its checkedAt was taken from the clock.
      started.push(new Date(clock.now()).toISOString());
      return loaded.readSecrets(account);
    },
    timeoutSeconds: loaded.file.timeoutSeconds,
    alerts: loaded.file.server,
    configPath: 'team.json',
    host: '127.0.0.1',
    port: 0,
    stateDir,
    env,
    log: (level, message) => log.push(`${level}: ${message}`),
    retryPolicy: { firstDelayMs: 50, maxDelayMs: 200, giveUpAfterMs: 60_000 },
    processMetrics: false,
    clock,
  });
  const nextCheck = async (): Promise<Snapshot> => {
    const before = started.length;
    for (let minute = 0; minute < 40 && started.length === before; minute++) {
      clock.advance(MINUTE);
      await new Promise((resolve) => setImmediate(resolve));
    }
    const checkedAt = started[before];
    if (checkedAt === undefined) throw new Error('no check within 40 minutes of the manual clock');
    const snapshot = await waitFor(
      `the check of ${checkedAt}`,
      async () => (await snapshots(running.url)).find((candidate) => candidate.checkedAt === checkedAt),
      { timeoutMs: 10_000, intervalMs: 50 },
    );
    await waitFor('every alert delivered', async () => ((await pendingAlerts(running.url)) === 0 ? true : undefined), {
      timeoutMs: 10_000,
      intervalMs: 50,
    });
    return snapshot;
  };
  return { running, log, clock, nextCheck };
}

async function snapshots(url: string): Promise<Snapshot[]> {
  return z.array(snapshotSchema).parse(await (await fetch(`${url}/api/snapshots`)).json());
}

async function metricsText(url: string): Promise<string> {
  return (await fetch(`${url}/metrics`)).text();
}

async function pendingAlerts(url: string): Promise<number> {
  const lines = (await metricsText(url)).split('\n').filter((line) => line.startsWith('headroom_alerts_pending{'));
  return lines.reduce((sum, line) => sum + Number(line.split(' ').pop()), 0);
}

const jsonBodySchema = alertMessageSchema.extend({ source: z.literal('headroom') });

/**
 * The alerts each channel received: mail as the sink accepted it, webhook bodies once each (the
 * receiver records refused attempts too, and a retry sends the same body again).
 */
function deliveries(): {
  mail: { subject: string; text: string; id: string | undefined }[];
  json: z.infer<typeof jsonBodySchema>[];
  slack: string[];
} {
  const bodies = (path: string): string[] => [
    ...new Set(receiver.requests.filter((request) => request.path === path).map((request) => request.body)),
  ];
  return {
    mail: sink.received.map((mail) => ({
      subject: mail.subject,
      text: mail.text,
      id: mail.headers.get('x-headroom-alert-id'),
    })),
    json: bodies('/json').map((body) => jsonBodySchema.parse(JSON.parse(body))),
    slack: bodies('/slack').map((body) => z.object({ text: z.string() }).parse(JSON.parse(body)).text),
  };
}

function member(username: string, assignedCredits: number, availableCredits: number): ArcgisMockMember {
  return {
    username,
    fullName: username.replace(/\./g, ' ').replace(/\b\w/g, (letter) => letter.toUpperCase()),
    role: 'org_user',
    assignedCredits,
    availableCredits,
  };
}

/** The mock's members with some allocations changed. */
function membersWith(changes: Record<string, number>, extra: ArcgisMockMember[] = []): ArcgisMockMember[] {
  return [
    ...ARCGIS_MOCK_MEMBERS.map((entry) =>
      changes[entry.username] === undefined ? entry : { ...entry, availableCredits: changes[entry.username] ?? null },
    ),
    ...extra,
  ];
}

describe('serve: members low on credits', () => {
  it('tells by mail and webhooks who crossed a threshold, once, across checks and a restart', async () => {
    const stateDir = await mkdtemp(join(tmpdir(), 'headroom-serve-members-'));
    // A state file as the previous version wrote it (no userCredits field) must load.
    await writeFile(
      join(stateDir, SERVE_STATE_FILE),
      JSON.stringify({
        version: 1,
        savedAt: new Date().toISOString(),
        alerts: { gis: { meters: {}, consecutiveFailures: 0, outageNotified: false } },
        outbox: [],
        snapshots: {},
      }),
    );
    arcgis.setBudgeting(true);
    arcgis.setMembers(ARCGIS_MOCK_MEMBERS);
    // The first attempt of each channel fails once: the alert is retried, not lost, and arrives once.
    sink.refuseNext(1, 451);
    failNext.json = 1;

    const first = await serve(stateDir);
    try {
      expect(first.log.join('\n')).not.toContain('could not be read');
      const checked = await first.nextCheck();
      expect(checked.status).toBe('ok');
      // /api/snapshots carries the members' view with each member's level.
      expect(checked.views?.userCredits?.users.map((user) => `${user.username}:${user.level}`)).toEqual([
        'dana.kowalski:critical',
        'amara.okafor:critical',
        'ben.hughes:warning',
        'farah.haddad:ok',
        'chen.wei:ok',
        'field-app:ok',
        'eli.martin:ok',
        'gis-admin:ok',
      ]);

      const title = "Critical: 3 members of 'GIS org' are low on credits";
      const afterFirst = deliveries();
      expect(afterFirst.mail.map((mail) => mail.subject)).toEqual([`[Headroom] ${title}`]);
      expect(sink.refused()).toBe(1);
      expect(afterFirst.mail[0]?.text.split('\n').slice(0, 4)).toEqual([
        'Dana Kowalski (dana.kowalski): 0 of 250 credits left (0 %)',
        'Amara Okafor (amara.okafor): 12.5 of 500 credits left (3 %)',
        'Ben Hughes (ben.hughes): 61.2 of 400 credits left (15 %)',
        `From the member list read ${new Date(checked.views?.userCredits?.readAt ?? '').toISOString().replace('T', ' ').slice(0, 16)} UTC; each member is judged on their own allocation (the account's userCredits rule).`,
      ]);
      expect(afterFirst.json).toHaveLength(1);
      expect(receiver.requests.filter((request) => request.path === '/json')).toHaveLength(2);
      const [alert] = afterFirst.json;
      expect(alert).toMatchObject({
        id: afterFirst.mail[0]?.id,
        severity: 'critical',
        accountId: 'gis',
        provider: 'arcgis',
        title,
      });
      expect(alert?.notification).toMatchObject({ type: 'userCredits', level: 'critical', worseCount: 3, lowCount: 3 });
      expect(
        alert?.notification.type === 'userCredits' &&
          alert.notification.users.map((user) => [user.username, user.level, user.available]),
      ).toEqual([
        ['dana.kowalski', 'critical', 0],
        ['amara.okafor', 'critical', 12.5],
        ['ben.hughes', 'warning', 61.2],
      ]);
      expect(afterFirst.slack).toEqual([`*${title}*\n${afterFirst.mail[0]?.text.trimEnd()}`]);

      const metrics = await metricsText(first.running.url);
      const members = (level: string): string =>
        `headroom_user_credits_members{account="gis",provider="arcgis",level="${level}"}`;
      expect(metrics).toContain(`${members('critical')} 2\n`);
      expect(metrics).toContain(`${members('warning')} 1\n`);
      expect(metrics).toContain(`${members('ok')} 5\n`);
      expect(metrics).toContain(`${members('unknown')} 0\n`);
      expect(metrics).toContain('headroom_user_credits_lowest_remaining_ratio{account="gis",provider="arcgis"} 0\n');
      const promtool = await runProgram(requireBinary('promtool', 'prometheus'), ['check', 'metrics'], {
        input: metrics,
      });
      expect({ code: promtool.code, problems: promtool.stdout + promtool.stderr }).toEqual({ code: 0, problems: '' });
      expect(metrics).toContain(
        `headroom_user_credits_read_timestamp_seconds{account="gis",provider="arcgis"} ${Date.parse(checked.views?.userCredits?.readAt ?? '') / 1000}\n`,
      );

      // Between checks Farah drops to critical and Chen to warning: one alert naming the two of them.
      arcgis.setMembers(membersWith({ 'farah.haddad': 10, 'chen.wei': 150 }));
      const second = await first.nextCheck();
      expect(Date.parse(second.views?.userCredits?.readAt ?? '')).toBeGreaterThan(
        Date.parse(checked.views?.userCredits?.readAt ?? ''),
      );
      const afterSecond = deliveries();
      expect(afterSecond.mail.map((mail) => mail.subject)).toEqual([
        `[Headroom] ${title}`,
        "[Headroom] Critical: 2 members of 'GIS org' are low on credits",
      ]);
      expect(afterSecond.mail[1]?.text.split('\n').slice(0, 3)).toEqual([
        'Farah Haddad (farah.haddad): 10 of 300 credits left (3 %)',
        'Chen Wei (chen.wei): 150 of 1,000 credits left (15 %)',
        '3 other members were already low.',
      ]);
      expect(afterSecond.json.map((body) => body.title)).toEqual([
        title,
        "Critical: 2 members of 'GIS org' are low on credits",
      ]);
      expect(afterSecond.slack).toHaveLength(2);

      // Nobody gets worse: nothing more is said, though the list is read again.
      const reads = arcgis.calls('portals/self/users').length;
      await first.nextCheck();
      await first.nextCheck();
      expect(arcgis.calls('portals/self/users').length).toBeGreaterThan(reads);
      expect(deliveries().mail).toHaveLength(2);
      expect(deliveries().json).toHaveLength(2);
    } finally {
      await first.running.stop();
    }
    const saved = serveStateSchema.parse(JSON.parse(await readFile(first.running.stateFile, 'utf8')));
    expect(saved.userCredits).toEqual({
      gis: {
        'dana.kowalski': 'critical',
        'amara.okafor': 'critical',
        'ben.hughes': 'warning',
        'farah.haddad': 'critical',
        'chen.wei': 'warning',
      },
    });
    expect(saved.outbox).toEqual([]);

    // After a restart the member list is read afresh: the same members still low are not told again.
    const restarted = await serve(stateDir);
    try {
      const again = await restarted.nextCheck();
      expect(again.views?.userCredits?.users.filter((user) => user.level !== 'ok')).toHaveLength(5);
      expect(deliveries().mail).toHaveLength(2);
      expect(restarted.log.filter((line) => line.startsWith('info: alert: '))).toEqual([]);

      // Chen becomes critical and six newcomers are low: seven named up to five, then "and 2 more".
      const newcomers = ['gail.ames', 'hugo.lind', 'iris.moreau', 'jon.park', 'kim.osei', 'lea.vogt'].map((name) =>
        member(name, 100, 10),
      );
      arcgis.setMembers(membersWith({ 'farah.haddad': 10, 'chen.wei': 20 }, newcomers));
      await restarted.nextCheck();
      const last = deliveries().mail.at(-1);
      expect(deliveries().mail).toHaveLength(3);
      expect(last?.subject).toBe("[Headroom] Critical: 7 members of 'GIS org' are low on credits");
      expect(last?.text.split('\n').slice(0, 8)).toEqual([
        'Chen Wei (chen.wei): 20 of 1,000 credits left (2 %)',
        'Gail Ames (gail.ames): 10 of 100 credits left (10 %)',
        'Hugo Lind (hugo.lind): 10 of 100 credits left (10 %)',
        'Iris Moreau (iris.moreau): 10 of 100 credits left (10 %)',
        'Jon Park (jon.park): 10 of 100 credits left (10 %)',
        'and 2 more.',
        '4 other members were already low.',
        expect.stringMatching(/^From the member list read /),
      ]);
      const json = deliveries().json.at(-1);
      expect(json?.notification).toMatchObject({ type: 'userCredits', worseCount: 7, lowCount: 11 });
      expect(json?.notification.type === 'userCredits' && json.notification.users).toHaveLength(7);
    } finally {
      await restarted.running.stop();
    }
    expect((await readdir(stateDir)).filter((name) => name.includes('unreadable'))).toEqual([]);
  });
});
