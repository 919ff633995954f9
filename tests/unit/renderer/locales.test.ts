import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { localeKeys, mergeLocaleFiles, type LocaleTree } from '../../../renderer/src/app/locale-resources';
import { importErrorCodes } from '../../../shared/io';
import { basemapPackageErrorCodes } from '../../../shared/basemaps/package-info';
import { unexpectedErrorCode } from '../../../shared/errors';
import { editPackageErrorCodes } from '../../../shared/sync';
import { backupStoreErrorCodes } from '../../../shared/ipc/backups';
import { hubShellErrorCodes } from '../../../shared/ipc/hub';
import { workspaceErrorCodes } from '../../../shared/workspace';

/** Codes thrown by one class each (shared/sync merge, the backup header, the seed reader, exports, the IPC gate, the renderer's basemap, demo files and map export). */
const singleCodes = [
  'incomplete-history',
  'backup-file-invalid',
  'geojson-feature-invalid',
  'export.unknownFormat',
  'ipc-rejected',
  'basemap-file-invalid',
  'demo-file-invalid',
  'map-render-too-large',
  'map-render-timeout',
];

const renderer = join(import.meta.dirname, '../../../renderer/src');

/** The same files the app's i18n.ts merges (app/locales and features/<name>/locales). */
function localeFiles(): Record<string, LocaleTree> {
  const directories = [join(renderer, 'app/locales')];
  for (const feature of readdirSync(join(renderer, 'features'))) {
    const directory = join(renderer, 'features', feature, 'locales');
    if (existsSync(directory)) directories.push(directory);
  }
  const files: Record<string, LocaleTree> = {};
  for (const directory of directories) {
    for (const name of readdirSync(directory).filter((file) => file.endsWith('.json'))) {
      files[join(directory, name)] = JSON.parse(readFileSync(join(directory, name), 'utf8')) as LocaleTree;
    }
  }
  return files;
}

describe('UI texts', () => {
  const merged = mergeLocaleFiles(localeFiles());

  it('zh-CN and English define exactly the same keys', () => {
    // Plural forms differ by language (Chinese: `_other` only; English: `_one` and `_other`).
    const withoutPlural = (keys: string[]) => new Set(keys.map((key) => key.replace(/_(zero|one|two|few|many|other)$/, '')));
    const zh = withoutPlural(localeKeys(merged['zh-CN']));
    const en = withoutPlural(localeKeys(merged.en));
    expect([...zh].filter((key) => !en.has(key)), 'keys missing in English').toEqual([]);
    expect([...en].filter((key) => !zh.has(key)), 'keys missing in zh-CN').toEqual([]);
    expect(zh.size).toBeGreaterThan(100);
  });

  it('an English plural has its one and its other form', () => {
    const keys = localeKeys(merged.en);
    const plurals = keys.filter((key) => /_(one|other)$/.test(key)).map((key) => key.replace(/_(one|other)$/, ''));
    expect(plurals.filter((key) => !keys.includes(`${key}_one`) || !keys.includes(`${key}_other`))).toEqual([]);
  });

  it('no text is empty', () => {
    for (const language of ['zh-CN', 'en'] as const) {
      const tree = merged[language];
      const empty = localeKeys(tree).filter((key) => key.split('.').reduce<LocaleTree | string>((node, part) => (node as LocaleTree)[part]!, tree) === '');
      expect(empty, `empty ${language} texts`).toEqual([]);
    }
  });

  it('refuses two files defining the same key, naming the file and key', () => {
    expect(() => mergeLocaleFiles({ 'a/zh-CN.json': { x: { y: '一' } }, 'b/zh-CN.json': { x: { y: '二' } } })).toThrow(/b\/zh-CN\.json: key "x\.y"/);
    expect(() => mergeLocaleFiles({ 'a/fr.json': {} })).toThrow(/fr\.json/);
  });

  it('every literal t("…") key used in the renderer exists', () => {
    const keys = new Set(localeKeys(merged['zh-CN']));
    const missing: string[] = [];
    const walk = (directory: string) => {
      for (const entry of readdirSync(directory, { withFileTypes: true })) {
        const path = join(directory, entry.name);
        if (entry.isDirectory()) walk(path);
        else if (/\.tsx?$/.test(entry.name)) {
          const source = readFileSync(path, 'utf8');
          for (const match of source.matchAll(/\bt\(\s*'([a-zA-Z][\w.]*)'/g)) {
            const key = match[1]!;
            // A key that names a branch is used with a plural/context suffix or returnObjects.
            if (!keys.has(key) && ![...keys].some((known) => known.startsWith(`${key}_`) || known.startsWith(`${key}.`))) missing.push(`${path.slice(renderer.length + 1)}: ${key}`);
          }
        }
      }
    };
    walk(renderer);
    expect(missing).toEqual([]);
  });

  it('every error code the UI can be handed has its sentence in both languages (errors.<code>)', () => {
    const codes = [...importErrorCodes, ...basemapPackageErrorCodes, ...editPackageErrorCodes, ...backupStoreErrorCodes, ...hubShellErrorCodes, ...workspaceErrorCodes, ...singleCodes, unexpectedErrorCode];
    for (const language of ['zh-CN', 'en'] as const) {
      const keys = new Set(localeKeys(merged[language]));
      expect(codes.filter((code) => !keys.has(`errors.${code}`)), `codes without a ${language} sentence`).toEqual([]);
    }
  });

  it('the error sentences name no raw cause: no English in the zh-CN ones but format names', () => {
    const zh = merged['zh-CN'].errors as LocaleTree;
    const english = Object.entries(zh)
      .filter(([, text]) => typeof text === 'string')
      .filter(([, text]) => /[A-Za-z]{3,}/.test((text as string).replace(/\{\{\w+\}\}/g, '').replace(/\b(JSON|GeoJSON|CSV|KML|Excel|GeoPackage|Shapefile|SQLite|MBTiles|PMTiles|UTF|GBK|OneMap|onemap|zip|shp|shx|dbf|pmtiles|mbtiles)\b/g, '')));
    expect(english).toEqual([]);
  });
});
