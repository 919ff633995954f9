// Renaming and deleting a layer from the layer panel, undo/redo of those across a reload, and undo
// of a small import removing the layer it created — in real Chromium over the real IndexedDB.
import path from 'node:path';
import { test, expect, type Page } from './helpers/test';
import { ImportDriver } from './drivers/import';
import { LayersDriver } from './drivers/layers-driver';

const fixtures = path.resolve('tests/fixtures/io');

async function undoButton(page: Page, action: '撤销' | '重做') {
  const button = page.getByRole('button', { name: action, exact: true });
  await expect(button).toBeEnabled();
  await button.click();
  await expect(page.locator('.undo-message')).toHaveText(action === '撤销' ? /已撤销/ : /已重做/);
  return button;
}

async function reload(wizard: ImportDriver, layers: LayersDriver): Promise<void> {
  await wizard.openApp();
  await layers.open();
}

test.describe('layers', () => {
  test('rename and delete a layer from its menu, undo and redo both across a reload; undo of a small import removes its layer', async ({ page }) => {
    // Three app starts (two reloads) in one test: give it the time of three.
    test.slow();
    test.setTimeout(900_000); // six loads of the app on a shared machine
    const wizard = new ImportDriver(page);
    const layers = new LayersDriver(page);
    await wizard.openApp();
    const seededLayers = (await wizard.storeCounts()).layers;

    // A small import (6 villages): journaled as create-layer + one create per village.
    await wizard.open();
    await wizard.chooseFile(path.join(fixtures, 'villages-gbk-no-cpg.zip'));
    await wizard.detected();
    await wizard.chooseNewLayer();
    await wizard.commit();
    expect(await wizard.waitForReport()).toContain('添加 6 个要素');
    await wizard.close();
    await layers.open();
    const layer = layers.layer('import-1');
    await expect(layer).toContainText('villages');

    // Undo of the import removes the layer it created, not just its features; redo (after a reload) brings it back.
    await undoButton(page, '撤销');
    await expect(layer).toHaveCount(0);
    expect(await wizard.storedLayer('import-1')).toBeNull();
    await reload(wizard, layers);
    await expect(layer).toHaveCount(0);
    await undoButton(page, '重做');
    await expect(layer.locator('.layer-name')).toHaveText('villages');
    await expect(page.getByTestId('layer-count-import-1')).toContainText('6');

    // A demo layer that targets measure is not deleted: the reason is said.
    await layers.layer('wells').getByRole('button', { name: /图层操作/ }).click();
    await layers.layer('wells').getByRole('menuitem', { name: '删除图层' }).click();
    await expect(layers.layer('wells').getByRole('alert')).toContainText('个目标按此图层统计进度');

    // Rename (zh and en).
    await layer.getByRole('button', { name: 'villages 图层操作' }).click();
    await layer.getByRole('menuitem', { name: '重命名' }).click();
    await layer.getByLabel('中文名称').fill('规划村庄');
    await layer.getByLabel('英文名称').fill('Planned villages');
    await layer.getByRole('button', { name: '保存' }).click();
    await expect(layer.locator('.layer-name')).toHaveText('规划村庄');
    await reload(wizard, layers);
    await expect(layer.locator('.layer-name')).toHaveText('规划村庄');

    // Delete: the confirmation names the layer and its feature count.
    await layer.getByRole('button', { name: '规划村庄 图层操作' }).click();
    await layer.getByRole('menuitem', { name: '删除图层' }).click();
    const confirm = layer.getByRole('alertdialog');
    await expect(confirm).toContainText('删除图层“规划村庄”及其 6 个要素');
    await confirm.getByRole('button', { name: '删除', exact: true }).click();
    await expect(layer).toHaveCount(0);
    expect((await wizard.storeCounts()).layers).toBe(seededLayers);

    // Undo the delete after a reload: the layer is back with its 6 villages and its new name.
    await reload(wizard, layers);
    await expect(layer).toHaveCount(0);
    await undoButton(page, '撤销');
    await expect(layer.locator('.layer-name')).toHaveText('规划村庄');
    await expect(page.getByTestId('layer-count-import-1')).toContainText('6');
    // Undo the rename.
    await undoButton(page, '撤销');
    await expect(layer.locator('.layer-name')).toHaveText('villages');
    // Undo the import: the layer goes with its features — no empty layer left behind.
    await undoButton(page, '撤销');
    await expect(layer).toHaveCount(0);
    expect(await wizard.storedLayer('import-1')).toBeNull();

    // Redo across a reload: the import, then the rename, then the delete.
    await reload(wizard, layers);
    await undoButton(page, '重做');
    await expect(layer.locator('.layer-name')).toHaveText('villages');
    await expect(page.getByTestId('layer-count-import-1')).toContainText('6');
    await undoButton(page, '重做');
    await expect(layer.locator('.layer-name')).toHaveText('规划村庄');
    await undoButton(page, '重做');
    await expect(layer).toHaveCount(0);
  });
});
