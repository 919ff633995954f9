/**
 * NMEA 0183 sentences from an external GNSS receiver (serial, USB or Bluetooth SPP), as a surveyor's
 * receiver sends them: GGA (fix, quality, satellites, HDOP, altitude), RMC (fix status, date), GSA
 * (DOP) and GST (error statistics: σ latitude / σ longitude in metres). Every sentence's checksum is
 * checked; a bad sentence is dropped with its reason, never half-used. Combining the sentences of an
 * epoch into a fix is nmea-fix-reader.ts.
 */

/** Longest line kept while looking for its end: NMEA allows 82 characters; proprietary sentences run longer. */
export const NMEA_MAX_LINE_LENGTH = 164;

export type NmeaRejectReason =
  /** The line does not start with `$` (binary protocol bytes, wrong baud rate, AIS `!` sentences). */
  | 'not-nmea'
  /** Longer than NMEA_MAX_LINE_LENGTH. */
  | 'too-long'
  /** No `*hh` at the end. */
  | 'missing-checksum'
  /** The XOR of the characters between `$` and `*` differs from `hh`. */
  | 'checksum-mismatch'
  /** A used sentence type whose fields are missing or out of range. */
  | 'malformed'
  /** A valid sentence of a type this reader does not use (GSV, VTG, GLL, proprietary …): skipped. */
  | 'ignored-type';

export const nmeaRejectReasons: readonly NmeaRejectReason[] = ['not-nmea', 'too-long', 'missing-checksum', 'checksum-mismatch', 'malformed', 'ignored-type'];

/** UTC time of day of a sentence, in seconds since midnight (fractions kept). */
export type UtcSeconds = number;

export interface NmeaGga {
  type: 'GGA';
  talker: string;
  time: UtcSeconds | null;
  lat: number | null;
  lon: number | null;
  /** 0 invalid, 1 GPS (SPS), 2 DGPS, 3 PPS, 4 RTK fixed, 5 RTK float, 6 dead reckoning, 7 manual, 8 simulation. */
  quality: number;
  satellites: number | null;
  hdop: number | null;
  /** Above mean sea level (the geoid), metres. */
  altitudeM: number | null;
}

export interface NmeaRmc {
  type: 'RMC';
  talker: string;
  time: UtcSeconds | null;
  /** Status A (valid); V is a warning: no usable fix. */
  valid: boolean;
  lat: number | null;
  lon: number | null;
  speedKnots: number | null;
  courseDeg: number | null;
  /** `YYYY-MM-DD` from the ddmmyy field, or null. */
  date: string | null;
  /** NMEA 2.3+ mode indicator (A autonomous, D differential, R/F RTK, E estimated, N not valid …), or null. */
  mode: string | null;
}

export interface NmeaGsa {
  type: 'GSA';
  talker: string;
  /** 1 no fix, 2 2D, 3 3D. */
  fixType: 1 | 2 | 3;
  pdop: number | null;
  hdop: number | null;
  vdop: number | null;
}

export interface NmeaGst {
  type: 'GST';
  talker: string;
  time: UtcSeconds | null;
  rangeRms: number | null;
  /** 1σ error of latitude and longitude, metres (null when the receiver leaves them empty). */
  latSigmaM: number | null;
  lonSigmaM: number | null;
  altSigmaM: number | null;
}

export type NmeaSentence = NmeaGga | NmeaRmc | NmeaGsa | NmeaGst;

export type NmeaParseResult = { ok: true; sentence: NmeaSentence } | { ok: false; reason: NmeaRejectReason; detail: string };

/** XOR of the characters of `body` (what lies between `$` and `*`). */
export function nmeaChecksum(body: string): number {
  let sum = 0;
  for (let index = 0; index < body.length; index += 1) sum ^= body.charCodeAt(index) & 0xff;
  return sum;
}

class MalformedSentence extends Error {}

function fail(detail: string): never {
  throw new MalformedSentence(detail);
}

function optionalNumber(field: string | undefined, name: string): number | null {
  if (field === undefined || field === '') return null;
  if (!/^[-+]?\d+(\.\d*)?$|^[-+]?\.\d+$/.test(field)) fail(`${name} "${field}" is not a number`);
  return Number(field);
}

