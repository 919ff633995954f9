// The desktop shell's backup folder (electron/main/backups.ts) on a real temp folder: atomic
// writes, rotation, the newest good backup kept, ids checked against path traversal, and no path
// in anything the renderer can see.
import * as fs from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { backupsDirectory, BackupStoreError, createBackupStore, type BackupFileSystem, type BackupStoreOptions } from '../../../electron/main/backups';
import { withBackupHeader } from '../../../shared/ipc/backups';
import { backupFile, day, header } from './backup-fixtures';

let userData: string;
let folder: string;
let counter = 0;

beforeEach(async () => {
  userData = await fs.mkdtemp(path.join(tmpdir(), 'onemap-userdata-'));
  // Electron's `app`, stubbed: only getPath('userData') is used.
  folder = backupsDirectory({ getPath: (name: 'userData') => (name === 'userData' ? userData : '') });
});
afterEach(async () => {
  await fs.rm(userData, { recursive: true, force: true });
});

/** A store whose ids are predictable and whose clock is fixed. */
function store(options: BackupStoreOptions = {}) {
  return createBackupStore(folder, {
    randomHex: () => (counter++).toString(16).padStart(8, '0'),
    now: () => new Date('2021-09-01T00:00:00Z'),
    log: () => undefined,
    ...options,
  });
}

/** The folder's files; none when it was never created. */
const filesIn = async (directory: string) => (await fs.readdir(directory).catch(() => [])).sort();

describe('backups folder', () => {
  it('lives in <userData>/backups', () => {
    expect(folder).toBe(path.join(userData, 'backups'));
  });

  it('writes a backup file, lists it from its header and reads back the same bytes', async () => {
    const backups = store();
    const file = backupFile('manual', day(3), { label: '测试', counts: { features: 2785, journalEntries: 17, photos: 2 } });
    const entry = await backups.write(file);
    expect(entry).toEqual({ id: expect.stringMatching(/^manual-20210901T000000000Z-[0-9a-f]{8}$/), reason: 'manual', label: '测试', createdAt: day(3), sizeBytes: file.length, counts: { features: 2785, journalEntries: 17, photos: 2 } });
    expect(await filesIn(folder)).toEqual([`${entry.id}.json.gz`]);
    expect(await backups.list()).toEqual({ location: 'user-data', backups: [entry], damaged: [] });
    expect(Buffer.from(await backups.read(entry.id)).equals(Buffer.from(file))).toBe(true);
    // A new store on the same folder (the next launch) sees it too.
    expect((await store().list()).backups).toEqual([entry]);
  });

  it('refuses files that are not complete OneMap backups and stores nothing', async () => {
    const backups = store();
    const good = backupFile('daily', day(1));
    const refusals: [Uint8Array, RegExp][] = [
      [Buffer.from('{"format":"onemap-backup","formatVersion":1}'), /not a backup file: not a gzip file/],
      [gzipSync(Buffer.from('{"format":"onemap-backup","formatVersion":1}')), /without a OneMap header/],
      [good.subarray(0, good.length - 9), /compressed data is damaged/],
      [withBackupHeader(gzipSync(Buffer.from('{"hello":"world","padding":"................"}')), header('daily', day(1))), /holds no OneMap backup/],
    ];
    for (const [bytes, reason] of refusals) await expect(backups.write(bytes)).rejects.toThrow(reason);
    expect(await filesIn(folder)).toEqual([]);
  });
});

