import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { composeAlertMessage, type AlertMessage } from '../../main/server/alert-message';
import { parseConfig } from '../../main/engine/config/config-file';
import { createAlertChannels } from '../../main/server/alert-channels';
import { DeliveryError, type AlertChannel } from '../../main/server/channels/channel';
import { createWebhookChannel } from '../../main/server/channels/webhook-channel';
import { ServeSetupError } from '../../main/server/setup-error';
import { serverAlertsSchema } from '../../shared/config-file';
import type { Snapshot } from '../../shared/snapshot';
import { sendText, startMockServer, type MockServer } from '../mock-servers/harness';

const SECRET_PATH = '/services/T000/B000/s3cr3t-hook-token';
let receiver: MockServer;
let answer: (path: string) => { status: number; body?: string; headers?: Record<string, string> } = () => ({
  status: 200,
  body: 'ok',
});

beforeAll(async () => {
  receiver = await startMockServer((request, res) => {
    const { status, body, headers } = answer(request.path);
    sendText(res, status, 'text/plain', body ?? '', headers);
  });
});
afterAll(async () => {
  await receiver.close();
});
beforeEach(() => {
  receiver.requests.length = 0;
  answer = () => ({ status: 200, body: 'ok' });
});

const outage: Snapshot = {
  accountId: 'gis',
  provider: 'arcgis',
  label: 'GIS <org> & co',
  status: 'error',
  checkedAt: '2026-11-20T10:00:00.000Z',
  fetchedAt: null,
  meters: [],
  error: {
    kind: 'auth',
    message: "ArcGIS Online rejected the user name or password for 'GIS <org> & co' — check them in Settings.",
  },
};

function outageAlert(): AlertMessage {
  return composeAlertMessage(
    {
      type: 'outage',
      accountId: 'gis',
      accountLabel: 'GIS <org> & co',
      kind: 'auth',
      message: outage.error?.message ?? '',
    },
    outage,
    new Date('2026-11-20T10:00:00.000Z'),
    'server-1',
  );
}

function channel(format: 'json' | 'slack', headers: Record<string, string> = {}) {
  return createWebhookChannel({
    configured: { url: { env: 'HOOK' }, format },
    position: 2,
    url: `${receiver.url}${SECRET_PATH}`,
    format,
    headers,
    timeoutMs: 1_000,
  });
}

async function failure(promise: Promise<void>): Promise<DeliveryError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(DeliveryError);
  return error as DeliveryError;
}

/** A receiver that takes the connection and never answers, and webhook 1 pointing at it. */
async function silentReceiver(timeoutMs: number): Promise<{ channel: AlertChannel; close(): Promise<void> }> {
  const server = await startMockServer(() => new Promise<void>(() => undefined));
  const channel = createWebhookChannel({
    configured: 'x',
    position: 1,
    url: `${server.url}/hook`,
    format: 'json',
    headers: {},
    timeoutMs,
  });
  return { channel, close: () => server.close() };
}

