// Cuts one Mapbox Vector Tile from a layer's features: @maplibre/geojson-vt (geoJSONToTile, the
// cutter MapLibre's own GeoJSON source uses) then @maplibre/vt-pbf, with the same properties the
// GeoJSON source holds. Dense points are thinned to one per 2×2 pixels and per look.
import { geoJSONToTile, type GeoJSONVTFeature, type GeoJSONVTTile } from '@maplibre/geojson-vt';
import { fromGeojsonVt } from '@maplibre/vt-pbf';
import type { Feature as GeoJsonFeature, Geometry as GeoJsonGeometry } from 'geojson';
import type { Feature } from '../model';
import { mapProperties } from './map-feature';
import type { TileId } from './tile-math';

/**
 * What a tile's bytes hold for given features: raise it whenever that changes (properties,
 * thinning, rounding), so tiles kept by an older OneMap are cut again.
 */
export const tileFormat = 3;

/** The one source layer of every planning tile. */
export const tileLayerName = 'features';
export const tileExtent = 4096;
/** Of the tile's extent, on each side: as MapLibre's GeoJSON source (128 of 8192 would be 64 of 4096). */
export const tileBuffer = 64;
/** As a fraction of the tile (for the extent of the features a tile needs). */
export const tileBufferFraction = tileBuffer / tileExtent;

/** Points of one tile above this many are thinned (beyond it they cover the tile many times over). */
export const thinningThreshold = 20_000;
/**
 * Tile units per thinning cell: 16 of 4096 is 2×2 pixels of a 512 px tile. The smallest planning
 * circle is 5 px across, so a kept circle of the same look covers where a dropped one was; at the
 * city view of 1,000,000 points that draws 79,620 circles instead of 246,653 (one per pixel), in
 * the same covered area and colours (B9, tests/bench/README.md).
 */
const thinningCell = 16;

/**
 * Keeps one point per thinning cell and per look — its properties other than the id, so every
 * filter (status, county, coded fields) and colour still shows in that pixel; the rest are drawn
 * under it anyway. Lines and polygons pass unchanged.
 */
export function thinPoints(features: readonly GeoJSONVTFeature[]): GeoJSONVTFeature[] {
  const seen = new Set<string>();
  const kept: GeoJSONVTFeature[] = [];
  for (const feature of features) {
    if (feature.type !== 1) {
      kept.push(feature);
      continue;
    }
    const [x, y] = (feature.geometry as Array<[number, number]>)[0] ?? [0, 0];
    const { featureId: _id, ...look } = (feature.tags ?? {}) as Record<string, unknown>;
    const key = `${Math.floor(x / thinningCell)},${Math.floor(y / thinningCell)},${JSON.stringify(look)}`;
    if (seen.has(key)) continue;
    seen.add(key);
    kept.push(feature);
  }
  return kept;
}

/** Properties without nulls: an MVT value cannot be null (a missing key reads as null in expressions). */
function tileProperties(feature: Feature, codedKeys: readonly string[]): Record<string, string | number | boolean> {
  const properties: Record<string, string | number | boolean> = {};
  for (const [key, value] of Object.entries(mapProperties(feature, codedKeys))) if (value !== null) properties[key] = value;
  return properties;
}

/** Spherical Mercator in the unit square, as geojson-vt projects (the same arithmetic, so the same tile coordinates). */
function worldX(longitude: number): number {
  return longitude / 360 + 0.5;
}

function worldY(latitude: number): number {
  const sin = Math.sin((latitude * Math.PI) / 180);
  const y = 0.5 - (0.25 * Math.log((1 + sin) / (1 - sin))) / Math.PI;
  return y < 0 ? 0 : y > 1 ? 1 : y;
}

/** What thinning tells apart: every property but the id, as `thinPoints` compares them. */
function lookKey(feature: Feature, codedKeys: readonly string[]): string {
  let key = `${feature.layerId}\u0001${feature.status}\u0001${typeof feature.county}${String(feature.county)}\u0001${String(feature.demo)}`;
  for (const field of codedKeys) {
    const value = feature.properties[field];
    key += `\u0001${value === undefined || value === null ? '' : String(value)}`;
  }
  return key;
}

/**
 * The encoded tile (uncompressed MVT) of `features` at `tile`; an empty layer when none fall in it.
 * Single points (most of a large layer) are placed directly, with geojson-vt's projection, clip and
 * rounding, and thinned before their properties are built; other geometries go through geojson-vt.
 */
export function encodeTile(features: readonly Feature[], tile: TileId, codedKeys: readonly string[]): Uint8Array {
  const pow2 = 2 ** tile.z;
  const buffer = tileBufferFraction;
  const [minX, maxX] = [(tile.x - buffer) / pow2, (tile.x + 1 + buffer) / pow2];
  const [minY, maxY] = [(tile.y - buffer) / pow2, (tile.y + 1 + buffer) / pow2];
  const points: Array<{ feature: Feature; x: number; y: number }> = [];
  const others: Feature[] = [];
  for (const feature of features) {
    if (feature.geometry.type !== 'Point') {
      others.push(feature);
      continue;
    }
    const [longitude, latitude] = feature.geometry.coordinates as [number, number];
    const x = worldX(longitude);
    const y = worldY(latitude);
    if (x < minX || x >= maxX || y < minY || y >= maxY) continue;
    points.push({ feature, x: Math.round(tileExtent * (x * pow2 - tile.x)), y: Math.round(tileExtent * (y * pow2 - tile.y)) });
  }
  const collection = {
    type: 'FeatureCollection' as const,
    features: others.map((feature): GeoJsonFeature<GeoJsonGeometry> => ({
      type: 'Feature',
      geometry: feature.geometry as GeoJsonGeometry,
      properties: tileProperties(feature, codedKeys),
    })),
  };
  const cut: GeoJSONVTTile | null = others.length === 0 ? null : geoJSONToTile(collection, tile.z, tile.x, tile.y, { extent: tileExtent, buffer: tileBuffer, clip: true });
  const cutOthers = cut?.features ?? [];
  const thin = points.length + cutOthers.length > thinningThreshold;
  const kept: GeoJSONVTFeature[] = thin ? thinPoints(cutOthers) : [...cutOthers];
  const seen = new Set<string>();
  for (const { feature, x, y } of points) {
    if (thin) {
      const key = `${Math.floor(x / thinningCell)},${Math.floor(y / thinningCell)},${lookKey(feature, codedKeys)}`;
      if (seen.has(key)) continue;
      seen.add(key);
    }
    kept.push({ type: 1, geometry: [[x, y]], tags: tileProperties(feature, codedKeys) } as unknown as GeoJSONVTFeature);
  }
  // vt-pbf reads only `features` of a tile.
  const layer = { features: kept } as unknown as GeoJSONVTTile;
  return fromGeojsonVt({ [tileLayerName]: layer }, { version: 2, extent: tileExtent });
}
