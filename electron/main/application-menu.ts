import type { MenuItemConstructorOptions } from 'electron';
import type { UiLanguage } from '../../shared/ipc';

/**
 * The native menu, in the UI language. It replaces Electron's default menu, whose Help entries
 * open web pages — the app is offline and opens nothing external. Type-only Electron import, so
 * the template is plain data.
 */
const labels: Record<UiLanguage, Record<'app' | 'edit' | 'view' | 'window', string>> = {
  'zh-CN': { app: 'OneMap', edit: '编辑', view: '视图', window: '窗口' },
  en: { app: 'OneMap', edit: 'Edit', view: 'View', window: 'Window' },
};

export function applicationMenuTemplate(
  language: UiLanguage,
  options: { readonly isMac: boolean; readonly withDeveloperTools: boolean },
): MenuItemConstructorOptions[] {
  const text = labels[language];
  const developerItems: MenuItemConstructorOptions[] = options.withDeveloperTools
    ? [{ role: 'reload' }, { role: 'forceReload' }, { role: 'toggleDevTools' }, { type: 'separator' }]
    : [];
  return [
    ...(options.isMac
      ? [{ label: text.app, submenu: [{ role: 'about' }, { type: 'separator' }, { role: 'hide' }, { role: 'hideOthers' }, { role: 'unhide' }, { type: 'separator' }, { role: 'quit' }] } satisfies MenuItemConstructorOptions]
      : []),
    {
      label: text.edit,
      submenu: [
        { role: 'undo' },
        { role: 'redo' },
        { type: 'separator' },
        { role: 'cut' },
        { role: 'copy' },
        { role: 'paste' },
        { role: 'selectAll' },
      ],
    },
    {
      label: text.view,
      submenu: [
        ...developerItems,
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { type: 'separator' },
        { role: 'togglefullscreen' },
      ],
    },
    {
      label: text.window,
      submenu: options.isMac
        ? [{ role: 'minimize' }, { role: 'zoom' }, { type: 'separator' }, { role: 'front' }]
        : [{ role: 'minimize' }, { role: 'close' }],
    },
  ];
}
