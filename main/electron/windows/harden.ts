import type { Session, WebContents } from 'electron';
import type { AppLog } from '../../services/app-events';
import { isAppUrl } from '../../services/app-protocol/app-origin';
import { mayNavigate, windowOpenDecision } from './navigation-policy';

/**
 * The session's half of Electron's security checklist: every permission (camera, notifications
 * from the page, geolocation, …) is denied, and so is every permission check and device request;
 * nothing is downloaded.
 */
export function hardenSession(session: Session, log: AppLog): void {
  session.setPermissionRequestHandler((_contents, permission, callback) => {
    log('warn', `A page asked for the permission "${permission}"; Headroom's pages never need one, so it was denied.`);
    callback(false);
  });
  session.setPermissionCheckHandler(() => false);
  session.setDevicePermissionHandler(() => false);
  session.on('will-download', (event) => {
    event.preventDefault();
  });
  // The app's pages come from the app protocol with their own CSP (app-protocol.ts). Anything else
  // that ever reached a window (a bug, a redirect) gets a policy that lets it run nothing at all.
  session.webRequest.onHeadersReceived((details, callback) => {
    if (isAppUrl(details.url)) {
      callback({});
      return;
    }
    callback({
      responseHeaders: {
        ...details.responseHeaders,
        'Content-Security-Policy': ["default-src 'none'; frame-ancestors 'none'"],
      },
    });
  });
}

/**
 * Every web contents' half: no new windows (http(s) links go to the browser after validation),
 * no navigation away from the app's pages, no <webview>.
 */
export function hardenWebContents(contents: WebContents, openExternal: (url: string) => void, log: AppLog): void {
  contents.setWindowOpenHandler(({ url }) => {
    const decision = windowOpenDecision(url);
    if (decision.openExternally !== null) openExternal(decision.openExternally);
    else log('warn', `A page tried to open a window at ${url.slice(0, 200)}; refused.`);
    return { action: decision.action };
  });
  const guard = (event: { preventDefault(): void }, url: string): void => {
    if (mayNavigate(url)) return;
    event.preventDefault();
    log('warn', `A page tried to navigate to ${url.slice(0, 200)}; blocked.`);
  };
  contents.on('will-navigate', (event, url) => {
    guard(event, url);
  });
  contents.on('will-redirect', (event, url) => {
    guard(event, url);
  });
  contents.on('will-attach-webview', (event) => {
    event.preventDefault();
  });
}
