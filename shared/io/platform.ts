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
