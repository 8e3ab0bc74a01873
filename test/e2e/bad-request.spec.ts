import type { ModelPilotApi } from '../../main/contract/api';
import { expect, test } from './fixtures';

/** The API as the page sees it (page.evaluate bodies run in the browser, so each names it itself). */
type PageGlobals = { modelpilot: ModelPilotApi };

test('a request the contract refuses is answered with a clear message, in the user language, and changes nothing', async ({ app }) => {
  const { page } = app;
  await app.waitForHome();
  const tooLong = 'x'.repeat(81);

  await app.createProject(tooLong);
  await expect(app.errorBanner).toBeVisible();
  await expect(app.errorBanner).toContainText('80');
  await expect(page.getByTestId('project-card')).toHaveCount(0);
  await app.screenshot('bad-request-en');

  await app.setLanguage('zh-CN');
  await app.createProject(tooLong);
  await expect(app.errorBanner).toContainText('80 个字符');
  await expect(page.getByTestId('project-card')).toHaveCount(0);
  await app.screenshot('bad-request-zh');
});

test('a payload of the wrong type sent straight to the API gets a typed error, not a crash', async ({ app }) => {
  const { page } = app;
  await app.waitForHome();
  const result = await page.evaluate(() => (globalThis as unknown as PageGlobals).modelpilot.projectsCreate({ name: 42 as unknown as string }));
  expect(result).toMatchObject({ ok: false, error: { code: 'invalid_payload', params: { field: 'name' } } });
  const unknownStep = await page.evaluate(() =>
    (globalThis as unknown as PageGlobals).modelpilot.projectsUpdate({ id: 'x', patch: { currentStep: 'launch' as never } }),
  );
  expect(unknownStep).toMatchObject({ ok: false, error: { code: 'invalid_payload', params: { field: 'patch.currentStep' } } });
  // The app is still alive and usable afterwards.
  await app.createProject('Still works');
  await expect(app.projectCard('Still works')).toBeVisible();
});
