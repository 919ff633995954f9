// Playwright's Electron driver, for the desktop-shell spec. Kept apart from helpers/test.ts, whose
// automatic fixture opens a Chromium page on the web shell; the Electron spec drives the app's
// own window instead.
import { _electron as electron, expect, test, type ElectronApplication, type Page } from '@playwright/test';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export { electron, expect, test, type ElectronApplication, type Page };

export const repositoryRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const require = createRequire(import.meta.url);

/** The Electron executable, or why there is none. require('electron') throws without path.txt. */
export function findElectronBinary(): { executable: string } | { missing: string } {
  let executable: string;
  try {
    executable = require('electron') as string;
  } catch {
    return {
      missing:
        'Electron binary not installed (node_modules/electron has no downloaded binary; run `npm run install-electron` where GitHub downloads work)',
    };
  }
  return existsSync(executable)
    ? { executable }
    : { missing: `Electron binary not installed (${executable} does not exist; run \`npm run install-electron\`)` };
}
