import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { basename, dirname, join } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { fail, ok, type ErrorCode, type Result } from '../contract';
import { isCoreError } from '../core/errors';
import type { UploadStore } from '../core/uploads/upload-store';

/** Largest single file the browser may upload: room for a 1 GB CSV and then some. */
export const DEFAULT_MAX_UPLOAD_BYTES = 4 * 1024 ** 3;

const STATUS: Partial<Record<ErrorCode, number>> = { invalid_payload: 400, data_empty: 400, data_too_large: 413, not_found: 404 };

/**
 * `PUT /upload/<uploadId>/<relative path>` streams one file of an upload to disk (a temp file,
 * renamed when complete, so an import never sees half a file); `DELETE /upload/<uploadId>`
 * drops an abandoned upload. The caller has checked the token. Answers are contract Results as
 * JSON, so the page words a refusal like any other error: an empty file is `data_empty`, one over
 * the limit `data_too_large`, a path that climbs out `invalid_payload`.
 */
export async function handleUpload(req: IncomingMessage, res: ServerResponse, url: URL, uploads: UploadStore, maxBytes: number): Promise<void> {
  const [, , uploadId = '', ...rest] = url.pathname.split('/');
  try {
    if (req.method === 'DELETE' && rest.length === 0) {
      await uploads.remove(uploadId);
      return reply(res, ok({ removed: true }));
    }
    if (req.method !== 'PUT') return reply(res, fail('invalid_payload', 'uploads take PUT or DELETE', { field: 'method' }), 405);
    const relative = decodePath(rest);
    const target = uploads.fileOf(uploadId, relative);
    const name = basename(target);
    const declared = Number(req.headers['content-length'] ?? NaN);
    if (declared > maxBytes) return refuseTooLarge(req, res, name, maxBytes);
    if (declared === 0) return reply(res, fail('data_empty', `${name} is empty (0 bytes)`, { file: name }));
    await mkdir(dirname(target), { recursive: true });
    const temp = join(dirname(target), `.${name}.${process.hrtime.bigint()}.part`);
    let bytes = 0;
    const counter = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        bytes += chunk.length;
        done(bytes > maxBytes ? new TooLarge() : null, chunk);
      },
    });
    try {
      await pipeline(req, counter, createWriteStream(temp, { flags: 'wx' }));
    } catch (error) {
      await rm(temp, { force: true });
      if (error instanceof TooLarge) return refuseTooLarge(req, res, name, maxBytes);
      throw error;
    }
    if (bytes === 0) {
      await rm(temp, { force: true });
      return reply(res, fail('data_empty', `${name} is empty (0 bytes)`, { file: name }));
    }
    await rename(temp, target);
    return reply(res, ok({ bytes }));
  } catch (error) {
    if (isCoreError(error)) return reply(res, fail(error.code, error.message, error.params));
    if (res.headersSent || req.destroyed) return; // the browser gave up mid-upload
    return reply(res, fail('io_error', `upload failed: ${(error as Error).message}`, {}), 500);
  }
}

class TooLarge extends Error {}

function decodePath(parts: string[]): string {
  try {
    return parts.map(decodeURIComponent).join('/');
  } catch {
    return ''; // not valid percent-encoding: refused as a path below
  }
}

function refuseTooLarge(req: IncomingMessage, res: ServerResponse, file: string, maxBytes: number): void {
  reply(res, fail('data_too_large', `${file} is larger than the ${Math.round(maxBytes / 1024 ** 2)} MB upload limit`, { file, limit: maxBytes }));
  // Stop reading what is left of the body; the connection closes after the answer.
  req.unpipe();
  req.resume();
}

function reply(res: ServerResponse, result: Result<unknown>, status?: number): void {
  if (res.headersSent) return;
  const code = status ?? (result.ok ? 200 : (STATUS[result.error.code] ?? 500));
  res.writeHead(code, { 'Content-Type': 'application/json; charset=utf-8', 'X-Content-Type-Options': 'nosniff', 'Cache-Control': 'no-store', Connection: code === 413 ? 'close' : 'keep-alive' });
  res.end(JSON.stringify(result));
}
