import { describe, expect, it } from 'vitest';
import { alertMessageSchema, composeAlertMessage } from '../../main/server/alert-message';
import type { AlertNotification } from '../../main/core/alerts/decisions';
import type { Meter, Snapshot } from '../../shared/snapshot';

const NOW = new Date('2026-11-20T10:00:00.000Z');

function snapshotWith(meter: Meter, provider = 'arcgis'): Snapshot {
  return { accountId: 'gis', provider, label: 'GIS org', status: 'ok', checkedAt: NOW.toISOString(), fetchedAt: NOW.toISOString(), meters: [meter] };
}

function level(overrides: Partial<Extract<AlertNotification, { type: 'level' }>>): AlertNotification {
  return { type: 'level', accountId: 'gis', accountLabel: 'GIS org', meterId: 'credits', meterLabel: 'Credits', level: 'warning', remaining: 1_500, limit: 10_000, unit: 'credits', ...overrides };
}

const credits: Meter = { id: 'credits', label: 'Credits', unit: 'credits', used: 8_500, limit: 10_000, remaining: 1_500, unlimited: false, level: 'warning', resetsAt: '2026-12-01T00:00:00.000Z' };

describe('composeAlertMessage', () => {
  it('words a warning with the figures, the reset, what comes next and where it came from', () => {
    const message = composeAlertMessage(level({}), snapshotWith(credits), NOW, 'srv-1');
    expect(alertMessageSchema.parse(message)).toEqual(message);
    expect(message).toMatchObject({ severity: 'warning', accountId: 'gis', provider: 'arcgis', decidedAt: NOW.toISOString() });
    expect(message.title).toBe("Warning: 'GIS org' Credits — 1,500 credits left (15 %)");
    expect(message.text).toBe(
      [
        "Credits of 'GIS org' is warning: 1,500 credits left of 10,000 (15 %).",
        'The period resets in 11 d (2026-12-01 00:00 UTC).',
        'You will hear again if it becomes critical, or once it has recovered and drops again.',
        '',
        "Account 'GIS org' (id gis, ArcGIS Online) · 2026-11-20T10:00:00.000Z · headroom serve on srv-1",
      ].join('\n'),
    );
  });

  it('says when the forecast, not a threshold, raised the level', () => {
    const forecast = { exhaustsAt: '2026-11-25T10:00:00.000Z', beforeReset: true };
    const message = composeAlertMessage(level({ remaining: 6_000, forecast }), snapshotWith({ ...credits, remaining: 6_000 }), NOW, 'srv-1');
    expect(message.text.split('\n').slice(0, 2)).toEqual([
      "Credits of 'GIS org' is warning: 6,000 credits left of 10,000 (60 %).",
      'At the pace of its history it runs out in 5 d (2026-11-25 10:00 UTC), before the period resets.',
    ]);
  });

  it('writes bytes and unknown limits as people read them', () => {
    const storage: Meter = { id: 'storage', label: 'Storage', unit: 'bytes', used: 9.6e9, limit: 1e10, remaining: 4e8, unlimited: false, level: 'critical' };
    const bytes = composeAlertMessage(level({ meterId: 'storage', meterLabel: 'Storage', level: 'critical', remaining: 4e8, limit: 1e10, unit: 'bytes' }), snapshotWith(storage), NOW, 'srv-1');
    expect(bytes.title).toBe("Critical: 'GIS org' Storage — 400 MB left (4 %)");
    expect(bytes.text.split('\n')[1]).toBe('You will hear again once it has recovered and drops again.');

    const noLimit = composeAlertMessage(level({ remaining: 300, limit: null }), snapshotWith({ ...credits, limit: null, remaining: 300, resetsAt: undefined }), NOW, 'srv-1');
    expect(noLimit.title).toBe("Warning: 'GIS org' Credits — 300 credits left");
    expect(noLimit.text.split('\n')[0]).toBe("Credits of 'GIS org' is warning: 300 credits left.");
  });

  it('words an outage with the provider message first', () => {
    const message = composeAlertMessage(
      { type: 'outage', accountId: 'gis', accountLabel: 'GIS org', kind: 'auth', message: "ArcGIS Online rejected the user name or password for 'GIS org' — check them in Settings." },
      { ...snapshotWith(credits), status: 'error' },
      NOW,
      'srv-1',
    );
    expect(message.severity).toBe('outage');
    expect(message.title).toBe("'GIS org' cannot be checked (auth)");
    expect(message.text.split('\n').slice(0, 2)).toEqual([
      "ArcGIS Online rejected the user name or password for 'GIS org' — check them in Settings.",
      'Headroom keeps checking ArcGIS Online for this account and tells once per outage; its last known figures stay in /metrics and /api/snapshots.',
    ]);
  });
});
