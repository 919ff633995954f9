/**
 * Main's side of the team hub (shared/ipc/hub.ts), without Electron imports so it is unit-tested
 * in Node: the address (userData `hub.json`, written atomically), what an address may be on the
 * desktop, and the token (a file under userData encrypted by Electron's safeStorage, handed in as
 * `TokenCipher`; never stored in plain text).
 */
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { HubShellError, hubOriginSchema } from '../../shared/ipc/hub';
import { hubOriginOf, isLoopbackOrigin } from '../../shared/shell/hub-origin';

/**
 * The origin a hub address typed on the desktop stands for, or a HubShellError. Plain http only
 * to this computer: the app's pages are a secure context, and Chromium blocks their requests to
 * http elsewhere as mixed content (use `npm run hub -- --cert … --key …`).
 */
export function desktopHubOrigin(address: string): string {
  const result = hubOriginOf(address);
  if (!result.ok) {
    throw new HubShellError('hub-address-invalid', `hub address ${JSON.stringify(address.slice(0, 200))} is not an http(s) origin (${result.problem})`, {
      address: address.slice(0, 200),
      problem: result.problem,
      example: 'http://127.0.0.1:47680',
    });
  }
  if (result.origin.startsWith('http:') && !isLoopbackOrigin(result.origin)) {
    throw new HubShellError('hub-address-insecure', `hub address ${result.origin} uses plain http to another computer; the desktop app needs https there`, {
      address: result.origin,
      scheme: 'https',
    });
  }
  return result.origin;
}

/** Write `text` to `filePath` through a temporary file renamed over it: a crash leaves the old or the new file. */
async function writeAtomically(filePath: string, data: string | Uint8Array, mode: number): Promise<void> {
  try {
    await mkdir(path.dirname(filePath), { recursive: true });
    const temporaryPath = `${filePath}.${process.pid}.tmp`;
    await writeFile(temporaryPath, data, { mode });
    await rename(temporaryPath, filePath);
  } catch (error) {
    throw new HubShellError('hub-settings-write-failed', `cannot write ${path.basename(filePath)}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`, {}, { cause: error });
  }
}

const hubFileSchema = z.looseObject({ address: hubOriginSchema.nullable().optional() });

export interface HubAddressStore {
  get(): Promise<string | null>;
  /** Store a canonical origin (desktopHubOrigin's) or null. */
  set(origin: string | null): Promise<void>;
}

/** `hub.json` in userData; a missing or invalid file means no hub. Writes are queued, last one wins. */
export function createHubAddressStore(filePath: string, log: (message: string) => void = console.warn): HubAddressStore {
  let writes: Promise<void> = Promise.resolve();
  async function read(): Promise<z.infer<typeof hubFileSchema>> {
    let text: string;
    try {
      text = await readFile(filePath, 'utf8');
    } catch {
      return {};
    }
    try {
      const parsed = hubFileSchema.safeParse(JSON.parse(text));
      if (parsed.success) return parsed.data;
      log(`[hub] ignoring invalid ${filePath}: ${z.prettifyError(parsed.error)}`);
    } catch (error) {
      log(`[hub] ignoring unreadable ${filePath}: ${String(error)}`);
    }
    return {};
  }
  return {
    async get() {
      await writes;
      return (await read()).address ?? null;
    },
    set(origin) {
      const write = writes.then(async () => {
        const next = { ...(await read()), address: hubOriginSchema.nullable().parse(origin) };
        await writeAtomically(filePath, `${JSON.stringify(next, null, 2)}\n`, 0o644);
      });
      writes = write.catch(() => undefined);
      return write;
    },
  };
}

/** The parts of Electron's safeStorage the token store uses. */
export interface TokenCipher {
  isEncryptionAvailable(): boolean;
  encryptString(plainText: string): Buffer;
  decryptString(encrypted: Buffer): string;
  /** Linux only: 'basic_text' means a key hard-coded in Chromium (no keyring), i.e. no real encryption. */
  getSelectedStorageBackend?(): string;
}

export interface HubTokenStore {
  load(): Promise<string | null>;
  save(token: string): Promise<void>;
  clear(): Promise<void>;
}

function encryptionAvailable(cipher: TokenCipher, platform: NodeJS.Platform): boolean {
  if (!cipher.isEncryptionAvailable()) return false;
  if (platform === 'linux' && cipher.getSelectedStorageBackend?.() === 'basic_text') return false;
  return true;
}

function encryptionUnavailable(): HubShellError {
  return new HubShellError('hub-token-encryption-unavailable', 'the system offers no key to encrypt the hub token (no keyring); it is not stored');
}

/**
 * The hub token in `filePath`, encrypted. Without real encryption nothing is written (save refuses,
 * load answers null: the user signs in again). A file that no longer decrypts (another user, a new
 * keyring) is treated as no token.
 */
export function createHubTokenStore(filePath: string, cipher: TokenCipher, platform: NodeJS.Platform = process.platform, log: (message: string) => void = console.warn): HubTokenStore {
  return {
    async load() {
      let bytes: Buffer;
      try {
        bytes = await readFile(filePath);
      } catch {
        return null;
      }
      if (!encryptionAvailable(cipher, platform)) return null;
      try {
        return cipher.decryptString(bytes);
      } catch (error) {
        log(`[hub] the stored hub token cannot be decrypted; sign in again (${String(error)})`);
        return null;
      }
    },
    async save(token) {
      if (!encryptionAvailable(cipher, platform)) throw encryptionUnavailable();
      await writeAtomically(filePath, cipher.encryptString(token), 0o600);
    },
    async clear() {
      await rm(filePath, { force: true });
    },
  };
}
