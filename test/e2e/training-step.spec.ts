import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { AppPage } from './app-page';
import { expect, test } from './fixtures';

const fixture = (name: string) => resolve('test/fixtures/training', name);

/** Many passes over tiny data with early stopping off: long enough to pause, resume and stop by hand. */
async function longRun(app: AppPage, epochs: string, batchSize: string): Promise<void> {
  await app.page.getByTestId('setting-epochs').fill(epochs);
  await app.setTrainingSetting('batchSize', batchSize);
  await app.page.getByTestId('setting-earlyStopping').uncheck();
}

test('a text data set: the recommended model, measured on this machine, trains live; pause, resume, stop keeps the model', async ({ app }, testInfo) => {
  const { page } = app;
  await app.openDataStep('Review triage');
  await app.importDataFile(fixture('reviews.csv'), 'reviews.csv', 120);
  await app.dataIdle();

  // Model step: the text models, the word mix recommended for 96 training texts, with why.
  await app.openModelStep();
  await expect(page.getByTestId('model-setup')).toHaveAttribute('data-task', 'text-classification');
  await expect(page.getByTestId('model-card')).toHaveCount(4);
  await expect(app.modelCard('text-bow')).toHaveAttribute('data-recommended', 'true');
  await expect(app.modelCard('text-bow').getByTestId('model-recommendation')).toContainText('96 training texts');
  const measureStarted = Date.now();
  await app.measureModels();
  testInfo.annotations.push({ type: 'measure-seconds', description: ((Date.now() - measureStarted) / 1000).toFixed(1) });
  for (const id of ['text-bow', 'text-cnn', 'text-lstm', 'text-bigru']) {
    await expect(app.modelCard(id).getByTestId('model-time')).not.toContainText('Not measured');
    await expect(app.modelCard(id).getByTestId('model-params')).not.toHaveText('–');
  }
  await app.chooseModel('text-bow');
  // Its knobs, under Advanced: a smaller word vector keeps the test quick.
  await page.getByTestId('model-knobs').locator('summary').click();
  await page.getByTestId('knob-embeddingDim').fill('8');
  await page.getByTestId('model-knobs-save').click();
  await expect(page.getByTestId('status-message')).toContainText('Model choice saved');
  // Other knobs, another size: the model is measured again on its own.
  await expect(app.modelCard('text-bow').getByTestId('model-facts')).toHaveAttribute('data-measured', 'true');
  await expect(app.modelCard('text-bow').getByTestId('model-time')).not.toContainText('Measuring');
  await app.screenshot('model-text-en');
  await app.setLanguage('zh-CN');
  await expect(app.modelCard('text-bow')).toContainText('推荐');
  await app.screenshot('model-text-zh');
  await app.setLanguage('en');

  // Training step: settings in plain words, the rest under Advanced.
  await app.openTrainingStep();
  await expect(page.getByTestId('training-model')).toHaveAttribute('data-model', 'text-bow');
  await expect(page.getByTestId('run-list-empty')).toBeVisible();
  await expect(page.getByTestId('mark-done')).toBeDisabled();
  await longRun(app, '400', '8');
  // The window stays responsive: record the page's long tasks (main-thread work over 50 ms) while it trains.
  await page.evaluate(`window.longTasks = [];
    new PerformanceObserver((list) => list.getEntries().forEach((e) => window.longTasks.push(e.duration))).observe({ type: 'longtask' });`);
  const started = Date.now();
  const runId = await app.startTraining();

  // The charts fill epoch by epoch; speed, time left and the backend in use are shown.
  await app.waitForEpochs(3);
  await expect(page.getByTestId('training-backend')).toHaveAttribute('data-backend', 'wasm');
  await expect(page.getByTestId('training-speed')).not.toHaveText('–');
  expect(await app.chartPoints('metric')).toBeGreaterThanOrEqual(3);

  await page.getByTestId('training-pause').click();
  await expect(app.trainingLive).toHaveAttribute('data-status', 'paused');
  const pausedAt = Number(await app.trainingLive.getAttribute('data-epoch'));
  await app.screenshot('training-paused-en');
  await page.getByTestId('training-resume').click();
  await expect(app.trainingLive).toHaveAttribute('data-status', 'running');
  await app.waitForEpochs(pausedAt + 2);
  await page.getByTestId('training-stop').click();
  await expect(app.trainingLive).toHaveAttribute('data-status', 'stopped');
  testInfo.annotations.push({ type: 'train-seconds', description: ((Date.now() - started) / 1000).toFixed(1) });
  const longTasks = (await page.evaluate('window.longTasks')) as number[];
  testInfo.annotations.push({ type: 'long-tasks', description: `${longTasks.length}, longest ${Math.round(Math.max(0, ...longTasks))} ms` });
  expect(Math.max(0, ...longTasks)).toBeLessThan(500);

  await expect(app.runRow(runId)).toHaveAttribute('data-status', 'stopped');
  await expect(app.runRow(runId)).toHaveAttribute('data-has-model', 'true');
  await expect(app.runRow(runId)).toContainText('Best model kept');
  await expect(page.getByTestId('mark-done')).toBeEnabled();
  const epochs = Number(await app.trainingLive.getAttribute('data-epoch'));
  await app.screenshot('training-text-en');
  await app.setLanguage('zh-CN');
  await expect(app.runRow(runId)).toContainText('已停止');
  await app.screenshot('training-text-zh');
  await app.setLanguage('en');

  // Reopening the step draws the run again from its saved history.
  await app.reload();
  await app.openProject('Review triage');
  await expect(page.getByTestId('training-settings')).toBeVisible();
  await expect(app.trainingLive).toHaveAttribute('data-run-id', runId);
  await expect.poll(() => app.chartPoints('loss')).toBe(epochs);
  await page.getByTestId('mark-done').click();
  await expect(app.step('training')).toHaveAttribute('data-done', 'true');
});

