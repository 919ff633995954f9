// A PNG's physical pixel size (the pHYs chunk), so a 300 dpi page prints at its paper size.
// canvas.toBlob writes none. Pure: bytes in, bytes out.

const signature = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

let crcTable: Uint32Array | null = null;

function crc32(bytes: Uint8Array): number {
  if (!crcTable) {
    crcTable = new Uint32Array(256);
    for (let n = 0; n < 256; n += 1) {
      let c = n;
      for (let k = 0; k < 8; k += 1) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c >>> 0;
    }
  }
  let crc = 0xffffffff;
  for (const byte of bytes) crc = crcTable[(crc ^ byte) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

export interface PngChunk {
  type: string;
  /** Offset of the chunk's length field. */
  offset: number;
  data: Uint8Array;
}

/** The chunks of a PNG, in order; throws on anything that is not one. */
export function pngChunks(png: Uint8Array): PngChunk[] {
  if (png.length < 8 || signature.some((byte, index) => png[index] !== byte)) throw new Error('not a PNG file');
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  const chunks: PngChunk[] = [];
  for (let offset = 8; offset + 12 <= png.length; ) {
    const length = view.getUint32(offset);
    const type = String.fromCharCode(...png.subarray(offset + 4, offset + 8));
    if (offset + 12 + length > png.length) throw new Error(`PNG chunk ${type} runs past the end of the file`);
    chunks.push({ type, offset, data: png.subarray(offset + 8, offset + 8 + length) });
    offset += 12 + length;
    if (type === 'IEND') break;
  }
  return chunks;
}

/** The PNG with a pHYs chunk saying `dpi` (as pixels per metre), replacing any it had; placed after IHDR. */
export function withPngDpi(png: Uint8Array, dpi: number): Uint8Array {
  const chunks = pngChunks(png);
  const header = chunks[0];
  if (header?.type !== 'IHDR') throw new Error('PNG without IHDR first');
  const pixelsPerMetre = Math.round(dpi / 0.0254);
  const chunk = new Uint8Array(12 + 9);
  const view = new DataView(chunk.buffer);
  view.setUint32(0, 9);
  chunk.set([0x70, 0x48, 0x59, 0x73], 4); // "pHYs"
  view.setUint32(8, pixelsPerMetre);
  view.setUint32(12, pixelsPerMetre);
  chunk[16] = 1; // unit: metre
  view.setUint32(17, crc32(chunk.subarray(4, 17)));
  const afterHeader = header.offset + 12 + header.data.length;
  const parts: Uint8Array[] = [png.subarray(0, afterHeader), chunk];
  let from = afterHeader;
  for (const existing of chunks.filter((candidate) => candidate.type === 'pHYs')) {
    parts.push(png.subarray(from, existing.offset));
    from = existing.offset + 12 + existing.data.length;
  }
  parts.push(png.subarray(from));
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

/** The resolution a PNG's pHYs chunk states, in dpi (rounded), or null. */
export function pngDpi(png: Uint8Array): number | null {
  const chunk = pngChunks(png).find((candidate) => candidate.type === 'pHYs');
  if (!chunk || chunk.data[8] !== 1) return null;
  return Math.round(new DataView(chunk.data.buffer, chunk.data.byteOffset).getUint32(0) * 0.0254);
}

export { crc32 as pngCrc32 };
