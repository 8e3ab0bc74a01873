/**
 * The local prediction API: an HTTP server on 127.0.0.1 only (never another interface) that
 * answers POST /v1/predict with JSON. Bodies are size-limited and schema-checked before any row
 * reaches the model; the Host header must name this machine, so a web page cannot reach the
 * API through DNS rebinding, and only JSON is accepted, so a page cannot post a form to it.
 * The model itself runs wherever `predict` sends the rows (the app's compute worker).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Row } from '../../contract/data';
import {
  apiPredictRequestSchema,
  DEFAULT_MAX_BODY_BYTES,
  DEFAULT_SERVING_PORT,
  type ApiPredictResponse,
  type ModelInfo,
  type PredictResponse,
  type ServingStatus,
} from '../../contract/export';
import { CoreError, isCoreError } from '../errors';

export const SERVING_HOST = '127.0.0.1';

export interface PredictionServerOptions {
  /** The model being served (its input columns are what requests are checked against). */
  model: ModelInfo;
  /** Scores rows; the app passes its compute worker. */
  predict: (rows: Row[]) => Promise<PredictResponse>;
  /** Default 8731; 0 picks a free port. */
  port?: number;
  maxBodyBytes?: number;
  /** Called after every request (for a log or a request counter in the UI). */
  onRequest?: (entry: { method: string; path: string; status: number; rows: number; ms: number }) => void;
}

export interface PredictionServer {
  readonly port: number;
  readonly url: string;
  status(): ServingStatus;
  /** Stops listening and closes open connections. */
  stop(): Promise<void>;
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** Starts the API; `serving_port_in_use` when the port is taken. */
export async function startPredictionServer(options: PredictionServerOptions): Promise<PredictionServer> {
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const wanted = options.port ?? DEFAULT_SERVING_PORT;
  const startedAt = new Date().toISOString();
  let requests = 0;
  let port = wanted;
  let running = true;

  const server: Server = createServer((req, res) => {
    const began = performance.now();
    let rows = 0;
    handle(req, res, (n) => (rows = n))
      .catch((error: unknown) => sendError(res, error))
      .finally(() => {
        requests++;
        options.onRequest?.({ method: req.method ?? '', path: (req.url ?? '').split('?')[0], status: res.statusCode, rows, ms: performance.now() - began });
      });
  });
  server.requestTimeout = 60_000;
  server.headersTimeout = 10_000;

  async function handle(req: IncomingMessage, res: ServerResponse, countRows: (n: number) => void): Promise<void> {
    const host = (req.headers.host ?? '').toLowerCase();
    if (host !== `127.0.0.1:${port}` && host !== `localhost:${port}`) throw new HttpError(403, 'forbidden_host', 'the API answers requests addressed to 127.0.0.1 or localhost only');
    const path = (req.url ?? '/').split('?')[0];
    if (path === '/v1/model' && req.method === 'GET') return sendJson(res, 200, { model: options.model });
    if (path === '/v1/health' && req.method === 'GET') return sendJson(res, 200, { ok: true });
    if (path !== '/v1/predict') throw new HttpError(404, 'not_found', `no ${path} here; POST /v1/predict`);
    if (req.method !== 'POST') {
      res.setHeader('Allow', 'POST');
      throw new HttpError(405, 'method_not_allowed', 'use POST');
    }
    if (!/^application\/json\b/i.test(req.headers['content-type'] ?? '')) throw new HttpError(415, 'unsupported_media_type', 'send JSON with Content-Type: application/json');
    const body = await readBody(req, maxBodyBytes);
    let json: unknown;
    try {
      json = JSON.parse(body);
    } catch (error) {
      throw new HttpError(400, 'invalid_json', `the body is not JSON: ${(error as Error).message}`);
    }
    const parsed = apiPredictRequestSchema.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new HttpError(400, 'invalid_request', `expected {"rows": [{column: value, …}]}${options.model.input.kind === 'text' ? ' or {"text": "…"}' : ''}: ${issue?.path.join('.') || 'body'} ${issue?.message}`);
    }
    const request = parsed.data;
    let rowsIn: Row[];
    if ('rows' in request) rowsIn = request.rows;
    else {
      const column = options.model.input.columns.find((c) => c.type === 'text');
      if (!column) throw new HttpError(400, 'invalid_request', 'this model reads table columns: send {"rows": [...]}');
      const texts = 'text' in request ? [request.text] : request.texts;
      rowsIn = texts.map((text) => ({ [column.name]: text }));
    }
    countRows(rowsIn.length);
    const result = await options.predict(rowsIn);
    const response: ApiPredictResponse = { model: { name: options.model.name, task: options.model.task }, labels: result.labels, predictions: result.predictions };
    sendJson(res, 200, response);
  }

  await new Promise<void>((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      server.off('listening', onListening);
      if (error.code === 'EADDRINUSE' || error.code === 'EACCES') reject(new CoreError('serving_port_in_use', `port ${wanted} on ${SERVING_HOST} is taken`, { port: wanted }));
      else reject(error);
    };
    const onListening = () => {
      server.off('error', onError);
      resolve();
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(wanted, SERVING_HOST);
  });
  port = (server.address() as AddressInfo).port;
  const url = `http://${SERVING_HOST}:${port}/v1/predict`;

  return {
    port,
    url,
    status: () => ({
      running,
      host: SERVING_HOST,
      port: running ? port : null,
      url: running ? url : null,
      source: running ? options.model.source : null,
      startedAt: running ? startedAt : null,
      requests,
      maxBodyBytes,
    }),
    stop: () =>
      new Promise<void>((resolve) => {
        if (!running) return resolve();
        running = false;
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** A server that is not running, for the UI before the user starts one. */
export function stoppedStatus(maxBodyBytes = DEFAULT_MAX_BODY_BYTES): ServingStatus {
  return { running: false, host: SERVING_HOST, port: null, url: null, source: null, startedAt: null, requests: 0, maxBodyBytes };
}

/** Reads the body as UTF-8, refusing (413) past `limit` bytes without reading the rest into memory. */
function readBody(req: IncomingMessage, limit: number): Promise<string> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) return Promise.reject(new HttpError(413, 'payload_too_large', `the body is larger than ${limit} bytes; send fewer rows per request`));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let failed = false;
    req.on('data', (chunk: Buffer) => {
      if (failed) return;
      size += chunk.length;
      if (size > limit) {
        failed = true;
        reject(new HttpError(413, 'payload_too_large', `the body is larger than ${limit} bytes; send fewer rows per request`));
        // Stop reading; the answer is sent and the connection closed.
        req.pause();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (!failed) resolve(Buffer.concat(chunks).toString('utf8'));
    });
    req.on('error', (error) => {
      if (!failed) reject(error);
    });
  });
}

function sendJson(res: ServerResponse, status: number, value: unknown): void {
  const body = JSON.stringify(value);
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(body), 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff' });
  res.end(body);
}

function sendError(res: ServerResponse, error: unknown): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  let status = 500;
  let code = 'internal';
  let message = 'the model could not answer';
  if (error instanceof HttpError) ({ status, code, message } = error);
  else if (isCoreError(error)) {
    // Rows that do not fit the model are the caller's to fix; anything else is ours.
    status = error.code === 'predict_input_invalid' || error.code === 'recipe_not_fitted' ? 422 : 500;
    code = error.code;
    message = error.message;
  }
  if (status === 413) res.setHeader('Connection', 'close');
  sendJson(res, status, { error: { code, message } });
}
