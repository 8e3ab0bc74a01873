import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test as base, expect, type Browser, type Page } from '@playwright/test';
import { AppPage } from './app-page';
import { chromiumArgs, chromiumExecutable } from './chromium';
import { electronAvailability, launchElectronApp } from './hosts/electron-host';
import { startWebHostProcess } from './hosts/web-host-process';

export interface HostOptions {
  /** Which host runs the app under test: the web host in Chromium, or Electron itself. */
  hostKind: 'web' | 'electron';
}

interface TestFixtures {
  /** A fresh projects folder (MODELPILOT_HOME) for this test only. */
  home: string;
  app: AppPage;
  /** The web host behind `app` (web suite only): kill it like a crash, start it again on the same home. */
  webHost: WebHostControl;
}

export interface WebHostControl {
  /** SIGKILL: the host and its compute worker die mid-whatever, as when the app is killed. */
  kill(): Promise<void>;
  /** Starts a new host process on the same projects folder and loads its address in the page. */
  restart(): Promise<void>;
}

/** The host controls of each app page (the `webHost` fixture hands them out). */
const hostControls = new WeakMap<AppPage, WebHostControl>();

interface WorkerFixtures {
  /** Chromium, launched only when a web-host test asks for it (never in the Electron suite). */
  lazyBrowser: () => Promise<Browser>;
}

export const test = base.extend<TestFixtures & HostOptions, WorkerFixtures>({
  hostKind: ['web', { option: true }],

  lazyBrowser: [
    async ({ playwright }, use) => {
      const launched: { browser?: Promise<Browser> } = {};
      await use(() => (launched.browser ??= playwright.chromium.launch({ executablePath: chromiumExecutable(), args: chromiumArgs })));
      if (launched.browser) await (await launched.browser).close();
    },
    { scope: 'worker' },
  ],

  home: async ({}, use) => {
    const home = await mkdtemp(join(tmpdir(), 'modelpilot-e2e-'));
    await use(home);
    await rm(home, { recursive: true, force: true });
  },

  app: async ({ hostKind, home, lazyBrowser }, use, testInfo) => {
    let page: Page;
    let stop: () => Promise<void>;
    if (hostKind === 'electron') {
      const availability = electronAvailability();
      test.skip(!availability.available, `Electron suite skipped: ${availability.reason}`);
      const launched = await launchElectronApp(home);
      page = launched.page;
      stop = launched.close;
    } else {
      let server = await startWebHostProcess(home);
      const context = await (await lazyBrowser()).newContext({ viewport: { width: 1280, height: 800 } });
      page = await context.newPage();
      await page.goto(server.url);
      stop = async () => {
        await context.close();
        await server.stop();
      };
      const app = new AppPage(page, hostKind, testInfo);
      hostControls.set(app, {
        kill: () => server.kill(),
        restart: async () => {
          await server.stop();
          server = await startWebHostProcess(home);
          await page.goto(server.url);
        },
      });
      await use(app);
      await stop();
      return;
    }
    await use(new AppPage(page, hostKind, testInfo));
    await stop();
  },

  webHost: async ({ app }, use) => {
    const control = hostControls.get(app);
    test.skip(!control, 'needs the web host (it kills and restarts the host process)');
    await use(control!);
  },
});

export { expect };
