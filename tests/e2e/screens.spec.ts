// The four screens a new user meets first — the workbench, a feature's history, the conflict
// review and the bulk dialog — in zh-CN and in English at 1280 × 800, saved to tests/artifacts/
// to be looked at, and measured: nothing interactive or written lies under something else, no
// text overflows its box, and no raw code (UUID, ISO time, adcode) is shown.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Locator } from '@playwright/test';
import { test, expect, type Page } from './helpers/test';
import { MapDriver } from './drivers/map-driver';
import { ProgressDriver } from './drivers/progress-driver';
import { exportAll, giveName, importFile, openProfiles, openSync, setDepth, syncDialog } from './drivers/sync-driver';

const WELLS_TARGET = 'wells-non-agricultural-2021';
const artifacts = path.resolve('tests/artifacts');

interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

const intersects = (a: Box, b: Box) => a.x + 1 < b.x + b.width && b.x + 1 < a.x + a.width && a.y + 1 < b.y + b.height && b.y + 1 < a.y + a.height;

/** Boxes of the visible elements `locator` matches. */
async function boxes(locator: Locator): Promise<Array<{ label: string; box: Box }>> {
  const found: Array<{ label: string; box: Box }> = [];
  for (const element of await locator.all()) {
    if (!(await element.isVisible())) continue;
    const box = await element.boundingBox();
    if (box && box.width > 0 && box.height > 0) found.push({ label: ((await element.textContent()) ?? (await element.getAttribute('aria-label')) ?? '').trim().slice(0, 30), box });
  }
  return found;
}

/** No two of the matched elements overlap. */
async function expectApart(locator: Locator, what: string): Promise<void> {
  const found = await boxes(locator);
  for (let i = 0; i < found.length; i += 1)
    for (let j = i + 1; j < found.length; j += 1)
      expect(intersects(found[i]!.box, found[j]!.box), `${what}: "${found[i]!.label}" overlaps "${found[j]!.label}"`).toBe(false);
}

/** Every matched element shows its text whole (no clipped overflow) and lies inside the window (across only, for what scrolls). */
async function expectWhole(locator: Locator, what: string, { vertical = true }: { vertical?: boolean } = {}): Promise<void> {
  const problems = await locator.evaluateAll((elements, checkVertical) =>
    elements
      .filter((element) => (element as HTMLElement).offsetParent !== null)
      .flatMap((element) => {
        const html = element as HTMLElement;
        const rect = html.getBoundingClientRect();
        const out: string[] = [];
        const style = getComputedStyle(html);
        const clips = style.overflowX === 'hidden' || style.overflowX === 'clip';
        if (clips && style.textOverflow !== 'ellipsis' && html.scrollWidth > html.clientWidth + 1) out.push(`${html.textContent?.trim().slice(0, 30)} is cut off`);
        if (rect.right > window.innerWidth + 1 || rect.left < -1 || (checkVertical && (rect.bottom > window.innerHeight + 1 || rect.top < -1))) out.push(`${html.textContent?.trim().slice(0, 30)} lies outside the window`);
        return out;
      }),
    vertical,
  );
  expect(problems, what).toEqual([]);
}

/** The workbench's fixed furniture: header items, map controls and the banner never overlap. */
async function expectWorkbenchClear(page: Page): Promise<void> {
  await expectApart(page.locator('.app-header > *'), 'header');
  const header = await page.locator('.app-header').boundingBox();
  expect(header!.height, 'the header stays one line').toBeLessThan(60);
  await expectApart(page.locator('.maplibregl-ctrl-bottom-left > *, .maplibregl-ctrl-bottom-right > *, [data-testid="gps-control"]'), 'map controls');
}

async function shoot(page: Page, name: string): Promise<void> {
  mkdirSync(artifacts, { recursive: true });
  await page.screenshot({ path: path.join(artifacts, `${name}.png`) });
}

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;
const ISO = /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;

async function expectNoRawCodes(locator: Locator, what: string): Promise<void> {
  const text = (await locator.textContent()) ?? '';
  expect(text, `${what} shows a UUID`).not.toMatch(UUID);
  expect(text, `${what} shows an ISO time`).not.toMatch(ISO);
  expect(text, `${what} shows an adcode`).not.toMatch(/\b1311\d{2}\b/);
}

