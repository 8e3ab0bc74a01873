/**
 * The renderer's webPreferences, in a module without a runtime electron import so a unit test can
 * assert the hardening (contextIsolation and sandbox on, Node off) without an Electron binary.
 */
import type { WebPreferences } from 'electron';

export interface WebPreferencesOptions {
  /** Absolute path of the CommonJS preload (`out/preload/index.cjs`). */
  preload: string;
  /** DevTools only in an unpackaged app. */
  devTools: boolean;
}

export function hardenedWebPreferences({ preload, devTools }: WebPreferencesOptions) {
  return {
    preload,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    experimentalFeatures: false,
    // A file dropped on the window must not replace the app with that file.
    navigateOnDragDrop: false,
    safeDialogs: true,
    spellcheck: false,
    devTools,
  } as const satisfies WebPreferences;
}
