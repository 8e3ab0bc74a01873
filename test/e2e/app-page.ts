import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
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

  /** Saves a full-page screenshot under test-results/screenshots/<host>/ and attaches it to the report. */
  async screenshot(name: string): Promise<void> {
    const dir = join('test-results', 'screenshots', this.hostKind);
    await mkdir(dir, { recursive: true });
    const path = join(dir, `${name}.png`);
    await this.page.screenshot({ path, fullPage: true });
    await this.testInfo.attach(name, { path, contentType: 'image/png' });
  }
}