describe('atomic write', () => {
  /** The real file system, recording each call, optionally failing one. */
  function recordingFileSystem(fail?: { call: 'rename' | 'sync' | 'writeFile'; error: NodeJS.ErrnoException }) {
    const calls: string[] = [];
    const name = (file: unknown) => path.basename(String(file));
    const fileSystem: BackupFileSystem = {
      ...fs,
      open: (async (file: string, flags: string) => {
        const handle = await fs.open(file, flags);
        calls.push(`open ${name(file)} ${flags}`);
        return new Proxy(handle, {
          get(target, property) {
            const value = Reflect.get(target, property, target) as unknown;
            if (typeof value !== 'function') return value;
            return async (...args: unknown[]) => {
              if (property === 'writeFile' || property === 'sync' || property === 'close') calls.push(`${String(property)} ${name(file)}`);
              if (fail && property === fail.call) throw fail.error;
              return (value as (...a: unknown[]) => unknown).apply(target, args);
            };
          },
        });
      }) as BackupFileSystem['open'],
      rename: async (from, to) => {
        calls.push(`rename ${name(from)} → ${name(to)}`);
        if (fail?.call === 'rename') throw fail.error;
        return fs.rename(from, to);
      },
    };
    return { fileSystem, calls };
  }

  it('writes a temporary file, fsyncs it, renames it and fsyncs the folder — in that order', async () => {
    const { fileSystem, calls } = recordingFileSystem();
    const entry = await store({ fileSystem, platform: 'linux' }).write(backupFile('daily', day(1)));
    const temporary = `.${entry.id}.tmp`;
    const writeCalls = calls.filter((call) => !call.includes('json.gz r') && !/^(close|open) .*\.json\.gz$/.test(call));
    expect(writeCalls).toEqual([
      `open ${temporary} wx`,
      `writeFile ${temporary}`,
      `sync ${temporary}`,
      `close ${temporary}`,
      `rename ${temporary} → ${entry.id}.json.gz`,
      'open backups r',
      'sync backups',
      'close backups',
    ]);
  });

  it.each(['writeFile', 'sync', 'rename'] as const)('a failure at %s leaves no backup and no temporary file, and says no path', async (call) => {
    const error = Object.assign(new Error(`ENOSPC: no space left on device, write '${folder}/x'`), { code: 'ENOSPC' });
    const { fileSystem } = recordingFileSystem({ call, error });
    const backups = store({ fileSystem });
    const earlier = await store().write(backupFile('daily', day(1)));
    const failure = await backups.write(backupFile('daily', day(2))).catch((caught: unknown) => caught);
    expect(failure).toBeInstanceOf(BackupStoreError);
    expect((failure as Error).message).toBe('the backup could not be written (ENOSPC)');
    expect((failure as Error).message).not.toContain(userData);
    expect(await filesIn(folder)).toEqual([`${earlier.id}.json.gz`]);
    expect((await store().list()).backups.map((entry) => entry.id)).toEqual([earlier.id]);
  });

  it('a temporary file left by a crash is never listed and is removed by the next launch', async () => {
    await fs.mkdir(folder, { recursive: true });
    const half = backupFile('daily', day(1));
    await fs.writeFile(path.join(folder, '.daily-20210901T000000000Z-0000abcd.tmp'), half.subarray(0, 100));
    const backups = store();
    expect(await backups.list()).toEqual({ location: 'user-data', backups: [], damaged: [] });
    expect(await filesIn(folder)).toEqual([]);
  });
});

