/**
 * The application menu, built from roles so every platform gets its native wording and shortcuts.
 * Developer items (force reload, DevTools) exist only in an unpackaged app.
 */
import { app, Menu, shell, type MenuItemConstructorOptions } from 'electron';

/** Where "Learn more" goes: the project's README. */
export const LEARN_MORE_URL = 'https://github.com/modelpilot/modelpilot#readme';

export interface MenuOptions {
  isPackaged: boolean;
  log: (message: string) => void;
}

export function installAppMenu(options: MenuOptions): void {
  Menu.setApplicationMenu(Menu.buildFromTemplate(menuTemplate(options, process.platform === 'darwin')));
}

export function menuTemplate({ isPackaged, log }: MenuOptions, isMac: boolean): MenuItemConstructorOptions[] {
  const about: MenuItemConstructorOptions = { label: `About ${app.name}`, click: () => app.showAboutPanel() };
  // Alt-key mnemonics are a Windows/Linux convention; macOS would show the '&'.
  const mnemonic = (label: string) => (isMac ? label : `&${label}`);
  const developer: MenuItemConstructorOptions[] = isPackaged
    ? []
    : [{ type: 'separator' }, { role: 'forceReload' }, { role: 'toggleDevTools' }];
  return [
    ...(isMac ? [{ role: 'appMenu' } as MenuItemConstructorOptions] : []),
    { label: mnemonic('File'), submenu: [isMac ? { role: 'close' } : { role: 'quit' }] },
    { role: 'editMenu' },
    {
      label: mnemonic('View'),
      submenu: [
        { role: 'reload' },
        ...developer,
        { type: 'separator' },
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { type: 'separator' },
        { role: 'togglefullscreen' },
      ],
    },
    { role: 'windowMenu' },
    {
      role: 'help',
      submenu: [
        ...(isMac ? [] : [about, { type: 'separator' } as MenuItemConstructorOptions]),
        {
          label: 'Learn More',
          click: () => void shell.openExternal(LEARN_MORE_URL).catch((error: unknown) => log(`could not open ${LEARN_MORE_URL}: ${String(error)}`)),
        },
      ],
    },
  ];
}
