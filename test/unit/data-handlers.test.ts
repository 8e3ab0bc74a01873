import { cp, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { channels, type DataState } from '../../main/contract';
import { UploadStore } from '../../main/core/uploads/upload-store';
import { createDispatch, type Dispatch } from '../../main/handlers';
import { fixture } from './data/helpers';
import { makeTempHome } from './helpers/temp-home';
import { ok as okResult } from './helpers/dispatch-results';

let home: string;
let cleanup: () => Promise<void>;
let desktop: Dispatch;
let web: Dispatch;
let emitted: { event: string; payload: any }[];

beforeEach(async () => {
  ({ home, cleanup } = await makeTempHome());
  emitted = [];
  const emit = (event: string, payload: unknown) => emitted.push({ event, payload });
  desktop = createDispatch({ host: 'electron', home, version: '1', emit });
  web = createDispatch({ host: 'web', home, version: '1', emit });
});
afterEach(() => cleanup());

async function newProject(dispatch = desktop): Promise<{ id: string; dir: string }> {
  const created = await dispatch('projects:create', { name: 'Data' });
  if (!created.ok) throw new Error(created.error.message);
  return created.value as { id: string; dir: string };
}

/** Most calls here answer with the data step's state. */
const ok = <T = DataState>(result: Parameters<typeof okResult>[0]) => okResult<T>(result);

const importPath = (projectId: string, path: string, jobId = 'job-1') => desktop('data:import', { projectId, jobId, source: { kind: 'path', path } });

describe('data:import', () => {
  it('imports a file the user chose, saves the data section, and answers with the audit and the split', async () => {
    const { id, dir } = await newProject();
    const state = await ok(importPath(id, fixture('messy.csv')));
    expect(channels['data:import'].result.parse(state)).toBeTruthy();
    expect(state).toMatchObject({ labelColumn: 'label', taskType: 'multiclass', reused: false, recipe: [], split: { train: 0.8, seed: 42 } });
    expect(state.audit).toMatchObject({ rows: 40, duplicates: 2 });
    expect(state.splitSummary.counts).toEqual({ train: 32, validation: 4, test: 4 });
    expect(state.preview).toHaveLength(20);
    const saved = JSON.parse(await readFile(join(dir, 'project.json'), 'utf8'));
    expect(saved.data).toMatchObject({ source: { originalName: 'messy.csv', rows: 40 }, labelColumn: 'label', recipe: { steps: [] } });
    expect(await readdir(join(dir, 'data'))).toEqual([state.source.file.slice('data/'.length)]);
    const progress = emitted.filter((e) => e.event === 'data:progress');
    expect(progress.length).toBeGreaterThan(0);
    expect(progress.every((e) => e.payload.jobId === 'job-1')).toBe(true);
    // Reopening the step answers from the cache with the same state.
    expect(await ok(desktop('data:get', { projectId: id }))).toEqual({ ...state, reused: false });
  });

  it('imports an upload (the browser host) and removes the upload afterwards', async () => {
    const { id } = await newProject(web);
    const uploads = new UploadStore(home);
    await mkdir(uploads.dirOf('upload-0001'), { recursive: true });
    await cp(fixture('text-folder'), join(uploads.dirOf('upload-0001'), 'reviews'), { recursive: true });
    const state = await ok(web('data:import', { projectId: id, jobId: 'j', source: { kind: 'upload', uploadId: 'upload-0001' } }));
    expect(state).toMatchObject({ source: { originalName: 'reviews', rows: 8 }, taskType: 'binary' });
    expect(await readdir(uploads.root)).toEqual([]);
  });

  it('takes no paths from the browser host: only uploads', async () => {
    const { id } = await newProject(web);
    expect(await web('data:import', { projectId: id, jobId: 'j', source: { kind: 'path', path: fixture('messy.csv') } })).toMatchObject({
      ok: false,
      error: { code: 'unsupported_in_host' },
    });
  });

  it('reads the current source again with an override, keeping its name', async () => {
    const { id } = await newProject();
    const first = await ok(importPath(id, fixture('messy-gbk.csv')));
    expect(first.source.spec.encoding).toBe('gb18030');
    const again = await ok(desktop('data:import', { projectId: id, jobId: 'j2', source: { kind: 'current' }, options: { encoding: 'utf-8' } }));
    expect(again).toMatchObject({ reused: true, options: { encoding: 'utf-8' }, source: { originalName: 'messy-gbk.csv', spec: { encoding: 'utf-8' } } });
    expect(again.audit.warnings.map((w) => w.code)).toContain('encoding_suspect');
  });

  it.each([
    ['binary.csv', 'data_binary'],
    ['empty.csv', 'data_empty'],
    ['ragged.csv', 'data_ragged'],
    ['no-columns.csv', 'data_no_columns'],
    ['no-text-folder', 'data_no_text_files'],
    ['one-class-folder', 'data_one_class'],
    ['does-not-exist.csv', 'data_unreadable'],
  ])('refuses %s with %s and changes nothing', async (name, code) => {
    const { id, dir } = await newProject();
    await ok(importPath(id, fixture('messy.csv')));
    const before = await readFile(join(dir, 'project.json'), 'utf8');
    const files = await readdir(join(dir, 'data'));
    expect(await importPath(id, fixture(name), 'bad')).toMatchObject({ ok: false, error: { code } });
    expect(await readFile(join(dir, 'project.json'), 'utf8')).toBe(before);
    expect(await readdir(join(dir, 'data'))).toEqual(files);
  });

  it('never writes a damaged or too-new project, and copies nothing into it', async () => {
    const { id, dir } = await newProject();
    for (const [text, code] of [
      ['{ "formatVersion": 1, "name": ', 'project_corrupt'],
      [JSON.stringify({ formatVersion: 9, name: 'Future' }), 'project_too_new'],
    ]) {
      await writeFile(join(dir, 'project.json'), text);
      expect(await importPath(id, fixture('messy.csv'))).toMatchObject({ ok: false, error: { code } });
      expect(await readFile(join(dir, 'project.json'), 'utf8')).toBe(text);
      expect(await readdir(join(dir, 'data'))).toEqual([]);
    }
  });

  it('cancels a running import by its job id, leaving the project as it was', async () => {
    const { id, dir } = await newProject();
    const big = join(home, 'big.csv');
    await writeFile(big, 'text,label\n' + 'some words to read again and again,yes\nother words,no\n'.repeat(400_000));
    const running = importPath(id, big, 'big-job');
    while (!emitted.some((e) => e.event === 'data:progress' && e.payload.jobId === 'big-job')) await new Promise((r) => setTimeout(r, 5));
    expect(await ok(desktop('data:cancel', { jobId: 'big-job' }), )).toEqual({ cancelled: true });
    expect(await running).toMatchObject({ ok: false, error: { code: 'cancelled' } });
    expect(JSON.parse(await readFile(join(dir, 'project.json'), 'utf8')).data).toBeUndefined();
    expect(await readdir(join(dir, 'data'))).toEqual([]);
    expect(await ok(desktop('data:cancel', { jobId: 'big-job' }))).toEqual({ cancelled: false });
  });
});

describe('data edits', () => {
  it('applies a fix (the audit updates), ignores the same fix twice, and undoes it', async () => {
    const { id, dir } = await newProject();
    const imported = await ok(importPath(id, fixture('messy.csv')));
    const fix = imported.audit.warnings.find((w) => w.code === 'duplicates')!.fix!;
    const fixed = await ok(desktop('data:applyFix', { projectId: id, step: fix }));
    expect(fixed.audit.rows).toBe(38);
    expect(fixed.audit.warnings.map((w) => w.code)).not.toContain('duplicates');
    expect(fixed.recipe).toMatchObject([{ op: 'drop_duplicates', id: 's1' }]);
    expect(fixed.splitSummary.counts.train).toBe(30);
    expect((await ok(desktop('data:applyFix', { projectId: id, step: fix }))).recipe).toHaveLength(1);
    expect(JSON.parse(await readFile(join(dir, 'project.json'), 'utf8')).data.recipe.steps).toHaveLength(1);

    const undone = await ok(desktop('data:undoFix', { projectId: id, stepId: 's1' }));
    expect(undone.recipe).toEqual([]);
    expect(undone.audit).toEqual(imported.audit);
    expect(await desktop('data:undoFix', { projectId: id, stepId: 's1' })).toMatchObject({ ok: false, error: { code: 'not_found' } });
  });

  it('records fitted values learned from the training rows', async () => {
    const { id, dir } = await newProject();
    await ok(importPath(id, fixture('messy.csv')));
    const state = await ok(desktop('data:applyFix', { projectId: id, step: { op: 'fill_missing', column: 'price', strategy: 'median' } }));
    expect(state.recipe[0].params.value).toEqual(expect.any(Number));
    const saved = JSON.parse(await readFile(join(dir, 'project.json'), 'utf8')).data.recipe;
    expect(saved.fittedOn).toEqual({ rows: 32 });
    expect(saved.steps[0].fitted.value).toBe(state.recipe[0].params.value);
  });

  it('changes roles, keeping one column to predict, and refuses a target with one value', async () => {
    const { id } = await newProject();
    await ok(importPath(id, fixture('messy.csv')));
    const byCountry = await ok(desktop('data:setRole', { projectId: id, column: 'country', role: 'label' }));
    expect(byCountry).toMatchObject({ labelColumn: 'country', taskType: 'multiclass', roles: { country: 'label', label: 'categorical' } });
    const none = await ok(desktop('data:setRole', { projectId: id, column: 'country', role: 'categorical' }));
    expect(none).toMatchObject({ labelColumn: null, taskType: null });
    expect(await desktop('data:setRole', { projectId: id, column: 'source', role: 'label' })).toMatchObject({ ok: false, error: { code: 'data_one_class' } });
    expect(await desktop('data:setRole', { projectId: id, column: 'nope', role: 'text' })).toMatchObject({ ok: false, error: { code: 'data_column_not_found' } });
    expect(await desktop('data:applyFix', { projectId: id, step: { op: 'drop_columns', columns: ['nope'] } })).toMatchObject({
      ok: false,
      error: { code: 'data_column_not_found', params: { column: 'nope' } },
    });
  });

  it('saves the split settings and splits again', async () => {
    const { id } = await newProject();
    await ok(importPath(id, fixture('messy.csv')));
    const state = await ok(desktop('data:setSplit', { projectId: id, split: { train: 0.5, validation: 0.25, test: 0.25, seed: 3 } }));
    expect(state.split).toEqual({ train: 0.5, validation: 0.25, test: 0.25, seed: 3 });
    expect(state.splitSummary).toMatchObject({ seed: 3, stratified: true, counts: { train: 21, validation: 10, test: 9 } });
  });

  it('answers null before any import, and data_not_imported for an edit', async () => {
    const { id } = await newProject();
    expect(await desktop('data:get', { projectId: id })).toEqual({ ok: true, value: null });
    expect(await desktop('data:setSplit', { projectId: id, split: { train: 0.8, validation: 0.1, test: 0.1, seed: 1 } })).toMatchObject({
      ok: false,
      error: { code: 'data_not_imported' },
    });
  });

  it('computes the state again when its cache is gone or damaged', async () => {
    const { id, dir } = await newProject();
    const state = await ok(importPath(id, fixture('messy.csv')));
    await writeFile(join(dir, '.modelpilot', 'data-view.json'), '{ broken');
    await rm(join(dir, '.modelpilot', 'data-source.json'));
    expect(await ok(desktop('data:get', { projectId: id }))).toEqual({ ...state, reused: false });
  });
});

describe('data payloads', () => {
  it.each([
    ['data:import', { projectId: 'p', jobId: 'j', source: { kind: 'url', url: 'http://x' } }, 'source.kind'],
    ['data:import', { projectId: 'p', jobId: 'j', source: { kind: 'upload', uploadId: '../../etc' } }, 'source.uploadId'],
    ['data:import', { projectId: 'p', source: { kind: 'current' } }, 'jobId'],
    ['data:import', { projectId: 'p', jobId: 'has space', source: { kind: 'current' } }, 'jobId'],
    ['data:import', { projectId: '../p', jobId: 'j', source: { kind: 'current' } }, 'projectId'],
    ['data:import', { projectId: 'p', jobId: 'j', source: { kind: 'current' }, options: { encoding: 'ebcdic' } }, 'options.encoding'],
    ['data:setRole', { projectId: 'p', column: 'a', role: 'target' }, 'role'],
    ['data:applyFix', { projectId: 'p', step: { op: 'rm -rf' } }, 'step.op'],
    ['data:setSplit', { projectId: 'p', split: { train: 0.8, validation: 0.3, test: 0.1, seed: 1 } }, 'split'],
    ['data:setSplit', { projectId: 'p', split: { train: 0.8, validation: 0.1, test: 0.1, seed: -1 } }, 'split.seed'],
    ['data:cancel', {}, 'jobId'],
    ['data:get', { projectId: 'p', extra: 1 }, '(payload)'],
  ])('refuses a bad %s payload naming the field', async (channel, payload, field) => {
    expect(await desktop(channel, payload)).toMatchObject({ ok: false, error: { code: 'invalid_payload', params: { channel, field } } });
  });

  it('refuses a relative path and a job id already running', async () => {
    const { id } = await newProject();
    expect(await desktop('data:import', { projectId: id, jobId: 'j', source: { kind: 'path', path: 'messy.csv' } })).toMatchObject({
      ok: false,
      error: { code: 'invalid_payload', params: { field: 'source.path' } },
    });
    const first = importPath(id, fixture('messy.csv'), 'same');
    expect(await importPath(id, fixture('messy.csv'), 'same')).toMatchObject({ ok: false, error: { code: 'invalid_payload', params: { field: 'jobId' } } });
    expect((await first).ok).toBe(true);
  });
});
