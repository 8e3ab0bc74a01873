import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CoreError } from '../../main/core/errors';
import { writeFileAtomic } from '../../main/core/fs/atomic-write';
import { resolveHome } from '../../main/core/home';
import { folderNameFor } from '../../main/core/projects/folder-name';
import { ProjectStore } from '../../main/core/projects/project-store';
import { makeTempHome } from './helpers/temp-home';

let home: string;
let cleanup: () => Promise<void>;
let store: ProjectStore;

beforeEach(async () => {
  ({ home, cleanup } = await makeTempHome());
  store = new ProjectStore(home);
});
afterEach(() => cleanup());

describe('projects on disk', () => {
  it('creates a folder with a versioned project.json and the project sub-folders', async () => {
    const project = await store.create('Ticket routing', 'route support tickets');
    expect(project.id).toBe('Ticket routing');
    const file = JSON.parse(await readFile(join(home, 'Ticket routing', 'project.json'), 'utf8'));
    expect(file).toMatchObject({ formatVersion: 1, name: 'Ticket routing', description: 'route support tickets', currentStep: 'needs', completedSteps: [] });
    expect((await readdir(project.dir)).sort()).toEqual(['data', 'exports', 'project.json', 'runs']);
  });

  it('gives two projects with the same name two folders, and keeps Chinese names readable', async () => {
    const a = await store.create('工单分类');
    const b = await store.create('工单分类');
    expect(a.id).toBe('工单分类');
    expect(b.id).toBe('工单分类-2');
    expect(folderNameFor('a/b:c*?')).toBe('a-b-c-');
    expect(folderNameFor('...')).toBe('project');
  });

  it('lists projects most recently opened first', async () => {
    await store.create('First');
    await store.create('Second');
    await new Promise((r) => setTimeout(r, 5));
    await store.open('First');
    expect((await store.list()).map((p) => p.name)).toEqual(['First', 'Second']);
  });

  it('updates fields and steps, and writes atomically (no temp files left)', async () => {
    const p = await store.create('Churn');
    const updated = await store.update(p.id, { currentStep: 'data', completedSteps: ['needs', 'needs'] });
    expect(updated.completedSteps).toEqual(['needs']);
    expect((await store.open(p.id)).currentStep).toBe('data');
    expect((await readdir(p.dir)).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('serializes concurrent updates to one project', async () => {
    const p = await store.create('Busy');
    await Promise.all(Array.from({ length: 20 }, (_, i) => store.update(p.id, { description: `v${i}` })));
    expect((await store.open(p.id)).description).toBe('v19');
  });

  it('reports a corrupt project.json and never overwrites it', async () => {
    const p = await store.create('Broken');
    const path = join(p.dir, 'project.json');
    await writeFile(path, '{ not json');
    const listed = (await store.list()).find((s) => s.id === p.id);
    expect(listed).toMatchObject({ status: 'corrupt' });
    await expect(store.open(p.id)).rejects.toMatchObject({ code: 'project_corrupt' });
    await expect(store.update(p.id, { name: 'Fixed?' })).rejects.toBeInstanceOf(CoreError);
    expect(await readFile(path, 'utf8')).toBe('{ not json');
  });

  it('reports a project from a newer version and never overwrites it', async () => {
    const p = await store.create('Future');
    const path = join(p.dir, 'project.json');
    const future = JSON.stringify({ formatVersion: 99, name: 'Future', somethingNew: true });
    await writeFile(path, future);
    expect((await store.list()).find((s) => s.id === p.id)).toMatchObject({ status: 'too_new' });
    await expect(store.update(p.id, { name: 'x' })).rejects.toMatchObject({ code: 'project_too_new', params: { version: 99 } });
    expect(await readFile(path, 'utf8')).toBe(future);
  });

  it('patches the data section under the lock, keeping the rest, and never writes a damaged file', async () => {
    const project = await store.create('With data');
    await store.update(project.id, { completedSteps: ['needs'] });
    const data = {
      source: {
        file: `data/${'a'.repeat(64)}.csv`,
        originalName: 'a.csv',
        sha256: 'a'.repeat(64),
        bytes: 10,
        importedAt: new Date().toISOString(),
        rows: 2,
        spec: { format: 'csv' as const, encoding: 'utf-8' as const, delimiter: ',' as const, hasHeader: true, sheet: null, columns: ['x', 'y'] },
      },
      detection: { format: 'csv' as const, encoding: 'utf-8' as const, encodingConfidence: 1, encodingCandidates: [], delimiter: ',' as const, hasHeader: true, sheet: null },
      options: {},
      roles: { x: 'text' as const, y: 'label' as const },
      labelColumn: 'y',
      taskType: 'binary' as const,
      recipe: { version: 1 as const, steps: [], fittedOn: null },
      split: { train: 0.8, validation: 0.1, test: 0.1, seed: 42 },
    };
    const [a, b] = await Promise.all([
      store.updateData(project.id, () => data),
      store.updateData(project.id, (current) => ({ ...current!, labelColumn: 'y', split: { ...current!.split, seed: 7 } })),
    ]);
    expect(a.data?.split.seed).toBe(42);
    expect(b.data?.split.seed).toBe(7); // the second saw the first's write
    const reopened = await store.open(project.id);
    expect(reopened).toMatchObject({ completedSteps: ['needs'], data: { labelColumn: 'y', split: { seed: 7 } } });

    await writeFile(join(project.dir, 'project.json'), '{"formatVersion": 1');
    const error = await store.updateData(project.id, () => data).catch((e: unknown) => e);
    expect((error as CoreError).code).toBe('project_corrupt');
    expect(await readFile(join(project.dir, 'project.json'), 'utf8')).toBe('{"formatVersion": 1');
  });

  it('deletes a project folder, and refuses ids that leave the home folder', async () => {
    const p = await store.create('Gone');
    await store.delete(p.id);
    expect(await store.list()).toEqual([]);
    await expect(store.delete('..')).rejects.toMatchObject({ code: 'not_found' });
    await expect(store.open('../etc')).rejects.toMatchObject({ code: 'not_found' });
    await mkdir(join(home, 'not-a-project'));
    await expect(store.delete('not-a-project')).rejects.toMatchObject({ code: 'not_found' });
  });

  it('takes the home folder from MODELPILOT_HOME, else the documents folder', () => {
    const saved = process.env.MODELPILOT_HOME;
    process.env.MODELPILOT_HOME = '/somewhere/else';
    expect(resolveHome('/docs')).toBe('/somewhere/else');
    delete process.env.MODELPILOT_HOME;
    expect(resolveHome('/docs')).toBe(join('/docs', 'ModelPilot'));
    if (saved !== undefined) process.env.MODELPILOT_HOME = saved;
  });
});

describe('writeFileAtomic', () => {
  it('replaces the content whole and leaves no temp file', async () => {
    const path = join(home, 'a.json');
    await writeFileAtomic(path, 'one');
    await writeFileAtomic(path, 'two');
    expect(await readFile(path, 'utf8')).toBe('two');
    expect(await readdir(home)).toEqual(['a.json']);
  });
});
