/**
 * The last two steps, end to end in the browser host: a tiny text model is trained, evaluated on
 * its test rows (numbers, matrix, examples, threshold, try it, compare), exported; the exported
 * file, unzipped with only @tensorflow/tfjs beside it, gives the app's answers at the chosen
 * threshold in a separate Node process, and so does the local API. A number model runs through
 * the Evaluation step too (residuals, largest misses, a typed row).
 */
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { unzipSync } from 'fflate';
import type { Locator } from '@playwright/test';
import { expect, test } from './fixtures';

const fixture = (name: string) => resolve('test/fixtures/training', name);

interface Answer {
  text: string;
  prediction: string;
  confidence: number;
}

/** Runs a command to its end in `cwd`. */
function run(command: string, args: string[], cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done, fail) => {
    const child = spawn(command, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', fail);
    child.on('close', (code) => done({ code: code ?? -1, stdout, stderr }));
  });
}

/** Unzips a .mpmodel into a new folder and makes @tensorflow/tfjs resolvable there, as `npm install` would. */
async function unzipWithTfjs(file: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'modelpilot-e2e-bundle-'));
  for (const [name, bytes] of Object.entries(unzipSync(await readFile(file)))) {
    if (name.endsWith('/')) continue;
    await mkdir(dirname(join(dir, name)), { recursive: true });
    await writeFile(join(dir, name), bytes);
  }
  await mkdir(join(dir, 'node_modules'), { recursive: true });
  await symlink(resolve('node_modules/@tensorflow'), join(dir, 'node_modules', '@tensorflow'), 'dir');
  return dir;
}

