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
}
