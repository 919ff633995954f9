// Issue 17 item 3 — layer definitions a planner can edit: create a thematic layer with a 3-state
// workflow in 图层定义, draw a feature with the form generated from it, move it through the
// workflow (each state recording its date), reload: all still there; change the definition
// (a field renamed, a coded field added: version 2) and undo it (the definition before, as
// version 3). The editor is saved to tests/artifacts/layer-editor.png.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { test, expect } from './helpers/test';
import { AppDriver } from './drivers/app-driver';
import { EditingDriver, type LonLat } from './drivers/editing';
import { LayerEditorDriver } from './drivers/layer-editor-driver';
import { ProgressDriver } from './drivers/progress-driver';

const LAYER = '海绵城市项目';
const LAYER_ID = 'sponge-city-projects';
const artifacts = path.resolve('tests/artifacts');

test('a planner defines a thematic layer with a 3-state workflow, draws a feature with its form, moves it through the workflow, reloads, and undoes a definition change', async ({ page }) => {
  test.setTimeout(600_000);
  await page.setViewportSize({ width: 1280, height: 800 });
  const app = new AppDriver(page);
  const editor = new LayerEditorDriver(page);
  const editing = new EditingDriver(page);
  await app.open();

  // The layer: a name, fields (the blank layer starts with 名称), and planned → building → done.
  await editor.openTab();
  await editor.startNewLayer();
  await editor.setName(LAYER, 'Sponge city projects');
  await editor.form.locator('#layer-geometry').selectOption({ label: '面' });
  await editor.addField('投资', 'Budget', '数值', { unit: '万元' });
  await editor.addField('开工日期', 'Started', '日期');
  const completed = await editor.addField('完工日期', 'Completed', '日期');
  await editor.setState(0, '计划', 'Planned');
  await editor.setState(1, '在建', 'Building', '开工日期');
  await editor.setState(2, '完工', 'Done', '完工日期');
  await editor.allow('在建', '完工');

  // A named problem first: a date a status change records cannot be required. Nothing is written.
  await editor.setRequired(completed, true);
  await editor.save();
  await expect(editor.problems.locator('[data-problem="required-status-date"]')).toHaveText('日期字段“完工日期”由状态变更填写，不能设为必填。');
  expect(await editor.storedLayer(LAYER_ID)).toBeNull();
  await editor.setRequired(completed, false);
  await expect(editor.problems).toBeHidden();

  // The editor as the planner sees it: the fields, then the workflow with its transitions.
  mkdirSync(artifacts, { recursive: true });
  await editor.field(0).scrollIntoViewIfNeeded();
  await page.screenshot({ path: path.join(artifacts, 'layer-editor-fields.png') });
  await editor.form.locator('.layer-editor-transitions').scrollIntoViewIfNeeded();
  await page.screenshot({ path: path.join(artifacts, 'layer-editor.png') });

  await editor.saveAndClose(/已新建图层“海绵城市项目”/);
  const created = await editor.storedLayer(LAYER_ID);
  expect(created).toMatchObject({
    geometryType: 'Polygon',
    fields: [{ key: 'name' }, { key: 'budget', type: 'number', unit: { zh: '万元' } }, { key: 'started', type: 'date' }, { key: 'completed', type: 'date', required: false }],
    status: {
      initial: 'planned',
      states: [{ value: 'planned' }, { value: 'building', dateField: 'started' }, { value: 'done', dateField: 'completed' }],
      transitions: [{ from: 'planned', to: 'building' }, { from: 'building', to: 'done' }],
    },
  });

  // Draw a polygon on the new layer: the form is generated from its definition.
  const origin = await editing.emptySpot(16, 200);
  const corners: LonLat[] = [
    [origin[0] - 0.002, origin[1] - 0.0015],
    [origin[0] + 0.002, origin[1] - 0.0015],
    [origin[0] + 0.002, origin[1] + 0.0015],
    [origin[0] - 0.002, origin[1] + 0.0015],
  ];
  await editing.startNewFeature(LAYER);
  await editing.drawShape(await Promise.all(corners.map((corner) => editing.pixelOf(corner))));
  const dialog = editing.newFeatureDialog(LAYER);
  await expect(dialog.getByLabel('投资 (万元)', { exact: true })).toBeVisible();
  // The dates are the workflow's: the form does not ask for them.
  await expect(dialog.getByLabel('开工日期')).toHaveCount(0);
  await editing.fillForm(LAYER, { 名称: '人民公园雨水花园', '投资 (万元)': '120' });
  const id = await editing.saveForm(LAYER);
  expect(await editing.storedFeature(LAYER_ID, id)).toMatchObject({ status: 'planned', properties: { name: '人民公园雨水花园', budget: 120 } });

  // Through the workflow: 计划 → 在建 → 完工, each recording its date.
  const progress = new ProgressDriver(page);
  await progress.changeStatus('在建', '2026-03-01');
  await progress.changeStatus('完工', '2026-09-30');
  expect(await editing.storedFeature(LAYER_ID, id)).toMatchObject({ status: 'done', properties: { started: '2026-03-01', completed: '2026-09-30' } });
  await editing.waitForIdle();
  expect(await editing.renderedCount(LAYER_ID, id), 'the feature is drawn on the map').toBeGreaterThan(0);

  // Reload: the layer, the feature and its workflow dates are all still there.
  await app.reload();
  await editor.openTab();
  await expect(editor.summary(LAYER_ID)).toHaveText('4 个字段，3 个状态，1 个要素，第 1 版');
  expect(await editing.storedFeature(LAYER_ID, id)).toMatchObject({ status: 'done', properties: { started: '2026-03-01', completed: '2026-09-30' } });
  expect(await editing.renderedCount(LAYER_ID, id), 'drawn after the reload').toBeGreaterThan(0);

  // A definition change: 投资 renamed 总投资 (its key stays), a coded field added. Version 2.
  await editor.edit(LAYER);
  await editor.setField(1, '总投资', 'Total budget');
  await editor.addField('项目类型', 'Kind', '选项', { values: [['公园', 'Park'], ['道路', 'Road']] });
  await editor.saveAndClose(/已保存图层“海绵城市项目”（第 2 版）/);
  const changed = await editor.storedLayer(LAYER_ID);
  expect(changed?.version).toBe(2);
  expect(changed?.fields.map((field) => [field.key, field.label.zh])).toEqual([
    ['name', '名称'],
    ['budget', '总投资'],
    ['started', '开工日期'],
    ['completed', '完工日期'],
    ['kind', '项目类型'],
  ]);
  expect(await editing.storedFeature(LAYER_ID, id)).toMatchObject({ properties: { budget: 120 } });
  // The map draws the layer anew for its new definition (its colours and coded fields follow it).
  await expect.poll(() => editing.renderedCount(LAYER_ID, id), { timeout: 20_000 }).toBeGreaterThan(0);

  // Undo: the definition before comes back as version 3 (versions only grow).
  await page.getByRole('button', { name: '撤销', exact: true }).click();
  await expect(editor.summary(LAYER_ID)).toHaveText('4 个字段，3 个状态，1 个要素，第 3 版');
  const undone = await editor.storedLayer(LAYER_ID);
  expect({ ...undone, version: undefined }).toEqual({ ...created, version: undefined });
  expect(undone?.version).toBe(3);
  expect(await editing.storedFeature(LAYER_ID, id)).toMatchObject({ status: 'done', properties: { name: '人民公园雨水花园', budget: 120, started: '2026-03-01' } });
  await expect.poll(() => editing.renderedCount(LAYER_ID, id), { timeout: 20_000 }).toBeGreaterThan(0);
});
