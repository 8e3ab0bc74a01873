/**
 * The local prediction API: 127.0.0.1 only, POST /v1/predict with JSON in and out, a body size
 * limit, schema-checked input, and snippets (curl, JavaScript, Python) that really work against
 * it. All traffic stays on the loopback address; every request is one-shot.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiPredictResponseSchema, servingStatusSchema } from '../../../main/contract/export';
import { switchBackend } from '../../../main/core/backends/tf-setup';
import { exportRun } from '../../../main/core/export/export-bundle';
import { LocalModels } from '../../../main/core/inference/local';
import { loadRunModel, predictLoaded } from '../../../main/core/inference/predictor';
import { startServing, type ServingHandle } from '../../../main/core/serving/service';
import { pythonLiteral, servingSnippets, shellQuote } from '../../../main/core/serving/snippets';
import { run, trainFixture, type TrainedFixture } from './helpers';

let dir: string;
let fixture: TrainedFixture;
let file: string;
let models: LocalModels;
let server: ServingHandle;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'modelpilot-serving-'));
  await switchBackend('wasm');
  fixture = await trainFixture(dir, 'text-binary');
  file = join(dir, 'reviews.mpmodel');
  await exportRun({ runDir: fixture.runDir, outPath: file });
  models = new LocalModels();
  server = await startServing(models, { source: { kind: 'bundle', path: file }, port: 0, maxBodyBytes: 4096 });
}, 120_000);

afterAll(async () => {
  await server?.stop();
  models?.dispose();
  await rm(dir, { recursive: true, force: true });
});

/** One HTTP request to the server, with full control of headers (fetch would fix Host). */
function send(options: { method?: string; path?: string; body?: string; headers?: Record<string, string> }): Promise<{ status: number; json: unknown }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: '127.0.0.1', port: server.port, method: options.method ?? 'POST', path: options.path ?? '/v1/predict', headers: { 'content-type': 'application/json', ...options.headers } },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => (text += d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, json: text ? JSON.parse(text) : null }));
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

