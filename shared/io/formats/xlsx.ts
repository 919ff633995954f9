import readXlsxFile from 'read-excel-file/universal';
import { ImportError } from '../errors';
import type { ParsedLayer } from '../normalize';
import type { ImportOptions, ImportWarning } from '../types';
import { tableToLayer, type Cell } from './table';

export async function parseXlsx(bytes: Uint8Array, options: ImportOptions): Promise<ParsedLayer> {
  let sheets: { sheet: string; data: Cell[][] }[];
  try {
    const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
    sheets = (await readXlsxFile(buffer)) as unknown as { sheet: string; data: Cell[][] }[];
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new ImportError('invalid-xlsx', { zh: `无法读取 Excel 文件（${reason}）。`, en: `Cannot read the Excel file (${reason}).` }, {}, { reason }, { cause: error });
  }
  const wanted = options.sheet;
  const sheet =
    wanted === undefined ? sheets[0] : typeof wanted === 'number' ? sheets[wanted - 1] : sheets.find((candidate) => candidate.sheet === wanted);
  if (!sheet) {
    const names = sheets.map((candidate) => candidate.sheet);
    throw new ImportError(
      'sheet-not-found',
      { zh: `找不到工作表“${String(wanted ?? 1)}”。工作表：${names.join('、')}。`, en: `No sheet "${String(wanted ?? 1)}". Sheets: ${names.join(', ')}.` },
      {},
      { sheets: names },
    );
  }
  const warnings: ImportWarning[] = [];
  if (wanted === undefined && sheets.length > 1) {
    warnings.push({
      code: 'other-layers-ignored',
      zh: `工作簿有 ${sheets.length} 个工作表，只读取了第一个“${sheet.sheet}”。`,
      en: `The workbook has ${sheets.length} sheets; only the first, "${sheet.sheet}", was read.`,
      details: { sheets: sheets.map((candidate) => candidate.sheet) },
    });
  }
  return tableToLayer('xlsx', sheet.data, options, { parseNumbers: false, layerName: sheet.sheet, warnings });
}
