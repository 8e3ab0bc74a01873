import { expect, test } from './fixtures';

test('switching to 简体中文 changes every label, and a reload keeps the language and the project', async ({ app }) => {
  const { page } = app;
  await app.waitForHome();
  await app.createProject('工单自动分流', '把客服工单分给对的团队');
  await expect(app.projectCard('工单自动分流')).toBeVisible();
  await expect(page.getByTestId('create-project')).toHaveText('Create project');

  await app.setLanguage('zh-CN');
  await expect(page.getByTestId('create-project')).toHaveText('创建项目');
  await page.getByTestId('about-summary').click();
  await expect(page.getByTestId('backend-wasm')).toBeVisible();
  await app.screenshot('home-zh');

  await app.reload();
  await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');
  await expect(page.getByTestId('create-project')).toHaveText('创建项目');
  await expect(app.projectCard('工单自动分流')).toBeVisible();

  await app.openProject('工单自动分流');
  await expect(page.getByTestId('step-title')).toHaveText('需求');
  await app.screenshot('wizard-zh');

  await app.setLanguage('en');
  await expect(page.getByTestId('step-title')).toHaveText('Needs');
});

test('the About panel shows the backend ladder with the rung in use and why others are skipped', async ({ app }) => {
  const { page } = app;
  await app.waitForHome();
  await page.getByTestId('about-summary').click();
  const rows = ['tfjs-node-gpu', 'tfjs-node', 'wasm', 'cpu'].map((id) => page.getByTestId(`backend-${id}`));
  for (const row of rows) await expect(row).toBeVisible();
  await expect(page.locator('[data-testid^="backend-"][data-used="true"]')).toHaveCount(1);
  await expect(page.getByTestId('backend-cpu')).toHaveAttribute('data-available', 'true');
  await app.screenshot('about-en');
});
