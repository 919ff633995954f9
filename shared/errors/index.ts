// One shape for a failure that reaches a person: a stable `code` (the UI's locale files hold the
// sentence for it, in the UI's language) and `details` — values the sentence names (a file, a row)
// and `technical`, the raw cause (a library's English message), shown only on request (详情).

/** Values a message names (strings and numbers are interpolated), `technical`, and anything else a caller keeps. */
export type OneMapErrorDetails = Readonly<Record<string, unknown>>;

/** An error as plain data: what crosses a worker or IPC boundary, and what the UI shows. */
export interface OneMapErrorData {
  code: string;
  details: OneMapErrorDetails;
}

export class OneMapError extends Error implements OneMapErrorData {
  override name = 'OneMapError';
  readonly code: string;
  readonly details: OneMapErrorDetails;

  constructor(code: string, details: OneMapErrorDetails = {}, options?: { cause?: unknown }) {
    super(typeof details.technical === 'string' ? `${code}: ${details.technical}` : code, options);
    this.code = code;
    this.details = details;
  }

  /** The error as the UI's data; a subclass that keeps where in its own shape (ImportError) maps it. */
  toData(): OneMapErrorData {
    return { code: this.code, details: { ...this.details } };
  }
}

/** The code used for a failure nobody gave a code to; its raw message becomes the technical detail. */
export const unexpectedErrorCode = 'unexpected';

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null;

/** Already data: a OneMapError after a structured clone (a worker, IPC) keeps only its fields. */
export function isOneMapErrorData(value: unknown): value is OneMapErrorData {
  return isRecord(value) && typeof value.code === 'string' && value.code !== '' && isRecord(value.details);
}

/**
 * Any thrown value as code + details (a OneMapError keeps its own; so does its plain-data copy).
 * An error without a code that carries its own sentence in both languages (`messages: { zh, en }`)
 * keeps that sentence as `zh`/`en`: the UI says it in place of the generic one.
 */
export function oneMapErrorData(error: unknown): OneMapErrorData {
  if (error instanceof OneMapError) return error.toData();
  if (isOneMapErrorData(error)) return { code: error.code, details: { ...error.details } };
  const technical = technicalMessage(error);
  const messages = isRecord(error) && isRecord(error.messages) ? error.messages : undefined;
  if (messages && typeof messages.zh === 'string' && typeof messages.en === 'string') {
    return { code: unexpectedErrorCode, details: { zh: messages.zh, en: messages.en, technical } };
  }
  return { code: unexpectedErrorCode, details: { technical } };
}

/** The raw message of anything thrown, for `details.technical`. */
export function technicalMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
