import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hengshuiLayers, hengshuiTargets2021 } from '../../../seeds/index';
import { validateTargetAgainstLayer } from '../../../shared/model/target';
import targetsJson from '../../../seeds/targets-2021.json';

const root = join(import.meta.dirname, '../../..');
const reportPath = 'seeds/source/hengshui-2021-work-report.txt';
const report = readFileSync(join(root, reportPath), 'utf8');

describe('the committed copy of the 2021 work report', () => {
  it('is the file seeds/README.md names, byte for byte', () => {
    const digest = createHash('sha256').update(readFileSync(join(root, reportPath))).digest('hex');
    expect(readFileSync(join(root, 'seeds/README.md'), 'utf8')).toContain(digest);
  });
});

describe('seeds/targets-2021.json', () => {
  it('parses as a list of targets', () => {
    expect(hengshuiTargets2021).toHaveLength(targetsJson.length);
  });

  it.each(hengshuiTargets2021.map((target) => [target.id, target] as const))('%s quotes the report verbatim', (_id, target) => {
    expect(target.quote.source).toBe(reportPath);
    expect(report).toContain(target.quote.text);
    expect(report).toContain(target.quote.sentence);
    expect(target.quote.sentence).toContain(target.quote.text);
  });

  it.each(hengshuiTargets2021.map((target) => [target.id, target] as const))('%s fits its layer definition', (_id, target) => {
    const layer = hengshuiLayers.find((candidate) => candidate.id === target.layerId);
    expect(layer, `layer ${target.layerId}`).toBeDefined();
    expect(validateTargetAgainstLayer(target, layer!)).toEqual([]);
  });

  it('has every row of the targets table of PRODUCT.md, with its number and metric', () => {
    const rows = hengshuiTargets2021.map((target) => [target.quote.text, target.quantity, target.layerId, target.metric.kind]);
    expect(rows).toEqual([
      ['剩余1285眼非农业取水井年内一律关停', 1285, 'wells', 'count'],
      ['农业灌溉取水井有序关停', null, 'wells', 'count'],
      ['新建“口袋公园”40个', 40, 'pocket-parks', 'count'],
      ['未来3年内将新建“口袋公园”100个以上', 100, 'pocket-parks', 'count'],
      ['305个村庄生活污水处理任务', 305, 'villages', 'count'],
      ['6万座无害化卫生厕所改造', 60000, 'villages', 'sum'],
      ['完成98个“空心村”治理', 98, 'villages', 'count'],
      ['100个美丽乡村建设', 100, 'villages', 'count'],
      ['年内建成40万亩高标准农田', 400000, 'farmland', 'area-mu'],
      ['480万亩粮食生产核心区', 4800000, 'farmland', 'area-mu'],
      ['“万元田”发展到33万亩', 330000, 'farmland', 'area-mu'],
      ['每个县(市、区)建设一个3万-5万亩的结构调整片区', 11, 'farmland', 'count'],
      ['新建农村公路100公里', 100, 'rural-roads', 'length-km'],
      ['完成老旧小区改造项目312个', 312, 'urban-projects', 'count'],
      ['新改扩建15所中小学和幼儿园', 15, 'urban-projects', 'count'],
    ]);
  });

  it('gives the 2021 targets the year-end deadline', () => {
    for (const target of hengshuiTargets2021) {
      expect(target.startDate).toBe('2021-01-01');
      expect(target.deadline).toBe(target.id === 'pocket-parks-2021-2023' ? '2023-12-31' : '2021-12-31');
    }
  });
});

describe('seeds/layers.json', () => {
  it('defines the layers the targets and demo data need', () => {
    expect(hengshuiLayers.map((layer) => [layer.id, layer.geometryType])).toEqual([
      ['wells', 'Point'],
      ['pocket-parks', 'Polygon'],
      ['villages', 'Point'],
      ['farmland', 'Polygon'],
      ['rural-roads', 'LineString'],
      ['urban-projects', 'Point'],
      ['residential-blocks', 'Point'],
    ]);
  });

  it('gives wells the closure workflow, with 引江水 and a schedule for overdue wells', () => {
    const wells = hengshuiLayers.find((layer) => layer.id === 'wells')!;
    expect(wells.status.states.map((state) => state.value)).toEqual(['registered', 'scheduled', 'substitute-connected', 'sealed', 'verified']);
    expect(wells.status.states.find((state) => state.value === 'substitute-connected')?.label.zh).toContain('引江水');
    expect(wells.schedule).toEqual({ plannedDateField: 'plannedDate', doneStatuses: ['sealed', 'verified'] });
  });
});
