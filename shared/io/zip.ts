import { unzipSync, type UnzipFileInfo } from 'fflate';
import { ImportError } from './errors';
import { guessEncoding, decodeLoose } from './text';
import type { ImportLimits } from './types';

export const DEFAULT_MAX_ENTRY_BYTES = 512 * 1024 * 1024;
export const DEFAULT_MAX_TOTAL_BYTES = 1024 * 1024 * 1024;

export interface ZipEntry {
  /** The entry's path, decoded (UTF-8 flag, else UTF-8 or GBK from the bytes: Chinese Windows zips names in GBK). */
  name: string;
  bytes: Uint8Array;
}

const MB = (bytes: number): string => `${Math.round(bytes / 1024 / 1024)} MB`;

/** fflate decodes names without the UTF-8 flag as Latin-1; undo that and decode them properly. */
function fixName(name: string): string {
  const codes = Array.from(name, (character) => character.charCodeAt(0));
  if (!codes.some((code) => code >= 0x80) || codes.some((code) => code > 0xff)) return name;
  const bytes = Uint8Array.from(name, (character) => character.charCodeAt(0));
  const encoding = guessEncoding(bytes);
  return encoding ? decodeLoose(bytes, encoding) : name;
}

const isJunk = (name: string): boolean => name.endsWith('/') || name.startsWith('__MACOSX/') || /(^|\/)\._/.test(name);

/**
 * Inflate the entries `wanted` selects. The central directory's declared sizes are checked first,
 * so a zip claiming a 1 GB entry is refused before anything is allocated.
 */
export function readZip(bytes: Uint8Array, limits: ImportLimits = {}, wanted: (name: string) => boolean = () => true, sizesOnly = false): ZipEntry[] {
  const maxEntry = limits.maxEntryBytes ?? DEFAULT_MAX_ENTRY_BYTES;
  const maxTotal = limits.maxTotalBytes ?? DEFAULT_MAX_TOTAL_BYTES;
  let total = 0;
  const tooLarge = (info: UnzipFileInfo, declared: number, limit: number): ImportError =>
    new ImportError(
      'file-too-large',
      {
        zh: `压缩包中的 ${fixName(info.name)} 解压后有 ${MB(declared)}，超过上限 ${MB(limit)}，未读取。`,
        en: `${fixName(info.name)} in the zip unpacks to ${MB(declared)}, more than the ${MB(limit)} allowed; not read.`,
      },
      { file: fixName(info.name) },
      { declaredBytes: declared, limitBytes: limit },
    );
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(bytes, {
      filter: (info) => {
        if (isJunk(info.name) || !wanted(fixName(info.name))) return false;
        if (info.originalSize > maxEntry) throw tooLarge(info, info.originalSize, maxEntry);
        total += info.originalSize;
        if (total > maxTotal) throw tooLarge(info, total, maxTotal);
        return !sizesOnly;
      },
    });
  } catch (error) {
    if (error instanceof ImportError) throw error;
    const reason = error instanceof Error ? error.message : String(error);
    throw new ImportError(
      'invalid-zip',
      { zh: `压缩包已损坏或不完整，无法读取（${reason}）。`, en: `The zip is damaged or incomplete and cannot be read (${reason}).` },
      {},
      { reason },
      { cause: error },
    );
  }
  return Object.entries(files).map(([name, content]) => ({ name: fixName(name), bytes: content }));
}

/** Checks every entry's declared size against the limits without inflating anything (for zips another library opens, such as .xlsx). */
export function checkZipSizes(bytes: Uint8Array, limits: ImportLimits = {}): string[] {
  const names: string[] = [];
  readZip(bytes, limits, (name) => {
    names.push(name);
    return true;
  }, true);
  return names;
}

/** Just the entry names (nothing inflated). */
export function listZip(bytes: Uint8Array, limits: ImportLimits = {}): string[] {
  const names: string[] = [];
  readZip(bytes, limits, (name) => {
    names.push(name);
    return false;
  });
  return names;
}

export const isZip = (bytes: Uint8Array): boolean => bytes[0] === 0x50 && bytes[1] === 0x4b && (bytes[2] === 0x03 || bytes[2] === 0x05) && (bytes[3] === 0x04 || bytes[3] === 0x06);
