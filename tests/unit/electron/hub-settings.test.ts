// Main's pure parts of the team hub: which addresses the desktop takes (http(s) origins; plain
// http only on this computer), hub.json written atomically, the token encrypted or refused (never
// plain text), the request filter allowing exactly the hub's origin, the app:// CSP naming it, and
// the IPC handlers (a changed address reloads, a refused one changes nothing).
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { allowedHubOrigin, appOrigin, isAllowedRequestUrl, isHubUrl, setAllowedHubOrigin } from '../../../electron/main/app-origin';
import { desktopAppOrigin } from '../../../shared/shell/hub-origin';
import { createHubAddressStore, createHubTokenStore, desktopHubOrigin, type TokenCipher } from '../../../electron/main/hub-settings';
import { hubHandlers } from '../../../electron/main/ipc/hub';
import { validatedHandler } from '../../../electron/main/ipc/validated-handler';
import { appResponseHeaders } from '../../../electron/main/serve-file';
import { fromIpcRejection, HubShellError } from '../../../shared/ipc';

let folder: string;
beforeEach(async () => {
  folder = await mkdtemp(path.join(tmpdir(), 'onemap-hub-settings-'));
});
afterEach(async () => {
  setAllowedHubOrigin(null);
  await rm(folder, { recursive: true, force: true });
});

function codeOf(action: () => unknown): string | null {
  try {
    action();
    return null;
  } catch (error) {
    return error instanceof HubShellError ? error.code : `not a HubShellError: ${String(error)}`;
  }
}

describe('desktopHubOrigin', () => {
  it('takes https anywhere and http on this computer, as canonical origins', () => {
    expect(desktopHubOrigin('https://Hub.Example.CN/')).toBe('https://hub.example.cn');
    expect(desktopHubOrigin('http://127.0.0.1:47680')).toBe('http://127.0.0.1:47680');
    expect(desktopHubOrigin('http://localhost:47680/')).toBe('http://localhost:47680');
  });

  it('refuses what is not an origin (hub-address-invalid, naming the problem) and http to another computer (hub-address-insecure)', () => {
    expect(codeOf(() => desktopHubOrigin('http://10.0.0.5:47680/v1'))).toBe('hub-address-invalid');
    expect(codeOf(() => desktopHubOrigin('https://u:p@hub.example.cn'))).toBe('hub-address-invalid');
    expect(codeOf(() => desktopHubOrigin('hub.example.cn'))).toBe('hub-address-invalid');
    expect(codeOf(() => desktopHubOrigin('http://10.0.0.5:47680'))).toBe('hub-address-insecure');
    try {
      desktopHubOrigin('http://hub.example.cn/path');
    } catch (error) {
      expect((error as HubShellError).details).toMatchObject({ address: 'http://hub.example.cn/path', problem: 'path' });
    }
  });
});

