/**
 * The few Web APIs shared/io needs, reached through globalThis: they exist in browsers, workers,
 * Electron and Node 18+, but shared/ compiles without DOM or Node typings (shared/tsconfig.json).
 */

export interface TextDecoderLike {
  decode(input?: Uint8Array, options?: { stream?: boolean }): string;
}
interface TextDecoderConstructor {
  new (label?: string, options?: { fatal?: boolean; ignoreBOM?: boolean }): TextDecoderLike;
}
interface TextEncoderLike {
  encode(input: string): Uint8Array;
}

interface MessagePortLike {
  onmessage: ((event: unknown) => void) | null;
  postMessage(message: unknown): void;
  close(): void;
}

interface WebGlobals {
  TextDecoder: TextDecoderConstructor;
  TextEncoder: new () => TextEncoderLike;
  setTimeout(callback: () => void, milliseconds: number): unknown;
  MessageChannel?: new () => { port1: MessagePortLike; port2: MessagePortLike };
}

const web = globalThis as unknown as WebGlobals;

/** A decoder for `label`, or null when this runtime does not know the encoding (a Node built without full ICU has no GBK). */
export function textDecoder(label: string, fatal = false): TextDecoderLike | null {
  try {
    return new web.TextDecoder(label, { fatal, ignoreBOM: true });
  } catch {
    return null;
  }
}

const encoder = new web.TextEncoder();
export const encodeUtf8 = (text: string): Uint8Array => encoder.encode(text);

/**
 * Lets a worker handle messages (a Cancel) during a long loop: resolves in a new task, after the
 * tasks already queued. Through a MessageChannel where there is one, not setTimeout(0): browsers
 * clamp a timer to 4 ms once timers nest 5 deep, and a loop that awaits a timer, then reads a chunk
 * that is already there, then awaits another, nests them (a 1M-feature import yields ~600 times:
 * ~2.7 s asleep in Chromium's worker); Node waits at least 1 ms for any timer.
 */
export const yieldToEventLoop = (): Promise<void> =>
  new Promise((resolve) => {
    const Channel = web.MessageChannel;
    if (Channel === undefined) {
      web.setTimeout(resolve, 0);
      return;
    }
    const channel = new Channel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      resolve();
    };
    channel.port2.postMessage(null);
  });

/** What shared/io reads of an AbortSignal (structurally compatible with the DOM's and Node's). */
export interface AbortSignalLike {
  readonly aborted: boolean;
  readonly reason?: unknown;
}

let ascii = new Uint8Array(1 << 16);
const HEX_DIGITS = [0x30, 0x31, 0x32, 0x33, 0x34, 0x35, 0x36, 0x37, 0x38, 0x39, 0x61, 0x62, 0x63, 0x64, 0x65, 0x66];
const utf8 = textDecoder('utf-8') as TextDecoderLike;

/**
 * The text of UTF-8 JSON bytes with every character beyond ASCII written as a `\uXXXX` escape (two
 * for one above U+FFFF): all ASCII, so browsers decode it on their fast path and V8 parses a
 * one-byte string. JSON.parse gives the same values as for the bytes decoded: such characters are
 * only valid inside strings, where the escape means the same. Null for anything but well-formed
 * UTF-8 (WHATWG rules: no overlongs, no surrogates, nothing above U+10FFFF, nothing cut off) and for
 * such a character escaped by a backslash (an invalid escape the rewrite would make valid): the
 * caller decodes those bytes the usual way, for the usual result or error.
 */
