import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ipcChannels, ipcMethods, type UiLanguage } from '../../../shared/ipc';
import { appInfoHandlers } from '../../../electron/main/ipc/app-info';
import { preferencesHandlers } from '../../../electron/main/ipc/preferences';
import {
  IpcRejectedError,
  validatedHandler,
  validatedHandlers,
  type IpcInvokeEventLike,
} from '../../../electron/main/ipc/validated-handler';
import { createLanguageStore } from '../../../electron/main/preferences-store';
import { backupHandlers } from '../../../electron/main/ipc/backups';
import { hubHandlers } from '../../../electron/main/ipc/hub';
import { basemapPackageHandlers, type BasemapPackageStore, type BasemapRoute } from '../../../electron/main/basemap-packages';
import { createBackupStore, type BackupStore } from '../../../electron/main/backups';
import { MAX_BACKUP_FILE_BYTES } from '../../../shared/ipc/backups';
import { backupFile, day } from './backup-fixtures';

const fromApp: IpcInvokeEventLike = { senderFrame: { url: 'app://onemap/index.html' } };
const fromFrame = (url: string): IpcInvokeEventLike => ({ senderFrame: { url } });

function setLanguageGate() {
  const implementation = vi.fn(async (_request: { language: UiLanguage }) => undefined);
  const log = vi.fn<(message: string) => void>();
  const handler = validatedHandler('setLanguage', implementation, { log });
  return { implementation, log, handler };
}

describe('validatedHandler — payloads', () => {
  it('passes a valid payload from the app origin to the implementation', async () => {
    const { implementation, handler, log } = setLanguageGate();
    await expect(handler(fromApp, { language: 'en' })).resolves.toBeUndefined();
    expect(implementation).toHaveBeenCalledWith({ language: 'en' });
    expect(log).not.toHaveBeenCalled();
  });

  it.each([
    ['a wrong type', { language: 42 }],
    ['an unknown language', { language: 'fr' }],
    ['an extra key (strict)', { language: 'en', isAdmin: true }],
    ['a prototype-pollution key', JSON.parse('{"language":"en","__proto__":{"polluted":true}}')],
    ['a missing field', {}],
    ['a bare string instead of an object', 'en'],
    ['null', null],
    ['an array', ['en']],
  ])('rejects %s, logs it and never calls the implementation', async (_why, payload) => {
    const { implementation, handler, log } = setLanguageGate();
    await expect(handler(fromApp, payload)).rejects.toThrow(/IPC onemap:preferences:set-language rejected: invalid payload/);
    expect(implementation).not.toHaveBeenCalled();
    expect(log).toHaveBeenCalledOnce();
    expect(log.mock.calls[0]?.[0]).toMatch(/^\[ipc\] IPC onemap:preferences:set-language rejected: invalid payload/);
  });

  it('rejects a call without a payload or with extra arguments', async () => {
    const { implementation, handler } = setLanguageGate();
    await expect(handler(fromApp)).rejects.toThrow(/exactly one payload argument, got 0/);
    await expect(handler(fromApp, { language: 'en' }, 'extra')).rejects.toThrow(/exactly one payload argument, got 2/);
    expect(implementation).not.toHaveBeenCalled();
  });

  it('rejects extra keys on a channel without fields', async () => {
    const handler = validatedHandler('getAppInfo', async () => appInfo, { log: () => undefined });
    await expect(handler(fromApp, { path: '/etc' })).rejects.toThrow(/invalid payload/);
    await expect(handler(fromApp, {})).resolves.toEqual(appInfo);
  });

  it('throws IpcRejectedError so callers can tell a refusal from a crash', async () => {
    const { handler } = setLanguageGate();
    await expect(handler(fromApp, { language: 1 })).rejects.toBeInstanceOf(IpcRejectedError);
  });
});

describe('validatedHandler — sender frame', () => {
  it.each([
    'https://evil.example/',
    'app://onemap.evil/index.html',
    'app://onemap@evil/index.html',
    'app://evil/onemap/index.html',
    'file:///work/main/dist/renderer/index.html',
    'devtools://devtools/bundled/inspector.html',
    'about:blank',
    '',
  ])('rejects a call from %s', async (url) => {
    const { implementation, handler, log } = setLanguageGate();
    await expect(handler(fromFrame(url), { language: 'en' })).rejects.toThrow(/sender frame .* is not the app origin/);
    expect(implementation).not.toHaveBeenCalled();
    expect(log).toHaveBeenCalledOnce();
  });

  it('rejects a call whose frame is gone (senderFrame null)', async () => {
    const { implementation, handler } = setLanguageGate();
    await expect(handler({ senderFrame: null }, { language: 'en' })).rejects.toThrow(/sender frame null/);
    expect(implementation).not.toHaveBeenCalled();
  });
});

