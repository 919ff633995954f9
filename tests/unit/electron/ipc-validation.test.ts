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
    expect(ipcMethods.sort()).toEqual(['getAppInfo', 'getLanguage', 'setLanguage']);
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
