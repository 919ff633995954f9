import { OneMapError, type OneMapErrorData } from '../errors';

/**
 * Stable codes for everything `shared/crs` refuses. Callers (the importer, the UI) switch on `code`;
 * the zh-CN and English messages are for people.
 */
export type CrsErrorCode =
  /** The code is not one OneMap can transform (e.g. Beijing 1954, Xi'an 1980, UTM, a typo). */
  | 'unsupported-crs'
  /** NaN, Infinity, or not a number at all. */
  | 'non-finite-coordinate'
  /** A finite value outside what the coordinate system covers (latitude 95°, an easting without its zone prefix…). */
  | 'out-of-range'
  /** No points to look at, or values that look like no supported coordinate system. */
  | 'undetectable-crs'
  /** Gauss-Krüger eastings without a zone prefix that no candidate zone puts inside the workspace. */
  | 'zone-undetermined'
  /** Prefixed eastings from more than one zone in the same set of points. */
  | 'mixed-zones';

export interface CrsErrorMessage {
  zh: string;
  en: string;
}

/** A refused coordinate system or coordinate; the UI says `errors.<code>` (importers add where). */
export class CrsError extends OneMapError {
  override name = 'CrsError';
  declare readonly code: CrsErrorCode;
  /** The message in Simplified Chinese (the app's default language). */
  readonly zh: string;
  /** The message in English (also `message`). */
  readonly en: string;
  /** Machine-readable context: the offending code, point index, candidate zones… */
  declare readonly details: Readonly<Record<string, unknown>>;

  constructor(code: CrsErrorCode, message: CrsErrorMessage, details: Record<string, unknown> = {}) {
    super(code, details);
    this.message = message.en;
    this.zh = message.zh;
    this.en = message.en;
  }

  /** The specific sentence (it names the value and the zone) stays behind 详情. */
  override toData(): OneMapErrorData {
    return { code: this.code, details: { ...this.details, zh: this.zh, en: this.en } };
  }
}
