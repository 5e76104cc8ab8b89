import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { RefillNotification } from '../../main/engine/alerts/refills';
import { alertMessageSchema, composeAlertMessage } from '../../main/server/alert-message';
import { createMailChannel } from '../../main/server/channels/mail-channel';
import { readSmtpSettings } from '../../main/server/channels/smtp-settings';
import { createWebhookChannel } from '../../main/server/channels/webhook-channel';
import { deliverySchema } from '../../main/server/serve-state';
import type { Snapshot } from '../../shared/snapshot';
import { sendText, startMockServer, type MockServer } from '../mock-servers/harness';
import { startSmtpSink, type SmtpSink } from './smtp-sink';
import { selfSignedCertificate } from './system-tools';

const NOW = new Date('2026-12-01T06:00:00.000Z');
const FOOTER = "Account 'FX rates' (id fx, Open Exchange Rates) · 2026-12-01T06:00:00.000Z · headroom serve on srv-1";

const snapshot: Snapshot = {
  accountId: 'fx',
  provider: 'openexchangerates',
  label: 'FX rates',
  status: 'ok',
  checkedAt: NOW.toISOString(),
  fetchedAt: NOW.toISOString(),
  meters: [],
};

function refill(overrides: Partial<RefillNotification> = {}): RefillNotification {
  return {
    type: 'refill',
    accountId: 'fx',
    accountLabel: 'FX rates',
    meterId: 'requests',
    meterLabel: 'Requests',
    kind: 'reset',
    basis: 'remaining',
    before: 2_000,
    after: 100_000,
    limit: 100_000,
    unit: 'requests',
    resetsAt: '2027-01-01T00:00:00.000Z',
    ...overrides,
  };
}

let receiver: MockServer;
let sink: SmtpSink;
beforeAll(async () => {
  receiver = await startMockServer((_request, res) => {
    sendText(res, 200, 'text/plain', 'ok');
  });
  const cert = await selfSignedCertificate(await mkdtemp(join(tmpdir(), 'headroom-refill-mail-')));
  sink = await startSmtpSink({ ...cert, offerStartTls: false });
});
afterAll(async () => {
  await Promise.all([receiver.close(), sink.close()]);
});
beforeEach(() => {
  receiver.requests.length = 0;
});

describe('refill alerts of serve', () => {
  it('word a quota reset: the figures before and now and the new period, as news (severity info)', () => {
    const message = composeAlertMessage(refill(), snapshot, NOW, 'srv-1');
    expect(alertMessageSchema.parse(message)).toEqual(message);
    expect(message.severity).toBe('info');
    expect(message.title).toBe("Reset: 'FX rates' Requests — 100,000 requests left (100 %)");
    expect(message.text).toBe(
      [
        "Requests of 'FX rates' reset: up from 2,000 requests to 100,000 requests left of 100,000 (100 %).",
        'The new period resets in 31 d (2027-01-01 00:00 UTC).',
        'You will hear again at the next reset or top-up.',
        '',
        FOOTER,
      ].join('\n'),
    );
  });

  it('word a top-up in its currency, and a reset of a meter that counts only its use', () => {
    const topUp = composeAlertMessage(
      refill({
        meterId: 'balance',
        meterLabel: 'Balance',
        kind: 'topUp',
        before: 2.5,
        after: 52.5,
        limit: null,
        unit: 'money',
        currency: 'EUR',
        resetsAt: undefined,
      }),
      snapshot,
      NOW,
      'srv-1',
    );
    expect(topUp.title).toBe("Topped up: 'FX rates' Balance — €52.50 left");
    expect(topUp.text.split('\n').slice(0, 2)).toEqual([
      "Balance of 'FX rates' was topped up: up from €2.50 to €52.50 left.",
      'You will hear again at the next reset or top-up.',
    ]);
    const used = composeAlertMessage(
      refill({
        meterId: 'hits',
        meterLabel: 'Hits',
        basis: 'used',
        before: 9_800,
        after: 12,
        limit: null,
        unit: 'hits',
      }),
      snapshot,
      NOW,
      'srv-1',
    );
    expect(used.title).toBe("Reset: 'FX rates' Hits — 12 hits used so far");
    expect(used.text.split('\n')[0]).toBe("Hits of 'FX rates' reset: 12 hits used so far, down from 9,800 hits.");
  });

  it('keep their notification in the outbox as it was decided', () => {
    const message = composeAlertMessage(refill({ currency: 'USD' }), snapshot, NOW, 'srv-1');
    const delivery = { id: 'd1', channel: 'mail', message, attempts: 0, nextAttemptAt: NOW.toISOString() };
    expect(deliverySchema.parse(JSON.parse(JSON.stringify(delivery)))).toEqual(delivery);
  });

  it('reach a json webhook with the refill in `notification`', async () => {
    const message = composeAlertMessage(refill(), snapshot, NOW, 'srv-1');
    const hook = createWebhookChannel({
      configured: 'hook',
      position: 1,
      url: `${receiver.url}/hook`,
      format: 'json',
      headers: {},
      timeoutMs: 2_000,
    });
    await hook.send(message, new AbortController().signal);
    expect(JSON.parse(receiver.requests[0]?.body ?? '')).toEqual({
      source: 'headroom',
      id: message.id,
      decidedAt: NOW.toISOString(),
      severity: 'info',
      accountId: 'fx',
      provider: 'openexchangerates',
      title: message.title,
      text: message.text,
      notification: refill(),
    });
  });

  it('reach mail with the title as the subject and severity info', async () => {
    const smtp = await readSmtpSettings({
      HEADROOM_SMTP_URL: `smtp://127.0.0.1:${sink.port}`,
      HEADROOM_SMTP_TLS: 'none',
    });
    const channel = createMailChannel({ smtp, to: ['ops@example.org'], from: 'alerts@example.org' });
    const message = composeAlertMessage(refill(), snapshot, NOW, 'srv-1');
    const before = sink.received.length;
    await channel.send(message, new AbortController().signal);
    channel.close?.();
    const mail = sink.received[before];
    expect(mail?.subject).toBe("[Headroom] Reset: 'FX rates' Requests — 100,000 requests left (100 %)");
    expect(mail?.text).toBe(`${message.text}\n`);
    expect(mail?.headers.get('x-headroom-severity')).toBe('info');
  });
});
