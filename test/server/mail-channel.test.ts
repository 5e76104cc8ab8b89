import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { composeAlertMessage, type AlertMessage } from '../../main/server/alert-message';
import { AlertOutbox } from '../../main/server/alert-outbox';
import { DeliveryError } from '../../main/server/channels/channel';
import { createMailChannel } from '../../main/server/channels/mail-channel';
import { readSmtpSettings } from '../../main/server/channels/smtp-settings';
import { ServeSetupError } from '../../main/server/setup-error';
import type { Snapshot } from '../../shared/snapshot';
import { startSmtpSink, type SmtpSink } from './smtp-sink';
import { freePort, selfSignedCertificate, waitFor } from './system-tools';

const LOGIN = { user: 'alerts@example.org', pass: 'smtp pass: with spaces & symbols' };
let cert: { keyPath: string; certPath: string };
let sink: SmtpSink;

beforeAll(async () => {
  cert = await selfSignedCertificate(await mkdtemp(join(tmpdir(), 'headroom-mail-')));
  sink = await startSmtpSink({ ...cert, login: LOGIN });
});
afterAll(async () => {
  await sink.close();
});

const snapshot: Snapshot = {
  accountId: 'fx',
  provider: 'openexchangerates',
  label: 'FX rates',
  status: 'ok',
  checkedAt: '2026-11-20T10:00:00.000Z',
  fetchedAt: '2026-11-20T10:00:00.000Z',
  meters: [
    {
      id: 'requests',
      label: 'Requests',
      unit: 'requests',
      used: 98_000,
      limit: 100_000,
      remaining: 2_000,
      unlimited: false,
      level: 'critical',
      resetsAt: '2026-12-01T00:00:00.000Z',
    },
  ],
};

/** Decided now by default: the outbox gives up on alerts older than a day. */
function criticalAlert(decidedAt = new Date()): AlertMessage {
  return composeAlertMessage(
    {
      type: 'level',
      accountId: 'fx',
      accountLabel: 'FX rates',
      meterId: 'requests',
      meterLabel: 'Requests',
      level: 'critical',
      remaining: 2_000,
      limit: 100_000,
      unit: 'requests',
    },
    snapshot,
    decidedAt,
    'server-1',
  );
}

function smtpEnv(port: number, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return {
    HEADROOM_SMTP_URL: `smtp://127.0.0.1:${port}`,
    HEADROOM_SMTP_USER: LOGIN.user,
    HEADROOM_SMTP_PASSWORD: LOGIN.pass,
    HEADROOM_SMTP_CA_FILE: cert.certPath,
    ...extra,
  };
}

async function mailChannel(env: NodeJS.ProcessEnv) {
  return createMailChannel({
    smtp: await readSmtpSettings(env),
    to: ['ops@example.org', 'oncall@example.org'],
    from: 'Headroom <alerts@example.org>',
  });
}

