import { describe, expect, it } from 'vitest';
import type { MenuItemConstructorOptions } from 'electron';
import { applicationMenuTemplate } from '../../../electron/main/application-menu';

function everyItem(items: MenuItemConstructorOptions[]): MenuItemConstructorOptions[] {
  return items.flatMap((item) => [item, ...(Array.isArray(item.submenu) ? everyItem(item.submenu) : [])]);
}

describe('applicationMenuTemplate', () => {
  it('labels the menus in the UI language', () => {
    const labels = (language: 'zh-CN' | 'en') =>
      applicationMenuTemplate(language, { isMac: false, withDeveloperTools: false }).map((item) => item.label);
    expect(labels('zh-CN')).toEqual(['编辑', '视图', '窗口']);
    expect(labels('en')).toEqual(['Edit', 'View', 'Window']);
  });

  it('offers DevTools and reload only in development', () => {
    const roles = (withDeveloperTools: boolean) =>
      everyItem(applicationMenuTemplate('en', { isMac: false, withDeveloperTools })).map((item) => item.role);
    expect(roles(true)).toContain('toggleDevTools');
    expect(roles(false)).not.toContain('toggleDevTools');
    expect(roles(false)).not.toContain('reload');
  });

  it('has no entry that could open anything outside the app (no Help links, no click handlers)', () => {
    for (const isMac of [false, true]) {
      const items = everyItem(applicationMenuTemplate('zh-CN', { isMac, withDeveloperTools: true }));
      expect(items.filter((item) => item.click !== undefined || item.role === 'help')).toEqual([]);
    }
  });
});
