/**
 * The whole journey of a product manager, shared by journey-en.spec.ts and journey-zh.spec.ts:
 * from the project home, a sample project through all six steps with real (tiny) training, to an
 * exported .mpmodel on disk; a screenshot of every step.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { strFromU8, unzipSync } from 'fflate';
import type { AppPage } from './app-page';
import { expect } from './fixtures';

export interface JourneyWords {
  locale: 'en' | 'zh-CN';
  sampleId: string;
  goal: string;
  use: string;
  /** The team whose tickets must not be missed. */
  focus: string;
  /** Text the requirement sheet shows for the per-class target. */
  sheetTarget: string;
}

export async function runJourney(app: AppPage, home: string, words: JourneyWords): Promise<void> {
  const { page } = app;
  const shot = (n: number, step: string) => app.screenshot(`journey-${words.locale}-${n}-${step}`);
  await app.waitForHome();
  if (words.locale !== 'en') await app.setLanguage(words.locale);
  await expect(page.getByTestId('samples')).toBeVisible();
  await shot(0, 'home');

  // ----- 1. Needs: "I want to route support tickets" becomes targets -----------------------------
  await app.startFromSample(words.sampleId);
  await expect(page.getByTestId('scenario-ticket_routing')).toBeChecked();
  await page.getByTestId('needs-goal').fill(words.goal);
  await page.getByTestId('needs-use').fill(words.use);
  await page.getByTestId('needs-focus').selectOption(words.focus);
  await page.getByTestId('cost-fp-low').check();
  await page.getByTestId('cost-fn-high').check();
  await app.addSuggestedTarget('fn_costly');
  await app.targetRows.nth(0).getByTestId('target-threshold').fill('0.9');
  await app.addSuggestedTarget('balanced');
  await app.targetRows.nth(1).getByTestId('target-threshold').fill('0.9');
  await page.getByTestId('needs-privacy-ack').check();
  await app.needsSaved();
  await expect(page.getByTestId('sheet-targets')).toContainText(words.sheetTarget);
  await expect(page.getByTestId('mark-done')).toBeEnabled();
  await shot(1, 'needs');
  await page.getByTestId('mark-done').click();

  // ----- 2. Data: the sample is in; accept a fix ------------------------------------------------
  await expect(app.step('data')).toHaveAttribute('aria-current', 'step');
  await expect(app.dataSource).toHaveAttribute('data-rows', '2012');
  await app.dataIdle();
  await app.acceptFix('duplicates');
  await app.dataIdle();
  await shot(2, 'data');
  await page.getByTestId('mark-done').click();

  // ----- 3. Model: the advisor ranks the catalog for this need and this data --------------------
  await expect(app.step('model')).toHaveAttribute('aria-current', 'step');
  await expect(app.advisor).toHaveAttribute('data-top', 'text-bow');
  await expect(page.getByTestId('advisor-entry')).toHaveCount(4);
  await expect(page.getByTestId('advisor-entry').first().getByTestId('advisor-reason').first()).toBeVisible();
  // The per-team target asks for more test tickets than the data holds: the step says so.
  await expect(page.getByTestId('data-check').first()).toHaveAttribute('data-code', 'too_few_test');
  await shot(3, 'model');
  await page.getByTestId('mark-done').click();

  // ----- 4. Training: tiny settings, real training ----------------------------------------------
  await expect(app.step('training')).toHaveAttribute('aria-current', 'step');
  await expect(page.getByTestId('training-model')).toHaveAttribute('data-model', 'text-bow');
  await page.getByTestId('setting-epochs').fill('4');
  await app.trainToCompletion();
  await shot(4, 'training');
  await page.getByTestId('mark-done').click();

  // ----- 5. Evaluation and 6. Deployment: see evaluateAndExport ----------------------------------
  await evaluateAndExport(app, home, words, shot);
}

async function evaluateAndExport(app: AppPage, home: string, words: JourneyWords, shot: (n: number, step: string) => Promise<void>): Promise<void> {
  const { page } = app;
  // ----- 5. Evaluation: the test rows scored, every target met or not ---------------------------
  await expect(app.step('evaluation')).toHaveAttribute('aria-current', 'step');
  await expect(page.getByTestId('evaluation-headline')).toBeVisible({ timeout: 60_000 });
  const checks = page.getByTestId('target-checks').getByTestId('target-check');
  await expect(checks).toHaveCount(2);
  // The stated targets (recall of the focus team, accuracy, both at least 0.9) are met.
  await expect(checks.nth(0)).toHaveAttribute('data-status', 'met');
  await expect(checks.nth(1)).toHaveAttribute('data-status', 'met');
  await shot(5, 'evaluation');
  await page.getByTestId('mark-done').click();

  // ----- 6. Deployment: an exported .mpmodel on disk, in the project's exports/ ------------------
  await expect(app.step('deployment')).toHaveAttribute('aria-current', 'step');
  await expect(page.getByTestId('export-start')).toBeEnabled();
  const exported = await app.exportModel('mpmodel');
  expect(exported.name.endsWith('.mpmodel')).toBe(true);
  const projectDir = join(home, (await readdir(home)).find((name) => !name.startsWith('.'))!);
  expect(exported.path).toBe(join(projectDir, 'exports', exported.name));
  expect((await stat(exported.path)).size).toBeGreaterThan(1000);
  // The model card inside the file records the Needs step's targets and whether they were met.
  const card = strFromU8(unzipSync(new Uint8Array(await readFile(exported.path)))['model-card.md']);
  expect(card).toContain(words.locale === 'en' ? '## Acceptance targets' : '## 验收指标');
  expect(card).toContain(words.focus);
  await expect(page.getByTestId('parity-result')).toHaveAttribute('data-identical', 'true');
  await shot(6, 'deployment');
}