describe('hub.json', () => {
  it('is null until set, keeps the origin, forgets it, and keeps other keys', async () => {
    const file = path.join(folder, 'user', 'hub.json');
    const store = createHubAddressStore(file);
    expect(await store.get()).toBeNull();
    await store.set('https://hub.example.cn');
    expect(await store.get()).toBe('https://hub.example.cn');
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual({ address: 'https://hub.example.cn' });
    await writeFile(file, JSON.stringify({ address: 'https://hub.example.cn', later: 1 }));
    await store.set(null);
    expect(await store.get()).toBeNull();
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual({ address: null, later: 1 });
    expect((await readdir(path.dirname(file))).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });

  it('ignores an invalid or unreadable file (no hub), and refuses to store a non-origin', async () => {
    const file = path.join(folder, 'hub.json');
    const log = vi.fn<(message: string) => void>();
    const store = createHubAddressStore(file, log);
    await writeFile(file, '{"address": "http://evil.cn/path"}');
    expect(await store.get()).toBeNull();
    await writeFile(file, '{"address": "http://a..b"}');
    expect(await store.get()).toBeNull();
    await writeFile(file, '{not json');
    expect(await store.get()).toBeNull();
    expect(log).toHaveBeenCalledTimes(3);
    await expect(store.set('http://evil.cn/path')).rejects.toThrow();
  });
});

/** A stand-in for safeStorage: reversible, and never the plain text. */
function cipher(available = true, backend = 'gnome_libsecret'): TokenCipher & { encrypted: string[] } {
  const encrypted: string[] = [];
  return {
    encrypted,
    isEncryptionAvailable: () => available,
    getSelectedStorageBackend: () => backend,
    encryptString: (text) => {
      encrypted.push(text);
      return Buffer.from(`enc:${Buffer.from(text).toString('base64')}`);
    },
    decryptString: (bytes) => {
      const text = bytes.toString();
      if (!text.startsWith('enc:')) throw new Error('cannot decrypt');
      return Buffer.from(text.slice(4), 'base64').toString();
    },
  };
}

describe('the hub token', () => {
  const token = 'Ab_-0123456789abcdefghijklmnopqrstuvwxyzABC';

  it('is stored encrypted (not the plain text), loaded back and cleared', async () => {
    const file = path.join(folder, 'hub-token.bin');
    const store = createHubTokenStore(file, cipher(), 'linux');
    expect(await store.load()).toBeNull();
    await store.save(token);
    const bytes = await readFile(file);
    expect(bytes.toString()).not.toContain(token);
    expect(await store.load()).toBe(token);
    await store.clear();
    expect(await store.load()).toBeNull();
    await store.clear();
  });

  it('refuses to store it without real encryption (none, or Linux without a keyring), writing nothing', async () => {
    const file = path.join(folder, 'hub-token.bin');
    for (const refusing of [createHubTokenStore(file, cipher(false), 'win32'), createHubTokenStore(file, cipher(true, 'basic_text'), 'linux')]) {
      await expect(refusing.save(token)).rejects.toMatchObject({ code: 'hub-token-encryption-unavailable' });
      expect(await readdir(folder)).toEqual([]);
      expect(await refusing.load()).toBeNull();
    }
  });

  it('answers null for a file that no longer decrypts (sign in again)', async () => {
    const file = path.join(folder, 'hub-token.bin');
    await writeFile(file, 'garbage');
    expect(await createHubTokenStore(file, cipher(), 'darwin', () => undefined).load()).toBeNull();
  });
});

describe('the request filter and the CSP name exactly the hub origin', () => {
  const hub = 'https://hub.example.cn:8443';

  it('allows the hub origin only when one is set', () => {
    const url = `${hub}/v1/changes?counties=131102`;
    expect(isAllowedRequestUrl(url, { allowDevTools: false })).toBe(false);
    expect(isAllowedRequestUrl(url, { allowDevTools: false, hubOrigin: hub })).toBe(true);
    expect(isAllowedRequestUrl(hub, { allowDevTools: false, hubOrigin: hub })).toBe(true);
    expect(isAllowedRequestUrl('app://onemap/index.html', { allowDevTools: false, hubOrigin: hub })).toBe(true);
  });

  it.each([
    ['another port', 'https://hub.example.cn/v1/health'],
    ['another scheme', 'http://hub.example.cn:8443/v1/health'],
    ['a look-alike host', 'https://hub.example.cn.evil.cn:8443/'],
    ['a longer port', 'https://hub.example.cn:84430/'],
    ['user info', 'https://x@hub.example.cn:8443/'],
    ['user info hiding another host', 'https://hub.example.cn:8443@evil.cn/'],
    ['a backslash', 'https://hub.example.cn:8443\\@evil.cn/'],
    ['a websocket', 'wss://hub.example.cn:8443/'],
    ['another site', 'https://evil.cn/'],
  ])('refuses %s', (_why, url) => {
    expect(isHubUrl(url, hub)).toBe(false);
    expect(isAllowedRequestUrl(url, { allowDevTools: true, hubOrigin: hub })).toBe(false);
  });

  it('refuses everything when the stored origin is not canonical', () => {
    expect(isHubUrl('https://hub.example.cn/', 'https://hub.example.cn/')).toBe(false);
    expect(() => setAllowedHubOrigin('https://hub.example.cn/')).toThrow(/not a hub origin/);
  });

  it('the hub answers CORS for the origin the desktop app really has', () => {
    expect(desktopAppOrigin).toBe(appOrigin);
  });

  it("app:// responses' CSP follows the allowed origin", () => {
    expect(appResponseHeaders().get('content-security-policy')).toMatch(/connect-src 'self' data: blob:;/);
    setAllowedHubOrigin(hub);
    expect(allowedHubOrigin()).toBe(hub);
    expect(appResponseHeaders().get('content-security-policy')).toMatch(/connect-src 'self' data: blob: https:\/\/hub\.example\.cn:8443;/);
  });
});

describe('the hub IPC handlers', () => {
  const fromApp = { senderFrame: { url: 'app://onemap/index.html' } };

  function handlers() {
    const addresses = { value: null as string | null, async get() { return this.value; }, async set(origin: string | null) { this.value = origin; } };
    const changed = vi.fn<(origin: string | null) => void>();
    const tokens = createHubTokenStore(path.join(folder, 'hub-token.bin'), cipher(), 'linux');
    return { addresses, changed, implementations: hubHandlers({ addresses, tokens, onAddressChanged: changed }) };
  }

  it('stores the canonical origin and reloads once; the same address again changes nothing', async () => {
    const { addresses, changed, implementations } = handlers();
    const set = validatedHandler('setHubAddress', implementations.setHubAddress, { log: () => undefined });
    await set(fromApp, { address: 'https://Hub.Example.CN/' });
    expect(addresses.value).toBe('https://hub.example.cn');
    expect(changed).toHaveBeenCalledExactlyOnceWith('https://hub.example.cn');
    await set(fromApp, { address: 'https://hub.example.cn' });
    expect(changed).toHaveBeenCalledOnce();
    expect(await validatedHandler('getHubAddress', implementations.getHubAddress)(fromApp, {})).toBe('https://hub.example.cn');
    await set(fromApp, { address: null });
    expect(changed).toHaveBeenLastCalledWith(null);
  });

  it('a refused address reaches the renderer as its code and changes nothing', async () => {
    const { addresses, changed, implementations } = handlers();
    const set = validatedHandler('setHubAddress', implementations.setHubAddress, { log: () => undefined });
    const rejection = await set(fromApp, { address: 'http://10.0.0.5:47680' }).catch((error: unknown) => error);
    expect(fromIpcRejection(rejection)).toMatchObject({ code: 'hub-address-insecure', details: { address: 'http://10.0.0.5:47680' } });
    expect(addresses.value).toBeNull();
    expect(changed).not.toHaveBeenCalled();
    await expect(set(fromApp, { address: 5 })).rejects.toThrow(/invalid payload/);
    await expect(set(fromApp, {})).rejects.toThrow(/invalid payload/);
  });

  it('saves, loads and clears the token; refuses a token with spaces at the gate', async () => {
    const { implementations } = handlers();
    const save = validatedHandler('saveHubToken', implementations.saveHubToken, { log: () => undefined });
    const load = validatedHandler('loadHubToken', implementations.loadHubToken, { log: () => undefined });
    await save(fromApp, { token: 'abc-DEF_123' });
    expect(await load(fromApp, {})).toBe('abc-DEF_123');
    await validatedHandler('clearHubToken', implementations.clearHubToken)(fromApp, {});
    expect(await load(fromApp, {})).toBeNull();
    await expect(save(fromApp, { token: 'two words' })).rejects.toThrow(/invalid payload/);
  });
});
