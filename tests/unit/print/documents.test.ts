import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { progressByCounty, targetProgress } from '../../../shared/analysis';
import { atlasPages, bulletinModel, planOn, writeBulletinDocx, writeBulletinPdf, writePdf, type BulletinTargetInput } from '../../../shared/print';
import { basemap, countyList, featuresByLayer, fontBytes, layers, printLayer, root, targets } from './fixture';

const zh = JSON.parse(readFileSync(join(root, 'renderer/src/features/print/locales/zh-CN.json'), 'utf8')).print;
const artifacts = join(root, 'tests/artifacts/print');
const asOf = '2021-06-30';
const core = ['wells-non-agricultural-2021', 'pocket-parks-2021', 'village-sewage-2021', 'high-standard-farmland-2021'];
const inputs: BulletinTargetInput[] = targets.map((target) => ({
  target,
  layer: layers.find((layer) => layer.id === target.layerId)!,
  features: featuresByLayer.get(target.layerId) ?? [],
  title: target.title.zh,
  unit: target.unit.zh,
  core: core.includes(target.id),
}));
const metadata = { title: 't', subject: 's', keywords: [], language: 'zh-CN', created: 0 };
const text = (file: string) => execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });

describe('the progress bulletin', () => {
  const model = bulletinModel({ targets: inputs, counties: countyList, asOf });

  it("takes its numbers from the dashboard's analysis", () => {
    for (const row of model.targets) {
      const input = inputs.find((entry) => entry.target.id === row.targetId)!;
      const progress = targetProgress(input.target, input.features);
      expect(row.done).toBe(progress.done);
      expect(row.percent).toBe(progress.percent);
    }
    const wells = model.rankings.find((ranking) => ranking.targetId === core[0])!;
    const byCounty = progressByCounty(inputs.find((entry) => entry.target.id === core[0])!.target, inputs[0]!.features, countyList.map((county) => county.adcode));
    expect(wells.rows).toHaveLength(11);
    expect(wells.fastest!.percent).toBe(Math.max(...wells.rows.map((row) => row.percent)));
    expect(wells.slowest!.percent).toBe(Math.min(...wells.rows.map((row) => row.percent)));
    expect(wells.rows.reduce((sum, row) => sum + row.done, 0)).toBe(byCounty.reduce((sum, row) => sum + row.done, 0));
  });

  it('reads the plan line on the statistics date (days counted, both ends)', () => {
    const target = { quantity: 365, startDate: '2021-01-01', deadline: '2021-12-31' } as const;
    expect(planOn(target, '2021-01-31')).toBeCloseTo(31);
    expect(planOn(target, '2020-12-31')).toBe(0);
    expect(planOn(target, '2022-03-01')).toBe(365);
    expect(planOn({ ...target, quantity: null }, '2021-06-30')).toBeNull();
  });

  it('writes a PDF and a .docx that hold the title, every county and the numbers', async () => {
    mkdirSync(artifacts, { recursive: true });
    const shared = { title: '衡水市2021年目标任务进度通报', asOf, issuer: '衡水市规划一张图工作专班', language: 'zh-CN', texts: zh.bulletin, sources: ['行政区划：天地图', '专题图层：示例数据'], model };
    const maps = inputs.filter((entry) => entry.core).map((entry) => ({ targetId: entry.target.id, title: entry.title, layer: printLayer(entry.layer.id, entry.features), legend: [] }));
    const pdf = await writeBulletinPdf({ ...shared, maps, basemap, extent: [115.1, 37.0, 116.6, 38.3], legendHeading: '图例', legendMore: '另有 {{count}} 项' }, fontBytes, metadata);
    const pdfFile = join(artifacts, 'unit-bulletin.pdf');
    writeFileSync(pdfFile, pdf);
    const words = text(pdfFile);
    expect(words).toContain(shared.title);
    expect(words).toContain('统计日期：2021-06-30');
    for (const county of countyList) expect(words).toContain(county.name);
    const wells = model.targets.find((row) => row.targetId === core[0])!;
    expect(words).toContain(`${wells.done.toLocaleString('zh-CN')} 眼`);
    expect(words).toContain('示例数据');
    execFileSync('pdftoppm', ['-r', '40', '-png', '-f', '1', '-l', '1', '-singlefile', pdfFile, pdfFile.replace(/\.pdf$/, '')]);

    const docx = await writeBulletinDocx({ ...shared, maps: [] });
    const docxFile = join(artifacts, 'unit-bulletin.docx');
    writeFileSync(docxFile, docx);
    execFileSync('unzip', ['-t', docxFile]);
    const xml = execFileSync('unzip', ['-p', docxFile, 'word/document.xml'], { encoding: 'utf8' });
    expect(xml).toContain(shared.title);
    for (const county of countyList) expect(xml).toContain(county.name);
  });
});

describe('the county atlas', () => {
  it('has one page per county, each with its own numbers', async () => {
    const pages = atlasPages({
      paper: 'a4',
      orientation: 'portrait',
      layers: ['pocket-parks', 'wells'].map((id) => printLayer(id)),
      basemap,
      legend: [],
      texts: { title: '衡水市分县图集', legendHeading: '图例', legendMore: '', scale: '比例尺 1:{{denominator}}', north: '北', dateLine: '', sourcesLine: '', creditLine: '', watermark: '示例数据' },
      atlasTexts: zh.atlas,
      counties: countyList.map((county) => county.adcode),
      targets: inputs,
      asOf,
      language: 'zh-CN',
      demo: true,
    });
    const file = join(artifacts, 'unit-atlas.pdf');
    writeFileSync(file, await writePdf(pages, fontBytes, metadata));
    expect(execFileSync('pdfinfo', [file], { encoding: 'utf8' })).toMatch(/Pages:\s+11\n/);
    const wells = inputs.find((entry) => entry.target.id === core[0])!;
    countyList.forEach((county, index) => {
      const page = execFileSync('pdftotext', ['-layout', '-f', String(index + 1), '-l', String(index + 1), file, '-'], { encoding: 'utf8' });
      expect(page).toContain(`衡水市分县图集 · ${county.name}`);
      const row = progressByCounty(wells.target, wells.features, [county.adcode])[0]!;
      expect(page).toMatch(new RegExp(`${wells.title}\\s+${row.done.toLocaleString('zh-CN')} 眼\\s+${row.scope.toLocaleString('zh-CN')} 眼`));
    });
    execFileSync('pdftoppm', ['-r', '40', '-png', '-f', '1', '-l', '1', '-singlefile', file, file.replace(/\.pdf$/, '')]);
  });
});
