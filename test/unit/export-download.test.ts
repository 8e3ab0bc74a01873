/**
 * The web host's download route for a project's exports: token-checked, a `.mpmodel` as is, a
 * TF.js folder zipped, nothing outside the project's exports/ folder.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWebHost, type WebHost } from '../../main/host/web-host';
import { makeTempHome } from './helpers/temp-home';

let home: string;
let cleanup: () => Promise<void>;
let host: WebHost;
let base: string;

beforeAll(async () => {
  ({ home, cleanup } = await makeTempHome());
  const rendererDir = join(home, '.renderer');
  await mkdir(rendererDir);
  await writeFile(join(rendererDir, 'index.html'), '<!doctype html><title>ModelPilot</title>');
  const projects = join(home, 'projects');
  const exports = join(projects, '客户流失', 'exports');
  await mkdir(join(exports, 'churn-r1-tfjs'), { recursive: true });
  await writeFile(join(projects, '客户流失', 'project.json'), '{}');
  await writeFile(join(exports, 'churn-r1.mpmodel'), 'zip bytes');
  await writeFile(join(exports, 'churn-r1-tfjs', 'manifest.json'), '{"format":"modelpilot-model"}');
  await writeFile(join(exports, 'churn-r1-tfjs', 'model.json'), '{}');
  await writeFile(join(projects, '客户流失', 'data.csv'), 'not an export');
  host = await startWebHost({ rendererDir, home: projects, version: '0.0.1', port: 0 });
  base = `http://127.0.0.1:${host.port}`;
});
afterAll(async () => {
  await host.close();
  await cleanup();
});

const url = (project: string, name: string, token = host.token) => `${base}/exports/${encodeURIComponent(project)}/${encodeURIComponent(name)}?token=${token}`;

describe('export downloads', () => {
  it('sends a .mpmodel as an attachment, with its Chinese-safe name', async () => {
    const response = await fetch(url('客户流失', 'churn-r1.mpmodel'));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-disposition')).toBe(`attachment; filename="churn-r1.mpmodel"; filename*=UTF-8''churn-r1.mpmodel`);
    expect(await response.text()).toBe('zip bytes');
  });

  it('zips a TF.js folder', async () => {
    const response = await fetch(url('客户流失', 'churn-r1-tfjs'));
    expect(response.headers.get('content-type')).toBe('application/zip');
    expect(response.headers.get('content-disposition')).toContain('churn-r1-tfjs.zip');
    const files = unzipSync(new Uint8Array(await response.arrayBuffer()));
    expect(Object.keys(files).sort()).toEqual(['manifest.json', 'model.json']);
  });

  it('needs the token, and reaches nothing but exports', async () => {
    expect((await fetch(url('客户流失', 'churn-r1.mpmodel', 'wrong'))).status).toBe(401);
    expect((await fetch(url('客户流失', '..%2Fdata.csv'))).status).toBe(404);
    expect((await fetch(`${base}/exports/${encodeURIComponent('客户流失')}/../data.csv?token=${host.token}`)).status).not.toBe(200);
    expect((await fetch(url('..', 'project.json'))).status).toBe(404);
    expect((await fetch(url('客户流失', 'nothing.mpmodel'))).status).toBe(404);
    expect((await fetch(url('客户流失', 'churn-r1.mpmodel'), { method: 'POST' })).status).toBe(405);
  });
});
