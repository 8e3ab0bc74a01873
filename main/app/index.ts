/**
 * Electron main process: lifecycle only. Everything the app does is a core function reached
 * through the shared handler table (main/handlers.ts); this shell wires it to one window.
 */
import { fileURLToPath } from 'node:url';
import { app, BrowserWindow, dialog, session } from 'electron';
import { resolveHome } from '../core/home';
import { createDispatch } from '../handlers';
import { handleAppProtocol, registerAppScheme } from './app-protocol';
import { createDialogHandlers } from './dialogs';
import { guardSession, guardWebContents } from './guards';
import { createEmitter, registerIpc } from './ipc';
import { installAppMenu, LEARN_MORE_URL } from './menu';
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
  app.on('activate', () => {
    if (app.isReady() && BrowserWindow.getAllWindows().length === 0) openWindow();
  });
  app.whenReady().then(start).catch(fatal);
}

function start(): void {
  if (process.platform === 'win32') app.setAppUserModelId('app.modelpilot.desktop');
  app.setAboutPanelOptions({
    applicationName: 'ModelPilot',
    applicationVersion: app.getVersion(),
    version: `Electron ${process.versions.electron}`,
    copyright: 'MIT License',
    website: LEARN_MORE_URL,
  });
  guardSession(session.defaultSession, devOrigin, log);
  handleAppProtocol(rendererRoot, log);

  const dispatch = createDispatch({
    host: 'electron',
    home: resolveHome(app.getPath('documents')),
    version: app.getVersion(),
    emit: createEmitter(() => mainWindow),
    hostHandlers: createDialogHandlers({ getWindow: () => mainWindow, defaultDir: () => app.getPath('documents') }),
    log,
  });
  registerIpc({ dispatch, isTrustedSender: (event) => isTrustedSender(event, mainWindow, devOrigin), log });
  installAppMenu({ isPackaged: app.isPackaged, log });
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
