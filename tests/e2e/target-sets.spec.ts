// Issue 17 items 1 and 2: a planner starts the 2022 set of targets alone — one target by hand,
// three from a 任务分解表 (tests/fixtures/targets/, written by write-excel-file) — updates a
// feature, and the 2022 dashboard moves while 2021's does not; the choice of year, the targets and
// the progress survive a reload; undo and redo take back and bring back the status change and the import.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { test, expect } from './helpers/test';
import { ProgressDriver } from './drivers/progress-driver';
import { TargetsDriver } from './drivers/targets-driver';

const fixtures = path.resolve('tests/fixtures/targets');
const artifacts = path.resolve('tests/artifacts');
const village = 'HS-VL-131102002201'; // 集贤街村: untreated, not one of the 2021 sewage targets' villages

test('a planner starts the 2022 targets by hand and from Excel; only the 2022 dashboard follows an edit; reload; undo/redo', async ({ page, app, store }) => {
  const targets = new TargetsDriver(page);
  const progress = new ProgressDriver(page);
  await app.open();
  const storedBefore = await store.count('targets');

  await targets.open();
  await targets.createSet(2022);
  expect(await targets.count()).toBe(0);

  // By hand: the form names each field the model refuses, and writes nothing then.
  const problems = await targets.saveEmptyForm();
  expect(problems).toContain('目标名称：必须填写。');
  expect(problems.join(' ')).toMatch(/报告原文/);
  expect(problems.join(' ')).toMatch(/单位/);
  await targets.addByHand({
    title: '村庄生活污水治理开工',
    quote: '启动300个村庄生活污水治理工程',
    quantity: '300',
    unit: '个',
    layer: '村庄',
    doneStatuses: ['施工中', '已治理'],
    scopeField: '2021年生活污水治理任务村',
    scopeValues: '否',
  });
  expect(await targets.titles()).toEqual(['村庄生活污水治理开工']);

  // From Excel: a table with bad rows is refused, each problem by row and column, nothing written.
  await targets.openImport();
  await targets.chooseTable(path.join(fixtures, '任务分解表-bad.xlsx'));
  const tableProblems = await targets.tableProblems();
  expect(tableProblems).toHaveLength(4);
  expect(tableProblems[0]).toContain('第 2 行 G 列（图层）：没有名为“乡村道路”的图层');
  expect(tableProblems[1]).toContain('第 3 行 F 列（完成时限）');
  await targets.cancelImport();
  expect(await targets.count()).toBe(1);
  // The 任务分解表: previewed, then three targets in one change.
  await targets.openImport();
  await targets.chooseTable(path.join(fixtures, '任务分解表-2022.xlsx'));
  expect((await targets.previewRows()).map((row) => row.slice(0, 4))).toEqual([
    ['4', '农业灌溉取水井关停', '地下水取水井', '500 眼'],
    ['5', '新建口袋公园', '口袋公园', '30 个'],
    ['6', '高标准农田建设', '农田建设', '200,000 亩'],
  ]);
  await targets.commitImport(3);
  expect(await targets.count()).toBe(4);
  expect(await store.count('targets')).toBe(storedBefore + 4);
  mkdirSync(artifacts, { recursive: true });
  await page.screenshot({ path: path.join(artifacts, 'target-sets-2022.png') });

  // The dashboard follows the chosen year (2022, chosen when the set was made).
  await page.getByRole('tab', { name: '进度', exact: true }).click();
  await expect(page.getByRole('heading', { name: '2022 年目标进度' })).toBeVisible();
  const sewage2022 = 'year-2022-t1';
  const before2022 = (await progress.reading(sewage2022)).done;
  // Carried from 2021's village targets: 209 sewage villages not treated + 129 hollow/beautiful villages not done (seeds/demo).
  await expect(progress.card(sewage2022).getByTestId('carried-summary')).toHaveText('2021 年未完成、结转本年：338 个要素');
  await targets.chooseYear(2021);
  await expect(page.getByRole('heading', { name: '2021 年目标进度' })).toBeVisible();
  const before2021 = (await progress.reading('village-sewage-2021')).done;
  await targets.chooseYear(2022);

  // Update a village outside the 2021 sewage targets: 2022 moves by one, 2021 does not.
  await page.getByRole('tab', { name: '图层', exact: true }).click();
  await page.getByLabel('按编号或名称搜索').fill(village);
  await page.getByRole('region', { name: '按编号或名称搜索' }).getByRole('button').first().click();
  await progress.changeStatus('施工中', '2021-06-30');
  await page.getByRole('tab', { name: '进度', exact: true }).click();
  await expect.poll(async () => (await progress.reading(sewage2022)).done).toBe(before2022 + 1);
  await targets.chooseYear(2021);
  expect((await progress.reading('village-sewage-2021')).done).toBe(before2021);
  await targets.chooseYear(2022);

  // Reload: the year is remembered, the targets and the progress are there.
  await app.reload();
  await page.getByRole('tab', { name: '进度', exact: true }).click();
  await expect(page.getByRole('heading', { name: '2022 年目标进度' })).toBeVisible();
  expect((await progress.reading(sewage2022)).done).toBe(before2022 + 1);

  // Undo the status change, then the import; redo brings the import back.
  const undo = page.getByRole('button', { name: '撤销', exact: true });
  const redo = page.getByRole('button', { name: '重做', exact: true });
  await undo.click();
  await expect.poll(async () => (await progress.reading(sewage2022)).done).toBe(before2022);
  await undo.click();
  await targets.open();
  await expect.poll(() => targets.count()).toBe(1);
  expect(await store.count('targets')).toBe(storedBefore + 1);
  await redo.click();
  await expect.poll(() => targets.count()).toBe(4);
  expect(await targets.titles()).toEqual(['村庄生活污水治理开工', '农业灌溉取水井关停', '新建口袋公园', '高标准农田建设']);
});
