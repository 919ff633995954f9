/**
 * The few Web APIs shared/sync needs, reached through globalThis: they exist in browsers,
 * workers, Electron and Node 20+, but shared/ compiles without DOM or Node typings.
 */

interface SubtleCryptoLike {
  digest(algorithm: 'SHA-256', data: Uint8Array): Promise<ArrayBuffer>;
}

interface WebGlobals {
  crypto: { subtle: SubtleCryptoLike };
  TextEncoder: new () => { encode(input: string): Uint8Array };
  TextDecoder: new (label?: string, options?: { fatal?: boolean }) => { decode(input?: Uint8Array): string };
}

const web = globalThis as unknown as WebGlobals;

const encoder = new web.TextEncoder();
const strictDecoder = new web.TextDecoder('utf-8', { fatal: true });

export const encodeUtf8 = (text: string): Uint8Array => encoder.encode(text);

/** Throws on bytes that are not UTF-8. */
export const decodeUtf8 = (bytes: Uint8Array): string => strictDecoder.decode(bytes);

/** SHA-256 of `bytes` as lowercase hex. */
export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = new Uint8Array(await web.crypto.subtle.digest('SHA-256', bytes));
  let hex = '';
  for (const byte of digest) hex += byte.toString(16).padStart(2, '0');
  return hex;
}
