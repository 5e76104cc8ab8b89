import { describe, expect, it } from 'vitest';
import type { IpcResult } from '../../shared/ipc';
import { readBridgeToken } from '../../renderer/src/api/bridge-token';
import { createWebBridgeApi, type BridgeSocket } from '../../renderer/src/api/web-bridge-api';
import { parseRoute, routeHash } from '../../renderer/src/logic/routes';
import { sparkline } from '../../renderer/src/logic/sparkline';
import { mergeSnapshots } from '../../renderer/src/logic/merge-snapshots';
import { snapshot } from './fixtures';

describe('routes', () => {
  it.each([
    ['', { view: 'dashboard' }],
    ['#/dashboard', { view: 'dashboard' }],
    ['#/dashboard/gis', { view: 'dashboard', accountId: 'gis' }],
    ['#/settings', { view: 'settings' }],
    ['#/settings/gis', { view: 'account', accountId: 'gis' }],
    ['#/settings/new', { view: 'new-account' }],
    ['#/settings/new?provider=spark', { view: 'new-account', provider: 'spark' }],
    ['#/settings/account/new', { view: 'account', accountId: 'new' }],
    ['#/settings/bad%20id', { view: 'settings' }],
    ['#/elsewhere', { view: 'dashboard' }],
  ] as const)('%s', (hash, route) => {
    expect(parseRoute(hash)).toEqual(route);
    expect(parseRoute(routeHash(route))).toEqual(route);
  });
});

describe('the dev:web token', () => {
  it('is read before or after the hash', () => {
    expect(readBridgeToken({ search: '?token=abc', hash: '#/dashboard' })).toBe('abc');
    expect(readBridgeToken({ search: '', hash: '#/settings?token=xyz' })).toBe('xyz');
    expect(readBridgeToken({ search: '', hash: '#/settings' })).toBeNull();
  });
});

/** A socket the test drives: what the page sent, and a way to answer. */
function fakeSocket() {
  const listeners = new Map<string, ((event: { data: unknown }) => void)[]>();
  const sent: string[] = [];
  const socket: BridgeSocket & { readyState: number } = {
    readyState: 0,
    send: (data) => sent.push(data),
    close: () => undefined,
    addEventListener: (type: string, listener: (event: { data: unknown }) => void) => {
      listeners.set(type, [...(listeners.get(type) ?? []), listener]);
    },
  };
  const fire = (type: string, data?: unknown) => {
    for (const listener of listeners.get(type) ?? []) listener({ data });
  };
  return { socket, sent, fire };
}

describe('the web bridge', () => {
  it('connects with the token, queues calls until open, and checks replies against the contract', async () => {
    const fake = fakeSocket();
    let address = '';
    const api = createWebBridgeApi({
      origin: 'http://127.0.0.1:5173',
      token: 't0k',
      connect: (url) => {
        address = url;
        return fake.socket;
      },
    });
    const reply = api.invoke('app:open-view', { view: 'dashboard' });
    expect(address).toBe('ws://127.0.0.1:5173/bridge?token=t0k');
    expect(fake.sent).toHaveLength(0);
    fake.socket.readyState = 1;
    fake.fire('open');
    const call = JSON.parse(fake.sent[0] ?? '{}') as { id: number; channel: string };
    expect(call).toMatchObject({ type: 'invoke', channel: 'app:open-view', request: { view: 'dashboard' } });
    fake.fire(
      'message',
      JSON.stringify({ type: 'result', id: call.id, result: { ok: true, value: { opened: false } } }),
    );
    expect(await reply).toEqual({ ok: true, value: { opened: false } });
  });

  it('turns a reply of the wrong shape into an error, and drops messages outside the contract', async () => {
    const fake = fakeSocket();
    fake.socket.readyState = 1;
    const api = createWebBridgeApi({ origin: 'http://127.0.0.1:1', token: 't', connect: () => fake.socket });
    const reply = api.invoke('snapshots:get', undefined);
    const { id } = JSON.parse(fake.sent[0] ?? '{}') as { id: number };
    fake.fire('message', '{"type":"surprise"}');
    fake.fire('message', 'not json');
    fake.fire('message', JSON.stringify({ type: 'result', id, result: { ok: true, value: [{ accountId: 1 }] } }));
    const result: IpcResult<unknown> = await reply;
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.message).toMatch(/snapshots:get/);
  });

  it('delivers valid events to listeners and fails calls in flight when the connection drops', async () => {
    const fake = fakeSocket();
    fake.socket.readyState = 1;
    const api = createWebBridgeApi({ origin: 'http://127.0.0.1:1', token: 't', connect: () => fake.socket });
    const seen: boolean[] = [];
    const off = api.on('snapshots:refreshing', ({ refreshing }) => seen.push(refreshing));
    fake.fire(
      'message',
      JSON.stringify({ type: 'event', channel: 'snapshots:refreshing', payload: { refreshing: true } }),
    );
    fake.fire(
      'message',
      JSON.stringify({ type: 'event', channel: 'snapshots:refreshing', payload: { refreshing: 'yes' } }),
    );
    expect(seen).toEqual([true]);
    off();
    const pending = api.invoke('accounts:list', undefined);
    fake.fire('close');
    const result = await pending;
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.message).toMatch(/dev:web/);
  });
});

describe('sparkline', () => {
  const point = (at: string, remaining: number | null, used: number | null = null) => ({
    at,
    remaining,
    used,
    limit: 100,
    resetsAt: null,
    source: 'observed' as const,
  });

  it('draws what is left over time, scaled to its own range', () => {
    const line = sparkline(
      {
        points: [
          point('2026-11-01T00:00:00Z', 100),
          point('2026-11-02T00:00:00Z', 50),
          point('2026-11-03T00:00:00Z', 0),
        ],
      },
      100,
      20,
      0,
    );
    expect(line).toEqual({ path: 'M0.0 0.0 L50.0 10.0 L100.0 20.0', first: 100, last: 0 });
  });

  it('needs two figures, and draws used where nothing else is reported', () => {
    expect(sparkline({ points: [point('2026-11-01T00:00:00Z', 5)] }, 100, 20)).toBeNull();
    expect(
      sparkline(
        { points: [point('2026-11-01T00:00:00Z', null, 1), point('2026-11-02T00:00:00Z', null, 9)] },
        100,
        20,
        0,
      )?.last,
    ).toBe(9);
  });
});

describe('mergeSnapshots', () => {
  it('replaces the refreshed accounts and keeps the others in place', () => {
    const merged = mergeSnapshots(
      [snapshot({ accountId: 'a' }), snapshot({ accountId: 'b', label: 'old' })],
      [snapshot({ accountId: 'b', label: 'new' }), snapshot({ accountId: 'c' })],
    );
    expect(merged.map((entry) => [entry.accountId, entry.label])).toEqual([
      ['a', 'GIS org'],
      ['b', 'new'],
      ['c', 'GIS org'],
    ]);
  });
});
