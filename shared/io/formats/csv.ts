import Papa from 'papaparse';
import { ImportError } from '../errors';
import type { ParsedLayer } from '../normalize';
import { decodeText } from '../text';
import type { ImportOptions } from '../types';
import { tableToLayer } from './table';

export function parseCsv(bytes: Uint8Array, options: ImportOptions, fileName: string): ParsedLayer {
  const { text, encoding, detected } = decodeText(bytes, options.encoding ? { encoding: options.encoding } : {});
  const parsed = Papa.parse<string[]>(text, { skipEmptyLines: 'greedy', delimitersToGuess: [',', '\t', ';', '|'] });
  const fatal = parsed.errors.find((error) => error.type === 'Quotes');
  if (fatal) {
    const row = (fatal.row ?? 0) + 1;
    throw new ImportError(
      'invalid-csv',
      { zh: `CSV 第 ${row} 行的引号不成对，无法读取。`, en: `CSV row ${row} has unbalanced quotes and cannot be read.` },
      { row },
      { reason: fatal.message },
    );
  }
  return tableToLayer('csv', parsed.data, options, {
    parseNumbers: true,
    encoding,
    layerName: fileName.replace(/\.[^.]+$/, ''),
    warnings: detected
      ? [{ code: 'encoding-detected', zh: '文件不是 UTF-8，已按 GBK 编码读取。', en: 'The file is not UTF-8; it was read as GBK.', details: { encoding } }]
      : [],
  });
}