export function jsonTextAsAscii(bytes: Uint8Array): string | null {
  const length = bytes.length;
  // At most 3 bytes out per byte in (2 bytes → a 6-byte escape); a large buffer is not kept.
  let out = ascii;
  if (out.length < length * 3) {
    out = new Uint8Array(length * 3);
    if (out.length <= 1 << 20) ascii = out;
  }
  let n = 0;
  let i = 0;
  const unit = (code: number): void => {
    out[n] = 0x5c;
    out[n + 1] = 0x75;
    out[n + 2] = HEX_DIGITS[code >> 12] as number;
    out[n + 3] = HEX_DIGITS[(code >> 8) & 15] as number;
    out[n + 4] = HEX_DIGITS[(code >> 4) & 15] as number;
    out[n + 5] = HEX_DIGITS[code & 15] as number;
    n += 6;
  };
  while (i < length) {
    const lead = bytes[i] as number;
    if (lead < 0x80) {
      out[n++] = lead;
      i += 1;
      continue;
    }
    if (bytes[i - 1] === 0x5c) {
      // After an odd run of backslashes the character is escaped: not JSON, and the rewrite would make it so.
      let before = i - 1;
      while (before > 0 && bytes[before - 1] === 0x5c) before -= 1;
      if ((i - before) % 2 === 1) return null;
    }
    if (lead >= 0xc2 && lead <= 0xdf) {
      if (i + 1 >= length) return null;
      const second = bytes[i + 1] as number;
      if ((second & 0xc0) !== 0x80) return null;
      unit(((lead & 0x1f) << 6) | (second & 0x3f));
      i += 2;
    } else if (lead >= 0xe0 && lead <= 0xef) {
      if (i + 2 >= length) return null;
      const second = bytes[i + 1] as number;
      const third = bytes[i + 2] as number;
      if ((second & 0xc0) !== 0x80 || (third & 0xc0) !== 0x80) return null;
      if ((lead === 0xe0 && second < 0xa0) || (lead === 0xed && second > 0x9f)) return null;
      unit(((lead & 0x0f) << 12) | ((second & 0x3f) << 6) | (third & 0x3f));
      i += 3;
    } else if (lead >= 0xf0 && lead <= 0xf4) {
      if (i + 3 >= length) return null;
      const second = bytes[i + 1] as number;
      const third = bytes[i + 2] as number;
      const fourth = bytes[i + 3] as number;
      if ((second & 0xc0) !== 0x80 || (third & 0xc0) !== 0x80 || (fourth & 0xc0) !== 0x80) return null;
      if ((lead === 0xf0 && second < 0x90) || (lead === 0xf4 && second > 0x8f)) return null;
      const above = (((lead & 0x07) << 18) | ((second & 0x3f) << 12) | ((third & 0x3f) << 6) | (fourth & 0x3f)) - 0x10000;
      unit(0xd800 + (above >> 10));
      unit(0xdc00 + (above & 0x3ff));
      i += 4;
    } else {
      return null;
    }
  }
  return utf8.decode(out.subarray(0, n));
}

const fatalUtf8 = textDecoder('utf-8', true) as TextDecoderLike;
/**
 * Browsers' TextDecoder turns UTF-8 that is not all ASCII into text slowly, and V8 parses a two-byte
 * string slower than a one-byte one: in Chromium 156, 64 MB of the B1 points file in 64 KB pieces
 * took 1.8-2.3 s to decode + JSON.parse, 1.2-1.4 s through jsonTextAsAscii. Node's decoder is ten
 * times faster than either. So: Node's decoder in Node, the rewrite elsewhere.
 */
const nativeUtf8IsFast = typeof (globalThis as { process?: { versions?: { node?: unknown } } }).process?.versions?.node === 'string';

/**
 * UTF-8 JSON bytes as text for JSON.parse, the fastest way this runtime has (the values parsed are
 * the same as from the decoded bytes; the text may differ by escapes); null when the bytes are not
 * well-formed UTF-8 (decode them with a fatal TextDecoder for the error), or may not be.
 */
export function jsonTextOfUtf8(bytes: Uint8Array): string | null {
  if (!nativeUtf8IsFast) return jsonTextAsAscii(bytes);
  try {
    return fatalUtf8.decode(bytes);
  } catch {
    return null;
  }
}
