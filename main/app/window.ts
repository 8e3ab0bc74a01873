/**
 * The one application window: hardened webPreferences, the renderer from app:// (or the dev
 * server in `npm run dev`), shown once painted.
 */
import { BrowserWindow, type IpcMainInvokeEvent } from 'electron';
import { APP_ENTRY_URL, isAppUrl } from './origin';
import { hardenedWebPreferences } from './web-preferences';

export interface WindowOptions {
  preload: string;
  devTools: boolean;
  /** The dev server's origin in `npm run dev`, else null (load app://). */
  devOrigin: string | null;
  /** The full dev server URL to load when devOrigin is set. */
  devUrl: string | null;
}

export function createMainWindow(options: WindowOptions): BrowserWindow {
  const window = new BrowserWindow({
    width: 1280,
    height: 840,
    minWidth: 960,
    minHeight: 640,
    title: 'ModelPilot',
    show: false,
    backgroundColor: '#f6f8fb',
    webPreferences: hardenedWebPreferences({ preload: options.preload, devTools: options.devTools }),
  });
  window.once('ready-to-show', () => window.show());
  const url = options.devOrigin && options.devUrl ? options.devUrl : APP_ENTRY_URL;
  void window.loadURL(url);
  return window;
}

/**
 * True only for a message from `window`'s own top-level frame showing one of our pages: not an
 * iframe, not another WebContents, not a page that navigated elsewhere.
 */
export function isTrustedSender(event: IpcMainInvokeEvent, window: BrowserWindow | null, devOrigin: string | null): boolean {
  const frame = event.senderFrame;
  if (!window || window.isDestroyed() || !frame) return false;
  const contents = window.webContents;
  if (event.sender.id !== contents.id) return false;
  const main = contents.mainFrame;
  if (frame.processId !== main.processId || frame.routingId !== main.routingId) return false;
  return isAppUrl(frame.url, devOrigin);
}
