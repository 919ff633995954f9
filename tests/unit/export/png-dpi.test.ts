import { crc32, deflateSync } from 'node:zlib';
import { describe, expect, test } from 'vitest';
import { pngChunks, pngDpi, withPngDpi } from '../../../renderer/src/features/map-export/png-dpi';

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

// A 2×2 RGB PNG without pHYs, built here (signature, IHDR, IDAT, IEND).
const header = Buffer.alloc(13);
header.writeUInt32BE(2, 0);
header.writeUInt32BE(2, 4);
header.set([8, 2, 0, 0, 0], 8);
const pixels = Buffer.from([0, 255, 0, 0, 0, 255, 0, 0, 0, 0, 255, 255, 255, 255]);
const png = new Uint8Array(
  Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', header), chunk('IDAT', deflateSync(pixels)), chunk('IEND', Buffer.alloc(0))]),
);

describe('PNG resolution (pHYs)', () => {
  test('adds pHYs right after IHDR with the dpi as pixels per metre and a correct CRC', () => {
    expect(pngDpi(png)).toBeNull();
    const out = withPngDpi(png, 300);
    const chunks = pngChunks(out);
    expect(chunks.map((chunk) => chunk.type)).toEqual(['IHDR', 'pHYs', 'IDAT', 'IEND']);
    const physical = chunks[1]!;
    const view = new DataView(physical.data.buffer, physical.data.byteOffset, physical.data.byteLength);
    expect(view.getUint32(0)).toBe(11811);
    expect(view.getUint32(4)).toBe(11811);
    expect(physical.data[8]).toBe(1);
    const stored = new DataView(out.buffer).getUint32(physical.offset + 8 + 9);
    expect(stored).toBe(crc32(Buffer.from(out.subarray(physical.offset + 4, physical.offset + 8 + 9))));
    expect(pngDpi(out)).toBe(300);
    // Everything else is untouched.
    expect(Buffer.from(out.subarray(out.length - 12))).toEqual(Buffer.from(png.subarray(png.length - 12)));
    expect(out.length).toBe(png.length + 21);
  });

  test('replaces an existing pHYs instead of adding a second', () => {
    const twice = withPngDpi(withPngDpi(png, 300), 150);
    expect(pngChunks(twice).filter((chunk) => chunk.type === 'pHYs')).toHaveLength(1);
    expect(pngDpi(twice)).toBe(150);
  });

  test('not a PNG, or a truncated one → a clear error', () => {
    expect(() => withPngDpi(new Uint8Array([1, 2, 3]), 150)).toThrow('not a PNG file');
    expect(() => pngChunks(png.subarray(0, 20))).toThrow(/runs past the end/);
  });
});
