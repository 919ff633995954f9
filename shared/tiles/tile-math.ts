// Web Mercator tile maths for the planning layers' tiles: a tile's extent in degrees, the tiles a
// box meets, and the tiles an edit touches (its old and new extent at every zoom of the source).
import type { BoundingBox } from '../geo/bbox';

export interface TileId {
  z: number;
  x: number;
  y: number;
}

const maxLatitude = 85.0511287798066;

function longitudeToX(longitude: number, zoom: number): number {
  return ((longitude + 180) / 360) * 2 ** zoom;
}

function latitudeToY(latitude: number, zoom: number): number {
  const clamped = Math.max(-maxLatitude, Math.min(maxLatitude, latitude));
  const radians = (clamped * Math.PI) / 180;
  return ((1 - Math.log(Math.tan(radians) + 1 / Math.cos(radians)) / Math.PI) / 2) * 2 ** zoom;
}

function xToLongitude(x: number, zoom: number): number {
  return (x / 2 ** zoom) * 360 - 180;
}

function yToLatitude(y: number, zoom: number): number {
  const n = Math.PI - (2 * Math.PI * y) / 2 ** zoom;
  return (180 / Math.PI) * Math.atan(Math.sinh(n));
}

/**
 * A tile's extent `[west, south, east, north]` in degrees, grown by `buffer` (a fraction of the
 * tile's size on each side: features just outside are drawn too, so symbols are not cut at edges).
 */
export function tileBounds({ z, x, y }: TileId, buffer = 0): BoundingBox {
  return [xToLongitude(x - buffer, z), yToLatitude(y + 1 + buffer, z), xToLongitude(x + 1 + buffer, z), yToLatitude(y - buffer, z)];
}

/** The tiles of zoom `z` that a box meets (also within `buffer` of their edges), clamped to the world. */
export function tilesMeeting(box: BoundingBox, z: number, buffer = 0): TileId[] {
  const [west, south, east, north] = box;
  const last = 2 ** z - 1;
  const clamp = (value: number) => Math.max(0, Math.min(last, value));
  const x0 = clamp(Math.floor(longitudeToX(west, z) - buffer));
  const x1 = clamp(Math.floor(longitudeToX(east, z) + buffer));
  const y0 = clamp(Math.floor(latitudeToY(north, z) - buffer));
  const y1 = clamp(Math.floor(latitudeToY(south, z) + buffer));
  const tiles: TileId[] = [];
  for (let x = x0; x <= x1; x++) for (let y = y0; y <= y1; y++) tiles.push({ z, x, y });
  return tiles;
}

/**
 * Every tile from `minZoom` to `maxZoom` that shows any of `boxes` (an edited feature's old and new
 * extents), each once. A tile drawn from its buffer counts too: it is the one a redraw must re-cut.
 */
export function tilesTouched(boxes: readonly BoundingBox[], minZoom: number, maxZoom: number, buffer = 0): TileId[] {
  const seen = new Set<string>();
  const tiles: TileId[] = [];
  for (let z = minZoom; z <= maxZoom; z++) {
    for (const box of boxes) {
      for (const tile of tilesMeeting(box, z, buffer)) {
        const key = `${tile.z}/${tile.x}/${tile.y}`;
        if (seen.has(key)) continue;
        seen.add(key);
        tiles.push(tile);
      }
    }
  }
  return tiles;
}

/** The tile of zoom `z` (≤ the tile's) that contains `tile`. */
export function ancestorAt(tile: TileId, z: number): TileId {
  const shift = tile.z - z;
  return shift <= 0 ? tile : { z, x: tile.x >> shift, y: tile.y >> shift };
}

/** The part of `a` inside `b`, or null when they do not meet. */
export function boxIntersection(a: BoundingBox, b: BoundingBox): BoundingBox | null {
  const box: BoundingBox = [Math.max(a[0], b[0]), Math.max(a[1], b[1]), Math.min(a[2], b[2]), Math.min(a[3], b[3])];
  return box[0] <= box[2] && box[1] <= box[3] ? box : null;
}

export function boxesMeet(a: BoundingBox, b: BoundingBox): boolean {
  return a[0] <= b[2] && b[0] <= a[2] && a[1] <= b[3] && b[1] <= a[3];
}
