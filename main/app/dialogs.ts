/**
 * Native open/save dialogs: the two channels only the desktop host can answer. Both are modal to
 * the app window when there is one.
 */
import { basename, join } from 'node:path';
import { dialog, type BrowserWindow, type FileFilter, type OpenDialogOptions, type SaveDialogOptions } from 'electron';
import type { HostHandlers } from '../handlers';

export interface DialogOptions {
  getWindow: () => BrowserWindow | null;
  /** Where a save dialog starts (the documents folder). */
  defaultDir: () => string;
}

export function createDialogHandlers({ getWindow, defaultDir }: DialogOptions): HostHandlers {
  return {
    'dialog:openFile': async ({ title, filters, directory }) => {
      const options: OpenDialogOptions = {
        title,
        filters: normalizeFilters(filters),
        // Files may be picked several at once (an image folder's worth); a folder is one.
        properties: directory ? ['openDirectory', 'createDirectory'] : ['openFile', 'multiSelections'],
      };
      const window = usable(getWindow());
      const result = window ? await dialog.showOpenDialog(window, options) : await dialog.showOpenDialog(options);
      return { paths: result.canceled ? [] : result.filePaths };
    },
    'dialog:saveFile': async ({ title, defaultName, filters }) => {
      // Only a file name is taken from the renderer; the folder is the user's to choose.
      const name = defaultName ? basename(defaultName) : undefined;
      const options: SaveDialogOptions = {
        title,
        filters: normalizeFilters(filters),
        defaultPath: name ? join(defaultDir(), name) : defaultDir(),
        properties: ['createDirectory', 'showOverwriteConfirmation'],
      };
      const window = usable(getWindow());
      const result = window ? await dialog.showSaveDialog(window, options) : await dialog.showSaveDialog(options);
      return { path: result.canceled || !result.filePath ? null : result.filePath };
    },
  };
}

function usable(window: BrowserWindow | null): BrowserWindow | null {
  return window && !window.isDestroyed() ? window : null;
}

/** Electron wants extensions without the dot ("csv", not ".csv"). */
function normalizeFilters(filters: FileFilter[] | undefined): FileFilter[] | undefined {
  return filters?.map((f) => ({ name: f.name, extensions: f.extensions.map((e) => e.replace(/^\*?\./, '')) }));
}
