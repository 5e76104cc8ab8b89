import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { externalUrlOrNull } from '../../main/services/security/external-url';
import { APP_ORIGIN, CONTENT_SECURITY_POLICY, isAppUrl, viewUrl } from '../../main/services/app-protocol/app-origin';
import { contentTypeOf, resolveAppAsset, serveAppRequest } from '../../main/services/app-protocol/app-protocol';
import { mayNavigate, windowOpenDecision } from '../../main/electron/windows/navigation-policy';
import { popoverPosition } from '../../main/electron/windows/popover-position';
import { dashboardWindowOptions, hidesOnBlur, settingsWindowOptions } from '../../main/electron/windows/window-options';

describe('the app origin', () => {
  it('recognises only app://headroom pages', () => {
    expect(isAppUrl('app://headroom/index.html#/dashboard')).toBe(true);
    for (const url of [
      'app://evil/index.html',
      'https://headroom/index.html',
      'file:///index.html',
      'app://headroom:8080/',
      'app://user@headroom/',
      'not a url',
      '',
    ])
      expect(isAppUrl(url), url).toBe(false);
  });

  it('addresses views the way the renderer routes them', () => {
    expect(viewUrl({ view: 'dashboard' })).toBe(`${APP_ORIGIN}/index.html#/dashboard`);
    expect(viewUrl({ view: 'dashboard', accountId: 'gis' })).toBe(`${APP_ORIGIN}/index.html#/dashboard/gis`);
    expect(viewUrl({ view: 'settings', accountId: 'fx_1' })).toBe(`${APP_ORIGIN}/index.html#/settings/fx_1`);
  });

  it('has a CSP without inline or remote code', () => {
    const directives = Object.fromEntries(
      CONTENT_SECURITY_POLICY.split(';')
        .map((part) => part.trim().split(/\s+/))
        .map(([name = '', ...values]) => [name, values]),
    );
    expect(directives).toEqual({
      'default-src': ["'self'"],
      'script-src': ["'self'"],
      'style-src': ["'self'"],
      'img-src': ["'self'", 'data:'],
      'connect-src': ["'self'"],
      'object-src': ["'none'"],
      'base-uri': ["'none'"],
      'frame-ancestors': ["'none'"],
    });
  });
});

describe('navigation and new windows', () => {
  it('never opens a window; plain http(s) links go to the browser', () => {
    expect(windowOpenDecision('https://developers.arcgis.com/rest/')).toEqual({
      action: 'deny',
      openExternally: 'https://developers.arcgis.com/rest/',
    });
    expect(windowOpenDecision('http://example.com')).toEqual({ action: 'deny', openExternally: 'http://example.com/' });
    for (const url of [
      'javascript:alert(1)',
      'file:///etc/passwd',
      'app://headroom/index.html',
      'smb://server/share',
      'https://user:secret@example.com/',
      'about:blank',
      'data:text/html,hi',
    ]) {
      expect(windowOpenDecision(url), url).toEqual({ action: 'deny', openExternally: null });
    }
    expect(externalUrlOrNull(`https://example.com/${'a'.repeat(9000)}`)).toBeNull();
  });

  it("keeps pages on the app's own origin", () => {
    expect(mayNavigate('app://headroom/index.html')).toBe(true);
    for (const url of [
      'https://example.com/',
      'app://other/index.html',
      'file:///tmp/x.html',
      'http://127.0.0.1:5173/',
    ])
      expect(mayNavigate(url), url).toBe(false);
  });
});

