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
}

/** The code used for a failure nobody gave a code to; its raw message becomes the technical detail. */
export const unexpectedErrorCode = 'unexpected';

/** Any thrown value as code + details (a OneMapError keeps its own). */
export function oneMapErrorData(error: unknown): OneMapErrorData {
  if (error instanceof OneMapError) return { code: error.code, details: { ...error.details } };
  return { code: unexpectedErrorCode, details: { technical: error instanceof Error ? error.message : String(error) } };
}

/** The raw message of anything thrown, for `details.technical`. */
export function technicalMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
