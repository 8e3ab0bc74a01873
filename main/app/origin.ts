/**
 * Where the renderer comes from and which URLs count as "ours". Pure (no electron import), so the
 * navigation and IPC sender rules can be unit tested.
 */

/** The privileged scheme the built renderer is served from (see app-protocol.ts). */
export const APP_SCHEME = 'app';
/** One fixed host: the origin is `app://modelpilot` for every page of the app. */
export const APP_HOST = 'modelpilot';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;

/**
 * The electron-vite dev server (`npm run dev` sets ELECTRON_RENDERER_URL), honoured only in an
 * unpackaged app and only on a loopback http address, so a packaged build never loads anything
 * but its own files.
 */
export function devServerOrigin(env: NodeJS.ProcessEnv, isPackaged: boolean): string | null {
  const raw = env.ELECTRON_RENDERER_URL;
  if (isPackaged || !raw) return null;
  try {
    const url = new URL(raw);
    const loopback = ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
    return url.protocol === 'http:' && loopback ? url.origin : null;
  } catch {
    return null;
  }
}

/**
 * True when `raw` is a page of this app: the `app://modelpilot` origin or, in development, the dev
 * server's origin. Node's URL gives non-special schemes an opaque origin, so compare the parts.
 */
export function isAppUrl(raw: string, devOrigin: string | null = null): boolean {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return false;
  }
  if (url.protocol === `${APP_SCHEME}:`) return url.host === APP_HOST && !url.username && !url.password && !url.port;
  return devOrigin !== null && url.origin === devOrigin;
}

/** Links the shell may hand to the system browser: plain web pages only (never file:, javascript: …). */
export function isExternalWebUrl(raw: string): boolean {
  try {
    const { protocol } = new URL(raw);
    return protocol === 'https:' || protocol === 'http:';
  } catch {
    return false;
  }
}
