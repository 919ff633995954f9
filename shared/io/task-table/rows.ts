// A 任务分解表's rows, read as the import wizard reads tables: Excel through read-excel-file,
// CSV/TXT with the same encoding detection (UTF-8, else GBK: text.ts) and Papa's delimiter guess.
import Papa from 'papaparse';
import readXlsxFile from 'read-excel-file/universal';
import type { Cell } from '../formats/table-layout';
import { decodeText } from '../text';

export interface TableRows {
  rows: Cell[][];
  /** CSV: the encoding read (`utf-8` or `gbk`); Excel: null. */
  encoding: string | null;
  /** Excel: the sheet read (the first). */
  sheet: string | null;
}

/** A file that is not a readable table: `code` names why (the UI's sentence), `reason` the library's words. */
export class TaskTableReadError extends Error {
  constructor(
    readonly code: 'unsupported' | 'unreadable' | 'empty',
    readonly reason: string,
  ) {
    super(`${code}: ${reason}`);
    this.name = 'TaskTableReadError';
  }
}

export async function readTableRows(bytes: Uint8Array, fileName: string, options: { encoding?: string } = {}): Promise<TableRows> {
  const extension = /\.([^.]+)$/.exec(fileName)?.[1]?.toLowerCase() ?? '';
  if (extension === 'xlsx') {
    let sheets: { sheet: string; data: Cell[][] }[];
    try {
      const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
      sheets = (await readXlsxFile(buffer)) as unknown as { sheet: string; data: Cell[][] }[];
    } catch (error) {
      throw new TaskTableReadError('unreadable', error instanceof Error ? error.message : String(error));
    }
    const first = sheets[0];
    if (first === undefined || first.data.length === 0) throw new TaskTableReadError('empty', fileName);
    return { rows: first.data, encoding: null, sheet: first.sheet };
  }
  if (extension === 'csv' || extension === 'txt') {
    const { text, encoding } = decodeText(bytes, options.encoding === undefined ? {} : { encoding: options.encoding });
    const parsed = Papa.parse<string[]>(text, { skipEmptyLines: 'greedy', delimitersToGuess: [',', '\t', ';', '|'] });
    const fatal = parsed.errors.find((error) => error.type === 'Quotes');
    if (fatal !== undefined) throw new TaskTableReadError('unreadable', `row ${(fatal.row ?? 0) + 1}: ${fatal.message}`);
    if (parsed.data.length === 0) throw new TaskTableReadError('empty', fileName);
    return { rows: parsed.data, encoding, sheet: null };
  }
  throw new TaskTableReadError('unsupported', fileName);
}
