// The team hub as a person uses it: a browser profile on the hub's own address (the hub serves
// the web shell), the 团队同步 panel (sign in, sync now, status), the review queue's hub
// conflicts, and the feature panel's edits. Plus what a spec reads back: the hub workspace's
// store (its own IndexedDB database) and the hub's tables.
import { createHash } from 'node:crypto';
import type { Browser, BrowserContext } from '@playwright/test';
import { expect, watchPage, type Page } from '../helpers/test';
import { AppDriver, openSidebarTab } from './app-driver';
import { StoreProbe } from './store-probe';

/** The hub workspace's database name for this hub and user (renderer/src/db/hub/workspace.ts). */
export function hubStoreName(origin: string, user: string): string {
  return `onemap-hub-${createHash('sha256').update(`${new URL(origin).origin}\n${user}`).digest('hex').slice(0, 16)}`;
}

export interface HubProfile {
  user: string;
  context: BrowserContext;
  page: Page;
  hub: HubDriver;
  /** Requests to other origins, CSP violations and page errors seen so far. */
  problems: string[];
}

/** A fresh browser profile (its own IndexedDB) with the app opened from the hub's address. */
export async function openHubProfile(browser: Browser, origin: string, user: string): Promise<HubProfile> {
  const context = await browser.newContext({ baseURL: `${origin}/`, viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const { problems } = watchPage(page, origin);
  await new AppDriver(page).open();
  return { user, context, page, hub: new HubDriver(page, origin, user), problems };
}

export class HubDriver {
  constructor(
    readonly page: Page,
    readonly origin: string,
    readonly user: string,
  ) {}

  get panel() {
    return this.page.getByTestId('hub-panel');
  }

  get store(): StoreProbe {
    return new StoreProbe(this.page, hubStoreName(this.origin, this.user));
  }

  async openPanel(): Promise<void> {
    await openSidebarTab(this.page, '团队同步');
    await expect(this.panel).toBeVisible();
  }

  /** Signs in from the panel and waits for the hub workspace's first completed sync. */
  async signIn(password: string): Promise<void> {
    await this.openPanel();
    await this.panel.getByTestId('hub-user').fill(this.user);
    await this.panel.getByTestId('hub-password').fill(password);
    await this.panel.getByTestId('hub-sign-in').click();
    await new AppDriver(this.page).waitForMapState();
    await this.openPanel();
    await expect(this.panel.getByTestId('hub-who')).toBeVisible({ timeout: 120_000 });
    // The first sync pulls every feature of the user's counties (8,535 for the whole city).
    await this.waitForSynced(300_000);
  }

  /** The last sync completed with nothing waiting (the panel's status line and counters). */
  async waitForSynced(timeout = 120_000): Promise<void> {
    await expect(this.panel.getByTestId('hub-phase')).toHaveAttribute('data-phase', 'idle', { timeout });
    await expect(this.panel.getByTestId('hub-last-sync')).toContainText('上次成功同步', { timeout });
    await expect(this.panel.getByTestId('hub-waiting')).toHaveAttribute('data-count', '0', { timeout });
  }

  /** When the last successful sync ended (the panel's ISO time, to the millisecond), 0 before any. */
  async lastSyncAt(): Promise<number> {
    const at = await this.panel.getByTestId('hub-last-sync').getAttribute('data-at');
    return at === null ? 0 : Date.parse(at);
  }

  /**
   * "Sync now", then waits until a sync that ended after the click completed with nothing
   * waiting. (The shown time has whole seconds: two syncs in one second would look the same.)
   */
  async syncNow(): Promise<void> {
    await this.openPanel();
    const clicked = Date.now();
    await this.panel.getByTestId('hub-sync-now').click();
    await expect
      .poll(async () => ({ after: (await this.lastSyncAt()) >= clicked, phase: await this.panel.getByTestId('hub-phase').textContent() }), { timeout: 120_000 })
      .toMatchObject({ after: true });
    await this.waitForSynced();
  }

  async waiting(): Promise<number> {
    return Number(await this.panel.getByTestId('hub-waiting').getAttribute('data-count'));
  }

  async conflicts(): Promise<number> {
    return Number(await this.panel.getByTestId('hub-conflicts').getAttribute('data-count'));
  }

  /** Opens a feature's panel through the layer panel's search by its id; false when the search finds nothing. */
  async openFeature(id: string): Promise<boolean> {
    await openSidebarTab(this.page, '图层');
    await this.page.getByRole('searchbox', { name: '按编号或名称搜索' }).fill(id);
    const results = this.page.locator('.search-results');
    await expect(results).toBeVisible();
    const button = results.getByRole('button', { name: new RegExp(`^${id}`) });
    if ((await button.count()) === 0) return false;
    await button.first().click();
    await expect(this.page.locator(`.feature-panel[data-feature-id="${id}"]`)).toBeVisible();
    return true;
  }

  async closeFeature(): Promise<void> {
    await this.page.locator('.feature-panel').getByRole('button', { name: '关闭' }).first().click();
  }

  /** Sets the open feature's 井深 and waits for 已保存. */
  async setDepth(depth: string): Promise<void> {
    const panel = this.page.locator('.feature-panel');
    await panel.getByRole('button', { name: '编辑属性' }).click();
    await panel.getByLabel('井深 (米)').fill(depth);
    await panel.locator('.attribute-form').getByRole('button', { name: '保存' }).click();
    await expect(panel.locator('dd', { hasText: `${depth} 米` })).toBeVisible();
  }

  async addPhoto(photo: { name: string; mimeType: string; buffer: Buffer }): Promise<void> {
    const panel = this.page.locator('.feature-panel');
    await panel.getByLabel('添加照片（文件或相机）').setInputFiles(photo);
    await expect(panel.getByTestId('photo-state')).toContainText('已保存');
  }

  /** The review queue's hub conflicts (in the exchange dialog's queue tab). */
  async openConflictQueue() {
    await this.page.getByRole('button', { name: /^交换编辑/ }).click();
    const dialog = this.page.getByRole('dialog', { name: '交换编辑' });
    await dialog.getByRole('tab', { name: /^冲突审核/ }).click();
    const review = dialog.getByTestId('hub-conflict-review');
    await expect(review).toBeVisible();
    return { dialog, review };
  }
}

/** Bytes of a photo kept in a store, as SHA-256 hex (Blob bytes read in the page). */
export async function storedPhotoSha256(store: StoreProbe, featureId: string): Promise<string[]> {
  const hex = await store.page.evaluate(
    async ({ name, id }) => {
      const database = await new Promise<IDBDatabase>((resolve, reject) => {
        const opening = indexedDB.open(name);
        opening.onsuccess = () => resolve(opening.result);
        opening.onerror = () => reject(opening.error);
      });
      try {
        const records = await new Promise<{ featureId: string; blob: Blob }[]>((resolve, reject) => {
          const request = database.transaction('attachments', 'readonly').objectStore('attachments').getAll();
          request.onsuccess = () => resolve(request.result as { featureId: string; blob: Blob }[]);
          request.onerror = () => reject(request.error);
        });
        const digests: string[] = [];
        for (const record of records.filter((candidate) => candidate.featureId === id)) {
          const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', await record.blob.arrayBuffer()));
          digests.push(Array.from(digest, (byte) => byte.toString(16).padStart(2, '0')).join(''));
        }
        return digests;
      } finally {
        database.close();
      }
    },
    { name: store.databaseName, id: featureId },
  );
  return hex.sort();
}
