import { describe, expect, it } from 'vitest';
import { composeAlertMessage, type AlertMessage } from '../../main/server/alert-message';
import {
  AlertOutbox,
  DEFAULT_RETRY_POLICY,
  retryDelayMs,
  type DeliveryOutcome,
  type RetryPolicy,
} from '../../main/server/alert-outbox';
import { DeliveryError, type AlertChannel } from '../../main/server/channels/channel';
import type { Snapshot } from '../../shared/snapshot';
import { waitFor } from './system-tools';

const FAST: RetryPolicy = { firstDelayMs: 20, maxDelayMs: 80, giveUpAfterMs: 60_000 };

const snapshot: Snapshot = {
  accountId: 'fx',
  provider: 'openexchangerates',
  label: 'FX rates',
  status: 'ok',
  checkedAt: new Date().toISOString(),
  fetchedAt: new Date().toISOString(),
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
    },
  ],
};

function message(): AlertMessage {
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
    new Date(),
    'test-host',
  );
}

/** A channel that fails as told, then accepts; records every attempt. */
function fakeChannel(
  name: string,
  failures: (attempt: number) => DeliveryError | undefined = () => undefined,
  latencyMs = 0,
) {
  const attempts: { at: number; id: string }[] = [];
  const delivered: AlertMessage[] = [];
  const channel: AlertChannel = {
    key: `fake:${name}`,
    name,
    describe: `fake ${name}`,
    async send(alert, signal) {
      attempts.push({ at: Date.now(), id: alert.id });
      if (latencyMs > 0) {
        await new Promise<void>((resolve, reject) => {
          const timer = setTimeout(resolve, latencyMs);
          signal.addEventListener('abort', () => {
            clearTimeout(timer);
            reject(new Error('aborted'));
          });
        });
      }
      const failure = failures(attempts.length);
      if (failure) throw failure;
      delivered.push(alert);
    },
  };
  return { channel, attempts, delivered };
}

function outboxWith(channels: AlertChannel[], policy: RetryPolicy = FAST) {
  const lines: string[] = [];
  const outcomes: string[] = [];
  let changes = 0;
  const outbox = new AlertOutbox({
    channels,
    policy,
    log: (level, text) => lines.push(`${level}: ${text}`),
    onChange: () => (changes += 1),
    onOutcome: (channel, outcome: DeliveryOutcome) => outcomes.push(`${channel.name}:${outcome}`),
  });
  return { outbox, lines, outcomes, changes: () => changes };
}

describe('retryDelayMs', () => {
  it('doubles from the first delay up to the cap: 10 s, 20 s, 40 s … 15 min by default', () => {
    const delays = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 40].map(
      (failures) => retryDelayMs(DEFAULT_RETRY_POLICY, failures) / 1000,
    );
    expect(delays).toEqual([10, 20, 40, 80, 160, 320, 640, 900, 900, 900, 900]);
  });
});

