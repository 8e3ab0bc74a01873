import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startWebHost, type WebHost } from '../../main/host/web-host';
import { makeTempHome } from './helpers/temp-home';

let home: string;
let cleanup: () => Promise<void>;
let host: WebHost;
let base: string;

beforeEach(async () => {
  ({ home, cleanup } = await makeTempHome());
  const rendererDir = join(home, '.renderer');
  await mkdir(rendererDir);
  await writeFile(join(rendererDir, 'index.html'), '<!doctype html><title>ModelPilot</title>');
  await writeFile(join(home, 'secret.txt'), 'outside the renderer');
  host = await startWebHost({ rendererDir, home: join(home, 'projects'), version: '0.0.1', port: 0 });
  base = `http://127.0.0.1:${host.port}`;
});
afterEach(async () => {
  await host.close();
  await cleanup();
});

/** Opens a socket and collects every message it receives. */
function connect(url: string, headers: Record<string, string> = {}) {
  const ws = new WebSocket(url, { headers });
  const messages: unknown[] = [];
  ws.on('message', (data) => messages.push(JSON.parse(data.toString())));
  const opened = new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
  });
  const next = async (predicate: (m: any) => boolean) => {
    for (let i = 0; i < 200; i++) {
      const found = messages.find(predicate);
      if (found) return found as any;
      await new Promise((r) => setTimeout(r, 10));
    }
    throw new Error('no such message arrived');
  };
  return { ws, opened, next };
}

describe('web host', () => {
  it('prints a 127.0.0.1 URL that carries its token', () => {
    expect(host.url).toBe(`http://127.0.0.1:${host.port}/?token=${host.token}`);
    expect(host.token.length).toBeGreaterThanOrEqual(32);
  });

  it('refuses pages without the token, serves them with it, and then by cookie', async () => {
    expect((await fetch(`${base}/`)).status).toBe(401);
    expect((await fetch(`${base}/?token=wrong`)).status).toBe(401);
    const page = await fetch(host.url);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("default-src 'self'");
    const cookie = page.headers.get('set-cookie')!.split(';')[0];
    expect((await fetch(`${base}/index.html`, { headers: { cookie } })).status).toBe(200);
  });

  it('never serves a file outside the renderer folder', async () => {
    const res = await fetch(`${base}/..%2fsecret.txt?token=${host.token}`);
    expect([403, 404]).toContain(res.status);
    expect(await res.text()).not.toContain('outside the renderer');
  });

  it('refuses sockets without the token or from a foreign origin', async () => {
    await expect(connect(`ws://127.0.0.1:${host.port}/ws`).opened).rejects.toThrow('401');
    await expect(connect(`ws://127.0.0.1:${host.port}/ws?token=${host.token}`, { origin: 'http://evil.example' }).opened).rejects.toThrow('401');
  });

  it('answers contract requests, typed errors for bad ones, and pushes events', async () => {
    const { ws, opened, next } = connect(`ws://127.0.0.1:${host.port}/ws?token=${host.token}`);
    await opened;
    ws.send(JSON.stringify({ id: 1, channel: 'projects:create', payload: { name: 'Demo' } }));
    expect(await next((m) => m.id === 1)).toMatchObject({ result: { ok: true, value: { name: 'Demo' } } });
    expect(await next((m) => m.event === 'projects:changed')).toMatchObject({ payload: { projects: [{ name: 'Demo' }] } });
    ws.send(JSON.stringify({ id: 2, channel: 'projects:create', payload: { name: 7 } }));
    expect(await next((m) => m.id === 2)).toMatchObject({ result: { ok: false, error: { code: 'invalid_payload' } } });
    ws.send('not json at all');
    expect(await next((m) => m.id === null)).toMatchObject({ result: { ok: false, error: { code: 'invalid_payload' } } });
    ws.send(JSON.stringify({ id: 3, channel: 'shell:exec', payload: 'rm -rf /' }));
    expect(await next((m) => m.id === 3)).toMatchObject({ result: { ok: false, error: { code: 'unknown_channel' } } });
    ws.close();
  });
});