describe('the app protocol', () => {
  let root: string;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'headroom-renderer-'));
    await mkdir(join(root, 'assets'));
    await writeFile(join(root, 'index.html'), '<!doctype html><title>Headroom</title>');
    await writeFile(join(root, 'assets', 'app.js'), 'console.log(1)');
    await writeFile(join(root, '..', `${root.split('/').pop() ?? 'x'}-secret.txt`), 'outside');
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
    await rm(`${root}-secret.txt`, { force: true });
  });

  it('serves files of the renderer folder with the CSP and nosniff', async () => {
    const page = await serveAppRequest(root, { url: 'app://headroom/', method: 'GET' });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await page.text()).toContain('<title>Headroom</title>');
    const script = await serveAppRequest(root, { url: 'app://headroom/assets/app.js?v=1', method: 'GET' });
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
  });

  it('refuses to leave the folder, other hosts, and methods other than GET/HEAD', async () => {
    const name = `${root.split('/').pop() ?? 'x'}-secret.txt`;
    const attempts: [string, number][] = [
      [`app://headroom/../${name}`, 404],
      // The URL parser resolves encoded dots itself: the path stays inside the folder, where nothing has that name.
      [`app://headroom/%2e%2e/${name}`, 404],
      [`app://headroom/assets/..%2f..%2f${name}`, 403],
      ['app://headroom/%5c..%5csecret.txt', 400],
      ['app://headroom/%00', 400],
      ['app://headroom/%E0%A4%A', 400],
      ['app://other/index.html', 403],
      ['app://headroom/missing.js', 404],
    ];
    for (const [url, status] of attempts)
      expect((await serveAppRequest(root, { url, method: 'GET' })).status, url).toBe(status);
    expect((await serveAppRequest(root, { url: 'app://headroom/', method: 'POST' })).status).toBe(405);
    expect(resolveAppAsset(root, 'app://headroom/assets/app.js')).toEqual({ path: join(root, 'assets', 'app.js') });
    expect(contentTypeOf('x.woff2')).toBe('font/woff2');
    expect(contentTypeOf('x.exe')).toBe('application/octet-stream');
  });
});

describe('the popover position', () => {
  const display = { x: 0, y: 0, width: 1920, height: 1080 };
  const window = { width: 380, height: 560 };

  it('hangs below a macOS menu-bar icon, centred on it and inside the screen', () => {
    const workArea = { x: 0, y: 25, width: 1920, height: 1055 };
    expect(popoverPosition({ tray: { x: 1500, y: 0, width: 22, height: 24 }, window, workArea, display })).toEqual({
      x: 1321,
      y: 31,
    });
    expect(popoverPosition({ tray: { x: 1900, y: 0, width: 22, height: 24 }, window, workArea, display }).x).toBe(
      1920 - 380 - 6,
    );
  });

  it('sits above a bottom taskbar, beside a side taskbar (Windows)', () => {
    expect(
      popoverPosition({
        tray: { x: 1700, y: 1045, width: 24, height: 30 },
        window,
        workArea: { x: 0, y: 0, width: 1920, height: 1040 },
        display,
      }),
    ).toEqual({ x: 1712 - 190, y: 1040 - 560 - 6 });
    expect(
      popoverPosition({
        tray: { x: 1880, y: 900, width: 40, height: 24 },
        window,
        workArea: { x: 0, y: 0, width: 1870, height: 1080 },
        display,
      }),
    ).toEqual({ x: 1870 - 380 - 6, y: 1080 - 560 - 6 });
    expect(
      popoverPosition({
        tray: { x: 5, y: 500, width: 40, height: 24 },
        window,
        workArea: { x: 50, y: 0, width: 1870, height: 1080 },
        display,
      }),
    ).toEqual({ x: 56, y: 232 });
  });

  it('goes to the top-right corner when the tray position is unknown', () => {
    expect(
      popoverPosition({
        tray: { x: 0, y: 0, width: 0, height: 0 },
        window,
        workArea: { x: 0, y: 27, width: 1920, height: 1053 },
        display,
      }),
    ).toEqual({ x: 1534, y: 33 });
  });
});

describe('window options', () => {
  it('makes the dashboard a frameless popover on macOS and Windows, an ordinary window on Linux', () => {
    expect(dashboardWindowOptions('darwin', '#fff', 'Headroom')).toMatchObject({
      frame: false,
      skipTaskbar: true,
      show: false,
      resizable: false,
    });
    expect(dashboardWindowOptions('win32', '#fff', 'Headroom')).toMatchObject({ frame: false, show: false });
    const linux = dashboardWindowOptions('linux', '#fff', 'Headroom');
    expect(linux.frame).toBeUndefined();
    expect(linux).toMatchObject({ show: false, resizable: true });
    expect(settingsWindowOptions('#000', 'Headroom-Einstellungen')).toMatchObject({
      show: false,
      backgroundColor: '#000',
      minWidth: 640,
      title: 'Headroom-Einstellungen',
    });
    expect([
      hidesOnBlur('dashboard', 'darwin'),
      hidesOnBlur('dashboard', 'linux'),
      hidesOnBlur('settings', 'win32'),
    ]).toEqual([true, false, false]);
  });
});