describe('AlertOutbox', () => {
  it('delivers to every channel once and forgets the alert', async () => {
    const mail = fakeChannel('mail');
    const hook = fakeChannel('webhook-1');
    const { outbox, lines, outcomes } = outboxWith([mail.channel, hook.channel]);
    outbox.start();
    const alert = message();
    outbox.enqueue(alert);
    await waitFor('both deliveries', () => (outbox.pending().length === 0 ? true : undefined), {
      timeoutMs: 2_000,
      intervalMs: 5,
    });
    expect(mail.delivered.map((entry) => entry.id)).toEqual([alert.id]);
    expect(hook.delivered.map((entry) => entry.id)).toEqual([alert.id]);
    expect(outcomes.sort()).toEqual(['mail:delivered', 'webhook-1:delivered']);
    expect(lines.filter((line) => line.startsWith('info: alert "Critical'))).toHaveLength(2);
    await outbox.stop(100);
  });

  it('retries a failing channel with growing delays and never holds up the other', async () => {
    const flaky = fakeChannel('mail', (attempt) =>
      attempt <= 3 ? new DeliveryError('The SMTP server could not be reached.', false) : undefined,
    );
    const healthy = fakeChannel('webhook-1');
    const { outbox, lines, outcomes } = outboxWith([flaky.channel, healthy.channel]);
    outbox.start();
    outbox.enqueue(message());
    await waitFor('the healthy channel', () => (healthy.delivered.length === 1 ? true : undefined), {
      timeoutMs: 1_000,
      intervalMs: 2,
    });
    expect(flaky.delivered).toHaveLength(0);
    await waitFor('the flaky channel', () => (flaky.delivered.length === 1 ? true : undefined), {
      timeoutMs: 3_000,
      intervalMs: 5,
    });
    const gaps = flaky.attempts.slice(1).map((attempt, index) => attempt.at - (flaky.attempts[index]?.at ?? 0));
    expect(gaps).toHaveLength(3);
    // 20, 40, 80 ms (timers may fire a little late, never early).
    expect(gaps[0]).toBeGreaterThanOrEqual(19);
    expect(gaps[1]).toBeGreaterThanOrEqual(39);
    expect(gaps[2]).toBeGreaterThanOrEqual(79);
    expect(outcomes.filter((outcome) => outcome === 'mail:retrying')).toHaveLength(3);
    expect(lines.find((line) => line.includes('attempt 1'))).toMatch(
      /^warn: alert "Critical: 'FX rates' Requests — 2,000 requests left \(2 %\)" not delivered yet \(fake mail, attempt 1\): The SMTP server could not be reached\. Next try in 20 ms\.$/,
    );
    expect(lines.at(-1)).toMatch(/delivered: fake mail \(attempt 4\)\.$/);
    await outbox.stop(100);
  });

  it('waits as long as the receiver asks (Retry-After)', async () => {
    const busy = fakeChannel('webhook-1', (attempt) =>
      attempt === 1 ? new DeliveryError('HTTP 429', false, new Date(Date.now() + 300)) : undefined,
    );
    const { outbox } = outboxWith([busy.channel]);
    outbox.start();
    outbox.enqueue(message());
    await waitFor('the second attempt', () => (busy.delivered.length === 1 ? true : undefined), {
      timeoutMs: 2_000,
      intervalMs: 5,
    });
    expect((busy.attempts[1]?.at ?? 0) - (busy.attempts[0]?.at ?? 0)).toBeGreaterThanOrEqual(280);
    await outbox.stop(100);
  });

  it('drops an alert the receiver refuses for good, and one too old to be worth sending, saying so', async () => {
    const refusing = fakeChannel('webhook-1', () => new DeliveryError('webhook 1 refused the alert (HTTP 400).', true));
    const down = fakeChannel('mail', () => new DeliveryError('The SMTP server could not be reached.', false));
    const { outbox, lines, outcomes } = outboxWith([refusing.channel, down.channel], {
      firstDelayMs: 20,
      maxDelayMs: 40,
      giveUpAfterMs: 150,
    });
    outbox.start();
    outbox.enqueue(message());
    await waitFor('both dropped', () => (outbox.pending().length === 0 ? true : undefined), {
      timeoutMs: 2_000,
      intervalMs: 5,
    });
    expect(refusing.attempts).toHaveLength(1);
    expect(down.attempts.length).toBeGreaterThanOrEqual(3);
    expect(down.attempts.length).toBeLessThanOrEqual(8);
    expect(outcomes).toContain('webhook-1:dropped');
    expect(outcomes).toContain('mail:dropped');
    expect(lines.filter((line) => line.startsWith('error:')).join('\n')).toMatch(
      /NOT delivered \(fake webhook-1\).*because it cannot succeed/,
    );
    expect(lines.filter((line) => line.startsWith('error:')).join('\n')).toMatch(
      /NOT delivered \(fake mail\).*because it has failed for \d+ ms/,
    );
    await outbox.stop(100);
  });

  it('keeps what is undelivered at stop, and delivers it after a restore', async () => {
    const slow = fakeChannel('mail', () => undefined, 5_000);
    const first = outboxWith([slow.channel]);
    first.outbox.start();
    const alert = message();
    first.outbox.enqueue(alert);
    await waitFor('the attempt to start', () => (slow.attempts.length === 1 ? true : undefined), {
      timeoutMs: 1_000,
      intervalMs: 2,
    });
    const stopping = Date.now();
    await first.outbox.stop(50);
    expect(Date.now() - stopping).toBeLessThan(2_000);
    const saved = first.outbox.pending();
    expect(saved).toHaveLength(1);
    expect(saved[0]?.message.id).toBe(alert.id);
    expect(first.changes()).toBe(1);

    const fast = fakeChannel('mail');
    const stale = { ...saved[0], id: 'other', channel: 'fake:removed' } as (typeof saved)[number];
    const second = outboxWith([{ ...fast.channel, key: slow.channel.key }]);
    second.outbox.restore([...saved, stale]);
    expect(second.lines.join('\n')).toMatch(
      /1 pending alert\(s\) were for a mail or webhook setting that is no longer in the config file/,
    );
    second.outbox.start();
    await waitFor('the restored delivery', () => (fast.delivered.length === 1 ? true : undefined), {
      timeoutMs: 1_000,
      intervalMs: 5,
    });
    expect(fast.delivered[0]?.id).toBe(alert.id);
    await second.outbox.stop(100);
  });

  it('does nothing without channels', () => {
    const { outbox, changes } = outboxWith([]);
    outbox.start();
    outbox.enqueue(message());
    expect(outbox.pending()).toEqual([]);
    expect(changes()).toBe(0);
  });
});
