import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { writePdf } from '../../../shared/print';
import { fontBytes, mapPage, mapPageContent, root } from './fixture';

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const byte of bytes) c = crcTable[(c ^ byte) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type: string, data: Uint8Array): Buffer {
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}
/** A plain RGB PNG of the given size (a stand-in for the raster tiles the map renders). */
function png(width: number, height: number): Uint8Array {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8);
  const row = Buffer.alloc(1 + width * 3, 0);
  for (let x = 0; x < width; x++) row.set([200, 220, 190], 1 + x * 3);
  const raw = Buffer.concat(Array.from({ length: height }, () => row));
  return Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk('IHDR', header), chunk('IDAT', deflateSync(raw)), chunk('IEND', new Uint8Array())]);
}

describe('a map page over a raster basemap', () => {
  it('holds the raster as one image at the chosen dpi, under vectors and text that stay text', async () => {
    const artifacts = join(root, 'tests/artifacts/print');
    mkdirSync(artifacts, { recursive: true });
    for (const dpi of [150, 300]) {
      const content = mapPageContent('a4', 'landscape');
      // A raster of exactly the map frame at `dpi`, as the 打印 tab renders the raster tiles.
      const frame = content.layout.map;
      const widthPx = Math.round((frame.width / 72) * dpi);
      const heightPx = Math.round((frame.height / 72) * dpi);
      const raster = png(widthPx, heightPx);
      const page = { ...mapPage('a4', 'landscape', { ...content, raster }), rasters: [raster] };
      const bytes = await writePdf([page], fontBytes, { title: 't', subject: 's', keywords: [], language: 'zh-CN', created: 0 });
      const file = join(artifacts, `unit-map-raster-${dpi}.pdf`);
      writeFileSync(file, bytes);
      // pdfimages -list columns: page num type width height color comp bpc enc interp object ID x-ppi y-ppi size ratio
      const images = execFileSync('pdfimages', ['-list', file], { encoding: 'utf8' }).trim().split('\n').slice(2);
      expect(images).toHaveLength(1);
      const columns = images[0]!.trim().split(/\s+/);
      expect([Number(columns[3]), Number(columns[4])]).toEqual([widthPx, heightPx]);
      expect(Math.abs(Number(columns[12]) - dpi)).toBeLessThanOrEqual(1);
      const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
      for (const word of ['衡水市非农取水井封填进度图', '桃城区', '图例', '已封填']) expect(text).toContain(word);
    }
  });
});
