/**
 * The sandboxed preload: exposes `window.modelpilot`, the contract's named functions, and nothing
 * else. Built to CommonJS (out/preload/index.cjs) because sandboxed preloads cannot be ESM; it
 * imports only 'electron' and the zod-free api module, so the bundle stays tiny.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { createApi, type Transport } from './contract/api';

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

contextBridge.exposeInMainWorld('modelpilot', createApi(transport));
