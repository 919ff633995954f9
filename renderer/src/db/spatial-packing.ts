// Pure functions that lay a layer's features out in chunks: Hilbert order of the centroid,
// ~1,000 features per chunk, each chunk with its bbox. No Dexie here, so Node tests run them.
import type { Feature, Geometry } from '../../../shared/model';
import type { BoundingBox } from './records';

export const DEFAULT_CHUNK_SIZE = 1000;

/** Grid resolution of the Hilbert curve: 2^16 × 2^16 cells over the layer's extent. */
export const HILBERT_ORDER = 16;

/**
 * Distance along the Hilbert curve of cell (x, y) on a 2^order × 2^order grid. Cells close in
 * space get close indices, so a chunk of consecutive features covers a compact area.
 */
export function hilbertIndex(x: number, y: number, order: number = HILBERT_ORDER): number {
  const side = 2 ** order;
  let cellX = x;
  let cellY = y;
  let index = 0;
  for (let half = side / 2; half >= 1; half /= 2) {
    const inRightHalf = (cellX & half) > 0 ? 1 : 0;
    const inTopHalf = (cellY & half) > 0 ? 1 : 0;
    // Multiplication, not shifts: at order 16 the index needs all 32 bits and stays positive.
    index += half * half * ((3 * inRightHalf) ^ inTopHalf);
    if (inTopHalf === 0) {
      if (inRightHalf === 1) {
        cellX = side - 1 - cellX;
        cellY = side - 1 - cellY;
      }
      const swap = cellX;
      cellX = cellY;
      cellY = swap;
    }
  }
  return index;
}

function extendWithPositions(box: BoundingBox, coordinates: unknown): void {
  const list = coordinates as unknown[];
  if (typeof list[0] === 'number') {
    const longitude = list[0];
    const latitude = list[1] as number;
    if (longitude < box[0]) box[0] = longitude;
    if (latitude < box[1]) box[1] = latitude;
    if (longitude > box[2]) box[2] = longitude;
    if (latitude > box[3]) box[3] = latitude;
    return;
  }
  for (const child of list) extendWithPositions(box, child);
}

export function emptyBoundingBox(): BoundingBox {
  return [Infinity, Infinity, -Infinity, -Infinity];
}

export function geometryBoundingBox(geometry: Geometry): BoundingBox {
  const box = emptyBoundingBox();
  extendWithPositions(box, geometry.coordinates);
  return box;
}

export function unionBoundingBoxes(target: BoundingBox, other: BoundingBox): void {
  if (other[0] < target[0]) target[0] = other[0];
  if (other[1] < target[1]) target[1] = other[1];
  if (other[2] > target[2]) target[2] = other[2];
  if (other[3] > target[3]) target[3] = other[3];
}

export function isEmptyBoundingBox(box: BoundingBox): boolean {
  return !(box[0] <= box[2] && box[1] <= box[3]);
}

/** A chunk's content before it gets its database id and generation. */
export interface PackedChunk {
  sequence: number;
  bbox: BoundingBox;
  hilbertFirst: number;
  hilbertLast: number;
  featureIds: string[];
  features: Feature[];
}

export interface PackedLayer {
  chunks: PackedChunk[];
  /** Extent of all features, or null for an empty layer. */
  bbox: BoundingBox | null;
  featureCount: number;
}

/**
 * Sorts features by the Hilbert index of their bbox centre (the point itself for points;
 * the bbox centre is enough for ordering and needs no geometry library) within the layer's
 * extent, ties broken by id so the result is deterministic, and cuts them into chunks of
 * `chunkSize`. The input array and its features are not modified.
 */
export function packFeatures(features: readonly Feature[], chunkSize: number = DEFAULT_CHUNK_SIZE): PackedLayer {
  if (!(chunkSize >= 1)) throw new RangeError('chunkSize must be at least 1');
  const count = features.length;
  if (count === 0) return { chunks: [], bbox: null, featureCount: 0 };

  const boxes = new Float64Array(count * 4);
  const extent = emptyBoundingBox();
  for (let index = 0; index < count; index += 1) {
    const box = geometryBoundingBox((features[index] as Feature).geometry);
    boxes.set(box, index * 4);
    unionBoundingBoxes(extent, box);
  }

  const cells = 2 ** HILBERT_ORDER - 1;
  const width = extent[2] - extent[0];
  const height = extent[3] - extent[1];
  const hilbert = new Float64Array(count);
  for (let index = 0; index < count; index += 1) {
    const centreX = (boxes[index * 4]! + boxes[index * 4 + 2]!) / 2;
    const centreY = (boxes[index * 4 + 1]! + boxes[index * 4 + 3]!) / 2;
    const cellX = width > 0 ? Math.round(((centreX - extent[0]) / width) * cells) : 0;
    const cellY = height > 0 ? Math.round(((centreY - extent[1]) / height) * cells) : 0;
    hilbert[index] = hilbertIndex(cellX, cellY);
  }

  const order = new Uint32Array(count);
  for (let index = 0; index < count; index += 1) order[index] = index;
  order.sort((left, right) => {
    const difference = hilbert[left]! - hilbert[right]!;
    if (difference !== 0) return difference;
    const leftId = (features[left] as Feature).id;
    const rightId = (features[right] as Feature).id;
    return leftId < rightId ? -1 : leftId > rightId ? 1 : 0;
  });

  const chunks: PackedChunk[] = [];
  for (let start = 0; start < count; start += chunkSize) {
    const end = Math.min(start + chunkSize, count);
    const bbox = emptyBoundingBox();
    const chunkFeatures: Feature[] = [];
    const featureIds: string[] = [];
    for (let position = start; position < end; position += 1) {
      const index = order[position]!;
      const feature = features[index] as Feature;
      chunkFeatures.push(feature);
      featureIds.push(feature.id);
      unionBoundingBoxes(bbox, [boxes[index * 4]!, boxes[index * 4 + 1]!, boxes[index * 4 + 2]!, boxes[index * 4 + 3]!]);
    }
    chunks.push({
      sequence: chunks.length,
      bbox,
      hilbertFirst: hilbert[order[start]!]!,
      hilbertLast: hilbert[order[end - 1]!]!,
      featureIds,
      features: chunkFeatures,
    });
  }
  return { chunks, bbox: extent, featureCount: count };
}

/**
 * A 64-bit FNV-1a hash (as 16 hex digits) of a sequence of strings, fed one at a time so a
 * million features never become one giant string. Used as the version of a seed file.
 */
export function contentHash(parts: Iterable<string>): string {
  // Two independent 32-bit FNV-1a lanes (different offset bases) make collisions negligible for
  // change detection without BigInt arithmetic in the hot loop.
  let high = 0x811c9dc5;
  let low = 0x050c5d1f;
  for (const part of parts) {
    for (let index = 0; index < part.length; index += 1) {
      const code = part.charCodeAt(index);
      high = Math.imul(high ^ code, 0x01000193);
      low = Math.imul(low ^ code, 0x01000193) ^ (high >>> 15);
    }
    // Separator, so ["ab", "c"] and ["a", "bc"] differ.
    high = Math.imul(high ^ 0x1f, 0x01000193);
    low = Math.imul(low ^ 0x1e, 0x01000193);
  }
  return (high >>> 0).toString(16).padStart(8, '0') + (low >>> 0).toString(16).padStart(8, '0');
}
