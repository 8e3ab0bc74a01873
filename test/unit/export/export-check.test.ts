/**
 * The whole way through, as a user of the CLI goes: `modelpilot train` makes a project and a run
 * from a CSV (Data step recipe, split, training in the compute worker), then `modelpilot export
 * --check` writes the file, reloads it and re-scores the project's test split.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../main/cli/index';

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'modelpilot-export-check-'));
});

afterAll(() => rm(dir, { recursive: true, force: true }));

async function cli(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out, err };
}

describe('modelpilot export --check', () => {
  it('reports that the exported file reproduces the run on the test split', async () => {
    const trained = await cli('train', 'test/fixtures/training/churn.csv', '--label', 'outcome', '--model', 'tabular-linear', '--epochs', '2', '--project', join(dir, 'churn'), '--json');
    expect(trained.code, trained.err.join('\n')).toBe(0);
    const done = JSON.parse(trained.out.at(-1)!);
    const file = join(dir, 'churn.mpmodel');
    const exported = await cli('export', done.runDir, '--out', file, '--check', '--json');
    expect(exported.code, exported.err.join('\n')).toBe(0);
    const result = JSON.parse(exported.out[0]);
    expect(result.cleaningRecipeSource).toBe('run');
    expect(result.manifest.name).toBe('churn');
    expect(result.parity).toMatchObject({ identical: true, maxAbsDiff: 0, labelDisagreements: 0, withinTolerance: true });
    expect(result.parity.rows).toBe(done.testRows);
    const plain = await cli('export', done.runDir, '--out', file, '--check');
    expect(plain.out).toContain(`check: the file reproduces the run's predictions exactly on ${done.testRows} test rows`);
  }, 120_000);
});
