import Papa from 'papaparse';
import writeXlsxFile from 'write-excel-file/universal';
import { crsInfo } from '../../crs';
import { ImportError } from '../errors';
import { encodeUtf8 } from '../platform';
import { encodeGbk } from '../text';
import { ID_COLUMN, type ExportEncoding, type ExportWarning, type GeoJsonFeature, type PropertyValue } from '../types';

/**
 * Point features as a table: [onemap_id,] the properties, then the coordinates — 经度/纬度 for
 * geographic systems, 东坐标/北坐标 (easting first) for Gauss-Krüger — in `crs`. The features are
 * already in `crs`.
 */

export interface Table {
  header: string[];
  rows: PropertyValue[][];
}

export function featuresToTable(features: readonly GeoJsonFeature[], crs: string): Table {
  const notPoint = features.findIndex((feature) => feature.geometry.type !== 'Point');
  if (notPoint >= 0) {
    throw new ImportError(
      'export-unsupported-geometry',
      {
        zh: `表格（CSV、Excel）只能导出点要素，第 ${notPoint + 1} 个要素是 ${features[notPoint]?.geometry.type}：请改用 Shapefile、GeoPackage、GeoJSON 或 KML。`,
        en: `Tables (CSV, Excel) hold points only, and feature ${notPoint + 1} is a ${features[notPoint]?.geometry.type}: use Shapefile, GeoPackage, GeoJSON or KML.`,
      },
      { featureIndex: notPoint },
    );
  }
  const projected = crsInfo(crs).kind === 'projected';
  const [xName, yName] = projected ? ['东坐标', '北坐标'] : ['经度', '纬度'];
  const digits = projected ? 3 : 8;
  const keys: string[] = [];
  for (const feature of features) for (const key of Object.keys(feature.properties ?? {})) if (!keys.includes(key)) keys.push(key);
  const withIds = features.some((feature) => feature.id !== undefined);
  const header = [...(withIds ? [ID_COLUMN] : []), ...keys, xName, yName];
  const rows = features.map((feature) => {
    const [x, y] = feature.geometry.coordinates as number[];
    return [
      ...(withIds ? [feature.id === undefined ? null : feature.id] : []),
      ...keys.map((key) => feature.properties?.[key] ?? null),
      Number((x as number).toFixed(digits)),
      Number((y as number).toFixed(digits)),
    ];
  });
  return { header, rows };
}

/** CSV for Excel: UTF-8 with a BOM (Excel reads Chinese correctly only then), or GBK; CRLF line ends. */
export function writeCsv(table: Table, encoding: ExportEncoding, warnings: ExportWarning[]): Uint8Array {
  const text = Papa.unparse([table.header, ...table.rows.map((row) => row.map((value) => (value === null ? '' : value)))], { newline: '\r\n' }) + '\r\n';
  if (encoding === 'gbk') {
    const { bytes, unencodable } = encodeGbk(text);
    if (unencodable > 0) {
      warnings.push({
        code: 'character-not-encodable',
        zh: `${unencodable} 个字符无法用 GBK 表示，已写为“?”：请改用 UTF-8 导出。`,
        en: `${unencodable} characters have no GBK code and were written as "?": export as UTF-8 instead.`,
        details: { count: unencodable },
      });
    }
    return bytes;
  }
  const body = encodeUtf8(text);
  const bytes = new Uint8Array(body.length + 3);
  bytes.set([0xef, 0xbb, 0xbf]);
  bytes.set(body, 3);
  return bytes;
}

interface BlobLike {
  arrayBuffer(): Promise<ArrayBuffer>;
}

export async function writeXlsx(table: Table, sheetName: string): Promise<Uint8Array> {
  const data = [
    table.header.map((value) => ({ value, fontWeight: 'bold' as const })),
    ...table.rows.map((row) => row.map((value) => (value === null ? null : { value }))),
  ];
  // Excel limits sheet names to 31 characters without []:*?/\
  const sheet = sheetName.replace(/[[\]:*?/\\]/g, '_').slice(0, 31) || 'Sheet1';
  const blob = (await writeXlsxFile(data as never, { sheet } as never).toBlob()) as unknown as BlobLike;
  return new Uint8Array(await blob.arrayBuffer());
}
