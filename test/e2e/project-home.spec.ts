import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { STEP_IDS } from './app-page';

const STEP_NAMES = ['Needs', 'Data', 'Model', 'Training', 'Evaluation', 'Deployment'];
import { expect, test } from './fixtures';

test('create a project, walk the six steps, and delete it with confirmation', async ({ app }) => {
  const { page } = app;
  await app.waitForHome();
  await expect(page.getByTestId('project-empty')).toBeVisible();
  await app.screenshot('home-empty-en');

  await app.createProject('Support ticket routing', 'Route incoming tickets to the right team.');
  await expect(app.projectCard('Support ticket routing')).toBeVisible();
  await app.openProject('Support ticket routing');

  await expect(app.stepper).toBeVisible();
  for (const id of STEP_IDS) await expect(app.step(id)).toHaveAttribute('data-done', 'false');
  await expect(app.step('needs')).toHaveAttribute('aria-current', 'step');
  await app.screenshot('wizard-start-en');

  await expect(page.getByTestId('step-title')).toHaveText('Needs');
  for (const [index, id] of STEP_IDS.entries()) {
    await expect(app.step(id)).toHaveAttribute('aria-current', 'step');
    // The Needs step can be marked done once it has a goal, a task and a target.
    if (id === 'needs') await app.fillNeeds('Route incoming tickets to the right team.');
    // The Data step can be marked done once there is data with a column to predict.
    if (id === 'data') await app.importDataFile(resolve('test/fixtures/data/messy.csv'), 'messy.csv', 40);
    // The Training step can be marked done once a run has finished with a model.
    if (id === 'training') await app.trainToCompletion();
    // The Deployment step can be marked done once the model is exported.
    if (id === 'deployment') await app.exportModel();
    await page.getByTestId('mark-done').click();
    await expect(app.step(id)).toHaveAttribute('data-done', 'true');
    await expect(page.getByTestId('step-title')).toHaveText(STEP_NAMES[Math.min(index + 1, STEP_IDS.length - 1)]);
  }
  await app.screenshot('wizard-all-done-en');

  // The stepper is also a way to move: going back to Data keeps every step done.
  await app.step('data').click();
  await expect(app.step('data')).toHaveAttribute('aria-current', 'step');
  await expect(app.step('deployment')).toHaveAttribute('data-done', 'true');

  await page.getByTestId('back-home').click();
  await app.waitForHome();
  await expect(app.projectCard('Support ticket routing')).toContainText('6');

  // Cancel keeps the project; confirming removes it.
  await app.projectCard('Support ticket routing').getByTestId('delete-project').click();
  await expect(page.getByTestId('confirm-dialog')).toBeVisible();
  await app.screenshot('delete-confirm-en');
  await page.getByTestId('confirm-cancel').click();
  await expect(page.getByTestId('confirm-dialog')).toBeHidden();
  await expect(app.projectCard('Support ticket routing')).toBeVisible();

  await app.projectCard('Support ticket routing').getByTestId('delete-project').click();
  await page.getByTestId('confirm-ok').click();
  await expect(app.projectCard('Support ticket routing')).toHaveCount(0);
  await expect(page.getByTestId('project-empty')).toBeVisible();
});

test('the wizard remembers the current step across a reload', async ({ app }) => {
  await app.waitForHome();
  await app.createProject('Churn warning');
  await app.openProject('Churn warning');
  await app.fillNeeds('Warn account managers before a customer cancels.', 'churn');
  await app.page.getByTestId('mark-done').click();
  await expect(app.step('data')).toHaveAttribute('aria-current', 'step');
  await app.reload();
  await expect(app.projectCard('Churn warning')).toContainText('1');
  await app.openProject('Churn warning');
  await expect(app.step('needs')).toHaveAttribute('data-done', 'true');
  await expect(app.step('data')).toHaveAttribute('aria-current', 'step');
});

test('a damaged project and one from a newer ModelPilot are shown with why, and left untouched', async ({ app, home }) => {
  const broken = join(home, 'broken-one');
  const future = join(home, 'from-the-future');
  await mkdir(broken, { recursive: true });
  await mkdir(future, { recursive: true });
  await writeFile(join(broken, 'project.json'), '{ "formatVersion": 1, "name": ');
  const futureText = JSON.stringify({ formatVersion: 7, name: 'From the future' });
  await writeFile(join(future, 'project.json'), futureText);

  await app.reload();
  const brokenCard = app.page.locator('[data-testid="project-card"][data-id="broken-one"]');
  const futureCard = app.page.locator('[data-testid="project-card"][data-id="from-the-future"]');
  await expect(brokenCard).toHaveAttribute('data-status', 'corrupt');
  await expect(futureCard).toHaveAttribute('data-status', 'too_new');
  await expect(brokenCard.getByTestId('open-project')).toHaveCount(0);
  await expect(futureCard.getByTestId('delete-project')).toHaveCount(0);
  await app.screenshot('damaged-projects-en');

  expect(await readFile(join(broken, 'project.json'), 'utf8')).toBe('{ "formatVersion": 1, "name": ');
  expect(await readFile(join(future, 'project.json'), 'utf8')).toBe(futureText);
});
