/**
 * Chromium switches the desktop shell sets — one definition, used by the shell
 * (electron/main/main.ts), the kill test (tests/e2e/helpers/reliability.ts), the e2e suite and
 * the benches (tests/e2e/helpers/chromium.ts, which leaves low-end mode out for in-memory
 * profiles and says why), so tests and benches run the configuration that ships.
 */

/**
 * `enable-low-end-device-mode` makes `IsLowEndDevice()` true, so IndexedDB's LevelDB does not
 * reuse its log (nor its MANIFEST) across launches. With log reuse, a hard kill mid-write leaves a
 * torn record that the next launch appends after; the open after that reads a checksum mismatch
 * and Chromium deletes the whole origin's IndexedDB (google/leveldb#1287). Chromium has no other
 * switch for it: `reuse_logs = !IsLowEndDevice()` (third_party/leveldatabase/env_chromium.cc).
 */
export const LEVELDB_SAFE_SWITCH = 'enable-low-end-device-mode';

/**
 * Low-end mode also caps every renderer's V8 heap at ~260 MiB (a page of a few million features
 * crashes). An explicit old-space size overrides that cap; V8 honours it under low-end mode
 * (tests/e2e/desktop-heap.spec.ts holds 2 GiB with these switches).
 */
export const RENDERER_HEAP_MIB = 4096;

export interface ChromiumSwitch {
  readonly name: string;
  readonly value?: string;
}

/** The desktop shell's switches, in the form of Electron's `app.commandLine.appendSwitch(name, value)`. */
export const DESKTOP_SWITCHES: readonly ChromiumSwitch[] = [
  { name: LEVELDB_SAFE_SWITCH },
  { name: 'js-flags', value: `--max-old-space-size=${RENDERER_HEAP_MIB}` },
];

/** A switch as a command-line argument (`--name` or `--name=value`), as Playwright launches Chromium. */
export function switchArgument(entry: ChromiumSwitch): string {
  return entry.value === undefined ? `--${entry.name}` : `--${entry.name}=${entry.value}`;
}

/** {@link DESKTOP_SWITCHES} as command-line arguments. */
export const DESKTOP_SWITCH_ARGUMENTS: readonly string[] = DESKTOP_SWITCHES.map(switchArgument);
