import { mkdir, readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { expect, type Locator, type Page, type TestInfo } from '@playwright/test';

export const STEP_IDS = ['needs', 'data', 'model', 'training', 'evaluation', 'deployment'] as const;

/**
 * What a person sees and clicks, named once for every spec. Waits go through expect() on
 * visible state, never fixed sleeps.
 */
export class AppPage {
  constructor(
    readonly page: Page,
    readonly hostKind: 'web' | 'electron',
    private readonly testInfo: TestInfo,
  ) {}

  get errorBanner(): Locator {
    return this.page.getByTestId('error-banner');
  }

  get stepper(): Locator {
    return this.page.getByTestId('stepper');
  }

  step(id: (typeof STEP_IDS)[number]): Locator {
    return this.page.getByTestId(`step-${id}`);
  }

  projectCard(name: string): Locator {
    return this.page.getByTestId('project-card').filter({ hasText: name });
  }

  async waitForHome(): Promise<void> {
    await expect(this.page.getByTestId('new-project-name')).toBeVisible();
  }

  async createProject(name: string, description = ''): Promise<void> {
    await this.page.getByTestId('new-project-name').fill(name);
    if (description) await this.page.getByTestId('new-project-description').fill(description);
    await this.page.getByTestId('create-project').click();
  }

  async openProject(name: string): Promise<void> {
    await this.projectCard(name).getByTestId('open-project').click();
    await expect(this.page.getByTestId('project-title')).toHaveText(name);
  }

  async setLanguage(locale: 'en' | 'zh-CN'): Promise<void> {
    await this.page.getByTestId('language-switch').selectOption(locale);
    await expect(this.page.locator('html')).toHaveAttribute('lang', locale);
  }

  async reload(): Promise<void> {
    await this.page.reload();
    await this.waitForHome();
  }

  // ----- Data step -------------------------------------------------------------------------

  /** Creates a project, opens it and goes to the Data step. */
  async openDataStep(name: string): Promise<void> {
    await this.waitForHome();
    await this.createProject(name);
    await this.openProject(name);
    await this.step('data').click();
    await expect(this.step('data')).toHaveAttribute('aria-current', 'step');
  }

  /** The summary line of the imported data (data-rows, data-clean-rows, data-file). */
  get dataSource(): Locator {
    return this.page.getByTestId('data-source');
  }

  /** Picks a file through the page's file input, as a person's file picker would (both hosts). */
  async pickDataFile(path: string): Promise<void> {
    await this.page.getByTestId('data-file-input').setInputFiles(path);
  }

  /** Picks a folder through the page's folder input (webkitdirectory). */
  async pickDataFolder(path: string): Promise<void> {
    await this.page.getByTestId('data-folder-input').setInputFiles(path);
  }

  /** Drops a file on the drop zone, as dragging it from the desktop would. */
  async dropDataFile(path: string): Promise<void> {
    const content = (await readFile(path)).toString('base64');
    const dataTransfer = await this.page.evaluateHandle(
      ({ name, content }) => {
        const bytes = Uint8Array.from(atob(content), (c) => c.charCodeAt(0));
        // Runs in the page; the test code is typed without the DOM library.
        const { DataTransfer } = globalThis as unknown as { DataTransfer: new () => { items: { add(file: File): void } } };
        const transfer = new DataTransfer();
        transfer.items.add(new File([bytes], name));
        return transfer;
      },
      { name: basename(path), content },
    );
    const zone = this.page.getByTestId('data-drop-zone');
    await zone.dispatchEvent('dragover', { dataTransfer });
    await zone.dispatchEvent('drop', { dataTransfer });
  }

  /** Imports a file and waits until the page shows it with its row count. */
  async importDataFile(path: string, file: string, rows: number): Promise<void> {
    await this.pickDataFile(path);
    await expect(this.dataSource).toHaveAttribute('data-file', file);
    await expect(this.dataSource).toHaveAttribute('data-rows', String(rows));
  }

  /** One audit finding by its code (and column, when several share the code). */
  finding(code: string, column?: string): Locator {
    const selector = column ? `[data-testid="finding"][data-code="${code}"][data-column="${column}"]` : `[data-testid="finding"][data-code="${code}"]`;
    return this.page.locator(selector);
  }

  /** Clicks a finding's Fix and waits for the recipe to grow by one step. */
  async acceptFix(code: string, column?: string): Promise<void> {
    const before = await this.recipeSteps.count();
    await this.finding(code, column).getByTestId('finding-fix').click();
    await expect(this.recipeSteps).toHaveCount(before + 1);
  }

  get recipeSteps(): Locator {
    return this.page.getByTestId('recipe-step');
  }

  /** Undoes step n (from 1) of the recipe and waits for the list to shrink. */
  async undoFix(n: number): Promise<void> {
    const before = await this.recipeSteps.count();
    await this.recipeSteps.nth(n - 1).getByTestId('recipe-undo').click();
    await expect(this.recipeSteps).toHaveCount(before - 1);
  }

  get splitCounts(): Locator {
    return this.page.getByTestId('split-counts');
  }

  /** Waits for no data job to be running (the progress bar gone). */
  async dataIdle(): Promise<void> {
    await expect(this.page.getByTestId('data-progress')).toHaveCount(0);
  }

  /** Saves a full-page screenshot under test-results/screenshots/<host>/ and attaches it to the report. */
  async screenshot(name: string): Promise<void> {
    const dir = join('test-results', 'screenshots', this.hostKind);
    await mkdir(dir, { recursive: true });
    const path = join(dir, `${name}.png`);
    await this.page.screenshot({ path, fullPage: true });
    await this.testInfo.attach(name, { path, contentType: 'image/png' });
  }

  // ----- Model and Training steps ------------------------------------------------------------

  /** Goes to a wizard step by the stepper and waits for its page. */
  async goToStep(id: (typeof STEP_IDS)[number]): Promise<void> {
    await this.step(id).click();
    await expect(this.step(id)).toHaveAttribute('aria-current', 'step');
  }

  /** A model's card on the Model step (data-recommended, data-chosen). */
  modelCard(modelId: string): Locator {
    return this.page.locator(`[data-testid="model-card"][data-model="${modelId}"]`);
  }

  /** Opens the Model step and waits for the catalog. */
  async openModelStep(): Promise<void> {
    await this.goToStep('model');
    await expect(this.page.getByTestId('model-card').first()).toBeVisible();
  }

  /** Measures every model on the project's data and waits until each card shows its figures. */
  async measureModels(): Promise<void> {
    await this.page.getByTestId('model-measure').click();
    await expect(this.page.locator('[data-testid="model-facts"][data-measured="false"]')).toHaveCount(0, { timeout: 60_000 });
    await expect(this.page.getByTestId('model-measure-progress')).toHaveCount(0);
  }

  async chooseModel(modelId: string): Promise<void> {
    await this.modelCard(modelId).getByTestId('model-choose').click();
    await expect(this.modelCard(modelId)).toHaveAttribute('data-chosen', 'true');
  }

  /** Opens the Training step and waits for its settings. */
  async openTrainingStep(): Promise<void> {
    await this.goToStep('training');
    await expect(this.page.getByTestId('training-settings')).toBeVisible();
  }

  /** Types a training setting (opening the Advanced fold when it is folded away). */
  async setTrainingSetting(name: string, value: string): Promise<void> {
    const field = this.page.getByTestId(`setting-${name}`);
    if (!(await field.isVisible())) await this.page.getByTestId('training-advanced').locator('summary').click();
    await field.fill(value);
  }

  /** The live view of the run on screen (data-status, data-run-id, data-epoch). */
  get trainingLive(): Locator {
    return this.page.getByTestId('training-live');
  }

  /** How many epochs a training chart has drawn ('loss' or 'metric'). */
  async chartPoints(chart: 'loss' | 'metric'): Promise<number> {
    return Number(await this.page.getByTestId(`chart-${chart}`).getAttribute('data-points'));
  }

  /** A row of the run list, by run id. */
  runRow(runId: string): Locator {
    return this.page.locator(`[data-testid="run-row"][data-run-id="${runId}"]`);
  }

  /** Starts training and waits for the run to be live; returns its id. */
  async startTraining(): Promise<string> {
    await this.page.getByTestId('training-start').click();
    await expect(this.trainingLive).toHaveAttribute('data-status', /queued|running/);
    return (await this.trainingLive.getAttribute('data-run-id'))!;
  }

  /** Waits until the run on screen has finished at least `epochs` epochs (and the charts show them). */
  async waitForEpochs(epochs: number): Promise<void> {
    await expect.poll(async () => Number(await this.trainingLive.getAttribute('data-epoch')), { timeout: 60_000 }).toBeGreaterThanOrEqual(epochs);
    await expect.poll(() => this.chartPoints('loss')).toBeGreaterThanOrEqual(epochs);
  }

  /** Starts training with the settings shown and waits for the run to finish (all epochs, or early stopping). */
  async trainToCompletion(): Promise<void> {
    await expect(this.page.getByTestId('training-settings')).toBeVisible();
    await this.startTraining();
    await expect(this.trainingLive).toHaveAttribute('data-status', 'completed', { timeout: 60_000 });
  }

  // ----- Samples, Needs step, advisor, planner ----------------------------------------------------

  /** Starts a project from a bundled sample on the project home and waits for it to open. */
  async startFromSample(sampleId: string): Promise<void> {
    await this.waitForHome();
    await this.page.locator(`[data-testid="sample"][data-sample="${sampleId}"]`).getByTestId('sample-start').click();
    await expect(this.page.getByTestId('project-title')).toBeVisible({ timeout: 30_000 });
  }

  /** Waits until the Needs step's edits have reached the Node side (and requirements.md). */
  async needsSaved(): Promise<void> {
    await expect(this.page.getByTestId('needs-save-status')).toHaveAttribute('data-status', 'saved');
  }

  /** Adds the suggested target with this reason code and waits for its row. */
  async addSuggestedTarget(reason: string): Promise<void> {
    const before = await this.targetRows.count();
    await this.page.locator(`[data-testid="suggestion"][data-reason="${reason}"]`).getByTestId('suggestion-add').click();
    await expect(this.targetRows).toHaveCount(before + 1);
  }

  get targetRows(): Locator {
    return this.page.getByTestId('target-row');
  }

  /** The least the Needs step takes to be marked done: a goal, a task (by its example), one target. */
  async fillNeeds(goal: string, scenario = 'other_text'): Promise<void> {
    await this.page.getByTestId('needs-goal').fill(goal);
    await this.page.getByTestId(`scenario-${scenario}`).check();
    await this.addSuggestedTarget('balanced');
    await this.needsSaved();
    await expect(this.page.getByTestId('mark-done')).toBeEnabled();
  }

  /** The model advisor's ranking on the Model step (data-top); its entries are advisor-entry. */
  get advisor(): Locator {
    return this.page.getByTestId('advisor');
  }

  // ----- Evaluation and Deployment steps ------------------------------------------------------

  /** Opens the Evaluation step and waits until the run on screen is scored (first visits score the test rows). */
  async openEvaluationStep(): Promise<void> {
    await this.goToStep('evaluation');
    await expect(this.page.getByTestId('evaluation-headline')).toBeVisible({ timeout: 60_000 });
  }

  /** A headline number's exact value (metric-accuracy, -precision, -recall, -f1, -auc, -macroF1, -mae, -rmse, -r2…). */
  async metricValue(name: string): Promise<number> {
    return Number(await this.page.getByTestId(`metric-${name}`).getAttribute('data-value'));
  }

  /** One cell of the confusion matrix (data-count holds its number of test rows). */
  confusionCell(actual: string, predicted: string): Locator {
    return this.page.locator(`[data-testid="confusion-cell"][data-actual="${actual}"][data-predicted="${predicted}"]`);
  }

  /** Clicks a confusion-matrix cell and waits for its examples (at most 50 are listed). */
  async openExamples(actual: string, predicted: string): Promise<Locator> {
    const count = Number(await this.confusionCell(actual, predicted).getAttribute('data-count'));
    await this.confusionCell(actual, predicted).click();
    const rows = this.page.getByTestId('examples-list').getByTestId('example-row');
    if (count === 0) await expect(this.page.getByTestId('examples-empty')).toBeVisible();
    else await expect(rows).toHaveCount(Math.min(count, 50));
    // The previous cell may list as many rows: wait until every row shown is from this cell, or a
    // reader would pair one cell's texts with another's confidences.
    const fromThisCell = () =>
      rows.evaluateAll((els, [a, p]) => els.every((el) => el.getAttribute('data-actual') === a && el.getAttribute('data-predicted') === p), [actual, predicted]);
    await expect.poll(fromThisCell).toBe(true);
    return rows;
  }

  /** Moves the threshold slider to position 0…98 (threshold 0.01…0.99) and waits until it is saved with the run. */
  async setThreshold(index: number): Promise<void> {
    await this.page.getByTestId('threshold-slider').fill(String(index));
    await expect(this.page.getByTestId('threshold-value')).toHaveAttribute('data-value', String((index + 1) / 100));
    await expect(this.page.getByTestId('threshold-value')).toHaveAttribute('data-saved', 'true');
  }

  /** Types a text into "try it" and returns the answer (data-prediction, data-confidence). */
  async tryText(text: string): Promise<Locator> {
    await this.page.getByTestId('try-text').fill(text);
    await this.page.getByTestId('try-submit').click();
    const result = this.page.getByTestId('try-result');
    await expect(result).toBeVisible();
    return result;
  }

  /** "Use this run" in the compare table, for the run given (default: the first that can be chosen). */
  async chooseRunToShip(runId?: string): Promise<void> {
    // Named by its id: once chosen, the row no longer has a choose button to be found by.
    const id = runId ?? (await this.page.getByTestId('compare-row').filter({ has: this.page.getByTestId('compare-choose') }).first().getAttribute('data-run-id'));
    const row = this.page.locator(`[data-testid="compare-row"][data-run-id="${id}"]`);
    await row.getByTestId('compare-choose').click();
    await expect(row).toHaveAttribute('data-chosen', 'true');
  }

  /** Opens the Deployment step and waits for its export panel. */
  async openDeploymentStep(): Promise<void> {
    await this.goToStep('deployment');
    await expect(this.page.getByTestId('export-start')).toBeEnabled();
  }

  /** Exports the selected run and waits for the file and its parity check; returns its name and path on disk. */
  async exportModel(format: 'mpmodel' | 'tfjs' = 'mpmodel'): Promise<{ name: string; path: string }> {
    await this.page.getByTestId(`export-format-${format}`).check();
    await this.page.getByTestId('export-start').click();
    // The last result goes away while a new export runs.
    const result = this.page.getByTestId('export-result');
    await expect(result).toBeVisible({ timeout: 60_000 });
    return { name: (await result.getAttribute('data-name'))!, path: (await result.getAttribute('data-path'))! };
  }

  /** Starts the local prediction API on a port (0: any free one) and returns its URL. */
  async startLocalApi(port = '0'): Promise<string> {
    await this.page.getByTestId('serve-port').fill(port);
    await this.page.getByTestId('serve-start').click();
    const status = this.page.getByTestId('serve-status');
    await expect(status).toHaveAttribute('data-running', 'true');
    return (await status.getAttribute('data-url'))!;
  }

  async stopLocalApi(): Promise<void> {
    await this.page.getByTestId('serve-stop').click();
    await expect(this.page.getByTestId('serve-status')).toHaveAttribute('data-running', 'false');
  }

  /** Opens a .mpmodel through the page's picker and waits for what it is. */
  async openModelFile(path: string): Promise<Locator> {
    await this.page.getByTestId('open-model-input').setInputFiles(path);
    const opened = this.page.getByTestId('opened-model');
    await expect(opened).toBeVisible();
    return opened;
  }

  /** Scores the opened model on a labelled file; waits for the result (or the question which column holds the answers). */
  async evaluateOnFile(path: string): Promise<void> {
    await this.page.getByTestId('file-eval-input').setInputFiles(path);
    await expect(this.page.getByTestId('file-eval-result').or(this.page.getByTestId('file-eval-label'))).toBeVisible();
  }
}
