import { execFileSync } from 'node:child_process';
import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { expect, test } from './fixtures';

const fixtures = resolve('test/fixtures/data');
const fixture = (name: string) => join(fixtures, name);

/** What `modelpilot audit --json` says about a file: the figures the page must agree with. */
function cliAudit(file: string): { rows: number; duplicates: number; warnings: { code: string; params: Record<string, unknown> }[] } {
  return JSON.parse(execFileSync(process.execPath, ['bin/modelpilot.js', 'audit', file, '--json'], { encoding: 'utf8' }));
}

/** The project folder of the only project in `home`. */
async function projectDir(home: string): Promise<string> {
  const entries = (await readdir(home, { withFileTypes: true })).filter((e) => e.isDirectory() && !e.name.startsWith('.'));
  return join(home, entries[0].name);
}

test('a messy CSV: import, plain findings, a fix in one click, undo, the split; the CLI gives the same audit', async ({ app }) => {
  const { page } = app;
  await app.openDataStep('Review sentiment');
  await expect(page.getByTestId('mark-done')).toHaveCount(0); // nothing imported yet
  await app.screenshot('data-empty-en');

  await app.importDataFile(fixture('messy.csv'), 'messy.csv', 40);
  await app.dataIdle();
  await expect(page.getByTestId('status-message')).toContainText('messy.csv');
  await expect(page.getByTestId('data-task')).toHaveAttribute('data-task', 'multiclass');
  await expect(page.getByTestId('data-task')).toContainText('3 groups');
  await expect(page.locator('[data-testid="data-column"][data-column="label"]')).toHaveAttribute('data-role', 'label');

  // The page and the command line agree on the same file.
  const cli = cliAudit(fixture('messy.csv'));
  await expect(page.getByTestId('findings')).toHaveAttribute('data-rows', String(cli.rows));
  await expect(page.getByTestId('findings')).toHaveAttribute('data-duplicates', String(cli.duplicates));
  await expect(app.finding('duplicates')).toHaveAttribute('data-count', String(cli.duplicates));
  await expect(app.finding('duplicates')).toContainText(`${cli.duplicates} rows repeat an earlier row`);
  await expect(page.getByTestId('finding')).toHaveCount(cli.warnings.length);
  await expect(page.getByTestId('chart-class-balance')).toBeVisible();
  await expect(page.getByTestId('chart-lengths')).toBeVisible();
  await expect(app.splitCounts).toHaveAttribute('data-train', '32');
  await app.screenshot('data-messy-en');

  // One click removes the repeats: the finding goes, the row count drops, the split follows.
  await app.acceptFix('duplicates');
  await expect(app.finding('duplicates')).toHaveCount(0);
  await expect(app.dataSource).toHaveAttribute('data-clean-rows', String(cli.rows - cli.duplicates));
  await expect(page.getByTestId('data-clean-rows')).toContainText('38 rows after your fixes');
  await expect(app.recipeSteps.first()).toContainText('Remove rows that repeat an earlier row');
  await expect(app.splitCounts).toHaveAttribute('data-train', '30');
  await app.acceptFix('missing_values', 'price');
  await expect(app.finding('missing_values', 'price')).toHaveCount(0);
  await expect(app.recipeSteps.nth(1)).toContainText(/Fill blanks in “price” with the middle value of the training rows \(\d+/);
  await app.screenshot('data-fixed-en');

  await app.setLanguage('zh-CN');
  await expect(app.finding('too_few_rows')).toContainText('只有 38 行数据');
  await expect(app.recipeSteps.first()).toContainText('删除和前面某一行完全相同的行');
  await app.screenshot('data-fixed-zh');
  await app.setLanguage('en');

  // Undo, step by step: the repeats come back.
  await app.undoFix(1);
  await expect(app.finding('duplicates')).toHaveAttribute('data-count', '2');
  await expect(app.dataSource).toHaveAttribute('data-clean-rows', '40');
  await app.undoFix(1);
  await expect(page.getByTestId('recipe-empty')).toBeVisible();

  // Another split: 70 / 15 / 15 with a new shuffle number, stratified per group.
  await page.getByTestId('split-train').fill('70');
  await page.getByTestId('split-validation').fill('15');
  await page.getByTestId('split-test').fill('15');
  await page.getByTestId('split-seed').fill('7');
  await page.getByTestId('split-apply').click();
  await expect(app.splitCounts).toHaveAttribute('data-train', '28');
  await expect(page.locator('[data-testid="split-group"][data-group="neutral"] [data-split="train"]')).toHaveText('2');

  // The choices survive a reload (they are in project.json).
  await app.reload();
  await app.openProject('Review sentiment');
  await expect(app.dataSource).toHaveAttribute('data-rows', '40');
  await expect(app.splitCounts).toHaveAttribute('data-train', '28');
  await page.getByTestId('mark-done').click();
  await expect(app.step('data')).toHaveAttribute('data-done', 'true');
});

test('a GBK-encoded CSV: detected, its Chinese shown correctly, and the encoding can be overridden', async ({ app }) => {
  const { page } = app;
  await app.openDataStep('中文评论');
  await app.setLanguage('zh-CN');
  await app.importDataFile(fixture('messy-gbk.csv'), 'messy-gbk.csv', 40);
  await app.dataIdle();
  await expect(page.getByTestId('data-preview')).toContainText('这个产品很好用，物流也很快');
  await expect(page.getByTestId('data-encoding')).toContainText('GBK / GB18030');
  await expect(page.getByTestId('data-task')).toContainText('3 组');
  await expect(app.finding('duplicates')).toContainText('有 2 行和前面某一行完全相同');
  await app.screenshot('data-gbk-zh');

  // Reading it as UTF-8 garbles the Chinese (and says so); back to automatic fixes it.
  await page.getByTestId('data-encoding').selectOption('utf-8');
  await expect(app.finding('encoding_suspect')).toBeVisible();
  await expect(page.getByTestId('data-preview')).not.toContainText('这个产品很好用');
  await page.getByTestId('data-encoding').selectOption('');
  await expect(app.finding('encoding_suspect')).toHaveCount(0);
  await expect(page.getByTestId('data-preview')).toContainText('这个产品很好用');
});

test('a labelled folder of text files: uploaded as a folder, two groups, split per group', async ({ app }) => {
  const { page } = app;
  await app.openDataStep('Text folder');
  await app.pickDataFolder(fixture('text-folder'));
  await expect(app.dataSource).toHaveAttribute('data-file', 'text-folder');
  await expect(app.dataSource).toHaveAttribute('data-rows', '8');
  await app.dataIdle();
  await expect(page.getByTestId('data-task')).toHaveAttribute('data-task', 'binary');
  await expect(page.getByTestId('data-task')).toContainText('“negative”');
  await expect(page.getByTestId('data-preview')).toContainText('negative');
  await expect(page.locator('[data-testid="split-group"]')).toHaveCount(2);
  await expect(page.getByTestId('data-reading')).toContainText('folder of text files');
  await app.screenshot('data-text-folder-en');
  await app.setLanguage('zh-CN');
  await app.screenshot('data-text-folder-zh');
  await page.getByTestId('mark-done').click();
  await expect(app.step('data')).toHaveAttribute('data-done', 'true');
});

test('a file dropped on the page is imported like a chosen one', async ({ app }) => {
  await app.openDataStep('Dropped');
  await app.dropDataFile(fixture('messy.tsv'));
  await expect(app.dataSource).toHaveAttribute('data-file', 'messy.tsv');
  await expect(app.dataSource).toHaveAttribute('data-rows', '40');
  await expect(app.page.getByTestId('data-format')).toContainText('TSV');
});

test('in the browser, Choose file and Choose folder open the browser’s own picker', async ({ app }) => {
  test.skip(app.hostKind === 'electron', 'the desktop app opens its native dialog instead');
  const { page } = app;
  await app.openDataStep('Picked');
  let chooser = page.waitForEvent('filechooser');
  await page.getByTestId('data-choose-file').click();
  await (await chooser).setFiles(fixture('messy.json'));
  await expect(app.dataSource).toHaveAttribute('data-file', 'messy.json');
  await expect(app.dataSource).toHaveAttribute('data-rows', '40');
  await app.dataIdle();
  chooser = page.waitForEvent('filechooser');
  await page.getByTestId('data-choose-folder').click();
  await (await chooser).setFiles(fixture('text-folder'));
  await expect(app.dataSource).toHaveAttribute('data-file', 'text-folder');
});

test('bad files get a clear message and change nothing', async ({ app, home }) => {
  await app.openDataStep('Bad input');
  await app.importDataFile(fixture('messy.csv'), 'messy.csv', 40);
  await app.dataIdle();
  const dir = await projectDir(home);
  const before = await readFile(join(dir, 'project.json'), 'utf8');
  const dataBefore = await readdir(join(dir, 'data'));

  await app.pickDataFile(fixture('binary.csv'));
  await expect(app.errorBanner).toHaveAttribute('data-code', 'data_binary');
  await expect(app.errorBanner).toContainText('doesn’t look like a text or spreadsheet file');
  await expect(app.dataSource).toHaveAttribute('data-file', 'messy.csv');
  await app.screenshot('data-bad-binary-en');

  await app.pickDataFile(fixture('empty.csv')); // a 0-byte upload
  await expect(app.errorBanner).toHaveAttribute('data-code', 'data_empty');
  await expect(app.errorBanner).toContainText('no data rows');

  await app.setLanguage('zh-CN');
  await app.pickDataFile(fixture('ragged.csv'));
  await expect(app.errorBanner).toHaveAttribute('data-code', 'data_ragged');
  await expect(app.errorBanner).toContainText('列数和表头不一致');
  await app.screenshot('data-bad-ragged-zh');

  await app.pickDataFolder(fixture('one-class-folder'));
  await expect(app.errorBanner).toHaveAttribute('data-code', 'data_one_class');

  // A column with one value cannot be the one to predict: refused, and the choice snaps back.
  const source = app.page.locator('[data-testid="data-column"][data-column="source"]');
  await source.getByTestId('role-select').selectOption('label');
  await expect(app.errorBanner).toHaveAttribute('data-code', 'data_one_class');
  await expect(source.getByTestId('role-select')).toHaveValue('ignore');

  expect(await readFile(join(dir, 'project.json'), 'utf8')).toBe(before);
  expect(await readdir(join(dir, 'data'))).toEqual(dataBefore);
  await expect(app.dataSource).toHaveAttribute('data-rows', '40');
});

test('a long import shows its progress and can be cancelled, leaving nothing behind', async ({ app, home }, testInfo) => {
  const { page } = app;
  const big = testInfo.outputPath('big.csv');
  const line = 'a fairly long review text that says the product works as described,5,19.99,US,positive\n';
  await writeFile(big, 'review,rating,price,country,label\n' + line.repeat(1_800_000)); // ~160 MB: long enough to watch and cancel
  await app.openDataStep('Big file');
  await app.pickDataFile(big);
  const progress = page.getByTestId('data-progress');
  await expect(progress).toHaveAttribute('data-phase', 'import');
  await expect(page.getByTestId('data-progress-detail')).toContainText('rows so far');
  await app.screenshot('data-progress-en');
  await page.getByTestId('data-progress-cancel').click();
  await expect(page.getByTestId('status-message')).toContainText('Stopped. Nothing was changed.');
  await expect(progress).toHaveCount(0);
  await expect(app.dataSource).toHaveCount(0);
  const dir = await projectDir(home);
  expect(JSON.parse(await readFile(join(dir, 'project.json'), 'utf8')).data).toBeUndefined();
  expect(await readdir(join(dir, 'data'))).toEqual([]);
  await rm(big);
});
