/**
 * Electron main process: lifecycle only. Everything the app does is a core function reached
 * through the shared handler table (main/handlers.ts); this shell wires it to one window.
 */
import { fileURLToPath } from 'node:url';
import { app, BrowserWindow, dialog, session } from 'electron';
import type { Locale } from '../contract/schemas';
import { resolveHome } from '../core/home';
import { createDispatch } from '../handlers';
import { stopServingModel } from '../deployment/serving';
import { disposeComputeWorker } from '../training/shared-worker';
import { handleAppProtocol, registerAppScheme } from './app-protocol';
import { createDialogHandlers } from './dialogs';
import { guardSession, guardWebContents } from './guards';
import { createEmitter, registerIpc } from './ipc';
import { installAppMenu } from './menu';
import { SettingsStore } from '../core/settings/settings-store';
import { devServerOrigin } from './origin';
import { createMainWindow, isTrustedSender } from './window';

// Resolved here, in the entry module, so they stay relative to out/main/index.js.
const preload = fileURLToPath(new URL('../preload/index.cjs', import.meta.url));
const rendererRoot = fileURLToPath(new URL('../renderer', import.meta.url));

const log = (message: string): void => console.error(`[modelpilot] ${message}`);

// These must happen before 'ready'.
registerAppScheme();
app.enableSandbox();
// Tests give each launch its own profile, so the single-instance lock and storage never collide.
const userData = process.env.MODELPILOT_USER_DATA?.trim();
if (userData) app.setPath('userData', userData);

const devOrigin = devServerOrigin(process.env, app.isPackaged);
let mainWindow: BrowserWindow | null = null;

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', focusWindow);
  app.on('web-contents-created', (_event, contents) => guardWebContents(contents, devOrigin, log));
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  // Ends the compute worker before quitting: a run still training is marked interrupted, resumable.
  let workerEnded = false;
  app.on('will-quit', (event) => {
    if (workerEnded) return;
    event.preventDefault();
    workerEnded = true;
    void stopServingModel()
      .catch(() => undefined)
      .then(() => disposeComputeWorker())
      .finally(() => app.quit());
  });
  app.on('activate', () => {
    if (app.isReady() && BrowserWindow.getAllWindows().length === 0) openWindow();
  });
  app.whenReady().then(start).catch(fatal);
}

async function start(): Promise<void> {
  if (process.platform === 'win32') app.setAppUserModelId('app.modelpilot.desktop');
  app.setAboutPanelOptions({
    applicationName: 'ModelPilot',
    applicationVersion: app.getVersion(),
    version: `Electron ${process.versions.electron}`,
    copyright: 'MIT License',
  });
  guardSession(session.defaultSession, devOrigin, log);
  handleAppProtocol(rendererRoot, log);

  const home = resolveHome(app.getPath('documents'));
  const isPackaged = app.isPackaged;
  const toWindow = createEmitter(() => mainWindow);
  const dispatch = createDispatch({
    host: 'electron',
    home,
    version: app.getVersion(),
    emit: (event, payload) => {
      toWindow(event, payload);
      // The native menu speaks the UI's language too.
      if (event === 'settings:changed') installAppMenu({ isPackaged, home, log, locale: (payload as { locale: Locale }).locale });
    },
    hostHandlers: createDialogHandlers({ getWindow: () => mainWindow, defaultDir: () => app.getPath('documents') }),
    log,
  });
  registerIpc({ dispatch, isTrustedSender: (event) => isTrustedSender(event, mainWindow, devOrigin), log });
  installAppMenu({ isPackaged, home, log, locale: (await new SettingsStore(home).get()).locale });
  openWindow();
}

function openWindow(): void {
  const window = createMainWindow({
    preload,
    devTools: !app.isPackaged,
    devOrigin,
    devUrl: devOrigin ? (process.env.ELECTRON_RENDERER_URL ?? null) : null,
  });
  window.webContents.on('render-process-gone', (_event, details) => log(`renderer gone: ${details.reason} (${details.exitCode})`));
  window.webContents.on('did-fail-load', (_event, code, description, url) => log(`could not load ${url}: ${description} (${code})`));
  window.on('closed', () => {
    if (mainWindow === window) mainWindow = null;
  });
  mainWindow = window;
}

function focusWindow(): void {
  if (!mainWindow) return;
  if (mainWindow.isMinimized()) mainWindow.restore();
  mainWindow.focus();
}

function fatal(error: unknown): void {
  const message = error instanceof Error ? error.message : String(error);
  log(`startup failed: ${error instanceof Error ? (error.stack ?? message) : message}`);
  dialog.showErrorBox('ModelPilot could not start', message);
  app.exit(1);
}