const csvField = (text: string) => (/[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text);

/** The answers an examples list shows: each row's text, the model's answer and its confidence. */
async function answersIn(rows: Locator): Promise<Answer[]> {
  const out: Answer[] = [];
  for (const row of await rows.all()) {
    out.push({ text: await row.locator('.text').innerText(), prediction: (await row.getAttribute('data-predicted'))!, confidence: Number(await row.getAttribute('data-confidence')) });
  }
  return out;
}

/** The same answers, row for row: same label, confidence within 1e-6. */
function expectSameAnswers(actual: { prediction: unknown; confidence: number | null }[], expected: Answer[]): void {
  expect(actual.map((a) => a.prediction)).toEqual(expected.map((e) => e.prediction));
  actual.forEach((a, i) => expect(Math.abs((a.confidence ?? NaN) - expected[i].confidence), `row ${i + 1}`).toBeLessThan(1e-6));
}

test('a text model is evaluated, tuned and exported; the file answers as the app in a separate process and through the local API', async ({ app, home }) => {
  const { page } = app;
  await app.openDataStep('Review triage');
  await app.importDataFile(fixture('reviews.csv'), 'reviews.csv', 120);
  await app.dataIdle();
  await app.openTrainingStep();
  // A few passes: a model that is not yet sure of everything, so the threshold matters.
  await page.getByTestId('setting-epochs').fill('6');
  await app.trainToCompletion();

  // ----- Evaluation: the numbers, in business terms -----
  await app.openEvaluationStep();
  await expect(page.getByTestId('evaluation-summary')).toHaveAttribute('data-rows', '12');
  await expect(page.getByTestId('evaluation-headline')).toHaveAttribute('data-kind', 'classification');
  expect(await app.metricValue('accuracy')).toBeGreaterThan(0);
  await expect(page.getByTestId('metric-precision')).toContainText('really are');
  await expect(page.getByTestId('metric-recall')).toContainText('the model catches');
  await expect(page.getByTestId('class-row')).toHaveCount(2);
  await expect(page.getByTestId('fit-diagnosis')).toHaveAttribute('data-verdict', /good_fit|overfitting|underfitting|not_enough_history/);
  await expect.poll(async () => Number(await page.getByTestId('chart-roc').getAttribute('data-points'))).toBeGreaterThan(2);
  await expect.poll(async () => Number(await page.getByTestId('chart-pr').getAttribute('data-points'))).toBeGreaterThan(1);

  // The matrix holds every test row; a cell lists its rows, each with the model's confidence.
  const cells = page.getByTestId('confusion-cell');
  await expect(cells).toHaveCount(4);
  const counts = async () => Promise.all((await cells.all()).map(async (c) => Number(await c.getAttribute('data-count'))));
  expect((await counts()).reduce((a, b) => a + b, 0)).toBe(12);
  const rows = await app.openExamples('positive', 'positive');
  for (const row of await rows.all()) {
    await expect(row).toHaveAttribute('data-actual', 'positive');
    expect(Number(await row.getAttribute('data-confidence'))).toBeGreaterThan(0);
  }

  // Moving the threshold moves precision and recall (and the matrix) at once; it is saved with the run.
  const before = [await app.metricValue('precision'), await app.metricValue('recall')];
  let moved: number | null = null;
  for (const index of [29, 69, 14, 84, 39, 59, 4, 94, 0, 98]) {
    await app.setThreshold(index);
    if ((await app.metricValue('precision')) !== before[0] || (await app.metricValue('recall')) !== before[1]) {
      moved = index;
      break;
    }
  }
  expect(moved, 'some threshold changes precision or recall').not.toBeNull();
  expect((await counts()).reduce((a, b) => a + b, 0)).toBe(12);

  // Try it with a typed text.
  const tried = await app.tryText('terrible, broken, want a refund');
  expect(['negative', 'positive']).toContain(await tried.getAttribute('data-prediction'));

  // Compare runs and choose the one to ship.
  await expect(page.getByTestId('compare-row')).toHaveCount(1);
  await app.chooseRunToShip();

  // The app's answers for all 12 test rows at the chosen threshold, from the four cells.
  const inApp: Answer[] = [];
  for (const actual of ['negative', 'positive']) {
    for (const predicted of ['negative', 'positive']) {
      if (Number(await app.confusionCell(actual, predicted).getAttribute('data-count')) > 0) inApp.push(...(await answersIn(await app.openExamples(actual, predicted))));
    }
  }
  expect(inApp).toHaveLength(12);
  await app.openExamples('negative', 'positive');
  await app.screenshot('evaluation-text-en');
  await app.setLanguage('zh-CN');
  await expect(page.getByTestId('metric-recall')).toContainText('找出了');
  await app.screenshot('evaluation-text-zh');
  await app.setLanguage('en');

  // ----- Deployment: export, and the parity check in plain words -----
  await app.openDeploymentStep();
  const exported = await app.exportModel();
  const parity = page.getByTestId('parity-result');
  await expect(parity).toHaveAttribute('data-identical', 'true');
  await expect(parity).toHaveAttribute('data-rows', '12');
  await expect(parity).toContainText('exactly the same answers as the app on all 12 test examples');
  // In the project's exports/ folder, under the projects folder.
  expect(exported.path.startsWith(home)).toBe(true);
  expect(basename(dirname(exported.path))).toBe('exports');
  expect(basename(exported.path)).toBe(exported.name);

  // The browser downloads the very file that is on disk.
  const downloading = page.waitForEvent('download');
  await page.getByTestId('export-result').getByTestId('export-download').click();
  const download = await downloading;
  expect(download.suggestedFilename()).toBe(exported.name);
  expect(Buffer.compare(await readFile((await download.path())!), await readFile(exported.path))).toBe(0);

  // The file's own predict.mjs, in a separate Node process with only tfjs beside it.
  const bundle = await unzipWithTfjs(exported.path);
  try {
    await writeFile(join(bundle, 'test.csv'), ['review', ...inApp.map((a) => csvField(a.text))].join('\n') + '\n');
    const script = await run(process.execPath, ['examples/predict.mjs', 'test.csv', '--json'], bundle);
    expect(script.stderr).toBe('');
    expect(script.code).toBe(0);
    expectSameAnswers(script.stdout.trim().split('\n').map((line) => JSON.parse(line) as { prediction: string; confidence: number }), inApp);
  } finally {
    await rm(bundle, { recursive: true, force: true });
  }

  // The local API serves the exported file: same answers.
  await expect(page.getByTestId('serve-model-select')).toHaveValue(`export:${exported.name}`);
  const url = await app.startLocalApi('0');
  expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v1\/predict$/);
  await expect(page.getByTestId('snippet-curl')).toContainText(url);
  await page.getByTestId('snippet-tab-python').click();
  await expect(page.getByTestId('snippet-python')).toContainText('urllib.request');
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ texts: inApp.map((a) => a.text) }) });
  expect(response.status).toBe(200);
  expectSameAnswers(((await response.json()) as { predictions: { prediction: string; confidence: number }[] }).predictions, inApp);
  await expect(page.getByTestId('serve-status')).toContainText('Requests answered: 1');
  await app.screenshot('deployment-en');
  await app.setLanguage('zh-CN');
  await expect(parity).toContainText('完全一样');
  await app.screenshot('deployment-zh');
  await app.setLanguage('en');
  await app.stopLocalApi();

  // Open the exported file as a colleague would, and score it on a labelled file.
  const opened = await app.openModelFile(exported.path);
  await expect(opened).toHaveAttribute('data-task', 'text-classification');
  await expect(opened).toHaveAttribute('data-name', 'Review triage');
  await app.evaluateOnFile(fixture('reviews.csv'));
  await expect(page.getByTestId('file-eval-result')).toHaveAttribute('data-rows', '120');
  await app.screenshot('deployment-open-en');
  await page.getByTestId('mark-done').click();
  await expect(app.step('deployment')).toHaveAttribute('data-done', 'true');
});

