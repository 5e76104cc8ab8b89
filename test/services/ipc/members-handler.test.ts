import type { IpcMainInvokeEvent } from 'electron';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ipcInvokeContract, type IpcHandlers } from '../../../shared/ipc';
import { userCreditsViewSchema } from '../../../shared/snapshot';
import { createIpcHandlers } from '../../../main/services/ipc/handlers';
import { registerIpcHandlers, type SenderFrame } from '../../../main/electron/ipc/register';
import { ARCGIS_MOCK_PASSWORD, ARCGIS_MOCK_USERS, startArcgisMock, type ArcgisMock } from '../../mock-servers/arcgis';
import { waitFor } from '../../support/wait-for';
import { fakePlatform, NEVER_WARN, openFixture, type Fixture } from '../app-fixture';

type Handler = (event: IpcMainInvokeEvent, ...args: unknown[]) => Promise<unknown>;

let arcgis: ArcgisMock;
let f: Fixture;

beforeAll(async () => {
  arcgis = await startArcgisMock();
});
afterAll(async () => {
  await arcgis.close();
});
afterEach(async () => {
  await f.close();
});

/** The services polling one ArcGIS organization of eight members, after its first check. */
async function checkedOrganization(): Promise<IpcHandlers> {
  f = await openFixture();
  const handlers = createIpcHandlers(f.services, fakePlatform());
  const created = await handlers['accounts:create']({
    account: {
      id: 'gis',
      provider: 'arcgis',
      label: 'GIS org',
      config: { portalUrl: arcgis.url, username: ARCGIS_MOCK_USERS.admin },
      rules: NEVER_WARN,
    },
    secrets: { password: ARCGIS_MOCK_PASSWORD },
  });
  if (!created.ok) throw new Error(created.error.message);
  f.services.start();
  await waitFor(
    () => f.services.polling.snapshots().some((snapshot) => snapshot.views?.userCredits?.users.length),
    'the organization’s first check',
  );
  return handlers;
}

describe('members:get, the list the windows fetch when a table opens', () => {
  it('answers an account’s members’ credit budgets with the list, while its snapshots carry only the summary', async () => {
    const handlers = await checkedOrganization();
    const full = f.services.polling.snapshots().find((snapshot) => snapshot.accountId === 'gis');
    expect(full?.views?.userCredits?.users).toHaveLength(8);

    const members = await handlers['members:get']({ accountId: 'gis' });
    expect(members).toEqual({ ok: true, value: full?.views?.userCredits });
    expect(userCreditsViewSchema.safeParse(members.ok ? members.value : null).success).toBe(true);

    // The mock organization: Dana and Amara critical, Ben warning (the members' default rule), of eight.
    const summary = { listed: 8, total: 8, low: 3, critical: 2, worst: 'critical' };
    const listed = await handlers['snapshots:get'](undefined);
    if (!listed.ok) throw new Error(listed.error.message);
    expect(listed.value[0]?.views?.userCredits).toMatchObject({ budgeting: 'on', members: summary });
    expect(listed.value[0]?.views?.userCredits).not.toHaveProperty('users');
    const refreshed = await handlers['snapshots:refresh']({});
    expect(refreshed.ok ? refreshed.value[0]?.views?.userCredits : null).not.toHaveProperty('users');
    const announced = () =>
      f
        .eventsOf('snapshots:changed')
        .flat()
        .find((snapshot) => snapshot.accountId === 'gis' && snapshot.views?.userCredits);
    await waitFor(() => announced() !== undefined, 'the organization in a snapshots:changed event');
    expect(announced()?.views?.userCredits).toMatchObject({ members: summary });
    expect(JSON.stringify(f.eventsOf('snapshots:changed'))).not.toContain('dana.kowalski');
  }, 20_000);

  it('answers null for an account it has no snapshot of, and for one without members', async () => {
    const handlers = await checkedOrganization();
    await expect(handlers['members:get']({ accountId: 'deleted-meanwhile' })).resolves.toEqual({
      ok: true,
      value: null,
    });
    const demo = await handlers['accounts:create']({
      account: { id: 'demo', provider: 'demo', label: 'Demo', config: {} },
    });
    if (!demo.ok) throw new Error(demo.error.message);
    await waitFor(
      () => f.services.polling.snapshots().some((snapshot) => snapshot.accountId === 'demo'),
      'the demo account’s first check',
    );
    await expect(handlers['members:get']({ accountId: 'demo' })).resolves.toEqual({ ok: true, value: null });
  }, 20_000);

  it('refuses a malformed request with invalid_request, naming the field', async () => {
    const handlers = await checkedOrganization();
    for (const request of [undefined, null, {}, { accountId: 'no spaces allowed' }, { accountId: 42 }]) {
      const result = await handlers['members:get'](request);
      expect(result, JSON.stringify(request)).toMatchObject({ ok: false, error: { code: 'invalid_request' } });
    }
    const extra = await handlers['members:get']({ accountId: 'gis', users: 'all' });
    expect(extra.ok ? [] : extra.error.problems).toEqual([
      { path: '(top level)', message: 'Unrecognized key: "users"' },
    ]);
    expect(ipcInvokeContract['members:get'].request.safeParse({ accountId: 'gis' }).success).toBe(true);
  }, 20_000);

  it('answers only the app’s own page through ipcMain', async () => {
    const handlers = await checkedOrganization();
    const registered = new Map<string, Handler>();
    const logs: string[] = [];
    registerIpcHandlers(
      {
        handle: (channel: string, handler: Handler) => {
          registered.set(channel, handler);
        },
        removeHandler: () => undefined,
      },
      handlers,
      (_level, message) => logs.push(message),
    );
    const call = (frame: SenderFrame | null, request: unknown) =>
      registered.get('members:get')?.({ senderFrame: frame } as unknown as IpcMainInvokeEvent, request);
    const app: SenderFrame = { url: 'app://headroom/index.html#/dashboard', origin: 'app://headroom', parent: null };
    const foreign: SenderFrame = { url: 'https://evil.example/', origin: 'https://evil.example', parent: null };

    await expect(call(app, { accountId: 'gis' })).resolves.toMatchObject({
      ok: true,
      value: { budgeting: 'on', users: expect.any(Array) as unknown },
    });
    const refused = { ok: false, error: { code: 'forbidden', message: 'Headroom answers only its own windows.' } };
    await expect(call(foreign, { accountId: 'gis' })).resolves.toEqual(refused);
    await expect(call(null, { accountId: 'gis' })).resolves.toEqual(refused);
    await expect(call({ ...app, parent: app as never }, { accountId: 'gis' })).resolves.toEqual(refused);
    expect(logs).toEqual([
      'IPC "members:get" refused: the sender (https://evil.example) is not Headroom\'s own page.',
      'IPC "members:get" refused: the sending frame no longer exists (it navigated away or was closed).',
      'IPC "members:get" refused: a sub-frame (app://headroom/index.html#/dashboard) may not talk to the main process.',
    ]);
  }, 20_000);
});
