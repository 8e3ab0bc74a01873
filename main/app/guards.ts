/**
 * The rules every web page in the app lives under: no navigation away from the app, no new
 * windows, no <webview>, no permissions, no network from renderers. External web links go to
 * the system browser instead.
 */
import { shell, type Session, type WebContents } from 'electron';
import { isAppUrl, isExternalWebUrl } from './origin';

/** Applied to every WebContents the app ever creates (app 'web-contents-created'). */
export function guardWebContents(contents: WebContents, devOrigin: string | null, log: (message: string) => void): void {
  contents.setWindowOpenHandler(({ url }) => {
    openExternally(url, log);
    return { action: 'deny' };
  });
  contents.on('will-navigate', (event) => {
    if (isAppUrl(event.url, devOrigin) || isDevTools(event.url)) return;
    event.preventDefault();
    openExternally(event.url, log);
  });
  // will-navigate covers the main frame; subframes (there should be none) may not leave either.
  contents.on('will-frame-navigate', (event) => {
    if (event.isMainFrame || isAppUrl(event.url, devOrigin) || isDevTools(event.url)) return;
    event.preventDefault();
    log(`blocked subframe navigation to ${event.url}`);
  });
  contents.on('will-redirect', (event) => {
    if (isAppUrl(event.url, devOrigin)) return;
    event.preventDefault();
    log(`blocked redirect to ${event.url}`);
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
}

/**
 * Denies every permission except clipboard writes from our own pages (copy buttons), and refuses
 * any network request a page makes: the renderer has no business outside the app.
 */
export function guardSession(session: Session, devOrigin: string | null, log: (message: string) => void): void {
  session.setPermissionRequestHandler((_contents, permission, callback, details) => {
    callback(permission === 'clipboard-sanitized-write' && isAppUrl(details.requestingUrl, devOrigin));
  });
  session.setPermissionCheckHandler((_contents, permission, requestingOrigin) => {
    return permission === 'clipboard-sanitized-write' && isAppUrl(requestingOrigin, devOrigin);
  });
  session.setDevicePermissionHandler(() => false);
  session.webRequest.onBeforeRequest(
    { urls: ['http://*/*', 'https://*/*', 'ws://*/*', 'wss://*/*', 'file:///*'] },
    (details, callback) => {
      // Requests the main process makes itself (no webContents) are not a renderer's to block.
      const fromPage = details.webContentsId !== undefined;
      const allowed = !fromPage || (devOrigin !== null && sameDevServer(details.url, devOrigin));
      if (!allowed) log(`blocked request from a page to ${details.url}`);
      callback({ cancel: !allowed });
    },
  );
}

/** DevTools (unpackaged builds only) navigates within its own scheme; pages cannot reach it. */
function isDevTools(url: string): boolean {
  return url.startsWith('devtools://');
}

function sameDevServer(raw: string, devOrigin: string): boolean {
  try {
    const url = new URL(raw);
    const dev = new URL(devOrigin);
    // Vite's hot reload talks over ws:// to the same host and port.
    return url.host === dev.host && (url.protocol === 'http:' || url.protocol === 'ws:');
  } catch {
    return false;
  }
}

function openExternally(url: string, log: (message: string) => void): void {
  if (!isExternalWebUrl(url)) {
    log(`refused to open ${url}`);
    return;
  }
  shell.openExternal(url).catch((error: unknown) => log(`could not open ${url}: ${String(error)}`));
}
