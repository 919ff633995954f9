import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { defaultUiLanguage, uiLanguageSchema, type UiLanguage } from '../../shared/ipc';

/** The preferences file in userData. Unknown keys are kept, so a newer version's file survives an older one. */
const preferencesFileSchema = z.looseObject({ language: uiLanguageSchema.optional() });

export interface LanguageStore {
  get(): Promise<UiLanguage>;
  set(language: UiLanguage): Promise<void>;
}

/**
 * The UI language, persisted as JSON in the main process. A missing or unreadable file means
 * the default (zh-CN); a write goes to a temporary file first and is renamed over the old one,
 * so a crash mid-write never leaves a truncated file. Writes are queued, last one wins.
 */
export function createLanguageStore(filePath: string, log: (message: string) => void = console.warn): LanguageStore {
  let writes: Promise<void> = Promise.resolve();

  async function readPreferences(): Promise<z.infer<typeof preferencesFileSchema>> {
    let text: string;
    try {
      text = await readFile(filePath, 'utf8');
    } catch {
      return {};
    }
    try {
      const parsed = preferencesFileSchema.safeParse(JSON.parse(text));
      if (parsed.success) return parsed.data;
      log(`[preferences] ignoring invalid ${filePath}: ${z.prettifyError(parsed.error)}`);
    } catch (error) {
      log(`[preferences] ignoring unreadable ${filePath}: ${String(error)}`);
    }
    return {};
  }

  return {
    async get() {
      await writes;
      return (await readPreferences()).language ?? defaultUiLanguage;
    },
    set(language) {
      const write = writes.then(async () => {
        const next = { ...(await readPreferences()), language: uiLanguageSchema.parse(language) };
        await mkdir(path.dirname(filePath), { recursive: true });
        const temporaryPath = `${filePath}.${process.pid}.tmp`;
        await writeFile(temporaryPath, `${JSON.stringify(next, null, 2)}\n`, 'utf8');
        await rename(temporaryPath, filePath);
      });
      writes = write.catch(() => undefined);
      return write;
    },
  };
}