function optionalNonNegative(field: string | undefined, name: string): number | null {
  const value = optionalNumber(field, name);
  if (value !== null && value < 0) fail(`${name} ${value} is negative`);
  return value;
}

function utcTime(field: string | undefined): UtcSeconds | null {
  if (field === undefined || field === '') return null;
  const match = /^(\d{2})(\d{2})(\d{2}(?:\.\d+)?)$/.exec(field);
  if (!match) fail(`time "${field}" is not hhmmss.ss`);
  const [hours, minutes, seconds] = [Number(match[1]), Number(match[2]), Number(match[3])];
  // 60 s is a leap second.
  if (hours > 23 || minutes > 59 || seconds >= 61) fail(`time "${field}" is out of range`);
  return hours * 3600 + minutes * 60 + seconds;
}

/** `ddmm.mmmm` + N/S or `dddmm.mmmm` + E/W → signed decimal degrees; null when both fields are empty. */
function coordinate(value: string | undefined, hemisphere: string | undefined, axis: 'lat' | 'lon'): number | null {
  if ((value ?? '') === '' && (hemisphere ?? '') === '') return null;
  const degreeDigits = axis === 'lat' ? 2 : 3;
  const match = new RegExp(`^(\\d{${degreeDigits}})(\\d{2}(?:\\.\\d+)?)$`).exec(value ?? '');
  if (!match) fail(`${axis === 'lat' ? 'latitude' : 'longitude'} "${value ?? ''}" is not ${axis === 'lat' ? 'ddmm.mmmm' : 'dddmm.mmmm'}`);
  const degrees = Number(match[1]);
  const minutes = Number(match[2]);
  if (minutes >= 60) fail(`${axis === 'lat' ? 'latitude' : 'longitude'} "${value}" has ${minutes} minutes`);
  const magnitude = degrees + minutes / 60;
  if (magnitude > (axis === 'lat' ? 90 : 180)) fail(`${axis === 'lat' ? 'latitude' : 'longitude'} ${magnitude} is out of range`);
  const [positive, negative] = axis === 'lat' ? ['N', 'S'] : ['E', 'W'];
  if (hemisphere === positive) return magnitude;
  if (hemisphere === negative) return -magnitude;
  return fail(`${axis === 'lat' ? 'latitude' : 'longitude'} hemisphere "${hemisphere ?? ''}" is not ${positive} or ${negative}`);
}

function requireFields(fields: readonly string[], count: number, type: string): void {
  // fields[0] is the address (e.g. GPGGA); later NMEA versions append fields, so more is fine.
  if (fields.length - 1 < count) fail(`${type} has ${fields.length - 1} fields, needs ${count}`);
}

function parseGga(talker: string, f: readonly string[]): NmeaGga {
  requireFields(f, 14, 'GGA');
  const quality = optionalNumber(f[6], 'fix quality');
  if (quality === null || !Number.isInteger(quality) || quality < 0 || quality > 8) fail(`fix quality "${f[6]}" is not 0–8`);
  const lat = coordinate(f[2], f[3], 'lat');
  const lon = coordinate(f[4], f[5], 'lon');
  if (quality > 0 && (lat === null || lon === null)) fail(`fix quality ${quality} without a position`);
  return {
    type: 'GGA',
    talker,
    time: utcTime(f[1]),
    lat,
    lon,
    quality,
    satellites: optionalNonNegative(f[7], 'satellites'),
    hdop: optionalNonNegative(f[8], 'HDOP'),
    altitudeM: optionalNumber(f[9], 'altitude'),
  };
}

