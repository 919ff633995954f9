import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { drawMapPage, fitBounds, mapPageLayout, paperPoints, writePdf, type LegendEntry, type MapPageContent, type PaperSize, type Orientation } from '../../../shared/print';
import { basemap, fontBytes, printLayer, root } from './fixture';

const legend: LegendEntry[] = [
  { kind: 'heading', text: '非农取水井' },
  { kind: 'item', text: '已登记', shape: 'circle', color: '#74a9cf' },
  { kind: 'item', text: '已封填', shape: 'circle', color: '#045a8d' },
  { kind: 'heading', text: '底图' },
  { kind: 'item', text: '县级界线', shape: 'dashed-line', color: '#8a7f72' },
];

export function mapPage(size: PaperSize, orientation: Orientation): { width: number; height: number; draw: (surface: never) => void } {
  const layout = mapPageLayout(size, orientation);
  const content: MapPageContent = {
    layout,
    scale: layout.scale,
    view: fitBounds([115.1, 37.0, 116.6, 38.3], layout.map),
    layers: ['farmland', 'pocket-parks', 'villages', 'wells'].map((id) => printLayer(id)),
    basemap,
    legend,
    demo: true,
    texts: {
      title: '衡水市非农取水井封填进度图',
      legendHeading: '图例',
      legendMore: '另有 {{count}} 项',
      scale: '比例尺 1:{{denominator}}',
      north: '北',
      dateLine: '制图日期：2021-06-30',
      sourcesLine: '数据来源：行政区划 天地图；规划数据：示例数据',
      creditLine: 'OneMap · WGS84 / Web Mercator',
      watermark: '示例数据 / Demo data',
    },
  };
  return { ...paperPoints(size, orientation), draw: (surface) => drawMapPage(surface, content) };
}

const artifacts = join(root, 'tests/artifacts/print');

describe('a vector map page', () => {
  it('holds real text in an embedded CJK font, at the paper size, and A0 stays small', async () => {
    mkdirSync(artifacts, { recursive: true });
    for (const [size, orientation] of [['a4', 'landscape'], ['a0', 'portrait']] as const) {
      const bytes = await writePdf([mapPage(size, orientation)], fontBytes, { title: 't', subject: 's', keywords: [], language: 'zh-CN', created: 0 });
      const file = join(artifacts, `unit-map-${size}-${orientation}.pdf`);
      writeFileSync(file, bytes);
      const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
      for (const word of ['衡水市非农取水井封填进度图', '图例', '已封填', '县级界线', '桃城区', '冀州区', '枣强县', '示例数据', '比例尺']) expect(text).toContain(word);
      const fonts = execFileSync('pdffonts', [file], { encoding: 'utf8' });
      expect(fonts).toMatch(/NotoSansCJKsc\S*\s+CID TrueType\s+Identity-H\s+yes/);
      const info = execFileSync('pdfinfo', [file], { encoding: 'utf8' });
      const points = paperPoints(size, orientation);
      const [, width, height] = /Page size:\s+([\d.]+) x ([\d.]+) pts/.exec(info) ?? [];
      expect(Number(width)).toBeCloseTo(points.width, 1);
      expect(Number(height)).toBeCloseTo(points.height, 1);
      if (size === 'a0') expect(bytes.length).toBeLessThan(1_000_000);
      execFileSync('pdftoppm', ['-r', size === 'a0' ? '12' : '60', '-png', '-singlefile', file, file.replace(/\.pdf$/, '')]);
    }
  });
});
