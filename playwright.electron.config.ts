import { defineConfig } from '@playwright/test';
import type { HostOptions } from './test/e2e/fixtures';

/**
 * The same e2e specs as playwright.config.ts, driving the built app in Electron (`npm run
 * test:electron`). Where no Electron binary exists the global setup prints why and every test skips.
 */
export default defineConfig<HostOptions>({
  testDir: 'test/e2e',
  testMatch: '**/*.spec.ts',
  outputDir: 'test-results/electron',
  globalSetup: './test/e2e/electron-global-setup.ts',
  // One Electron at a time: each test starts its own app, with its own profile and projects folder.
  workers: 1,
  fullyParallel: false,
  timeout: 120_000,
  expect: { timeout: 15_000 },
  reporter: [['list']],
  use: {
    hostKind: 'electron',
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
  },
});