describe('rotation', () => {
  it('keeps the newest 7 daily, the newest 5 before-import and every manual backup', async () => {
    const backups = store();
    const written: Record<string, string[]> = { daily: [], 'before-import': [], manual: [] };
    for (let n = 1; n <= 10; n += 1) written.daily!.push((await backups.write(backupFile('daily', day(n)))).id);
    for (let n = 1; n <= 8; n += 1) written['before-import']!.push((await backups.write(backupFile('before-import', day(n, 15)))).id);
    for (let n = 1; n <= 9; n += 1) written.manual!.push((await backups.write(backupFile('manual', day(n, 18)))).id);
    const kept = (await backups.list()).backups;
    expect(kept.filter((entry) => entry.reason === 'daily').map((entry) => entry.id)).toEqual(written.daily!.slice(3).reverse());
    expect(kept.filter((entry) => entry.reason === 'before-import').map((entry) => entry.id)).toEqual(written['before-import']!.slice(3).reverse());
    expect(kept.filter((entry) => entry.reason === 'manual').map((entry) => entry.id)).toEqual(written.manual!.slice().reverse());
    expect(await filesIn(folder)).toHaveLength(7 + 5 + 9);
    // Newest first, by the time each backup was taken.
    expect(kept.map((entry) => entry.createdAt)).toEqual([...kept.map((entry) => entry.createdAt)].sort().reverse());
  });

  it('never deletes the newest good backup, even when newer ones are damaged', async () => {
    const backups = store();
    const good = await backups.write(backupFile('daily', day(1)));
    // Seven newer daily backups whose headers are fine but whose bodies are cut off (a failing disk).
    for (let n = 2; n <= 8; n += 1) {
      const file = backupFile('daily', day(n));
      await fs.writeFile(path.join(folder, `daily-202109${String(n).padStart(2, '0')}T000000000Z-0000000${n}.json.gz`), file.subarray(0, file.length - 20));
    }
    // Any write rotates; this manual one is older than all of them.
    await backups.write(backupFile('manual', '2021-07-01T00:00:00.000Z'));
    const daily = (await backups.list()).backups.filter((entry) => entry.reason === 'daily');
    expect(daily).toHaveLength(8);
    expect(daily.map((entry) => entry.id)).toContain(good.id);
    // With a good newer one, the old one goes as the rule says.
    await backups.write(backupFile('daily', day(9)));
    const after = (await backups.list()).backups.filter((entry) => entry.reason === 'daily').map((entry) => entry.id);
    expect(after).toHaveLength(7);
    expect(after).not.toContain(good.id);
  });

  it('lists a file with a damaged header as damaged, and rotation leaves it to the user', async () => {
    const backups = store();
    await fs.mkdir(folder, { recursive: true });
    const damagedId = 'daily-20210101T000000000Z-deadbeef';
    await fs.writeFile(path.join(folder, `${damagedId}.json.gz`), 'garbage that is not gzip');
    for (let n = 1; n <= 8; n += 1) await backups.write(backupFile('daily', day(n)));
    const list = await backups.list();
    expect(list.damaged).toEqual([{ id: damagedId, sizeBytes: 24, problem: 'not a gzip file' }]);
    expect(list.backups).toHaveLength(7);
    await backups.remove(damagedId);
    expect((await backups.list()).damaged).toEqual([]);
  });
});

describe('ids, never paths', () => {
  it.each([
    '../outside',
    '../daily-20210801T020304005Z-0a1b2c3d',
    'daily-20210801T020304005Z-0a1b2c3d/../../../secret',
    path.join(tmpdir(), 'daily-20210801T020304005Z-0a1b2c3d'),
    'daily-20210801T020304005Z-0a1b2c3d.json.gz',
    '..\\..\\Windows\\win.ini',
  ])('refuses to read or delete %j', async (id) => {
    const outside = path.join(userData, 'outside');
    await fs.writeFile(outside, 'keep me');
    const backups = store();
    await expect(backups.read(id)).rejects.toThrow(/^not a backup id$/);
    await expect(backups.remove(id)).rejects.toThrow(/^not a backup id$/);
    expect(await fs.readFile(outside, 'utf8')).toBe('keep me');
  });

  it('a missing backup is "no such backup", without its path', async () => {
    const backups = store();
    await expect(backups.read('manual-20210801T020304005Z-0a1b2c3d')).rejects.toThrow(/^no such backup$/);
    await expect(backups.remove('manual-20210801T020304005Z-0a1b2c3d')).rejects.toThrow(/^no such backup$/);
  });

  it('nothing a list answers contains the folder', async () => {
    const backups = store();
    await backups.write(backupFile('manual', day(1)));
    await fs.writeFile(path.join(folder, 'daily-20210101T000000000Z-deadbeef.json.gz'), '');
    expect(JSON.stringify(await backups.list())).not.toContain(userData);
  });
});
