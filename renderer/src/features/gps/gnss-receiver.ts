// GNSS 接收机: an external receiver speaking NMEA 0183 over a serial, USB or Bluetooth SPP port,
// read with the Web Serial API (Chromium, and Electron with its port chooser in
// electron/main/serial.ts). The bytes go through shared/geo/nmea.ts: checksums verified, bad
// sentences counted by reason, one fix per epoch.
import { NmeaFixReader, type NmeaEvent, type NmeaStreamStats } from '../../../../shared/geo/nmea-fix-reader';

/** The part of the Web Serial API used here (not in TypeScript's DOM library yet). */
interface SerialPortLike {
  open(options: { baudRate: number; dataBits?: number; stopBits?: number; parity?: 'none' | 'even' | 'odd' }): Promise<void>;
  close(): Promise<void>;
  readonly readable: ReadableStream<Uint8Array> | null;
  getInfo(): { usbVendorId?: number; usbProductId?: number };
}
interface SerialLike {
  requestPort(options?: { filters?: unknown[] }): Promise<SerialPortLike>;
}

/** Baud rates receivers use for NMEA: 4800 is the NMEA 0183 standard, 9600 the common default. */
export const baudRates = [4800, 9600, 19200, 38400, 57600, 115200] as const;
export const defaultBaudRate = 9600;

export type GnssProblem = 'unsupported' | 'cancelled' | 'blocked' | 'open-failed' | 'lost';

export class GnssReceiverError extends Error {
  constructor(
    readonly problem: GnssProblem,
    readonly detail: string,
  ) {
    super(`${problem}: ${detail}`);
    this.name = 'GnssReceiverError';
  }
}

export function serialSupported(): boolean {
  return typeof navigator !== 'undefined' && 'serial' in navigator;
}

export interface GnssConnection {
  /** USB vendor:product of the port when it is a USB device, else null. */
  usbId: string | null;
  close(): Promise<void>;
}

/**
 * Asks the user for the receiver's port (must run in a click handler: Web Serial needs a user
 * gesture), opens it at `baudRate` (8N1) and reads until closed. Each fix or no-fix goes to
 * `onEvent` with the stream's statistics; a lost device ends with `onClosed(error)`.
 */
export async function connectGnssReceiver(
  baudRate: number,
  handlers: { onEvent(event: NmeaEvent, stats: NmeaStreamStats): void; onData(stats: NmeaStreamStats): void; onClosed(error: GnssReceiverError | null): void },
): Promise<GnssConnection> {
  const serial = (navigator as Navigator & { serial?: SerialLike }).serial;
  if (!serial) throw new GnssReceiverError('unsupported', 'navigator.serial is not available');
  let port: SerialPortLike;
  try {
    port = await serial.requestPort();
  } catch (error) {
    const name = error instanceof DOMException ? error.name : '';
    throw new GnssReceiverError(name === 'NotFoundError' || name === 'AbortError' ? 'cancelled' : 'blocked', error instanceof Error ? error.message : String(error));
  }
  try {
    await port.open({ baudRate, dataBits: 8, stopBits: 1, parity: 'none' });
  } catch (error) {
    throw new GnssReceiverError('open-failed', error instanceof Error ? error.message : String(error));
  }
  const info = port.getInfo();
  const usbId =
    info.usbVendorId !== undefined && info.usbProductId !== undefined
      ? `${info.usbVendorId.toString(16).padStart(4, '0')}:${info.usbProductId.toString(16).padStart(4, '0')}`
      : null;
  const reader = new NmeaFixReader();
  const decoder = new TextDecoder('latin1');
  let closing = false;
  let streamReader: ReadableStreamDefaultReader<Uint8Array> | null = null;

  const readLoop = async () => {
    let lastError: unknown = null;
    // A framing or parity error ends one reader but leaves `port.readable` set: read on with a new
    // one. Losing the device (unplugged, Bluetooth out of range) sets it to null: the loop ends.
    while (!closing && port.readable) {
      const current = port.readable.getReader();
      streamReader = current;
      try {
        for (;;) {
          const { value, done } = await current.read();
          if (done) break;
          const events = reader.push(decoder.decode(value, { stream: true }));
          const stats = reader.stats();
          for (const event of events) handlers.onEvent(event, stats);
          handlers.onData(stats);
        }
      } catch (error) {
        lastError = error;
      } finally {
        current.releaseLock();
        streamReader = null;
      }
    }
    if (closing) {
      handlers.onClosed(null);
      return;
    }
    await port.close().catch(() => undefined);
    handlers.onClosed(new GnssReceiverError('lost', lastError instanceof Error ? lastError.message : 'the port stopped sending'));
  };
  const loop = readLoop();

  return {
    usbId,
    async close() {
      if (closing) return;
      closing = true;
      await (streamReader as ReadableStreamDefaultReader<Uint8Array> | null)?.cancel().catch(() => undefined);
      await loop;
      await port.close().catch(() => undefined);
    },
  };
}