describe('validatedHandler — responses', () => {
  it('refuses to send an answer outside the response schema', async () => {
    const log = vi.fn<(message: string) => void>();
    const handler = validatedHandler('getLanguage', async () => 'fr' as UiLanguage, { log });
    await expect(handler(fromApp, {})).rejects.toThrow(/outside the response schema/);
    expect(log).toHaveBeenCalledOnce();
  });
});

const appInfo = {
  name: 'OneMap',
  version: '0.1.0',
  shell: 'electron' as const,
  electron: '41.7.1',
  chrome: '146.0.0.0',
  platform: 'linux',
};

describe('channel groups', () => {
  it('has one channel per AppApi method, all distinct and namespaced', () => {
    expect(ipcMethods.sort()).toEqual(['addBasemapPackage', 'clearHubToken', 'deleteBackup', 'getAppInfo', 'getHubAddress', 'getLanguage', 'listBackups', 'listBasemapPackages', 'loadHubToken', 'readBackup', 'removeBasemapPackage', 'saveHubToken', 'setHubAddress', 'setLanguage', 'writeBackup']);
    const channels = Object.values(ipcChannels);
    expect(new Set(channels).size).toBe(channels.length);
    for (const channel of channels) expect(channel).toMatch(/^onemap:[a-z-]+:[a-z-]+$/);
  });

  it('wraps every channel with the gate', async () => {
    const wrapped = validatedHandlers(
      {
        ...appInfoHandlers({ name: 'OneMap', version: '0.1.0', versions: { electron: '41.7.1', chrome: '146.0.0.0' }, platform: 'linux' }),
        getLanguage: async () => 'zh-CN',
        setLanguage: async () => undefined,
        ...backupHandlers(unusedBackupStore),
        ...basemapPackageHandlers({ store: unusedBasemapStore, route: unusedBasemapRoute, pickFile: () => Promise.reject(new Error('reached the file dialog')) }),
        ...hubHandlers({
          addresses: { get: () => Promise.reject(new Error('reached the hub address')), set: () => Promise.reject(new Error('reached the hub address')) },
          tokens: { load: () => Promise.reject(new Error('reached the token')), save: () => Promise.reject(new Error('reached the token')), clear: () => Promise.reject(new Error('reached the token')) },
          onAddressChanged: () => undefined,
        }),
      },
      { log: () => undefined },
    );
    expect(wrapped.map(({ channel }) => channel).sort()).toEqual(Object.values(ipcChannels).sort());
    for (const { handler } of wrapped) {
      await expect(handler(fromFrame('https://evil.example/'), {})).rejects.toThrow(/not the app origin/);
    }
  });

  it('app info answers with versions and platform and no filesystem path', async () => {
    const { getAppInfo } = appInfoHandlers({
      name: 'OneMap',
      version: '0.1.0',
      versions: { electron: '41.7.1', chrome: '146.0.0.0' },
      platform: 'linux',
    });
    const handler = validatedHandler('getAppInfo', getAppInfo, { log: () => undefined });
    const answer = await handler(fromApp, {});
    expect(answer).toEqual(appInfo);
    expect(JSON.stringify(answer)).not.toMatch(/[/\\](home|Users|tmp)[/\\]/);
  });
});

