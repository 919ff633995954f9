// The backup file format and rules shared by both shells (shared/ipc/backups.ts): the header in
// the gzip extra field, the ids, and the retention rule.
import { gunzipSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import {
  backupIdOfFileName,
  backupsToRemove,
  BackupFileFormatError,
  isBackupId,
  makeBackupId,
  readBackupHeader,
  withBackupHeader,
  type BackupReason,
} from '../../../shared/ipc/backups';
import { backupJson, day, header } from './backup-fixtures';

describe('backup file header (gzip extra field)', () => {
  it('round-trips, including non-ASCII labels, and leaves a plain .json.gz that gunzip reads unchanged', () => {
    const json = backupJson(day(1));
    const file = withBackupHeader(gzipSync(Buffer.from(json)), header('before-import', day(1), { label: '衡水 wells.geojson' }));
    expect(readBackupHeader(file)).toEqual(header('before-import', day(1), { label: '衡水 wells.geojson' }));
    expect(gunzipSync(file).toString('utf8')).toBe(json);
    // Only the first bytes are needed to read it.
    expect(readBackupHeader(file.subarray(0, 400))).toMatchObject({ reason: 'before-import' });
  });

  it('refuses to read what is not a OneMap backup file, naming the problem', () => {
    const plain = gzipSync(Buffer.from('{}'));
    expect(() => readBackupHeader(new Uint8Array([1, 2, 3]))).toThrow(/only 3 bytes/);
    expect(() => readBackupHeader(Buffer.from('{"format":"onemap-backup","x":"yyyyyyyyyyyyyyyyyyyyy"}'))).toThrow(/not a gzip file/);
    expect(() => readBackupHeader(plain)).toThrow(/without a OneMap header/);
    const file = withBackupHeader(plain, header('daily', day(1)));
    expect(() => readBackupHeader(file.subarray(0, 30))).toThrow(/cut off/);
    const tampered = Uint8Array.from(file);
    tampered[16] = 0x5b; // '{' → '[' : no longer JSON of the right shape
    expect(() => readBackupHeader(tampered)).toThrow(BackupFileFormatError);
  });

  it('checks the header when writing it', () => {
    const plain = gzipSync(Buffer.from('{}'));
    expect(() => withBackupHeader(plain, { ...header('daily', day(1)), reason: 'weekly' as BackupReason })).toThrow();
    expect(() => withBackupHeader(Buffer.from('not gzip at all, not gzip at all'), header('daily', day(1)))).toThrow(/not gzip/);
    expect(() => withBackupHeader(withBackupHeader(plain, header('daily', day(1))), header('daily', day(1)))).toThrow(/already has optional header fields/);
  });
});

describe('backup ids', () => {
  it('are made from reason, time and 8 hex digits and map to file names and back', () => {
    const id = makeBackupId('before-import', new Date('2021-08-01T02:03:04.005Z'), '0a1b2c3d');
    expect(id).toBe('before-import-20210801T020304005Z-0a1b2c3d');
    expect(isBackupId(id)).toBe(true);
    expect(backupIdOfFileName(`${id}.json.gz`)).toBe(id);
    expect(backupIdOfFileName(`${id}.json`)).toBeNull();
    expect(backupIdOfFileName(`.${id}.tmp`)).toBeNull();
  });

  it.each([
    '../daily-20210801T020304005Z-0a1b2c3d',
    'daily-20210801T020304005Z-0a1b2c3d/../../etc/passwd',
    '/etc/passwd',
    'C:\\Windows\\win.ini',
    'daily-20210801T020304005Z-0a1b2c3g',
    'daily-20210801T020304005Z-0a1b2c3d\u0000',
    'weekly-20210801T020304005Z-0a1b2c3d',
    'daily-20210801T020304005Z-0A1B2C3D',
    '',
  ])('refuses %j', (candidate) => {
    expect(isBackupId(candidate)).toBe(false);
  });
});

describe('retention', () => {
  const entry = (reason: BackupReason, n: number) => ({ id: `${reason}-${n}`, reason, createdAt: day(n) });

  it('keeps the newest 7 daily and 5 before-import backups and every manual one', () => {
    const entries = [
      ...Array.from({ length: 10 }, (_, index) => entry('daily', index + 1)),
      ...Array.from({ length: 8 }, (_, index) => entry('before-import', index + 1)),
      ...Array.from({ length: 9 }, (_, index) => entry('manual', index + 1)),
    ];
    expect(backupsToRemove(entries, null).sort()).toEqual(['before-import-1', 'before-import-2', 'before-import-3', 'daily-1', 'daily-2', 'daily-3']);
  });

  it('orders by the time a backup was taken, not by the order given', () => {
    const entries = [3, 9, 1, 7, 5, 2, 8, 4, 6].map((n) => entry('daily', n));
    expect(backupsToRemove(entries, null).sort()).toEqual(['daily-1', 'daily-2']);
  });

  it('never removes the backup it is told to keep (the newest good one)', () => {
    const entries = Array.from({ length: 8 }, (_, index) => entry('daily', index + 1));
    expect(backupsToRemove(entries, 'daily-1')).toEqual([]);
    expect(backupsToRemove(entries, 'daily-8')).toEqual(['daily-1']);
  });
});
