/**
 * Chromium switches the desktop shell sets and the kill test runs with — one definition, so the
 * kill test proves the configuration that ships (tests/reliability/README.md).
 *
 * `enable-low-end-device-mode` makes `IsLowEndDevice()` true, so IndexedDB's LevelDB does not
 * reuse its log (nor its MANIFEST) across launches. With log reuse, a hard kill mid-write leaves a
 * torn record that the next launch appends after; the open after that reads a checksum mismatch
 * and Chromium deletes the whole origin's IndexedDB (google/leveldb#1287).
 */
export const LEVELDB_SAFE_SWITCH = 'enable-low-end-device-mode';