test('a table: the linear baseline is recommended, trains with accuracy charts, pauses, resumes and stops', async ({ app }, testInfo) => {
  const { page } = app;
  await app.openDataStep('Churn warning');
  await app.importDataFile(fixture('churn.csv'), 'churn.csv', 160);
  await app.dataIdle();
  await app.openModelStep();
  await expect(page.getByTestId('model-setup')).toHaveAttribute('data-task', 'tabular-classification');
  await expect(app.modelCard('tabular-linear')).toHaveAttribute('data-recommended', 'true');
  await app.measureModels();
  await app.screenshot('model-table-en');
  // Accepting the recommendation: "Mark done" saves it as the choice.
  await page.getByTestId('mark-done').click();
  await expect(app.step('training')).toHaveAttribute('aria-current', 'step');
  await expect(page.getByTestId('training-model')).toHaveAttribute('data-model', 'tabular-linear');

  await longRun(app, '800', '4');
  const started = Date.now();
  const runId = await app.startTraining();
  await app.waitForEpochs(3);
  await expect(page.getByTestId('chart-metric')).toHaveAttribute('aria-label', /Accuracy over \d+ passes/);
  await page.getByTestId('training-pause').click();
  await expect(app.trainingLive).toHaveAttribute('data-status', 'paused');
  await page.getByTestId('training-resume').click();
  await expect(app.trainingLive).toHaveAttribute('data-status', 'running');
  await page.getByTestId('training-stop').click();
  await expect(app.trainingLive).toHaveAttribute('data-status', 'stopped');
  testInfo.annotations.push({ type: 'train-seconds', description: ((Date.now() - started) / 1000).toFixed(1) });
  await expect(app.runRow(runId)).toHaveAttribute('data-has-model', 'true');
  await app.screenshot('training-table-en');
  await app.setLanguage('zh-CN');
  await app.screenshot('training-table-zh');
  await app.setLanguage('en');

  // The About panel now shows what the training engine found: the rung in use and why the others were skipped.
  await page.getByTestId('training-backend').locator('summary').click();
  await expect(page.getByTestId('skipped-tfjs-node')).toContainText('Not installed');
  await page.getByTestId('back-home').click();
  await page.getByTestId('about-summary').click();
  await expect(page.getByTestId('backend-source')).toHaveAttribute('data-source', 'worker');
  await expect(page.getByTestId('backend-wasm')).toHaveAttribute('data-used', 'true');
  await expect(page.getByTestId('backend-cpu')).toContainText('Not needed');
  await app.screenshot('about-after-training-en');
});

