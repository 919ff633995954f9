import { existsSync } from 'node:fs';
import { DESKTOP_SWITCH_ARGUMENTS, LEVELDB_SAFE_SWITCH } from '../../../shared/shell/chromium-switches';

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

/**
 * The desktop shell's switches, for a browser whose profiles live on disk as the desktop's does
 * (the kill test, the heap test).
 */
export const desktopChromiumArguments = [...offlineChromiumArguments, ...DESKTOP_SWITCH_ARGUMENTS];

/**
 * What the e2e suite and the benches launch: the desktop shell's switches but low-end mode. Their
 * contexts keep storage in memory, and there Chromium under low-end mode refuses every OPFS write
 * with QuotaExceededError (even 1 MiB; the same write succeeds in a profile on disk), so every
 * backup and import would fail. The heap limit is the desktop's: it comes from the V8 flag.
 */
export const chromiumArguments = [...offlineChromiumArguments, ...DESKTOP_SWITCH_ARGUMENTS.filter((argument) => argument !== `--${LEVELDB_SAFE_SWITCH}`)];
