import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { fail, type EventName, type EventPayloadOf } from '../contract';
import { ProjectStore } from '../core/projects/project-store';
import { UploadStore } from '../core/uploads/upload-store';
import { stopServingModel } from '../deployment/serving';
import { createDispatch, type HandlerContext } from '../handlers';
import { disposeComputeWorker } from '../training/shared-worker';
import { handleExportDownload } from './export-download-route';
import { sendText, serveStatic } from './static-files';
import { DEFAULT_MAX_UPLOAD_BYTES, handleUpload } from './upload-route';
import { newToken, TOKEN_COOKIE, tokenFromRequest, tokenMatches } from './token';

export interface WebHostOptions {
  /** The built renderer (out/renderer). */
  rendererDir: string;
  home: string;
  version: string;
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  token?: string;
  /** Largest file a browser may upload (default 4 GiB). */
  maxUploadBytes?: number;
  log?: (message: string) => void;
}

export interface WebHost {
  url: string;
  port: number;
  token: string;
  emit: HandlerContext['emit'];
  close(): Promise<void>;
}

/** Largest request a browser may send over the socket; files go through the upload route instead. */
const MAX_MESSAGE_BYTES = 16 * 1024 * 1024;

/**
 * The studio for a browser: serves the built renderer and the contract over one WebSocket on
 * 127.0.0.1. Every HTTP request and socket needs the random token (in the URL or the cookie the
 * first page load sets); sockets from a foreign Origin are refused.
 */
export async function startWebHost(options: WebHostOptions): Promise<WebHost> {
  const token = options.token ?? newToken();
  const bindHost = options.host ?? '127.0.0.1';
  const sockets = new Set<WebSocket>();
  const emit: HandlerContext['emit'] = <E extends EventName>(event: E, payload: EventPayloadOf<E>) => {
    const text = JSON.stringify({ event, payload });
    for (const socket of sockets) if (socket.readyState === socket.OPEN) socket.send(text);
  };
  const dispatch = createDispatch({ host: 'web', home: options.home, version: options.version, emit, log: options.log });
  const uploads = new UploadStore(options.home);
  const exportProjects = new ProjectStore(options.home);
  void uploads.sweep(); // what a closed tab or a crash left behind

  const authorized = (req: IncomingMessage) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    return { url, ok: tokenMatches(token, tokenFromRequest(url, req.headers.cookie)) };
  };

  const server: Server = createServer((req, res) => {
    const { url, ok } = authorized(req);
    if (!ok) return sendText(res, 401, 'ModelPilot: this address needs the token printed when the host started.');
    if (url.pathname.startsWith('/upload/')) {
      if (!sameOrigin(req)) return sendText(res, 403, 'forbidden');
      return void handleUpload(req, res, url, uploads, options.maxUploadBytes ?? DEFAULT_MAX_UPLOAD_BYTES);
    }
    if (url.pathname.startsWith('/exports/')) return void handleExportDownload(req, res, url, exportProjects);
    if (req.method !== 'GET' && req.method !== 'HEAD') return sendText(res, 405, 'method not allowed');
    const cookie = `${TOKEN_COOKIE}=${encodeURIComponent(token)}; HttpOnly; SameSite=Strict; Path=/`;
    void serveStatic(options.rendererDir, url.pathname, res, { 'Set-Cookie': cookie });
  });

  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });
  server.on('upgrade', (req, socket, head) => {
    const { url, ok } = authorized(req);
    if (url.pathname !== '/ws' || !ok || !sameOrigin(req)) {
      socket.write('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\n\r\n');
      socket.destroy();
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      sockets.add(ws);
      ws.on('close', () => sockets.delete(ws));
      ws.on('message', (data) => void answer(ws, data.toString()));
    });
  });

  const answer = async (ws: WebSocket, text: string) => {
    let message: { id?: unknown; channel?: unknown; payload?: unknown };
    try {
      message = JSON.parse(text);
    } catch {
      ws.send(JSON.stringify({ id: null, result: fail('invalid_payload', 'message is not JSON', { field: '(message)' }) }));
      return;
    }
    const id = typeof message?.id === 'number' ? message.id : null;
    const result = id === null
      ? fail('invalid_payload', 'message needs a numeric id', { field: 'id' })
      : await dispatch(message.channel, message.payload);
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ id, result }));
  };

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, bindHost, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://${bindHost}:${port}/?token=${token}`,
    port,
    token,
    emit,
    close: async () => {
      for (const socket of sockets) socket.terminate();
      wss.close();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections(); // idle keep-alive connections would otherwise hold close() open
      await closed;
      await stopServingModel(); // the local prediction API answers through the worker below
      await disposeComputeWorker(); // runs still training are marked interrupted, resumable
    },
  };
}

/** A page of ours, or a client that sends no Origin (curl, tests); never another site. */
function sameOrigin(req: IncomingMessage): boolean {
  const origin = req.headers.origin;
  return !origin || origin === `http://${req.headers.host}`;
}