describe('preferences: the persisted UI language', () => {
  let folder: string;
  beforeEach(async () => {
    folder = await mkdtemp(path.join(tmpdir(), 'onemap-preferences-'));
  });
  afterEach(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  it('defaults to zh-CN, persists a change and reports it to main', async () => {
    const file = path.join(folder, 'preferences.json');
    const changed = vi.fn();
    const handlers = preferencesHandlers(createLanguageStore(file), changed);
    const getLanguage = validatedHandler('getLanguage', handlers.getLanguage, { log: () => undefined });
    const setLanguage = validatedHandler('setLanguage', handlers.setLanguage, { log: () => undefined });

    await expect(getLanguage(fromApp, {})).resolves.toBe('zh-CN');
    await setLanguage(fromApp, { language: 'en' });
    expect(changed).toHaveBeenCalledWith('en');
    await expect(getLanguage(fromApp, {})).resolves.toBe('en');
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual({ language: 'en' });
    // A fresh store (next launch) reads the same file.
    await expect(createLanguageStore(file).get()).resolves.toBe('en');
  });

  it('falls back to zh-CN on a corrupt or invalid file, and keeps unknown keys on write', async () => {
    const file = path.join(folder, 'preferences.json');
    const log = vi.fn();
    await writeFile(file, '{ not json');
    await expect(createLanguageStore(file, log).get()).resolves.toBe('zh-CN');
    await writeFile(file, JSON.stringify({ language: 'fr', window: { width: 900 } }));
    await expect(createLanguageStore(file, log).get()).resolves.toBe('zh-CN');
    expect(log).toHaveBeenCalledTimes(2);
    await writeFile(file, JSON.stringify({ language: 'en', window: { width: 900 } }));
    await createLanguageStore(file, log).set('zh-CN');
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual({ language: 'zh-CN', window: { width: 900 } });
  });
});

/** A backup store that must never be reached (the gate refuses first). */
const unusedBackupStore: BackupStore = {
  list: () => Promise.reject(new Error('reached the backup store')),
  write: () => Promise.reject(new Error('reached the backup store')),
  read: () => Promise.reject(new Error('reached the backup store')),
  remove: () => Promise.reject(new Error('reached the backup store')),
};

describe('backup channels', () => {
  let folder: string;
  beforeEach(async () => {
    folder = await mkdtemp(path.join(tmpdir(), 'onemap-backup-ipc-'));
  });
  afterEach(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  const gates = (store: BackupStore) => {
    const handlers = backupHandlers(store);
    const log = () => undefined;
    return {
      list: validatedHandler('listBackups', handlers.listBackups, { log }),
      write: validatedHandler('writeBackup', handlers.writeBackup, { log }),
      read: validatedHandler('readBackup', handlers.readBackup, { log }),
      remove: validatedHandler('deleteBackup', handlers.deleteBackup, { log }),
    };
  };

  it('write → list → read → delete through the gate, with ids only', async () => {
    const { list, write, read, remove } = gates(createBackupStore(folder, { log: () => undefined }));
    const file = backupFile('manual', day(1));
    const entry = await write(fromApp, { file });
    expect(entry).toMatchObject({ reason: 'manual', sizeBytes: file.length });
    const listed = await list(fromApp, {});
    expect(listed.backups).toEqual([entry]);
    expect(JSON.stringify(listed)).not.toContain(folder);
    expect(Buffer.from(await read(fromApp, { id: entry.id })).equals(Buffer.from(file))).toBe(true);
    await remove(fromApp, { id: entry.id });
    expect((await list(fromApp, {})).backups).toEqual([]);
  });

  it.each([
    ['a string instead of bytes', { file: 'H4sIAAAAAAAA' }],
    ['an array of numbers', { file: [31, 139, 8, 0] }],
    ['bytes that are not a backup file', { file: new Uint8Array([1, 2, 3]) }],
    ['gzip without the OneMap header', { file: new Uint8Array([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0]) }],
    ['an extra key', { file: backupFile('daily', day(1)), path: '/etc/passwd' }],
    ['a missing file', {}],
  ])('writeBackup refuses %s before the store is reached', async (_why, payload) => {
    const { write } = gates(unusedBackupStore);
    await expect(write(fromApp, payload)).rejects.toThrow(/IPC onemap:backups:write rejected: invalid payload/);
  });

  it('writeBackup refuses a file over the size limit without reading it', async () => {
    const { write } = gates(unusedBackupStore);
    const huge = backupFile('daily', day(1));
    Object.defineProperty(huge, 'length', { value: MAX_BACKUP_FILE_BYTES + 1 });
    await expect(write(fromApp, { file: huge })).rejects.toThrow(/at most 536870912 bytes/);
  });

  it.each(['../../etc/passwd', 'daily-20210801T020304005Z-0a1b2c3d/../x', '/tmp/daily-20210801T020304005Z-0a1b2c3d', 'daily-20210801T020304005Z-0a1b2c3d.json.gz', 42, null])(
    'readBackup and deleteBackup refuse the id %j at the gate',
    async (id) => {
      const { read, remove } = gates(unusedBackupStore);
      await expect(read(fromApp, { id })).rejects.toThrow(/invalid payload/);
      await expect(remove(fromApp, { id })).rejects.toThrow(/invalid payload/);
    },
  );

  it('refuses calls from another origin', async () => {
    const { list } = gates(unusedBackupStore);
    await expect(list(fromFrame('https://evil.example/'), {})).rejects.toThrow(/not the app origin/);
  });

  it('a store answer outside the schema (a path in a list) is not sent', async () => {
    const leaky: BackupStore = {
      ...unusedBackupStore,
      list: async () => ({ location: 'user-data', backups: [{ id: '/home/me/.config/OneMap/backups/x', reason: 'daily', label: null, createdAt: day(1), sizeBytes: 1, counts: { features: 0, journalEntries: 0, photos: 0 } }], damaged: [] }),
    };
    await expect(gates(leaky).list(fromApp, {})).rejects.toThrow(/outside the response schema/);
  });
});

/** A basemap package store and route that must never be reached (the gate refuses first). */
const unusedBasemapStore: BasemapPackageStore = {
  list: () => Promise.reject(new Error('reached the basemap store')),
  get: () => Promise.reject(new Error('reached the basemap store')),
  put: () => Promise.reject(new Error('reached the basemap store')),
  remove: () => Promise.reject(new Error('reached the basemap store')),
};
const unusedBasemapRoute: BasemapRoute = {
  matches: () => false,
  serve: () => Promise.reject(new Error('reached the basemap route')),
  close: () => undefined,
};
