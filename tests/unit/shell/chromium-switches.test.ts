// The desktop shell's Chromium switches as the shell appends them and as the test browsers get them.
import { describe, expect, it } from 'vitest';
import { DESKTOP_SWITCHES, DESKTOP_SWITCH_ARGUMENTS, LEVELDB_SAFE_SWITCH, RENDERER_HEAP_MIB, switchArgument } from '../../../shared/shell/chromium-switches';
import { chromiumArguments, desktopChromiumArguments, offlineChromiumArguments } from '../../e2e/helpers/chromium';

describe('desktop Chromium switches', () => {
  it('stop LevelDB log reuse and lift the heap cap that comes with it', () => {
    expect(DESKTOP_SWITCHES).toEqual([{ name: LEVELDB_SAFE_SWITCH }, { name: 'js-flags', value: `--max-old-space-size=${RENDERER_HEAP_MIB}` }]);
    expect(DESKTOP_SWITCH_ARGUMENTS).toEqual(['--enable-low-end-device-mode', '--js-flags=--max-old-space-size=4096']);
    expect(switchArgument({ name: 'a' })).toBe('--a');
    expect(switchArgument({ name: 'a', value: 'b=c' })).toBe('--a=b=c');
  });

  it('reach the test browsers: all on disk profiles, all but low-end mode in memory', () => {
    expect(desktopChromiumArguments).toEqual([...offlineChromiumArguments, ...DESKTOP_SWITCH_ARGUMENTS]);
    expect(chromiumArguments).toEqual([...offlineChromiumArguments, '--js-flags=--max-old-space-size=4096']);
  });
});
