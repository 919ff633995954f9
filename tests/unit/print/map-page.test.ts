import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { paperPoints, writePdf } from '../../../shared/print';
import { fontBytes, mapPage, root } from './fixture';

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
