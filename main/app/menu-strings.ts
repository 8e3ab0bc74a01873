import type { Locale } from '../contract/schemas';

/**
 * The native menu's words. The menu lives outside the renderer's i18n tables, so it keeps its own
 * small table with the same two languages; test/unit/electron-builder-config.test.ts checks both are complete.
 */
export const menuStrings = {
  en: {
    file: 'File',
    edit: 'Edit',
    view: 'View',
    window: 'Window',
    help: 'Help',
    about: 'About ModelPilot',
    openProjectsFolder: 'Open Projects Folder',
    quit: 'Quit ModelPilot',
    close: 'Close Window',
    reload: 'Reload',
    forceReload: 'Force Reload',
    devTools: 'Developer Tools',
    resetZoom: 'Actual Size',
    zoomIn: 'Zoom In',
    zoomOut: 'Zoom Out',
    fullScreen: 'Full Screen',
  },
  'zh-CN': {
    file: '文件',
    edit: '编辑',
    view: '视图',
    window: '窗口',
    help: '帮助',
    about: '关于 ModelPilot',
    openProjectsFolder: '打开项目文件夹',
    quit: '退出 ModelPilot',
    close: '关闭窗口',
    reload: '重新加载',
    forceReload: '强制重新加载',
    devTools: '开发者工具',
    resetZoom: '实际大小',
    zoomIn: '放大',
    zoomOut: '缩小',
    fullScreen: '全屏',
  },
} satisfies Record<Locale, Record<string, string>>;

export type MenuStrings = (typeof menuStrings)['en'];
