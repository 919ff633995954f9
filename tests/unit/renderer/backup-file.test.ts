// A backup as a file (renderer/src/features/backup/backup-file.ts): gzip with the OneMap header,
// the counts in the header, and every kind of bad file refused with its cause. fake-indexeddb is
// fine here: this is the encoding, not the store's durability (that is the e2e test's).
import 'fake-indexeddb/auto';
import { gunzipSync, gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { attachPhoto, backupToJson, exportBackup, readLayerFeatures, removePhoto, restoreBackup, seed, transact, type OneMapDatabase } from '../../../renderer/src/db';
import { BackupFileError, decodeBackupFile, encodeBackupFile, summarizeBackup, type BackupFileProblem } from '../../../renderer/src/features/backup/backup-file';
import { readBackupHeader } from '../../../shared/ipc/backups';
import { dumpStore, freshDatabase, generatedWells, SEED_TIME, testWellsLayer } from '../db/store-fixtures';

const opened: OneMapDatabase[] = [];
async function database(): Promise<OneMapDatabase> {
  const created = await freshDatabase();
  opened.push(created);
  return created;
}
afterEach(async () => {
  for (const each of opened.splice(0)) {
    each.close();
    await each.delete();
  }
});

let source: OneMapDatabase;
beforeEach(async () => {
  source = await database();
  await seed(source, { layers: [testWellsLayer], demoCollections: [{ layer: 'test-wells', features: generatedWells(1_200) }], time: SEED_TIME });
  await transact(source, { author: 'a', operations: [{ kind: 'update', layerId: 'test-wells', featureId: 'W-00002', properties: { name: '改过的名字' } }] });
  await transact(source, { author: 'a', operations: [{ kind: 'delete', layerId: 'test-wells', featureId: 'W-00003' }] });
  await transact(source, { author: 'a', operations: [{ kind: 'create', layerId: 'test-wells', feature: { id: 'NEW-1', geometry: { type: 'Point', coordinates: [115.5, 37.5] }, properties: {} } }] });
  await attachPhoto(source, { layerId: 'test-wells', featureId: 'NEW-1', blob: new Blob([new Uint8Array([1, 2, 3])], { type: 'image/jpeg' }), fileName: 'a.jpg', mimeType: 'image/jpeg', author: 'a', id: 'P-1' });
  await attachPhoto(source, { layerId: 'test-wells', featureId: 'NEW-1', blob: new Blob(['x'], { type: 'image/jpeg' }), fileName: 'b.jpg', mimeType: 'image/jpeg', author: 'a', id: 'P-2' });
  await removePhoto(source, { layerId: 'test-wells', featureId: 'NEW-1', attachmentId: 'P-2', author: 'a' });
});

const meta = { reason: 'manual' as const, label: '导入 wells.csv', appVersion: '0.1.0' };

describe('encodeBackupFile', () => {
  it('is a gzip of the backup JSON with a header that counts what the store shows', async () => {
    const backup = await exportBackup(source);
    const { bytes, header } = await encodeBackupFile(backup, meta);
    expect(gunzipSync(bytes).toString('utf8')).toBe(backupToJson(backup));
    expect(readBackupHeader(bytes)).toEqual(header);
    const features = await readLayerFeatures(source, 'test-wells');
    expect(features).toHaveLength(1_200); // 1,200 seeded − 1 deleted + 1 created
    expect(header).toMatchObject({ reason: 'manual', label: '导入 wells.csv', createdAt: backup.createdAt, counts: { features: features.length, journalEntries: await source.journal.count(), photos: 1 } });
    expect(summarizeBackup(backup)).toEqual(header.counts);
  });

  it('decodes to a backup that restores the same store', async () => {
    const backup = await exportBackup(source);
    const { bytes } = await encodeBackupFile(backup, meta);
    const decoded = await decodeBackupFile(bytes, 'x.json.gz', source.verno);
    expect(decoded.header?.label).toBe('导入 wells.csv');
    expect(decoded.backup).toEqual(backup);
    const target = await database();
    await restoreBackup(target, decoded.backup);
    expect(await readLayerFeatures(target, 'test-wells')).toEqual(await readLayerFeatures(source, 'test-wells'));
  });
});

describe('decodeBackupFile', () => {
  it('also reads a plain .json.gz and a plain .json (with a byte order mark)', async () => {
    const backup = await exportBackup(source);
    const json = backupToJson(backup);
    const fromGzip = await decodeBackupFile(gzipSync(Buffer.from(json)), 'plain.json.gz', source.verno);
    expect(fromGzip.header).toBeNull();
    expect(fromGzip.backup).toEqual(backup);
    const fromJson = await decodeBackupFile(Buffer.from(`\ufeff\n${json}`), 'plain.json', source.verno);
    expect(fromJson.backup).toEqual(backup);
  });

  const refusals: [string, BackupFileProblem, RegExp, (file: Uint8Array, json: string) => Uint8Array][] = [
    ['an empty file', 'empty', /0 bytes/, () => new Uint8Array()],
    ['a truncated file', 'damaged', /cut off or corrupt/, (file) => file.subarray(0, Math.floor(file.length / 2))],
    ['a file with its last bytes (CRC) changed', 'damaged', /cut off or corrupt/, (file) => Uint8Array.from(file, (byte, index) => (index === file.length - 6 ? byte ^ 0xff : byte))],
    ['a truncated plain JSON', 'damaged', /not JSON/, (_file, json) => Buffer.from(json.slice(0, 500))],
    ['a picture', 'not-a-backup', /neither a gzip file nor JSON/, () => Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])],
    ['some other JSON', 'not-a-backup', /not a OneMap backup/, () => Buffer.from('{"type":"FeatureCollection","features":[]}')],
    ['a backup with a broken feature', 'invalid', /featureChunks/, (_file, json) => gzipSync(Buffer.from(json.replace('"coordinates":[', '"coordinates":[999,')))],
  ];

  it.each(refusals)('refuses %s as %s, naming the file', async (_label, problem, detail, corrupt) => {
    const backup = await exportBackup(source);
    const { bytes } = await encodeBackupFile(backup, meta);
    const error = await decodeBackupFile(corrupt(bytes, backupToJson(backup)), 'my-backup.json.gz', source.verno).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(BackupFileError);
    const { refusal } = error as BackupFileError;
    expect(refusal).toMatchObject({ fileName: 'my-backup.json.gz', problem });
    expect(refusal.detail).toMatch(detail);
  });

  it('decoding writes nothing', async () => {
    const before = await dumpStore(source);
    const { bytes } = await encodeBackupFile(await exportBackup(source), meta);
    await decodeBackupFile(bytes, 'x', source.verno);
    expect(await dumpStore(source)).toEqual(before);
  });
});
