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

interface WebGlobals {
  TextDecoder: TextDecoderConstructor;
  TextEncoder: new () => TextEncoderLike;
  setTimeout(callback: () => void, milliseconds: number): unknown;
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

/** Lets a worker handle messages (a Cancel) during a long loop. */
export const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => web.setTimeout(resolve, 0));

/** What shared/io reads of an AbortSignal (structurally compatible with the DOM's and Node's). */
export interface AbortSignalLike {
  readonly aborted: boolean;
  readonly reason?: unknown;
}