describe('local prediction API', () => {
  it('listens on 127.0.0.1 only and reports its status', () => {
    const status = servingStatusSchema.parse(server.status());
    expect(status).toMatchObject({ running: true, host: '127.0.0.1', port: server.port, url: `http://127.0.0.1:${server.port}/v1/predict`, source: { kind: 'bundle', path: file } });
    expect(server.model.input).toEqual({ kind: 'text', columns: [{ name: 'review', type: 'text' }] });
  });

  it('answers rows with the app\'s predictions', async () => {
    const rows = fixture.rawTest.slice(0, 5).map((r) => ({ review: r.review }));
    const response = await send({ body: JSON.stringify({ rows }) });
    expect(response.status).toBe(200);
    const body = apiPredictResponseSchema.parse(response.json);
    const loaded = await loadRunModel(tf, fixture.runDir);
    const app = await predictLoaded(tf, loaded, rows);
    loaded.model.dispose();
    expect(body).toEqual({ model: { name: server.model.name, task: 'text-classification' }, labels: ['neg', 'pos'], predictions: app.predictions });
    const single = await send({ body: JSON.stringify({ text: String(rows[0].review) }) });
    expect((single.json as { predictions: unknown[] }).predictions).toEqual([app.predictions[0]]);
  });

  it('refuses what is not a well-formed request, with a code and a sentence', async () => {
    const cases: [Parameters<typeof send>[0], number, string][] = [
      [{ body: '{"rows": [' }, 400, 'invalid_json'],
      [{ body: JSON.stringify({ rows: [] }) }, 400, 'invalid_request'],
      [{ body: JSON.stringify({ rows: [{ review: 'ok' }], extra: 1 }) }, 400, 'invalid_request'],
      [{ body: JSON.stringify({ rows: [{ review: { nested: true } }] }) }, 400, 'invalid_request'],
      [{ body: JSON.stringify({ rows: [{ comment: 'wrong column' }] }) }, 422, 'predict_input_invalid'],
      [{ body: JSON.stringify({ rows: [{ review: 'x'.repeat(5000) }] }) }, 413, 'payload_too_large'],
      [{ body: 'review=hi', headers: { 'content-type': 'application/x-www-form-urlencoded' } }, 415, 'unsupported_media_type'],
      [{ method: 'GET' }, 405, 'method_not_allowed'],
      [{ path: '/admin' }, 404, 'not_found'],
      // A page on another site reaching 127.0.0.1 through DNS rebinding names its own host.
      [{ body: JSON.stringify({ text: 'hi' }), headers: { host: 'evil.example:80' } }, 403, 'forbidden_host'],
    ];
    for (const [options, status, code] of cases) {
      const response = await send(options);
      expect(response.status, code).toBe(status);
      expect((response.json as { error: { code: string; message: string } }).error.code).toBe(code);
    }
    // Still serving afterwards.
    expect((await send({ body: JSON.stringify({ text: 'fine' }) })).status).toBe(200);
    expect((await send({ method: 'GET', path: '/v1/model' })).json).toMatchObject({ model: { name: server.model.name, labels: ['neg', 'pos'] } });
  });

  it('stops reading a body sent in chunks once it passes the limit', async () => {
    const response = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = httpRequest({ host: '127.0.0.1', port: server.port, method: 'POST', path: '/v1/predict', headers: { 'content-type': 'application/json' } }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => (body += d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      });
      req.on('error', reject);
      // No Content-Length: the limit must hold while streaming.
      req.write('{"rows":[{"review":"');
      req.write('x'.repeat(3000));
      req.end('x'.repeat(3000) + '"}]}');
    });
    expect(response.status).toBe(413);
    expect(JSON.parse(response.body).error.code).toBe('payload_too_large');
  });

  it('refuses a port that is taken with serving_port_in_use', async () => {
    await expect(startServing(models, { source: { kind: 'bundle', path: file }, port: server.port })).rejects.toMatchObject({ code: 'serving_port_in_use', params: { port: server.port } });
  });

  it('gives curl, JavaScript and Python snippets that work as pasted', async () => {
    const snippets = servingSnippets({ port: server.port, input: server.model.input, example: { review: "it's great, 很好" } });
    const expected = (await send({ body: JSON.stringify({ rows: [{ review: "it's great, 很好" }] }) })).json as { predictions: unknown };

    const curl = await run('sh', ['-c', snippets.curl], { cwd: dir });
    expect(curl.code, curl.stderr).toBe(0);
    expect(JSON.parse(curl.stdout).predictions).toEqual(expected.predictions);

    const js = await run(process.execPath, ['--input-type=module', '-e', snippets.javascript.replace('console.log(predictions);', 'console.log(JSON.stringify(predictions));')], { cwd: dir });
    expect(js.code, js.stderr).toBe(0);
    expect(JSON.parse(js.stdout)).toEqual(expected.predictions);

    const py = await run('python3', ['-c', snippets.python.replace('print(json.load(response)["predictions"])', 'print(json.dumps(json.load(response)["predictions"]))')], { cwd: dir });
    expect(py.code, py.stderr).toBe(0);
    expect(JSON.parse(py.stdout)).toEqual(expected.predictions);
  });

  it('quotes for the shell and writes Python literals', () => {
    expect(shellQuote("it's")).toBe("'it'\\''s'");
    expect(pythonLiteral({ a: null, b: true, c: [1, 'x'] })).toBe('{\n    "a": None,\n    "b": True,\n    "c": [\n        1,\n        "x",\n    ],\n}');
  });

  it('stops, and says so', async () => {
    const other = await startServing(models, { source: { kind: 'bundle', path: file }, port: 0 });
    const port = other.port;
    await other.stop();
    expect(other.status()).toMatchObject({ running: false, port: null, url: null });
    await expect(fetch(`http://127.0.0.1:${port}/v1/health`)).rejects.toThrow();
  });
});
