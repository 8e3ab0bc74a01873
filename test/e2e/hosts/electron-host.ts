/**
 * Launching the built app (out/) in Electron for the e2e suite. On machines where the Electron
 * binary could not be downloaded, `electronAvailability()` says why and the suite skips.
 */
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { _electron, type ElectronApplication, type Page } from '@playwright/test';

const require = createRequire(import.meta.url);
const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

export interface ElectronAvailability {
  available: boolean;
  reason: string;
}

/**
 * Whether an Electron binary is there to run. Never `require('electron')`: when the binary is
 * missing, that tries to download it, which fails (slowly) on a closed network.
 */
export function electronAvailability(): ElectronAvailability {
  let packageDir: string;
  try {
    packageDir = dirname(require.resolve('electron/package.json'));
  } catch {
    return { available: false, reason: 'the electron package is not installed (npm ci)' };
  }
  const pathFile = join(packageDir, 'path.txt');
  const override = process.env.ELECTRON_OVERRIDE_DIST_PATH;
  if (!override && !existsSync(pathFile)) {
    return { available: false, reason: `no Electron binary was downloaded (${pathFile} is missing; "Electron failed to install correctly")` };
  }
  const relativeBinary = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : defaultBinaryName();
  const binary = override ? join(override, relativeBinary) : join(packageDir, 'dist', relativeBinary);
  if (!existsSync(binary)) return { available: false, reason: `the Electron binary ${binary} does not exist` };
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) {
    return { available: false, reason: 'no display (DISPLAY is unset): run the suite under xvfb-run' };
  }
  const built = ['out/main/index.js', 'out/preload/index.cjs', 'out/renderer/index.html'].filter((f) => !existsSync(join(repoRoot, f)));
  if (built.length > 0) return { available: false, reason: `the app is not built (${built.join(', ')} missing): run electron-vite build` };
  return { available: true, reason: `Electron at ${binary}` };
}

function defaultBinaryName(): string {
  if (process.platform === 'darwin') return 'Electron.app/Contents/MacOS/Electron';
  return process.platform === 'win32' ? 'electron.exe' : 'electron';
}

export interface LaunchedElectronApp {
  app: ElectronApplication;
  page: Page;
  close(): Promise<void>;
}

/**
 * Starts the built app with `home` as its projects folder and a throwaway profile, and returns its
 * first window once the renderer has loaded. The repo folder (not out/main/index.js) is the app
 * path, so Electron reads package.json: app name, version and "main" are the real ones.
 */
export async function launchElectronApp(home: string): Promise<LaunchedElectronApp> {
  const userData = await mkdtemp(join(tmpdir(), 'modelpilot-electron-profile-'));
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) if (value !== undefined) env[key] = value;
  Object.assign(env, { MODELPILOT_HOME: home, MODELPILOT_USER_DATA: userData });
  delete env.ELECTRON_RUN_AS_NODE;
  delete env.ELECTRON_RENDERER_URL; // always the built renderer, never a dev server
  let app: ElectronApplication;
  try {
    app = await _electron.launch({ args: [repoRoot], cwd: repoRoot, env, timeout: 60_000 });
  } catch (error) {
    await rm(userData, { recursive: true, force: true });
    throw error;
  }
  const page = await app.firstWindow();
  await page.waitForLoadState('domcontentloaded');
  return {
    app,
    page,
    async close() {
      await app.close().catch(() => undefined);
      await rm(userData, { recursive: true, force: true });
    },
  };
}