test('a run whose app was killed is shown as interrupted and resumes from its last checkpoint', async ({ app, webHost }) => {
  const { page } = app;
  await app.openDataStep('Churn restart');
  await app.importDataFile(fixture('churn.csv'), 'churn.csv', 160);
  await app.dataIdle();
  // Straight to training: without a choice the recommended model trains.
  await app.openTrainingStep();
  await longRun(app, '1000', '2');
  const runId = await app.startTraining();
  await app.waitForEpochs(4);

  await webHost.kill(); // the host process and its compute worker die mid-run
  await webHost.restart();
  await app.waitForHome();
  await app.openProject('Churn restart');
  await expect(app.runRow(runId)).toHaveAttribute('data-status', 'interrupted');
  await expect(app.trainingLive).toHaveAttribute('data-status', 'interrupted');
  const checkpoint = Number(await app.trainingLive.getAttribute('data-epoch'));
  expect(checkpoint).toBeGreaterThanOrEqual(4);
  await app.screenshot('training-interrupted-en');

  await app.runRow(runId).getByTestId('run-resume').click();
  await expect(app.trainingLive).toHaveAttribute('data-status', 'running');
  await app.waitForEpochs(checkpoint + 2);
  await page.getByTestId('training-stop').click();
  await expect(app.trainingLive).toHaveAttribute('data-status', 'stopped');
  await expect(app.runRow(runId)).toHaveAttribute('data-has-model', 'true');
  // One run, continued: not a second one.
  await expect(page.getByTestId('run-row')).toHaveCount(1);
});

/** `rows` short reviews with a label: big enough that reading them before the first pass takes a few seconds. */
async function bigReviews(path: string, rows: number): Promise<void> {
  const words = ['the', 'box', 'price', 'good', 'bad', 'great', 'awful', 'it', 'was', 'arrived', 'late', '很好', '失望'];
  const lines = ['review,label'];
  for (let i = 0; i < rows; i++) {
    const text = Array.from({ length: 3 + ((i * 7) % 9) }, (_, k) => words[(i * 31 + k * 17 + (i >> 3)) % words.length]).join(' ');
    lines.push(`"${text} #${i}",${/good|great|很好/.test(text) ? 'pos' : 'neg'}`);
  }
  await writeFile(path, lines.join('\n') + '\n');
}

test('a big file: before the first pass the Training step says which data stage runs and how far it got; a cancel then keeps nothing', async ({ app }, testInfo) => {
  const { page } = app;
  const file = testInfo.outputPath('reviews-200k.csv');
  await bigReviews(file, 200_000);
  await app.openDataStep('Big reviews');
  await app.importDataFile(file, 'reviews-200k.csv', 200_000);
  await app.dataIdle();
  await app.openModelStep();
  await app.chooseModel('text-bow');
  await app.openTrainingStep();
  await app.setLanguage('zh-CN');
  const runId = await app.startTraining();

  const preparing = page.getByTestId('training-preparing');
  await expect(preparing).toBeVisible();
  await expect(page.getByTestId('training-preparing-stage')).toContainText(/正在准备数据，第 [123] 步（共 3 步）/);
  await expect(page.getByTestId('training-preparing-rows')).toContainText(/已读取 [\d,]+ 行/);
  await expect(page.getByTestId('training-status')).toHaveText('正在读取数据');
  await app.screenshot('training-preparing-zh');
  await app.setLanguage('en');
  await expect(page.getByTestId('training-preparing-stage')).toContainText(/Getting your data ready, step [123] of 3/);
  await app.screenshot('training-preparing-en');

  await page.getByTestId('training-cancel').click();
  await page.getByTestId('confirm-ok').click();
  await expect(app.trainingLive).toHaveAttribute('data-status', 'cancelled', { timeout: 30_000 });
  await expect(preparing).toHaveCount(0);
  await expect(app.runRow(runId)).toHaveAttribute('data-has-model', 'false');
});
