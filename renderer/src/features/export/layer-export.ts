// Pure pieces of the layer export (no DOM): which formats a layer can take, the store feature as an
// exported row, the Gauss-Krüger zone that covers the data, and the file name.
import type { ExportEncoding, ExportFormat } from '../../../../shared/io';
import { COUNTY_COLUMN, DEMO_COLUMN, labelProperties, STATUS_COLUMN, type ExportNaming } from '../../../../shared/io/layer-labels';
import type { GeoJsonFeature } from '../../../../shared/model/geojson-feature';
import type { Feature, LayerDefinition, PropertyValue } from '../../../../shared/model';
import { representativePoint } from '../../../../shared/geo';
import { gaussKrugerCode, WGS84 } from '../../../../shared/crs/registry';

export const layerExportFormats: readonly ExportFormat[] = ['shapefile', 'geopackage', 'geojson', 'kml', 'csv', 'xlsx'];

/** CSV and Excel hold points only (shared/io writes a coordinate pair per row). */
export function formatAccepts(format: ExportFormat, geometryType: LayerDefinition['geometryType']): boolean {
  return format === 'csv' || format === 'xlsx' ? geometryType === 'Point' : true;
}

/** Formats whose coordinates may be projected; the others are WGS84 by definition. */
export function formatTakesCrs(format: ExportFormat): boolean {
  return format === 'csv' || format === 'xlsx' || format === 'shapefile';
}

/** Formats with a choice of text encoding (the Shapefile's .dbf; CSV for old Excel). */
export function formatTakesEncoding(format: ExportFormat): boolean {
  return format === 'shapefile' || format === 'csv';
}

/** Columns every exported feature carries after the layer's own fields. */
export const statusColumn = STATUS_COLUMN;
export const countyColumn = COUNTY_COLUMN;
/** True for generated demo data (示例数据), false otherwise: the marking travels with the data. */
export const demoColumn = DEMO_COLUMN;

/**
 * A store feature as an exported GeoJSON feature: the layer's fields in the definition's order (a
 * missing value is null, so every format gets the same columns), then status, county (adcode) and
 * demo. With `naming: 'codes'` under the keys and codes `featureFromGeoJson` reads back; with
 * 'labels' (the default: files are handed on to people) under the fields' Chinese labels with
 * labelled values (shared/io/layer-labels.ts), which the import wizard maps back to the layer.
 */
export function toExportFeature(feature: Feature, layer: LayerDefinition, naming: ExportNaming = 'labels', titles?: Map<string, string>): GeoJsonFeature {
  const properties: Record<string, PropertyValue> = {};
  for (const field of layer.fields) properties[field.key] = feature.properties[field.key] ?? null;
  // Values the definition no longer names are kept rather than silently dropped.
  for (const [key, value] of Object.entries(feature.properties)) if (!(key in properties)) properties[key] = value;
  properties[statusColumn] = feature.status;
  properties[countyColumn] = feature.county;
  properties[demoColumn] = feature.demo;
  return { type: 'Feature', id: feature.id, properties: naming === 'labels' ? labelProperties(layer, properties, titles) : properties, geometry: feature.geometry };
}

/** The CGCS2000 3° Gauss-Krüger zone (25–45) whose central meridian is nearest a longitude. */
export function gkZoneOfLongitude(longitude: number): number {
  return Math.min(45, Math.max(25, Math.round(longitude / 3)));
}

/** The zone holding most of the features (ties: the lower zone), so a city's data goes out in its own zone. */
export function dominantGkZone(features: readonly Pick<Feature, 'geometry'>[]): number | null {
  const counts = new Map<number, number>();
  for (const feature of features) {
    const [longitude] = representativePoint(feature.geometry);
    if (longitude === undefined || !Number.isFinite(longitude)) continue;
    const zone = gkZoneOfLongitude(longitude);
    counts.set(zone, (counts.get(zone) ?? 0) + 1);
  }
  let best: number | null = null;
  for (const [zone, count] of [...counts].sort(([a], [b]) => a - b)) if (best === null || count > counts.get(best)!) best = zone;
  return best;
}

/** The EPSG code of a 3° zone with the zone number in the easting (zone 39 → EPSG:4527, eastings 39 xxx xxx). */
export function gkZoneCode(zone: number): string {
  const code = gaussKrugerCode({ zoneWidthDegrees: 3, centralMeridian: zone * 3, zonePrefix: true });
  if (!code) throw new RangeError(`no CGCS2000 3° Gauss-Krüger zone ${zone}`);
  return code;
}

export interface CrsChoice {
  code: string;
  /** The 3° zone, or null for WGS84. */
  zone: number | null;
}

/** The CRS choices offered: WGS84, then every CGCS2000 3° zone of China (25–45). */
export function crsChoices(): CrsChoice[] {
  const zones = Array.from({ length: 21 }, (_, index) => 25 + index);
  return [{ code: WGS84, zone: null }, ...zones.map((zone) => ({ code: gkZoneCode(zone), zone }))];
}

/** Characters Windows refuses in a file name, and control characters, become "_". */
export function safeFileName(text: string): string {
  const cleaned = [...text].map((character) => (character.charCodeAt(0) < 0x20 || '<>:"/\\|?*'.includes(character) ? '_' : character)).join('').trim();
  return cleaned.replace(/^\.+/, '') || 'onemap';
}

const extensions: Record<ExportFormat, string> = { geojson: 'geojson', csv: 'csv', xlsx: 'xlsx', shapefile: 'zip', kml: 'kml', geopackage: 'gpkg' };

export interface ExportFileNameParts {
  /** The layer's name in the UI language (水井, Groundwater wells). */
  layerName: string;
  format: ExportFormat;
  /** YYYY-MM-DD */
  date: string;
  /** The features exported include demo data: the name says so. */
  demo: boolean;
  /** "示例数据" / "demo": the marking in the UI language. */
  demoTag: string;
  /** Only what the filters showed, not the whole layer. */
  filtered: boolean;
  filteredTag: string;
  /** Shapefile: the encoding goes into the name when it is not UTF-8 (GBK files look alike otherwise). */
  encoding?: ExportEncoding;
}

/** `水井_筛选_2021-06-30_示例数据.zip`: the layer, the scope, the date, the demo marking, and GBK when chosen. */
export function exportFileName(parts: ExportFileNameParts): string {
  const pieces = [parts.layerName, parts.filtered ? parts.filteredTag : null, parts.date, parts.demo ? parts.demoTag : null, parts.encoding === 'gbk' && formatTakesEncoding(parts.format) ? 'GBK' : null];
  return `${safeFileName(pieces.filter((piece): piece is string => Boolean(piece)).join('_'))}.${extensions[parts.format]}`;
}

/** MIME types for the download. */
export const mimeTypes: Record<ExportFormat, string> = {
  geojson: 'application/geo+json',
  csv: 'text/csv',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  shapefile: 'application/zip',
  kml: 'application/vnd.google-earth.kml+xml',
  geopackage: 'application/geopackage+sqlite3',
};

/** Today's local date as YYYY-MM-DD. */
export function localDate(now: Date = new Date()): string {
  const pad = (value: number) => String(value).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}
