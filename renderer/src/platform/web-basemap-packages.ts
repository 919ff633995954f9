/**
 * Basemap packages in the web shell. A browser page cannot keep a path: the picked File is read in
 * place (PMTiles by `File.slice`, MBTiles by SQLite in a worker) for as long as the page lives, and
 * only the package info is remembered (localStorage). After a reload the switcher lists the package
 * as needing its file again; picking the same file (same name and size) brings it back under the
 * same id. (No FileSystemFileHandle is kept: a file input is what works in every browser and what
 * the e2e tests can drive.)
 */
import { PMTiles, type RangeResponse, type Source } from 'pmtiles';
import {
  BasemapPackageError,
  basemapPackageIdFrom,
  basemapPackageInfoSchema,
  basemapPackageKindOf,
  pmtilesPackageInfo,
  type BasemapPackageInfo,
} from '../../../shared/basemaps/package-info';
import type { AppApi } from '../../../shared/ipc/app-api';
import type { AddBasemapPackageResult } from '../../../shared/ipc/basemap-packages';
import { mbtilesWorker } from '../workers/mbtiles-client';

const storageKey = 'onemap.basemapPackages';
const files = new Map<string, File>();

/** A pmtiles Source over a File, keyed by package id (two files may share a name). */
export class PackageFileSource implements Source {
  constructor(
    private readonly key: string,
    private readonly file: Blob,
  ) {}
  getKey(): string {
    return this.key;
  }
  async getBytes(offset: number, length: number): Promise<RangeResponse> {
    return { data: await this.file.slice(offset, offset + length).arrayBuffer() };
  }
}

function readStored(): BasemapPackageInfo[] {
  try {
    const parsed = basemapPackageInfoSchema.array().safeParse(JSON.parse(window.localStorage.getItem(storageKey) ?? '[]'));
    return parsed.success ? parsed.data : [];
  } catch {
    return [];
  }
}

function writeStored(packages: readonly BasemapPackageInfo[]): void {
  try {
    window.localStorage.setItem(storageKey, JSON.stringify(packages));
  } catch {
    // Storage unavailable: the packages last for this page only.
  }
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

async function inspectPmtilesFile(id: string, file: File): Promise<BasemapPackageInfo> {
  if (file.size < 127) throw new BasemapPackageError(file.name, 'basemap-not-pmtiles', `too short for a PMTiles archive (${file.size} bytes)`);
  const archive = new PMTiles(new PackageFileSource(`inspect-${id}`, file));
  let header: Awaited<ReturnType<PMTiles['getHeader']>>;
  let metadata: unknown;
  try {
    header = await archive.getHeader();
    metadata = await archive.getMetadata();
  } catch (error) {
    throw new BasemapPackageError(file.name, 'basemap-not-pmtiles', `not a readable PMTiles archive (${message(error)})`, { cause: error });
  }
  return pmtilesPackageInfo({ id, fileName: file.name, size: file.size, header, metadata });
}

/** Checks a picked file and answers its info; the File is kept for tile reads. */
export async function registerWebBasemapFile(file: File): Promise<AddBasemapPackageResult> {
  const kind = basemapPackageKindOf(file.name);
  if (kind === null) return { status: 'refused', code: 'basemap-not-a-package', fileName: file.name, reason: 'not a .pmtiles or .mbtiles file' };
  const stored = readStored();
  const same = stored.find((entry) => entry.fileName === file.name && entry.size === file.size && entry.kind === kind);
  const id = same?.id ?? basemapPackageIdFrom(crypto.getRandomValues(new Uint8Array(12)));
  let info: BasemapPackageInfo;
  try {
    if (kind === 'pmtiles') {
      info = await inspectPmtilesFile(id, file);
    } else {
      const opened = await mbtilesWorker().open(id, file);
      if (!opened.ok) return { status: 'refused', code: opened.code, fileName: opened.fileName, reason: opened.reason };
      info = opened.info;
    }
  } catch (error) {
    if (error instanceof BasemapPackageError) return { status: 'refused', code: error.code, fileName: error.fileName, reason: error.reason };
    return { status: 'refused', code: 'basemap-unreadable', fileName: file.name, reason: message(error) };
  }
  files.set(id, file);
  writeStored(same ? readStored().map((entry) => (entry.id === id ? info : entry)) : [...readStored(), info]);
  return { status: 'added', package: info };
}

/** Opens the browser's file picker; resolves with the chosen file, or null when cancelled. */
function pickFile(): Promise<File | null> {
  return new Promise((resolve) => {
    const input = document.createElement('input');
    input.type = 'file';
    input.accept = '.pmtiles,.mbtiles';
    input.hidden = true;
    input.dataset.testid = 'basemap-file-input';
    const finish = (file: File | null) => {
      input.remove();
      resolve(file);
    };
    input.addEventListener('change', () => finish(input.files?.[0] ?? null), { once: true });
    input.addEventListener('cancel', () => finish(null), { once: true });
    document.body.append(input);
    input.click();
  });
}

/** The picked File of a package in this page, or null (not picked since the last reload). */
export function webBasemapPackageFile(id: string): File | null {
  return files.get(id) ?? null;
}

export const webBasemapPackages: Pick<AppApi, 'addBasemapPackage' | 'listBasemapPackages' | 'removeBasemapPackage'> = {
  async addBasemapPackage() {
    const file = await pickFile();
    return file ? registerWebBasemapFile(file) : { status: 'cancelled' };
  },
  async listBasemapPackages() {
    return readStored();
  },
  async removeBasemapPackage(id) {
    const entry = readStored().find((stored) => stored.id === id);
    files.delete(id);
    writeStored(readStored().filter((stored) => stored.id !== id));
    if (entry?.kind === 'mbtiles') await mbtilesWorker().close(id);
  },
};