describe('webhook channel', () => {
  it('POSTs the alert as JSON with the configured headers', async () => {
    const alert = outageAlert();
    await channel('json', { Authorization: 'Bearer hook-secret' }).send(alert, new AbortController().signal);
    expect(receiver.requests).toHaveLength(1);
    const [request] = receiver.requests;
    expect(request?.method).toBe('POST');
    expect(request?.path).toBe(SECRET_PATH);
    expect(request?.headers['content-type']).toBe('application/json');
    expect(request?.headers.authorization).toBe('Bearer hook-secret');
    expect(request?.headers['user-agent']).toMatch(/^Headroom\//);
    expect(JSON.parse(request?.body ?? '')).toEqual({
      source: 'headroom',
      id: alert.id,
      decidedAt: '2026-11-20T10:00:00.000Z',
      severity: 'outage',
      accountId: 'gis',
      provider: 'arcgis',
      title: "'GIS <org> & co' cannot be checked (auth)",
      text: alert.text,
      notification: {
        type: 'outage',
        accountId: 'gis',
        accountLabel: 'GIS <org> & co',
        kind: 'auth',
        message: outage.error?.message,
      },
    });
    expect(alert.text.split('\n')[0]).toBe(outage.error?.message);
  });

  it('sends a Slack-compatible body: text only, with Slack escaping', async () => {
    await channel('slack').send(outageAlert(), new AbortController().signal);
    const body = JSON.parse(receiver.requests[0]?.body ?? '') as { text: string };
    expect(Object.keys(body)).toEqual(['text']);
    expect(
      body.text.startsWith(
        "*'GIS &lt;org&gt; &amp; co' cannot be checked (auth)*\nArcGIS Online rejected the user name or password for 'GIS &lt;org&gt; &amp; co'",
      ),
    ).toBe(true);
  });

  it('gives up on a silent receiver at its deadline even when garbage is collected meanwhile', async () => {
    setFlagsFromString('--expose-gc');
    const collectGarbage = runInNewContext('gc') as () => void;
    const slow = await silentReceiver(300);
    try {
      const sent = failure(slow.channel.send(outageAlert(), new AbortController().signal));
      // Node collects an AbortSignal.timeout held only by AbortSignal.any (nodejs/node#57736).
      for (let round = 0; round < 10; round++) {
        collectGarbage();
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      const outcome = await Promise.race([
        sent,
        new Promise<'still waiting'>((resolve) =>
          setTimeout(() => {
            resolve('still waiting');
          }, 3_000),
        ),
      ]);
      expect(outcome === 'still waiting' ? outcome : outcome.message).toMatch(/did not answer within 0\.3 s\.$/);
    } finally {
      await slow.close();
    }
  });

  it('classifies failures: 5xx and timeouts retry, Retry-After is kept, a refused body is permanent; the URL never shows', async () => {
    answer = () => ({ status: 503, body: `down, see ${SECRET_PATH}`, headers: { 'Retry-After': '120' } });
    const busy = await failure(channel('json').send(outageAlert(), new AbortController().signal));
    expect(busy.permanent).toBe(false);
    expect(busy.retryAt?.getTime()).toBeGreaterThan(Date.now() + 100_000);
    expect(busy.message).toBe(`webhook 2 (${new URL(receiver.url).host}) failed with HTTP 503: "down, see ***".`);

    answer = () => ({ status: 400, body: 'invalid_payload' });
    const refused = await failure(channel('slack').send(outageAlert(), new AbortController().signal));
    expect(refused.permanent).toBe(true);
    expect(refused.message).toMatch(
      /refused the alert \(HTTP 400: "invalid_payload"\); check its "format" in the config file\.$/,
    );

    answer = () => ({ status: 302, headers: { Location: 'http://127.0.0.1:1/elsewhere' } });
    expect((await failure(channel('json').send(outageAlert(), new AbortController().signal))).message).toMatch(
      /redirect \(HTTP 302\)/,
    );

    const slow = await silentReceiver(200);
    try {
      const timedOut = await failure(slow.channel.send(outageAlert(), new AbortController().signal));
      expect(timedOut.message).toMatch(/^webhook 1 \(127\.0\.0\.1:\d+\) did not answer within 0\.2 s\.$/);
      expect(timedOut.permanent).toBe(false);
    } finally {
      await slow.close();
    }

    const gone = createWebhookChannel({
      configured: 'x',
      position: 3,
      url: 'http://127.0.0.1:1/hook',
      format: 'json',
      headers: {},
      timeoutMs: 1_000,
    });
    expect((await failure(gone.send(outageAlert(), new AbortController().signal))).message).toBe(
      'webhook 3 (127.0.0.1:1) could not be reached.',
    );
  });
});

describe('alert channels from the config file', () => {
  it('reads webhook URLs and headers from the environment and keys channels by what the file says', async () => {
    const alerts = serverAlertsSchema.parse({
      webhooks: [
        { url: { env: 'TEAM_HOOK' }, format: 'slack', headers: { 'X-Token': { env: 'HOOK_TOKEN' } } },
        { url: `${receiver.url}/plain` },
      ],
    });
    const first = await createAlertChannels(
      alerts,
      { TEAM_HOOK: `${receiver.url}${SECRET_PATH}`, HOOK_TOKEN: 'tok' },
      'team.json',
    );
    const second = await createAlertChannels(
      alerts,
      { TEAM_HOOK: `${receiver.url}/rotated`, HOOK_TOKEN: 'other' },
      'team.json',
    );
    expect(first.map((entry) => entry.name)).toEqual(['webhook-1', 'webhook-2']);
    expect(first.map((entry) => entry.key)).toEqual(second.map((entry) => entry.key));
    expect(first[0]?.describe).toBe(`webhook 1 (${new URL(receiver.url).host}), Slack format`);
    expect(first.map((entry) => entry.describe).join(' ')).not.toContain(SECRET_PATH);
    await first[0]?.send(outageAlert(), new AbortController().signal);
    expect(receiver.requests[0]?.headers['x-token']).toBe('tok');
  });

  it('says which variable is missing or wrong', async () => {
    const alerts = serverAlertsSchema.parse({ webhooks: [{ url: { env: 'TEAM_HOOK' } }] });
    await expect(createAlertChannels(alerts, {}, 'team.json')).rejects.toThrow(
      new ServeSetupError(
        'team.json: server.webhooks[0].url: the environment variable TEAM_HOOK is not set; set it before starting serve.',
      ),
    );
    await expect(createAlertChannels(alerts, { TEAM_HOOK: 'ftp://example.org' }, 'team.json')).rejects.toThrow(
      /server\.webhooks\[0\]\.url: must be an http/,
    );
    await expect(
      createAlertChannels(serverAlertsSchema.parse({ mail: { to: ['ops@example.org'] } }), {}, 'team.json'),
    ).rejects.toThrow(/asks for mail alerts but HEADROOM_SMTP_URL is not set/);
  });

  it('validates the server section of the config file', () => {
    expect(serverAlertsSchema.safeParse({ mail: { to: [] } }).success).toBe(false);
    expect(serverAlertsSchema.safeParse({ mail: { to: ['not an address'] } }).success).toBe(false);
    expect(serverAlertsSchema.safeParse({ webhooks: [{ url: 'ftp://example.org' }] }).success).toBe(false);
    expect(serverAlertsSchema.safeParse({ webhooks: [{ url: 'https://example.org', format: 'teams' }] }).success).toBe(
      false,
    );
    expect(serverAlertsSchema.safeParse({ webhooks: [{ url: 'https://example.org', extra: 1 }] }).success).toBe(false);
    expect(serverAlertsSchema.parse({ webhooks: [{ url: 'https://example.org' }] }).webhooks?.[0]?.format).toBe('json');
    // Through the config file loader, the message names the file and the field.
    const file = (server: unknown): string => JSON.stringify({ accounts: [], server });
    expect(() => parseConfig(file({ mail: { to: ['ops'] } }), 'team.json')).toThrow(
      /^team\.json: server\.mail\.to\[0\]: Invalid email address/,
    );
    expect(() => parseConfig(file({ webhooks: [{ url: 'hooks.slack.com' }] }), 'team.json')).toThrow(
      /^team\.json: server\.webhooks\[0\]\.url: /,
    );
    expect(() => parseConfig(file({ smtp: {} }), 'team.json')).toThrow(/^team\.json: server: Unrecognized key: "smtp"/);
    expect(
      parseConfig(file({ webhooks: [{ url: { env: 'HOOK' }, format: 'slack' }] }), 'team.json').file.server?.webhooks,
    ).toEqual([{ url: { env: 'HOOK' }, format: 'slack' }]);
  });
});
