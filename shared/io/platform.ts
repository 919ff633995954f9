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

let units = new Uint16Array(1 << 16);
const utf16le = textDecoder('utf-16le');
/** Uint16Array holds code units little-endian here (for the utf-16le decoder). */
const littleEndian = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/**
 * UTF-8 bytes to text through a JavaScript loop to UTF-16 code units, then the runtime's UTF-16LE
 * decoder; null for anything but well-formed UTF-8 (WHATWG rules: no overlongs, no surrogates,
 * nothing above U+10FFFF, nothing cut off), which the caller then decodes the usual way to get the
 * usual error. The same text as a fatal TextDecoder for every well-formed input.
 */
export function decodeUtf8ViaUtf16(bytes: Uint8Array): string | null {
  const length = bytes.length;
  if (units.length < length) units = new Uint16Array(Math.max(length, units.length * 2));
  const out = units;
  let n = 0;
  let i = 0;
  while (i < length) {
    const lead = bytes[i] as number;
    if (lead < 0x80) {
      out[n++] = lead;
      i += 1;
    } else if (lead >= 0xc2 && lead <= 0xdf) {
      if (i + 1 >= length) return null;
      const second = bytes[i + 1] as number;
      if ((second & 0xc0) !== 0x80) return null;
      out[n++] = ((lead & 0x1f) << 6) | (second & 0x3f);
      i += 2;
    } else if (lead >= 0xe0 && lead <= 0xef) {
      if (i + 2 >= length) return null;
      const second = bytes[i + 1] as number;
      const third = bytes[i + 2] as number;
      if ((second & 0xc0) !== 0x80 || (third & 0xc0) !== 0x80) return null;
      if ((lead === 0xe0 && second < 0xa0) || (lead === 0xed && second > 0x9f)) return null;
      out[n++] = ((lead & 0x0f) << 12) | ((second & 0x3f) << 6) | (third & 0x3f);
      i += 3;
    } else if (lead >= 0xf0 && lead <= 0xf4) {
      if (i + 3 >= length) return null;
      const second = bytes[i + 1] as number;
      const third = bytes[i + 2] as number;
      const fourth = bytes[i + 3] as number;
      if ((second & 0xc0) !== 0x80 || (third & 0xc0) !== 0x80 || (fourth & 0xc0) !== 0x80) return null;
      if ((lead === 0xf0 && second < 0x90) || (lead === 0xf4 && second > 0x8f)) return null;
      const above = (((lead & 0x07) << 18) | ((second & 0x3f) << 12) | ((third & 0x3f) << 6) | (fourth & 0x3f)) - 0x10000;
      out[n++] = 0xd800 + (above >> 10);
      out[n++] = 0xdc00 + (above & 0x3ff);
      i += 4;
    } else {
      return null;
    }
  }
  return (utf16le as TextDecoderLike).decode(new Uint8Array(out.buffer, 0, n * 2));
}

const fatalUtf8 = textDecoder('utf-8', true) as TextDecoderLike;
/**
 * Browsers' TextDecoder turns UTF-8 that is not all ASCII into text at ~40 MB/s (measured in
 * Chromium 156: 1.7 s for 64 MB of the B1 points file, 0.7 s through decodeUtf8ViaUtf16); Node's
 * is ten times faster than either. So: Node's decoder in Node, the loop elsewhere.
 */
const nativeUtf8IsFast = typeof (globalThis as { process?: { versions?: { node?: unknown } } }).process?.versions?.node === 'string';

/** Well-formed UTF-8 to text, the fastest way this runtime has; null for anything else (decode it with a fatal TextDecoder for the error). */
export function decodeUtf8(bytes: Uint8Array): string | null {
  if (!nativeUtf8IsFast && littleEndian && utf16le !== null) return decodeUtf8ViaUtf16(bytes);
  try {
    return fatalUtf8.decode(bytes);
  } catch {
    return null;
  }
}
