import { openShp } from 'shapefile';
import { ImportError } from '../errors';
import type { ParsedLayer, RawFeature } from '../normalize';
import { checkAborted } from '../normalize';
import { decodeLoose } from '../text';
import type { ImportOptions, ImportWarning } from '../types';
import { ID_COLUMN } from '../types';
import type { ZipEntry } from '../zip';
import { isDeletedRecord, readDbf } from './dbf';

/** A Shapefile from the entries of a zip: .shp + .shx + .dbf required, .prj and .cpg read when there. */

const extensionOf = (name: string): string => /\.([^./]+)$/.exec(name)?.[1]?.toLowerCase() ?? '';
const baseOf = (name: string): string => name.replace(/\.[^./]+$/, '');
const leafOf = (name: string): string => name.split('/').pop() ?? name;

function missing(part: string, layer: string): ImportError {
  return new ImportError(
    'shapefile-incomplete',
    {
      zh: `Shapefile“${leafOf(layer)}”缺少 ${part} 文件：请把同名的 .shp、.shx、.dbf（以及 .prj、.cpg）一起打包成 zip。`,
      en: `The Shapefile "${leafOf(layer)}" has no ${part} file: zip the .shp, .shx and .dbf of the same name (and the .prj, .cpg) together.`,
    },
    { file: `${leafOf(baseOf(layer))}${part}` },
    { missing: part },
  );
}

/** Walks the .shp record headers; throws when they do not add up to the file. Returns the record count. */
function checkShp(bytes: Uint8Array, file: string): number {
  const damaged = (en: string, zh: string): ImportError =>
    new ImportError('invalid-shapefile', { zh: `${file} 已损坏：${zh}`, en: `${file} is damaged: ${en}` }, { file });
  if (bytes.length < 100) throw damaged('shorter than its 100-byte header', '短于 100 字节的文件头');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.getInt32(0, false) !== 9994) throw damaged('not a Shapefile (wrong file code)', '不是 Shapefile（文件代码错误）');
  const declaredLength = view.getInt32(24, false) * 2;
  if (declaredLength > bytes.length) throw damaged(`the header says ${declaredLength} bytes but the file has ${bytes.length}`, `文件头声明 ${declaredLength} 字节，实际只有 ${bytes.length} 字节`);
  let offset = 100;
  let count = 0;
  while (offset < declaredLength) {
    if (offset + 8 > declaredLength) throw damaged(`record ${count + 1} is cut off`, `第 ${count + 1} 条记录不完整`);
    const contentLength = view.getInt32(offset + 4, false) * 2;
    if (contentLength < 4 || offset + 8 + contentLength > declaredLength) throw damaged(`record ${count + 1} is cut off`, `第 ${count + 1} 条记录不完整`);
    offset += 8 + contentLength;
    count += 1;
  }
  return count;
}

function checkShx(bytes: Uint8Array, file: string, shpRecords: number): void {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length < 100 || view.getInt32(0, false) !== 9994 || (bytes.length - 100) % 8 !== 0 || (bytes.length - 100) / 8 !== shpRecords) {
    throw new ImportError(
      'invalid-shapefile',
      { zh: `索引文件 ${file} 与 .shp 不一致（已损坏或不是同一个图层的）。`, en: `The index ${file} does not match the .shp (damaged, or from another layer).` },
      { file },
    );
  }
}

export async function parseShapefileZip(entries: ZipEntry[], options: ImportOptions): Promise<ParsedLayer> {
  const shps = entries.filter((entry) => extensionOf(entry.name) === 'shp').sort((left, right) => left.name.localeCompare(right.name));
  const shp = shps[0];
  if (!shp) {
    throw new ImportError('shapefile-incomplete', { zh: '压缩包中没有 .shp 文件。', en: 'The zip holds no .shp file.' }, {}, { missing: '.shp', entries: entries.map((entry) => entry.name) });
  }
  const base = baseOf(shp.name).toLowerCase();
  const part = (extension: string): ZipEntry | undefined => entries.find((entry) => baseOf(entry.name).toLowerCase() === base && extensionOf(entry.name) === extension);
  const shx = part('shx');
  const dbf = part('dbf');
  if (!shx) throw missing('.shx', shp.name);
  if (!dbf) throw missing('.dbf', shp.name);
  const prj = part('prj');
  const cpg = part('cpg');
  const warnings: ImportWarning[] = [];
  if (shps.length > 1) {
    warnings.push({
      code: 'other-layers-ignored',
      zh: `压缩包中有 ${shps.length} 个 Shapefile，只读取了“${leafOf(shp.name)}”。`,
      en: `The zip holds ${shps.length} Shapefiles; only "${leafOf(shp.name)}" was read.`,
      details: { layers: shps.map((entry) => leafOf(entry.name)) },
    });
  }

  const recordCount = checkShp(shp.bytes, leafOf(shp.name));
  checkShx(shx.bytes, leafOf(shx.name), recordCount);
  const table = readDbf(dbf.bytes, leafOf(dbf.name), {
    ...(options.encoding ? { option: options.encoding } : {}),
    ...(cpg ? { cpg: decodeLoose(cpg.bytes, 'utf-8') } : {}),
  });
  if (table.records.length !== recordCount) {
    throw new ImportError(
      'invalid-shapefile',
      {
        zh: `${leafOf(shp.name)} 有 ${recordCount} 个图形，但属性表有 ${table.records.length} 条记录：文件不完整或不属于同一图层。`,
        en: `${leafOf(shp.name)} has ${recordCount} shapes but its table has ${table.records.length} records: incomplete, or parts of different layers.`,
      },
      { file: leafOf(dbf.name) },
    );
  }
  if (table.encodingSource === 'bytes' && table.encoding !== 'utf-8') {
    warnings.push({
      code: 'encoding-detected',
      zh: `属性表没有 .cpg 文件，也未标明编码：根据内容判断为 ${table.encoding.toUpperCase()}。`,
      en: `The table has no .cpg and no language driver: its text was read as ${table.encoding.toUpperCase()}, judged from the bytes.`,
      file: leafOf(dbf.name),
      details: { encoding: table.encoding },
    });
  }

  const features: RawFeature[] = [];
  try {
    const source = await openShp(shp.bytes);
    for (let index = 0; ; index += 1) {
      const { done, value } = await source.read();
      if (done) break;
      const record = table.records[index] ?? {};
      if (index % 1000 === 0) {
        options.onProgress?.({ phase: 'parse', done: index, total: recordCount });
        checkAborted(options.signal);
      }
      if (isDeletedRecord(record)) continue;
      const { [ID_COLUMN]: id, ...properties } = record;
      features.push({ ...(typeof id === 'string' || typeof id === 'number' ? { id } : {}), properties, geometry: value });
    }
  } catch (error) {
    if (error instanceof ImportError) throw error;
    const reason = error instanceof Error ? error.message : String(error);
    throw new ImportError('invalid-shapefile', { zh: `无法读取 ${leafOf(shp.name)}（${reason}）。`, en: `Cannot read ${leafOf(shp.name)} (${reason}).` }, { file: leafOf(shp.name) }, { reason });
  }

  return {
    format: 'shapefile',
    features,
    fields: table.fields.map((field) => field.name).filter((name) => name !== ID_COLUMN),
    encoding: table.encoding,
    ...(prj ? { prjWkt: decodeLoose(prj.bytes, 'utf-8') } : {}),
    file: leafOf(shp.name),
    layerName: leafOf(baseOf(shp.name)),
    warnings,
  };
}
