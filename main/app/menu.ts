/**
 * The application menu, in the user's language (rebuilt when it changes). Items use roles so
 * every platform keeps its native behaviour and shortcuts; labels come from menu-strings.ts.
 * Developer items (force reload, DevTools) exist only in an unpackaged app.
 */
import { app, Menu, shell, type MenuItemConstructorOptions } from 'electron';
import type { Locale } from '../contract/schemas';
import { menuStrings } from './menu-strings';

export interface MenuOptions {
  isPackaged: boolean;
  locale: Locale;
  /** The projects folder, opened in the system file manager from the Help menu. */
  home: string;
  log: (message: string) => void;
}

export function installAppMenu(options: MenuOptions): void {
  Menu.setApplicationMenu(Menu.buildFromTemplate(menuTemplate(options, process.platform === 'darwin')));
}

export function menuTemplate({ isPackaged, locale, home, log }: MenuOptions, isMac: boolean): MenuItemConstructorOptions[] {
  const s = menuStrings[locale];
  const about: MenuItemConstructorOptions = { label: s.about, click: () => app.showAboutPanel() };
  // Alt-key mnemonics are a Windows/Linux convention; macOS would show the '&'.
  const mnemonic = (label: string) => (isMac ? label : `&${label}`);
  const developer: MenuItemConstructorOptions[] = isPackaged
    ? []
    : [{ type: 'separator' }, { role: 'forceReload', label: s.forceReload }, { role: 'toggleDevTools', label: s.devTools }];
  const openProjectsFolder: MenuItemConstructorOptions = {
    label: s.openProjectsFolder,
    click: () =>
      void shell.openPath(home).then((error) => {
        if (error) log(`could not open ${home}: ${error}`);
      }),
  };
  return [
    ...(isMac ? [{ role: 'appMenu' } as MenuItemConstructorOptions] : []),
    {
      label: mnemonic(s.file),
      submenu: [openProjectsFolder, { type: 'separator' }, isMac ? { role: 'close', label: s.close } : { role: 'quit', label: s.quit }],
    },
    { role: 'editMenu', label: s.edit },
    {
      label: mnemonic(s.view),
      submenu: [
        { role: 'reload', label: s.reload },
        ...developer,
        { type: 'separator' },
        { role: 'resetZoom', label: s.resetZoom },
        { role: 'zoomIn', label: s.zoomIn },
        { role: 'zoomOut', label: s.zoomOut },
        { type: 'separator' },
        { role: 'togglefullscreen', label: s.fullScreen },
      ],
    },
    { role: 'windowMenu', label: s.window },
    { role: 'help', label: s.help, submenu: isMac ? [openProjectsFolder] : [about, openProjectsFolder] },
  ];
}