test('a number model: residuals, the largest misses and a typed row, in both languages', async ({ app }) => {
  const { page } = app;
  await app.openDataStep('Flat prices');
  await app.importDataFile(fixture('flats.csv'), 'flats.csv', 150);
  await app.dataIdle();
  const price = page.locator('[data-testid="data-column"][data-column="price"]');
  await price.getByTestId('role-select').selectOption('label');
  await expect(price).toHaveAttribute('data-role', 'label');
  await app.dataIdle();
  await app.openTrainingStep();
  await page.getByTestId('setting-epochs').fill('5');
  await app.trainToCompletion();

  await app.openEvaluationStep();
  await expect(page.getByTestId('evaluation-headline')).toHaveAttribute('data-kind', 'regression');
  await expect(page.getByTestId('evaluation-summary')).toHaveAttribute('data-rows', '15');
  expect(await app.metricValue('mae')).toBeGreaterThan(0);
  expect(await app.metricValue('rmse')).toBeGreaterThanOrEqual(await app.metricValue('mae'));
  await expect(page.getByTestId('metric-r2')).toBeVisible();
  await expect(page.getByTestId('threshold-slider')).toHaveCount(0);
  await expect(page.getByTestId('residual-plot')).toHaveAttribute('data-points', '17'); // 15 rows and the 2 ends of the exact line
  await page.getByTestId('show-misses').click();
  const misses = page.getByTestId('example-row');
  await expect(misses).toHaveCount(15);

  await page.getByTestId('try-field-rooms').fill('3');
  await page.getByTestId('try-field-area_m2').fill('90');
  await page.getByTestId('try-field-district').selectOption('centre');
  await page.getByTestId('try-field-floor').fill('2');
  await page.getByTestId('try-submit').click();
  await expect(page.getByTestId('try-result')).toHaveAttribute('data-prediction', /^\d+(\.\d+)?$/);
  await app.screenshot('evaluation-numbers-en');
  await app.setLanguage('zh-CN');
  await expect(page.getByTestId('metric-mae')).toContainText('平均偏差');
  await app.screenshot('evaluation-numbers-zh');
});