describe('SMTP settings from the environment', () => {
  it('reads STARTTLS (587) and implicit TLS (465) servers, with the login from variables or the URL', async () => {
    const starttls = await readSmtpSettings({
      HEADROOM_SMTP_URL: 'smtp://mail.example.org',
      HEADROOM_SMTP_USER: 'a@example.org',
      HEADROOM_SMTP_PASSWORD: 'p',
    });
    expect(starttls.transport).toMatchObject({
      host: 'mail.example.org',
      port: 587,
      secure: false,
      requireTLS: true,
      ignoreTLS: false,
      auth: { user: 'a@example.org', pass: 'p' },
    });
    expect(starttls.describe).toBe('mail.example.org:587 (STARTTLS)');
    expect(starttls.defaultFrom).toBe('a@example.org');
    const implicit = await readSmtpSettings({ HEADROOM_SMTP_URL: 'smtps://bot%40example.org:p%40ss@mail.example.org' });
    expect(implicit.transport).toMatchObject({
      port: 465,
      secure: true,
      requireTLS: false,
      auth: { user: 'bot@example.org', pass: 'p@ss' },
    });
    expect(implicit.describe).toBe('mail.example.org:465 (TLS)');
    const relay = await readSmtpSettings({ HEADROOM_SMTP_URL: 'smtp://127.0.0.1', HEADROOM_SMTP_TLS: 'none' });
    expect(relay.transport).toMatchObject({ port: 25, secure: false, requireTLS: false, ignoreTLS: true });
    expect(relay.transport.auth).toBeUndefined();
    expect(relay.defaultFrom).toMatch(/^Headroom <headroom@.+>$/);
  });

  it.each([
    [{}, /HEADROOM_SMTP_URL is not set/],
    [
      { HEADROOM_SMTP_URL: 'mail.example.org:587' },
      /must start with smtps:\/\/ \(TLS\) or smtp:\/\/ \(STARTTLS\), not mail\.example\.org:\/\//,
    ],
    [
      { HEADROOM_SMTP_URL: 'smtp server' },
      /HEADROOM_SMTP_URL is not a URL; write it as smtps:\/\/host or smtp:\/\/host:587/,
    ],
    [{ HEADROOM_SMTP_URL: 'https://mail.example.org' }, /must start with smtps:\/\//],
    [
      { HEADROOM_SMTP_URL: 'smtp://mail.example.org', HEADROOM_SMTP_TLS: 'none' },
      /unencrypted; it is allowed only for a relay on this machine/,
    ],
    [
      { HEADROOM_SMTP_URL: 'smtp://mail.example.org', HEADROOM_SMTP_TLS: 'off' },
      /HEADROOM_SMTP_TLS must be "required"/,
    ],
    [
      { HEADROOM_SMTP_URL: 'smtp://mail.example.org', HEADROOM_SMTP_USER: 'a' },
      /Set both HEADROOM_SMTP_USER and HEADROOM_SMTP_PASSWORD/,
    ],
    [
      { HEADROOM_SMTP_URL: 'smtp://mail.example.org', HEADROOM_SMTP_CA_FILE: '/nonexistent/ca.pem' },
      /HEADROOM_SMTP_CA_FILE names \/nonexistent\/ca\.pem, which cannot be read/,
    ],
  ])('refuses %o with a clear message', async (env, message) => {
    const error = await readSmtpSettings(env).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ServeSetupError);
    expect((error as Error).message).toMatch(message);
  });
});

