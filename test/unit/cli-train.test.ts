import { spawnSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTempHome } from './helpers/temp-home';

let home: string;
let cleanup: () => Promise<void>;
beforeEach(async () => ({ home, cleanup } = await makeTempHome()));
afterEach(() => cleanup());

const fixture = (name: string) => resolve('test/fixtures/training', name);

function modelpilot(...args: string[]) {
  const run = spawnSync(process.execPath, ['bin/modelpilot.js', ...args], {
    encoding: 'utf8',
    env: { ...process.env, MODELPILOT_HOME: home, MODELPILOT_DEBUG: '' },
  });
  return { code: run.status, out: run.stdout, err: run.stderr };
}

const lines = (out: string) => out.trim().split('\n').map((line) => JSON.parse(line) as Record<string, any>);

describe('modelpilot train', () => {
  it('imports, splits and trains a text file headless; --json gives one line per epoch and a done line with test metrics', () => {
    const project = join(home, 'reviews-project');
    const { code, out, err } = modelpilot('train', fixture('reviews.csv'), '--label', 'label', '--epochs', '2', '--project', project, '--json');
    expect(code, err).toBe(0);
    const events = lines(out);
    expect(events.map((e) => e.event)).toEqual(['epoch', 'epoch', 'done']);
    expect(events[0]).toMatchObject({ event: 'epoch', epoch: 1, epochs: 2, metricName: 'accuracy', loss: expect.any(Number), valLoss: expect.any(Number), metric: expect.any(Number) });
    const done = events[2];
    expect(done).toMatchObject({ event: 'done', status: 'completed', modelId: 'text-bow', epochsCompleted: 2, testRows: 12, backend: 'wasm' });
    expect(done.runDir).toBe(join(project, 'runs', done.runId));
    expect(Object.keys(done.metrics).sort()).toEqual(['accuracy', 'macroF1']);
    expect(done.metrics.accuracy).toBeGreaterThanOrEqual(0);
    expect(done.metrics.accuracy).toBeLessThanOrEqual(1);
    // Progress words go to stderr, so stdout stays pure JSON lines.
    expect(err).toContain('model: text-bow (recommended:');
    return readFile(join(project, 'project.json'), 'utf8').then((text) => {
      const saved = JSON.parse(text);
      expect(saved).toMatchObject({ data: { labelColumn: 'label', taskType: 'binary' }, model: { modelId: 'text-bow' }, training: { settings: { epochs: 2 } } });
    });
  });

  it('predicts a number from a table with --model, scoring MAE, RMSE and R² on the test split; a new project lands in MODELPILOT_HOME', () => {
    const { code, out, err } = modelpilot('train', fixture('flats.csv'), '--label', 'price', '--model', 'tabular-linear', '--epochs', '1', '--json');
    expect(code, err).toBe(0);
    const done = lines(out).at(-1)!;
    expect(done).toMatchObject({ event: 'done', modelId: 'tabular-linear', testRows: 15 });
    expect(Object.keys(done.metrics).sort()).toEqual(['mae', 'r2', 'rmse']);
    expect(done.metrics.rmse).toBeGreaterThanOrEqual(done.metrics.mae);
    expect(done.runDir.startsWith(home)).toBe(true);
  });

  it('prints epochs and the test scores in words without --json', () => {
    const { code, out } = modelpilot('train', fixture('churn.csv'), '--epochs', '1');
    expect(code).toBe(0);
    expect(out).toMatch(/^epoch 1\/1 {2}loss /m);
    expect(out).toMatch(/test split \(16 rows\): accuracy \d\.\d{4}, macro F1 \d\.\d{4}/);
  });

  it.each([
    [['train'], 'give one file or folder'],
    [['train', 'x.csv', '--model', 'gpt'], 'unknown model "gpt"'],
    [['train', 'x.csv', '--epochs', '0'], '--epochs must be a whole number'],
  ])('answers the user mistake %j with one error line and exit code 2', (args, text) => {
    const { code, err } = modelpilot(...args);
    expect(code).toBe(2);
    expect(err).toContain(text);
  });

  it('refuses a label column the file does not have, and a model for another task', () => {
    const missing = modelpilot('train', fixture('churn.csv'), '--label', 'nope', '--epochs', '1');
    expect(missing.code).toBe(2);
    expect(missing.err).toContain('there is no column "nope"');
    const mismatch = modelpilot('train', fixture('churn.csv'), '--model', 'text-bow', '--epochs', '1');
    expect(mismatch.code).toBe(2);
    expect(mismatch.err).toContain('text-bow does not serve tabular-classification');
  });

  it('says what the options mean, and where a project goes without --project', () => {
    const { code, out } = modelpilot('train', '--help');
    expect(code).toBe(0);
    expect(out).toContain('MODELPILOT_HOME when that is set, else in the system temp folder');
  });
});
