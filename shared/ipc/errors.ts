// Errors across IPC as data. Electron hands a renderer only the message of what a handler threw
// ("Error invoking remote method '<channel>': Error: <message>"), so the gate in main appends the
// error's code + details to that message after a marker, and the renderer's bridge turns such a
// rejection back into a OneMapError. The readable part before the marker stays for logs.
import { z } from 'zod';
import { OneMapError, oneMapErrorData, technicalMessage, type OneMapErrorData } from '../errors';

const MARKER = ' [onemap-error]';
/** Bounds what a renderer parses from a rejection (a path-free code and its few details). */
const MAX_ENCODED = 16_384;

const errorDataSchema = z.object({ code: z.string().min(1).max(200), details: z.record(z.string(), z.unknown()) });

/** JSON of the details' plain values only: a `cause` object or a function does not cross. */
function plainDetails(details: OneMapErrorData['details']): Record<string, unknown> {
  const plain: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(details)) {
    if (value === undefined || typeof value === 'function' || typeof value === 'symbol' || typeof value === 'bigint') continue;
    plain[key] = value;
  }
  return plain;
}

/** A rejection main sends across IPC: the error's own message, then its code + details. */
export class IpcError extends OneMapError {
  override name = 'IpcError';
  constructor(data: OneMapErrorData, readable: string, options?: { cause?: unknown }) {
    super(data.code, plainDetails(data.details), options);
    const encoded = JSON.stringify({ code: this.code, details: this.details });
    this.message = encoded.length <= MAX_ENCODED ? `${readable}${MARKER}${encoded}` : `${readable}${MARKER}${JSON.stringify({ code: this.code, details: {} })}`;
  }
}

/** Anything a handler threw, as the rejection to send (a OneMapError keeps its code; else `unexpected`). */
export function toIpcError(error: unknown): IpcError {
  if (error instanceof IpcError) return error;
  return new IpcError(oneMapErrorData(error), technicalMessage(error), { cause: error });
}

/** The code + details a main-process rejection carries, or null for any other error. */
export function ipcErrorData(error: unknown): OneMapErrorData | null {
  const message = technicalMessage(error);
  const at = message.lastIndexOf(MARKER);
  if (at < 0 || message.length - at > MAX_ENCODED + MARKER.length) return null;
  try {
    const parsed = errorDataSchema.safeParse(JSON.parse(message.slice(at + MARKER.length)));
    return parsed.success ? { code: parsed.data.code, details: parsed.data.details } : null;
  } catch {
    return null;
  }
}

/** A bridge rejection as a OneMapError (with the code main gave it), else the rejection itself. */
export function fromIpcRejection(error: unknown): unknown {
  const data = ipcErrorData(error);
  if (data === null) return error;
  const readable = technicalMessage(error).slice(0, technicalMessage(error).lastIndexOf(MARKER));
  return new OneMapError(data.code, { ...data.details, technical: typeof data.details.technical === 'string' ? data.details.technical : readable }, { cause: error });
}