function parseRmc(talker: string, f: readonly string[]): NmeaRmc {
  requireFields(f, 11, 'RMC');
  if (f[2] !== 'A' && f[2] !== 'V') fail(`status "${f[2]}" is not A or V`);
  const lat = coordinate(f[3], f[4], 'lat');
  const lon = coordinate(f[5], f[6], 'lon');
  const mode = f[12] ? f[12] : null;
  const valid = f[2] === 'A' && mode !== 'N';
  if (valid && (lat === null || lon === null)) fail('status A without a position');
  let date: string | null = null;
  if (f[9]) {
    const match = /^(\d{2})(\d{2})(\d{2})$/.exec(f[9]);
    if (!match) fail(`date "${f[9]}" is not ddmmyy`);
    const [day, month, year] = [Number(match[1]), Number(match[2]), Number(match[3])];
    if (day < 1 || day > 31 || month < 1 || month > 12) fail(`date "${f[9]}" is out of range`);
    // Two-digit years: 80–99 are 1980–1999 (GPS started in 1980), 00–79 are 2000–2079.
    date = `${year >= 80 ? 1900 + year : 2000 + year}-${match[2]}-${match[1]}`;
  }
  return {
    type: 'RMC',
    talker,
    time: utcTime(f[1]),
    valid,
    lat,
    lon,
    speedKnots: optionalNonNegative(f[7], 'speed'),
    courseDeg: optionalNumber(f[8], 'course'),
    date,
    mode,
  };
}

function parseGsa(talker: string, f: readonly string[]): NmeaGsa {
  requireFields(f, 17, 'GSA');
  const fixType = Number(f[2]);
  if (f[2] !== '1' && f[2] !== '2' && f[2] !== '3') fail(`fix type "${f[2]}" is not 1, 2 or 3`);
  return {
    type: 'GSA',
    talker,
    fixType: fixType as 1 | 2 | 3,
    pdop: optionalNonNegative(f[15], 'PDOP'),
    hdop: optionalNonNegative(f[16], 'HDOP'),
    vdop: optionalNonNegative(f[17], 'VDOP'),
  };
}

function parseGst(talker: string, f: readonly string[]): NmeaGst {
  requireFields(f, 8, 'GST');
  return {
    type: 'GST',
    talker,
    time: utcTime(f[1]),
    rangeRms: optionalNonNegative(f[2], 'RMS'),
    latSigmaM: optionalNonNegative(f[6], 'σ latitude'),
    lonSigmaM: optionalNonNegative(f[7], 'σ longitude'),
    altSigmaM: optionalNonNegative(f[8], 'σ altitude'),
  };
}

const parsers: Record<string, (talker: string, fields: readonly string[]) => NmeaSentence> = {
  GGA: parseGga,
  RMC: parseRmc,
  GSA: parseGsa,
  GST: parseGst,
};

/**
 * Parses one NMEA 0183 sentence (`$`…`*hh`, line ending optional). The checksum is required and
 * verified; any talker (GP, GN, GL, GA, GB/BD, GQ …) is accepted for GGA, RMC, GSA and GST.
 */
export function parseNmeaSentence(line: string): NmeaParseResult {
  const text = line.replace(/[\r\n]+$/, '');
  if (!text.startsWith('$')) return { ok: false, reason: 'not-nmea', detail: 'does not start with $' };
  if (text.length > NMEA_MAX_LINE_LENGTH) return { ok: false, reason: 'too-long', detail: `${text.length} characters` };
  const star = text.lastIndexOf('*');
  if (star < 0 || !/^[0-9A-Fa-f]{2}$/.test(text.slice(star + 1))) return { ok: false, reason: 'missing-checksum', detail: 'no *hh at the end' };
  const body = text.slice(1, star);
  const expected = Number.parseInt(text.slice(star + 1), 16);
  const actual = nmeaChecksum(body);
  if (actual !== expected) {
    const hex = (value: number) => value.toString(16).toUpperCase().padStart(2, '0');
    return { ok: false, reason: 'checksum-mismatch', detail: `checksum is ${hex(actual)}, sentence says ${hex(expected)}` };
  }
  const fields = body.split(',');
  const address = fields[0] ?? '';
  // Standard sentences: 2-letter talker + 3-letter type. Proprietary ones start with P.
  const standard = /^([A-Z]{2})([A-Z]{3})$/.exec(address);
  const parse = standard && !address.startsWith('P') ? parsers[standard[2]!] : undefined;
  if (!standard || !parse) return { ok: false, reason: 'ignored-type', detail: address };
  try {
    return { ok: true, sentence: parse(standard[1]!, fields) };
  } catch (error) {
    if (error instanceof MalformedSentence) return { ok: false, reason: 'malformed', detail: `${address}: ${error.message}` };
    throw error;
  }
}
