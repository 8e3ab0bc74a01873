import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect, test } from './fixtures';

test('the Needs step turns a need into targets, saves the requirement sheet, and the planner estimates a large model', async ({ app, home }) => {
  const { page } = app;
  await app.startFromSample('sentiment-en');
  await expect(app.step('needs')).toHaveAttribute('aria-current', 'step');
  // The sample set the scenario; goal and targets are the user's.
  await expect(page.getByTestId('scenario-sentiment')).toBeChecked();
  await expect(page.getByTestId('needs-gaps')).toHaveAttribute('data-gaps', 'goal target');
  await expect(page.getByTestId('mark-done')).toBeDisabled();

  await page.getByTestId('needs-goal').fill('Flag unhappy customers’ reviews for a call back');
  await page.getByTestId('needs-focus').selectOption('negative');
  await page.getByTestId('cost-fn-high').check();
  await page.getByTestId('cost-fp-low').check();
  // A miss costs more than a false alarm: recall of the focus group is suggested first.
  await expect(page.getByTestId('suggestion').first()).toHaveAttribute('data-reason', 'fn_costly');
  await app.addSuggestedTarget('fn_costly');
  await expect(app.targetRows.first()).toHaveAttribute('data-metric', 'recall');
  await expect(app.targetRows.first()).toHaveAttribute('data-label', 'negative');
  await app.targetRows.first().getByTestId('target-threshold').fill('0.9');
  await page.getByTestId('needs-latency').fill('50');
  await page.getByTestId('needs-privacy-ack').check();
  await app.needsSaved();
  await expect(page.getByTestId('needs-gaps')).toHaveAttribute('data-gaps', '');
  await expect(page.getByTestId('sheet-targets')).toContainText('Recall of “negative” at least 0.9');

  // requirements.md is in the project folder, in English.
  const projectDir = join(home, (await readdir(home)).find((n) => !n.startsWith('.'))!);
  const sheet = await readFile(join(projectDir, 'requirements.md'), 'utf8');
  expect(sheet).toContain('- Recall of “negative” at least 0.9');
  expect(sheet).toContain('One prediction takes at most 50 ms.');

  // A need beyond a small model: the planner opens here, with its formulas.
  await page.getByTestId('needs-world').check();
  await expect(page.getByTestId('planner-results')).toBeVisible();
  await expect(page.getByTestId('planner-compute')).toContainText('× parameters × tokens');
  await page.getByTestId('planner-size-70').click();
  await expect(page.getByTestId('planner-params')).toHaveValue('70');
  await expect(page.getByTestId('planner-compute')).toContainText('7 × 10¹⁰');
  await app.screenshot('needs-planner-en');
  await page.getByTestId('needs-world').uncheck();
  await app.needsSaved();

  await page.getByTestId('mark-done').click();
  await expect(app.step('data')).toHaveAttribute('aria-current', 'step');
  await expect(app.step('needs')).toHaveAttribute('data-done', 'true');
});

async function readdir(dir: string): Promise<string[]> {
  return (await import('node:fs/promises')).readdir(dir);
}
