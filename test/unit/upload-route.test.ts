import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { UploadStore } from '../../main/core/uploads/upload-store';
import { startWebHost, type WebHost } from '../../main/host/web-host';
import { makeTempHome } from './helpers/temp-home';

let home: string;
let projects: string;
let cleanup: () => Promise<void>;
let host: WebHost;
let base: string;
let uploads: UploadStore;

beforeEach(async () => {
  ({ home, cleanup } = await makeTempHome());
  const rendererDir = join(home, '.renderer');
  await mkdir(rendererDir);
  await writeFile(join(rendererDir, 'index.html'), '<!doctype html><title>ModelPilot</title>');
  projects = join(home, 'projects');
  host = await startWebHost({ rendererDir, home: projects, version: '0.0.1', port: 0, maxUploadBytes: 1024 });
  base = `http://127.0.0.1:${host.port}`;
  uploads = new UploadStore(projects);
});
afterEach(async () => {
  await host.close();
  await cleanup();
});

const put = (path: string, body: string | Uint8Array, headers: Record<string, string> = {}, token: string | null = host.token) =>
  fetch(`${base}${path}${token ? `?token=${token}` : ''}`, { method: 'PUT', body, headers });

describe('the upload route', () => {
  it('streams a file into its upload folder, keeping the folder path, and answers a Result', async () => {
    const res = await put('/upload/abcdefgh12/reviews/positive/%E5%A5%BD.txt', 'great product');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true, value: { bytes: 13 } });
    expect(await readFile(join(uploads.dirOf('abcdefgh12'), 'reviews', 'positive', '好.txt'), 'utf8')).toBe('great product');
    expect(await uploads.sourcePath('abcdefgh12')).toBe(join(uploads.dirOf('abcdefgh12'), 'reviews'));
    expect((await fetch(`${base}/upload/abcdefgh12?token=${host.token}`, { method: 'DELETE' })).status).toBe(200);
    expect(await readdir(uploads.root)).toEqual([]);
  });

  it('needs the token, like every other request, and refuses other sites', async () => {
    expect((await put('/upload/abcdefgh12/a.csv', 'x', {}, null)).status).toBe(401);
    expect((await put('/upload/abcdefgh12/a.csv', 'x', {}, 'wrong')).status).toBe(401);
    expect((await put('/upload/abcdefgh12/a.csv', 'x', { origin: 'http://evil.example' })).status).toBe(403);
  });

  it.each([
    ['/upload/abcdefgh12/..%2F..%2Fescape.csv'],
    ['/upload/abcdefgh12/a/%2E%2E/%2E%2E/escape.csv'],
    ['/upload/abcdefgh12/C%3A%5Cwindows.csv'],
    ['/upload/abcdefgh12/'],
    ['/upload/..%2Fx/a.csv'],
    ['/upload/short/a.csv'],
  ])('refuses a path that climbs out or is no path: %s', async (path) => {
    const res = await put(path, 'x');
    expect([400, 404]).toContain(res.status);
    expect(((await res.json()) as { ok: boolean }).ok).toBe(false);
    expect(await readdir(projects).catch(() => [])).not.toContain('escape.csv');
    expect(await readdir(home)).not.toContain('escape.csv');
  });

  it('refuses an empty file with data_empty', async () => {
    const res = await put('/upload/abcdefgh12/empty.csv', '');
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ ok: false, error: { code: 'data_empty', params: { file: 'empty.csv' } } });
    expect(await readdir(uploads.dirOf('abcdefgh12')).catch(() => [])).toEqual([]);
  });

  it('refuses a file over the size limit with data_too_large, keeping nothing of it', async () => {
    const res = await put('/upload/abcdefgh12/big.csv', new Uint8Array(2048));
    expect(res.status).toBe(413);
    expect(await res.json()).toMatchObject({ ok: false, error: { code: 'data_too_large', params: { file: 'big.csv', limit: 1024 } } });
    expect(await readdir(uploads.dirOf('abcdefgh12')).catch(() => [])).toEqual([]);
  });

  it('stops reading a body sent without a length once it passes the limit', async () => {
    const chunks = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < 8; i++) controller.enqueue(new Uint8Array(512));
        controller.close();
      },
    });
    const answer = await fetch(`${base}/upload/abcdefgh12/stream.csv?token=${host.token}`, { method: 'PUT', body: chunks, duplex: 'half' } as RequestInit).catch(() => null);
    if (answer) expect(answer.status).toBe(413); // or the connection was cut mid-body
    expect(await readdir(uploads.dirOf('abcdefgh12')).catch(() => [])).toEqual([]);
  });

  it('takes PUT and DELETE only', async () => {
    const res = await fetch(`${base}/upload/abcdefgh12/a.csv?token=${host.token}`, { method: 'POST', body: 'x' });
    expect(res.status).toBe(405);
  });
});