describe('mail channel', () => {
  it('sends over STARTTLS with the login, verified against the CA file: subject and body say what happened', async () => {
    const channel = await mailChannel(smtpEnv(sink.port));
    const alert = criticalAlert(new Date('2026-11-20T10:00:00.000Z'));
    const before = sink.received.length;
    await channel.send(alert, new AbortController().signal);
    channel.close?.();
    const mail = sink.received[before];
    expect(mail).toBeDefined();
    if (!mail) return;
    expect(mail.secure).toBe(true);
    expect(mail.user).toBe(LOGIN.user);
    expect(mail.from).toBe('alerts@example.org');
    expect(mail.to).toEqual(['ops@example.org', 'oncall@example.org']);
    expect(mail.subject).toBe("[Headroom] Critical: 'FX rates' Requests — 2,000 requests left (2 %)");
    expect(mail.text).toBe(
      [
        "Requests of 'FX rates' is critical: 2,000 requests left of 100,000 (2 %).",
        'The period resets in 11 d (2026-12-01 00:00 UTC).',
        'You will hear again once it has recovered and drops again.',
        '',
        "Account 'FX rates' (id fx, Open Exchange Rates) · 2026-11-20T10:00:00.000Z · headroom serve on server-1",
        '',
      ].join('\n'),
    );
    expect(mail.headers.get('x-headroom-alert-id')).toBe(alert.id);
    expect(mail.headers.get('x-headroom-severity')).toBe('critical');
  });

  it('refuses a server whose certificate it cannot verify, one without STARTTLS, and a wrong login', async () => {
    const untrusted = await mailChannel(smtpEnv(sink.port, { HEADROOM_SMTP_CA_FILE: undefined }));
    const error = await untrusted
      .send(criticalAlert(), new AbortController().signal)
      .catch((caught: unknown) => caught);
    untrusted.close?.();
    expect(error).toBeInstanceOf(DeliveryError);
    expect((error as DeliveryError).message).toMatch(
      /^The SMTP server 127\.0\.0\.1:\d+ \(STARTTLS\) failed the TLS handshake; check HEADROOM_SMTP_URL and HEADROOM_SMTP_CA_FILE \(.*certificate.*\)\.$/,
    );
    expect((error as DeliveryError).permanent).toBe(false);
    expect((error as Error).message).not.toContain(LOGIN.pass);

    const plain = await startSmtpSink({ ...cert, login: LOGIN, offerStartTls: false });
    try {
      const downgraded = await mailChannel(smtpEnv(plain.port));
      const refusedPlain = await downgraded
        .send(criticalAlert(), new AbortController().signal)
        .catch((caught: unknown) => caught);
      downgraded.close?.();
      expect(refusedPlain).toBeInstanceOf(DeliveryError);
      expect((refusedPlain as Error).message).toMatch(/failed the TLS handshake|STARTTLS/);
      expect(plain.received).toEqual([]);
    } finally {
      await plain.close();
    }

    const wrongLogin = await mailChannel(smtpEnv(sink.port, { HEADROOM_SMTP_PASSWORD: 'wrong password' }));
    const refused = await wrongLogin
      .send(criticalAlert(), new AbortController().signal)
      .catch((caught: unknown) => caught);
    wrongLogin.close?.();
    expect((refused as DeliveryError).message).toMatch(
      /rejected the SMTP login; check HEADROOM_SMTP_USER and HEADROOM_SMTP_PASSWORD/,
    );
    expect((refused as Error).message).not.toContain('wrong password');
  });

  it('retries a server that answers 451 without losing or doubling the alert', async () => {
    const channel = await mailChannel(smtpEnv(sink.port));
    const lines: string[] = [];
    const outbox = new AlertOutbox({
      channels: [channel],
      policy: { firstDelayMs: 50, maxDelayMs: 200, giveUpAfterMs: 60_000 },
      log: (level, text) => lines.push(`${level}: ${text}`),
      onChange: () => undefined,
    });
    const before = sink.received.length;
    const refusedBefore = sink.refused();
    sink.refuseNext(2, 451);
    outbox.start();
    const alert = criticalAlert();
    outbox.enqueue(alert);
    await waitFor('the mail', () => (outbox.pending().length === 0 ? true : undefined), {
      timeoutMs: 10_000,
      intervalMs: 20,
    });
    await outbox.stop(1_000);
    expect(sink.refused() - refusedBefore).toBe(2);
    const arrived = sink.received.slice(before);
    expect(arrived.map((mail) => mail.headers.get('x-headroom-alert-id'))).toEqual([alert.id]);
    expect(lines.filter((line) => line.startsWith('warn:'))).toHaveLength(2);
    expect(lines[0]).toMatch(
      /not delivered yet \(mail to ops@example\.org, oncall@example\.org via 127\.0\.0\.1:\d+ \(STARTTLS\), attempt 1\): The SMTP server .* refused the message \(.*451.*\)\. Next try in 50 ms\.$/,
    );
    expect(lines.at(-1)).toMatch(/delivered: mail to .* \(attempt 3\)\.$/);
  });

  it('keeps retrying while the server is down and delivers once it is up', async () => {
    const port = await freePort();
    const channel = await mailChannel(smtpEnv(port));
    const lines: string[] = [];
    const outbox = new AlertOutbox({
      channels: [channel],
      policy: { firstDelayMs: 50, maxDelayMs: 200, giveUpAfterMs: 60_000 },
      log: (level, text) => lines.push(`${level}: ${text}`),
      onChange: () => undefined,
    });
    outbox.start();
    const alert = criticalAlert();
    outbox.enqueue(alert);
    await waitFor(
      'two failed attempts',
      () => (lines.filter((line) => line.includes('could not be reached')).length >= 2 ? true : undefined),
      { timeoutMs: 10_000, intervalMs: 20 },
    );
    const late = await startSmtpSink({ ...cert, login: LOGIN, port });
    try {
      await waitFor('the delivery', () => (outbox.pending().length === 0 ? true : undefined), {
        timeoutMs: 10_000,
        intervalMs: 20,
      });
      expect(late.received.map((mail) => mail.headers.get('x-headroom-alert-id'))).toEqual([alert.id]);
      expect(outbox.pending()).toEqual([]);
    } finally {
      await outbox.stop(1_000);
      await late.close();
    }
  });

  it('gives up at once on a permanent refusal of the message (5xx)', async () => {
    const channel = await mailChannel(smtpEnv(sink.port));
    sink.refuseNext(1, 554);
    const error = await channel.send(criticalAlert(), new AbortController().signal).catch((caught: unknown) => caught);
    channel.close?.();
    expect(error).toBeInstanceOf(DeliveryError);
    expect((error as DeliveryError).permanent).toBe(true);
  });
});
