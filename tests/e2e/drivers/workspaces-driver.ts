// Domain actions on the 工作区 / Workspaces tab: make a workspace from a boundary file, switch,
// read the registry (its own database, onemap-workspaces) and time a switch to the map's idle.
import { expect, type Page } from '../helpers/test';
import { AppDriver, openSidebarTab } from './app-driver';
import type { FileInput } from './import';
import { StoreProbe } from './store-probe';

export interface RegisteredWorkspace {
  id: string;
  name: { zh: string; en: string };
  database: string;
  extent: [number, number, number, number];
  counties?: { features: { properties: { adcode: number; name: string } }[] };
}

export class WorkspacesDriver {
  constructor(readonly page: Page) {}

  get panel() {
    return this.page.getByTestId('workspaces-panel');
  }

  get form() {
    return this.page.getByTestId('workspace-new');
  }

  async openTab(): Promise<void> {
    await openSidebarTab(this.page, '工作区');
    await expect(this.panel).toBeVisible();
  }

  /** Names the new workspace and chooses its boundary file; the form reads it with the import readers. */
  async chooseBoundaryFile(name: string, file: FileInput): Promise<void> {
    await this.form.getByLabel('工作区名称').fill(name);
    await this.form.getByLabel('边界文件').setInputFiles(file);
  }

  async detected(): Promise<string> {
    return (await this.form.getByTestId('workspace-detected').textContent({ timeout: 60_000 })) ?? '';
  }

  async countiesListed(): Promise<string[]> {
    return this.form.getByTestId('workspace-counties').locator('li').allTextContents();
  }

  boundaryError() {
    return this.form.getByTestId('workspace-boundary-error');
  }

  createButton() {
    return this.form.getByRole('button', { name: '创建并切换' });
  }

  /** Creates the workspace and waits until the app opened it and its map is idle. */
  async create(name: string): Promise<void> {
    await this.createButton().click();
    await this.waitForOpen(name);
  }

  /** Switches through the list; resolves with the ms from the switch's start to the new map's idle. */
  async switchTo(name: string): Promise<number> {
    await this.openTab();
    await this.panel.getByRole('button', { name: `切换到此工作区：${name}` }).click();
    await this.waitForOpen(name);
    return this.switchToIdleMs();
  }

  async waitForOpen(name: string): Promise<void> {
    await expect(this.page.getByTestId('workspace-name')).toHaveText(`OneMap · ${name}`, { timeout: 120_000 });
    await new AppDriver(this.page).waitForIdle();
  }

  /** From the last `onemap:workspace-switch-start` mark to the last `onemap:map-idle` after it. */
  switchToIdleMs(): Promise<number> {
    return this.page.evaluate(() => {
      const start = performance.getEntriesByName('onemap:workspace-switch-start').at(-1)!.startTime;
      const idle = performance.getEntriesByName('onemap:map-idle').filter((entry) => entry.startTime > start).at(-1);
      if (!idle) throw new Error('no map-idle mark after the switch');
      return idle.startTime - start;
    });
  }

  async registered(): Promise<RegisteredWorkspace[]> {
    return new StoreProbe(this.page, 'onemap-workspaces').records<RegisteredWorkspace>('workspaces');
  }
}
