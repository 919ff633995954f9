// Tells whether the Electron binary is installed, and if not, why — in one line.
import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';

const require = createRequire(import.meta.url);

/** @returns {{ available: true, binary: string } | { available: false, reason: string }} */
export function electronAvailability() {
  let binary;
  try {
    binary = require('electron');
  } catch (error) {
    const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
    if (/Cannot find module 'electron'/.test(message)) {
      return { available: false, reason: 'the optional electron package is not installed (npm dropped it)' };
    }
    return {
      available: false,
      reason:
        'the Electron binary is not installed (its download is skipped at install because it needs GitHub; run `npm run install-electron` where GitHub downloads work)',
    };
  }
  if (typeof binary !== 'string' || !existsSync(binary)) {
    return { available: false, reason: `the Electron binary is missing at ${String(binary)}` };
  }
  return { available: true, binary };
}
