import { mkdtemp, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { JsonStateFile } from '../../main/server/json-state-file';
import { SERVE_STATE_FILE, serveStateSchema } from '../../main/server/serve-state';

/** A state file as `serve` wrote it before members' credit alerts existed: no `userCredits`. */
const BEFORE_USER_CREDITS = {
  version: 1,
  savedAt: '2026-11-20T10:00:00.000Z',
  alerts: { fx: { meters: { requests: 'critical' }, consecutiveFailures: 0, outageNotified: false } },
  outbox: [
    {
      id: '0b6b1c9e-51f4-4a43-9a3e-0c5b3c1e7f10',
      channel: 'webhook:3f2a9c1b7d4e',
      message: {
        id: 'd2f0a3c4-8a55-4a3e-b2a7-5f5c1d3e9a01',
        decidedAt: '2026-11-20T09:59:00.000Z',
        severity: 'critical',
        accountId: 'fx',
        provider: 'openexchangerates',
        title: "Critical: 'FX fx' Requests — 2,000 requests left (2 %)",
        text: "Requests of 'FX fx' is critical: 2,000 requests left of 100,000 (2 %).",
        notification: {
          type: 'level',
          accountId: 'fx',
          accountLabel: 'FX fx',
          meterId: 'requests',
          meterLabel: 'Requests',
          level: 'critical',
          remaining: 2000,
          limit: 100000,
          unit: 'requests',
        },
      },
      attempts: 2,
      nextAttemptAt: '2026-11-20T10:00:30.000Z',
      lastError: 'webhook 1 (127.0.0.1:9) failed with HTTP 503.',
    },
  ],
  snapshots: {},
};

describe('serve-state.json', () => {
  it('loads a file written before members were alerted on, as "no member told yet", and keeps the rest', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'headroom-serve-state-'));
    await writeFile(join(dir, SERVE_STATE_FILE), JSON.stringify(BEFORE_USER_CREDITS));
    const lines: string[] = [];
    const file = new JsonStateFile(join(dir, SERVE_STATE_FILE), serveStateSchema, (level, message) =>
      lines.push(`${level}: ${message}`),
    );
    const state = await file.load();
    expect(lines).toEqual([]);
    expect(state?.userCredits).toEqual({});
    expect(state?.alerts).toEqual(BEFORE_USER_CREDITS.alerts);
    expect(state?.outbox).toEqual(BEFORE_USER_CREDITS.outbox);
    expect(await readdir(dir)).toEqual([SERVE_STATE_FILE]);
  });

  it('keeps the members told and member alerts waiting in the outbox', () => {
    const [delivery] = BEFORE_USER_CREDITS.outbox;
    const notification = {
      type: 'userCredits',
      accountId: 'gis',
      accountLabel: 'GIS org',
      level: 'critical',
      users: [
        {
          username: 'dana.kowalski',
          fullName: 'Dana Kowalski',
          assigned: 250,
          available: 0,
          unlimited: false,
          level: 'critical',
        },
      ],
      worseCount: 1,
      lowCount: 2,
    };
    const state = {
      ...BEFORE_USER_CREDITS,
      userCredits: { gis: { 'dana.kowalski': 'critical', 'ben.hughes': 'warning' } },
      outbox: [{ ...delivery, message: { ...delivery?.message, accountId: 'gis', provider: 'arcgis', notification } }],
    };
    expect(serveStateSchema.parse(JSON.parse(JSON.stringify(state)))).toEqual(state);
    expect(serveStateSchema.safeParse({ ...state, userCredits: { gis: { 'dana.kowalski': 'ok' } } }).success).toBe(
      false,
    );
  });
});
