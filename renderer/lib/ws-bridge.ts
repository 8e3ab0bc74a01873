/**
 * `window.modelpilot` for the browser host: the same named functions the Electron preload
 * exposes, carried over one WebSocket to the web host. Requests are matched to replies by id;
 * pushed events arrive as `{event, payload}`. Picked files travel by HTTP upload (uploads.ts).
 */
import { createApi, type ModelPilotApi, type Transport } from '../../main/contract/api';
import type { Result } from '../../main/contract/errors';
import { uploadFiles } from './uploads';

interface Pending {
  resolve: (result: Result<unknown>) => void;
}

export function createWebSocketApi(location: Location): ModelPilotApi {
  const token = new URLSearchParams(location.search).get('token') ?? '';
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  const url = `${scheme}://${location.host}/ws?token=${encodeURIComponent(token)}`;
  const pending = new Map<number, Pending>();
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  let nextId = 1;
  let socket: Promise<WebSocket> | null = null;

  const connect = (): Promise<WebSocket> => {
    socket ??= new Promise((resolve, reject) => {
      const ws = new WebSocket(url);
      ws.onopen = () => resolve(ws);
      ws.onerror = () => reject(new Error('connection refused'));
      ws.onmessage = (message) => onMessage(String(message.data));
      ws.onclose = () => {
        socket = null; // reconnect on the next request
        for (const [id, p] of pending) {
          p.resolve({ ok: false, error: { code: 'io_error', message: 'connection to the ModelPilot host was lost', params: {} } });
          pending.delete(id);
        }
      };
    });
    return socket.catch((error) => {
      socket = null;
      throw error;
    });
  };

  const onMessage = (text: string) => {
    const message = JSON.parse(text) as { id?: number; result?: Result<unknown>; event?: string; payload?: unknown };
    if (typeof message.id === 'number' && message.result) {
      pending.get(message.id)?.resolve(message.result);
      pending.delete(message.id);
    } else if (message.event) {
      for (const listener of listeners.get(message.event) ?? []) listener(message.payload);
    }
  };

  const transport: Transport = {
    async invoke(channel, payload) {
      let ws: WebSocket;
      try {
        ws = await connect();
      } catch {
        return { ok: false, error: { code: 'io_error', message: 'cannot reach the ModelPilot host', params: {} } };
      }
      const id = nextId++;
      return new Promise((resolve) => {
        pending.set(id, { resolve });
        ws.send(JSON.stringify({ id, channel, payload }));
      });
    },
    subscribe(event, listener) {
      const set = listeners.get(event) ?? new Set();
      set.add(listener);
      listeners.set(event, set);
      void connect().catch(() => undefined); // events need an open socket even before a request
      return () => set.delete(listener);
    },
  };
  return createApi(transport, { sourceFromFiles: (files, onProgress) => uploadFiles(location, files, onProgress) });
}