test.describe('screens at 1280 × 800, zh-CN and English', () => {
  test('workbench, history, conflict review and bulk dialog: saved to tests/artifacts, nothing overlapping', { tag: '@heavy' }, async ({ page, secondProfile }, testInfo) => {
    testInfo.setTimeout(900_000);
    const { page: pageB, watch: watchB } = secondProfile;
    await openProfiles(page, pageB);
    // 1. The first screen, as a new user sees it, in both languages.
    const map = new MapDriver(page);
    for (const language of ['zh-CN', 'en'] as const) {
      if (language === 'en') {
        await map.switchLanguage();
        await expect(page.locator('html')).toHaveAttribute('lang', 'en');
        await map.waitForIdle();
      }
      await expectWorkbenchClear(page);
      await expectWhole(page.locator('.app-header > *'), 'header items');
      await shoot(page, `first-screen.${language}`);
    }
    await map.switchLanguage();
    await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');
    await giveName(page, '水务局-王工');
    await giveName(pageB, '桃城区-李工');

    // A conflict on A: the same well's depth edited on both, B's package imported on A.
    const { id: wellId } = await new ProgressDriver(page).firstOverdue(WELLS_TARGET);
    await setDepth(page, WELLS_TARGET, wellId, '80');
    await setDepth(pageB, WELLS_TARGET, wellId, '95');
    await openSync(pageB);
    const fromB = await exportAll(pageB);
    await openSync(page);
    await importFile(page, fromB);
    await expect(syncDialog(page).getByRole('tab', { name: '冲突审核（1）' })).toHaveAttribute('aria-selected', 'true');
    await syncDialog(page).getByRole('button', { name: '关闭' }).first().click();

    // A status change with a note on another well, so its history has words to show.
    const { id: otherId } = await new ProgressDriver(page).overdue(WELLS_TARGET, 1);
    await new ProgressDriver(page).openOverdueFeature(WELLS_TARGET, otherId);
    await new ProgressDriver(page).changeStatus('已封填', '2021-06-28', '现场核实已封填，回填水泥砂浆');
    await page.locator('.feature-panel').getByRole('button', { name: '关闭' }).first().click();

    for (const language of ['zh-CN', 'en'] as const) {
      if (language === 'en') {
        await map.switchLanguage();
        await expect(page.locator('html')).toHaveAttribute('lang', 'en');
      }
      const words = language === 'en' ? { progress: 'Progress', layers: 'Layers', close: 'Close', sync: /^Exchange edits/ } : { progress: '进度', layers: '图层', close: '关闭', sync: /^交换编辑/ };

      // 2. The history of the well whose status changed.
      await openHistory(page, otherId, language);
      const panel = page.locator('.feature-panel');
      await expect(panel.getByTestId('history-note').first()).toHaveText('现场核实已封填，回填水泥砂浆');
      await expect(panel.getByTestId('history-author').first()).toHaveText('水务局-王工');
      await expectNoRawCodes(panel.locator('details.history'), `history (${language})`);
      // Every control in the panel speaks the UI's language (Chromium's own file input does not).
      // No native file widget shows: Chromium draws it in the browser's language ("Choose Files").
      const nativeFileWidgets = await page
        .locator('input[type="file"]')
        .evaluateAll((inputs) => inputs.filter((input) => (input as HTMLElement).offsetWidth > 1).map((input) => `${input.getAttribute('accept')} (${(input as HTMLElement).offsetWidth} px)`));
      expect(nativeFileWidgets, 'native file inputs shown').toEqual([]);
      await expectApart(panel.locator('details.history [data-testid="history-entry"]'), 'history entries');
      await expectApart(page.locator('.demo-watermark, .feature-panel'), 'watermark and feature panel');
      await expectWhole(panel.locator('details.history li, details.history button'), `history (${language})`, { vertical: false });
      await panel.getByTestId('history-entry').first().scrollIntoViewIfNeeded();
      await shoot(page, `history.${language}`);
      await panel.getByRole('button', { name: words.close }).first().click();

      // 3. The conflict review.
      await page.getByRole('button', { name: words.sync }).click();
      const dialog = page.locator('.sync-dialog');
      await dialog.getByRole('tab', { name: language === 'en' ? 'Conflicts (1)' : '冲突审核（1）' }).click();
      await expect(dialog.getByTestId('sync-diff')).toBeVisible();
      await expectNoRawCodes(dialog.getByTestId('sync-diff'), `conflict review (${language})`);
      await expectWhole(dialog, `conflict review (${language})`);
      await expectApart(dialog.getByRole('button'), 'conflict review buttons');
      await shoot(page, `conflict-review.${language}`);
      await dialog.getByRole('button', { name: words.close }).first().click();

      // 4. The bulk dialog for the wells the filter shows.
      await page.getByRole('tab', { name: words.layers, exact: true }).click();
      await page.locator('.layer-item[data-layer-id="wells"]').getByRole('button', { name: language === 'en' ? /^Update status of/ : /批量更新状态/ }).click();
      const bulk = page.getByRole('dialog', { name: language === 'en' ? 'Bulk status update' : '批量更新状态' });
      await expect(bulk).toBeVisible();
      await expectWhole(bulk, `bulk dialog (${language})`);
      await expectApart(bulk.locator('button, select, input[type="date"]'), 'bulk dialog controls');
      await shoot(page, `bulk-dialog.${language}`);
      await bulk.getByRole('button', { name: language === 'en' ? 'Cancel' : '取消' }).click();
    }
    expect(watchB.problems).toEqual([]);
  });
});

/** Opens the well's feature panel by search and unfolds its history. */
async function openHistory(page: Page, featureId: string, language: 'zh-CN' | 'en'): Promise<void> {
  await page.getByRole('tab', { name: language === 'en' ? 'Layers' : '图层', exact: true }).click();
  await page.getByRole('searchbox', { name: language === 'en' ? 'Search by id or name' : '按编号或名称搜索' }).fill(featureId);
  await page.locator('.search-results').getByRole('button', { name: featureId }).first().click();
  const panel = page.locator(`.feature-panel[data-feature-id="${featureId}"]`);
  await expect(panel).toBeVisible();
  await panel.locator('details.history summary').click();
}
