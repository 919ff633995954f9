// The 任务分解表 import: tests/fixtures/targets/make-task-tables.mjs writes the files
// (write-excel-file; the CSV converted to GBK by iconv).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { defaultTargetSet, type Target } from '../../../shared/model';
import { parseTaskTable, readTableRows, TaskTableReadError, type TaskTableContext } from '../../../shared/io/task-table';
import { hengshuiLayers, hengshuiTargets2021 } from '../../../seeds/index';

const fixture = (name: string) => new Uint8Array(readFileSync(new URL(`../../fixtures/targets/${name}`, import.meta.url)));
const counties = ['桃城区', '冀州区', '枣强县', '武邑县', '武强县', '饶阳县', '安平县', '故城县', '景县', '阜城县', '深州市'].map((name, index) => ({ name, adcode: [131102, 131103, 131121, 131122, 131123, 131124, 131125, 131126, 131127, 131128, 131182][index]! }));
const context = (targets: readonly Target[] = hengshuiTargets2021): TaskTableContext => ({ set: defaultTargetSet(2022), layers: hengshuiLayers, counties, targets, source: '任务分解表-2022.xlsx' });

async function parse(name: string, targets?: readonly Target[]) {
  const { rows, encoding } = await readTableRows(fixture(name), name);
  return { result: parseTaskTable(rows, context(targets)), encoding };
}

describe('a 任务分解表 with one row per target', () => {
  it('finds the header under the title and note rows, leaves the signature out, and makes three targets', async () => {
    const { result } = await parse('任务分解表-2022.xlsx');
    if (!result.ok) throw new Error(JSON.stringify(result.problems));
    expect(result).toMatchObject({ shape: 'per-target', headerRow: 3 });
    expect(result.targets.map(({ target, row }) => [row, target.id, target.layerId, target.metric.kind, target.quantity, target.quantityQualifier ?? null, target.deadline])).toEqual([
      [4, 'year-2022-t1', 'wells', 'count', 500, null, '2022-12-31'],
      [5, 'year-2022-t2', 'pocket-parks', 'count', 30, 'at-least', '2022-12-31'],
      [6, 'year-2022-t3', 'farmland', 'area-mu', 200_000, null, '2022-12-31'],
    ]);
    const [wells, parks, farmland] = result.targets.map(({ target }) => target);
    expect(wells).toMatchObject({ setId: 'year-2022', quote: { text: '年内关停农业灌溉取水井500眼', source: '任务分解表-2022.xlsx' }, unit: { zh: '眼' }, completionDateField: 'sealedDate' });
    expect(wells!.metric).toEqual({ kind: 'count', scope: { where: [{ field: 'wellClass', in: ['agricultural'] }] }, done: { statuses: ['sealed', 'verified'], where: [] } });
    expect(parks!.metric.scope.where).toEqual([{ field: 'planYear', in: [2022] }]);
    expect(farmland!.metric.scope.where).toEqual([
      { field: 'projectType', in: ['high-standard'] },
      { field: 'planYear', in: [2022] },
    ]);
  });

  it('reads the same table from a GBK CSV (encoding detected as in the import wizard)', async () => {
    const { result, encoding } = await parse('任务分解表-2022-gbk.csv');
    expect(encoding).toBe('gbk');
    if (!result.ok) throw new Error(JSON.stringify(result.problems));
    expect(result.targets.map(({ target }) => target.title.zh)).toEqual(['农业灌溉取水井关停', '新建口袋公园', '高标准农田建设']);
  });

  it('names the row and the column of every bad cell, and returns no target', async () => {
    const { result } = await parse('任务分解表-bad.xlsx');
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems.map((problem) => [problem.row, problem.columnLetter, problem.header, problem.code, problem.values.value])).toEqual([
      [2, 'G', '图层', 'unknownLayer', '乡村道路'],
      [3, 'F', '完成时限', 'badDate', '2022年13月1日'],
      [4, 'D', '数量', 'badNumber', '十所'],
      [5, 'I', '完成状态', 'unknownStatus', '竣工'],
    ]);
  });

  it('ids continue past those taken', async () => {
    const taken = { ...hengshuiTargets2021[0]!, id: 'year-2022-t1' };
    const { result } = await parse('任务分解表-2022.xlsx', [taken]);
    expect(result.ok && result.targets.map(({ target }) => target.id)).toEqual(['year-2022-t2', 'year-2022-t3', 'year-2022-t4']);
  });
});

describe('a 任务分解表 with one row per county', () => {
  const existing = async (): Promise<Target[]> => {
    const { result } = await parse('任务分解表-2022.xlsx');
    return result.ok ? result.targets.map(({ target }) => target) : [];
  };

  it('splits the set’s targets named in the columns by county; the total becomes the quantity; 合计 is left out', async () => {
    const { result } = await parse('任务分解表-2022-分县.xlsx', await existing());
    if (!result.ok) throw new Error(JSON.stringify(result.problems));
    expect(result.shape).toBe('per-county');
    const [wells, parks] = result.targets.map(({ target }) => target);
    expect(wells!.quantity).toBe(550);
    expect(wells!.countySplit).toMatchObject({ kind: 'table', rows: expect.arrayContaining([{ county: 131102, quantity: 40 }, { county: 131182, quantity: 60 }]) });
    expect(parks!.quantity).toBe(30);
    expect(result.targets.every(({ isNew }) => !isNew)).toBe(true);
  });

  it('a column naming no target of the set is named', async () => {
    const { result } = await parse('任务分解表-2022-分县.xlsx', []);
    expect(!result.ok && result.problems.map((problem) => [problem.row, problem.columnLetter, problem.code])).toEqual([
      [1, 'B', 'unknownTarget'],
      [1, 'C', 'unknownTarget'],
    ]);
  });

  it('a county that is not one, or twice, is named', () => {
    const rows = [
      ['县区', '新建口袋公园'],
      ['桃城区', 3],
      ['桃城区', 2],
      ['海淀区', 1],
    ];
    const parks = { ...hengshuiTargets2021[2]!, setId: 'year-2022', title: { zh: '新建口袋公园', en: 'Parks' } };
    const result = parseTaskTable(rows, context([parks]));
    expect(!result.ok && result.problems.map((problem) => [problem.row, problem.columnLetter, problem.code, problem.values.value])).toEqual([
      [3, 'A', 'countyTwice', '桃城区'],
      [4, 'A', 'unknownCounty', '海淀区'],
    ]);
  });
});

describe('files that are no table', () => {
  it('refuses another format and an unreadable workbook with a reason', async () => {
    await expect(readTableRows(new Uint8Array([1, 2, 3]), 'plan.docx')).rejects.toMatchObject({ code: 'unsupported' });
    await expect(readTableRows(new Uint8Array([80, 75, 3, 4, 0, 0]), 'plan.xlsx')).rejects.toBeInstanceOf(TaskTableReadError);
  });

  it('a table with no recognisable header says so', () => {
    const result = parseTaskTable([['a', 'b'], [1, 2]], context());
    expect(!result.ok && result.problems[0]?.code).toBe('noHeader');
  });
});
