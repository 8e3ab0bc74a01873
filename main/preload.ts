/**
 * The sandboxed preload: exposes `window.modelpilot`, the contract's named functions, and nothing
 * else. Built to CommonJS (out/preload/index.cjs) because sandboxed preloads cannot be ESM; it
 * imports only 'electron' and the zod-free api module, so the bundle stays tiny.
 */
import { contextBridge, ipcRenderer, webUtils, type IpcRendererEvent } from 'electron';
import { createApi, type ApiExtras, type PickedFile, type Transport } from './contract/api';

const transport: Transport = {
  async invoke(channel, payload) {
    try {
      return await ipcRenderer.invoke(channel, payload);
    } catch (error) {
      // Only a broken main process gets here; the renderer still receives a Result.
      return { ok: false, error: { code: 'internal', message: error instanceof Error ? error.message : String(error), params: { channel } } };
    }
  },
  subscribe(event, listener) {
    // The page gets the payload only, never the IpcRendererEvent (it carries `sender`).
    const relay = (_event: IpcRendererEvent, payload: unknown) => listener(payload);
    ipcRenderer.on(event, relay);
    return () => {
      ipcRenderer.removeListener(event, relay);
    };
  },
};

/**
 * In the desktop app a picked or dropped file is already on disk: the import reads it where it is.
 * For the files of a dropped folder, the folder is the real path minus the path inside it.
 */
const extras: ApiExtras = {
  async sourceFromFiles(files: readonly PickedFile[]) {
    const first = files[0];
    const real = first ? webUtils.getPathForFile(first.file as File) : '';
    if (!real) return { ok: false, error: { code: 'data_unreadable', message: 'no file on disk', params: {} } };
    const inside = first.path.split('/');
    if (inside.length === 1) return { ok: true, value: { kind: 'path', path: real } };
    const separator = real.includes('\\') && !real.includes('/') ? '\\' : '/';
    const parts = real.split(separator);
    const folder = parts.slice(0, parts.length - inside.length + 1).join(separator);
    return { ok: true, value: { kind: 'path', path: folder } };
  },
};

contextBridge.exposeInMainWorld('modelpilot', createApi(transport, extras));
