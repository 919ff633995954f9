import { existsSync } from 'node:fs';
import { DESKTOP_SWITCH_ARGUMENTS } from '../../../shared/shell/chromium-switches';

/** Debian's Chromium (apt package `chromium`); Playwright downloads no browser of its own here. */
export function chromiumExecutable(): string {
  const candidates = [process.env.CHROMIUM_PATH, '/usr/lib/chromium/chromium', '/usr/bin/chromium'].filter(
    (candidate): candidate is string => Boolean(candidate),
  );
  const found = candidates.find((candidate) => existsSync(candidate));
  if (!found) {
    throw new Error('Chromium not found: run `sudo apt-get install -y --no-install-recommends chromium` (or set CHROMIUM_PATH)');
  }
  return found;
}

/** Keep Chromium itself from phoning home: the suite asserts that nothing leaves the machine. */
export const offlineChromiumArguments = [
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-default-apps',
  '--disable-quic',
  '--no-first-run',
  '--no-default-browser-check',
  '--disable-features=Translate,OptimizationHints,MediaRouter',
];

/** What the e2e suite, the kill test and the benches launch: offline, with the desktop shell's switches. */
export const chromiumArguments = [...offlineChromiumArguments, ...DESKTOP_SWITCH_ARGUMENTS];
