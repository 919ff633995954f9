/**
 * NMEA 0183 from an external GNSS receiver (serial, USB or Bluetooth SPP), as a surveyor's receiver
 * sends it: GGA (fix, quality, satellites, HDOP, altitude), RMC (fix status, date), GSA (DOP) and
 * GST (error statistics: σ latitude / σ longitude in metres). Every sentence's checksum is checked;
 * a bad sentence is dropped and counted by reason, never half-used.
 *
 * Positions are WGS84 (what GNSS receivers output): no GCJ-02 shift, and none is needed, since the
 * basemap is WGS84 too.
 *
 * Accuracy is reported as a 95 % horizontal radius in metres, the same meaning as the W3C
 * Geolocation API's `coords.accuracy`, so both position sources draw the same circle:
 * - from GST: 2DRMS = 2 · √(σlat² + σlon²) (95–98 % depending on the error ellipse's shape);
 * - without GST: an estimate, 2 · HDOP · UERE, with the user-equivalent range error
 *   `DEFAULT_UERE_METERS` (a stand-alone, uncorrected fix). The UI must say it is estimated.
 */

/** 1σ user-equivalent range error assumed for an HDOP-based estimate (stand-alone GNSS, no corrections). */
export const DEFAULT_UERE_METERS = 5;

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

export type GnssQuality = 'gps' | 'dgps' | 'pps' | 'rtk-fixed' | 'rtk-float' | 'estimated';

/** One position from the receiver: WGS84 degrees, accuracy as a 95 % radius. */
export interface GnssFix {
  lon: number;
  lat: number;
  /** 95 % horizontal radius in metres, or null when the receiver gives nothing to derive it from. */
  accuracyM: number | null;
  /** `gst`: from the receiver's own σ; `hdop`: estimated as 2 · HDOP · UERE. */
  accuracyBasis: 'gst' | 'hdop' | null;
  hdop: number | null;
  quality: GnssQuality;
  satellites: number | null;
  altitudeM: number | null;
  /** UTC seconds of day of the fix, as the receiver stamped it. */
  utcTime: UtcSeconds | null;
  talker: string;
}

export type NmeaEvent = { kind: 'fix'; fix: GnssFix } | { kind: 'no-fix'; utcTime: UtcSeconds | null };

export interface NmeaStreamStats {
  /** Lines seen (complete lines, plus over-long fragments dropped). */
  lines: number;
  /** Sentences used, by type. */
  used: Record<NmeaSentence['type'], number>;
  /** Lines dropped, by reason (`ignored-type` is not an error: GSV, VTG … are simply not needed). */
  rejected: Record<NmeaRejectReason, number>;
  /** The last line dropped for a reason other than `ignored-type`, to show the user what went wrong. */
  lastProblem: { reason: NmeaRejectReason; detail: string } | null;
}

const qualityByGga: Record<number, GnssQuality | undefined> = { 1: 'gps', 2: 'dgps', 3: 'pps', 4: 'rtk-fixed', 5: 'rtk-float', 6: 'estimated' };
const qualityByRmcMode: Record<string, GnssQuality | undefined> = { A: 'gps', D: 'dgps', P: 'pps', R: 'rtk-fixed', F: 'rtk-float', E: 'estimated' };

interface Epoch {
  time: UtcSeconds | null;
  gga?: NmeaGga;
  rmc?: NmeaRmc;
  gst?: NmeaGst;
  gsaHdop?: number | null;
  /** Set once a fix (or no-fix) of this epoch has been reported. */
  reported: 'none' | 'fix' | 'no-fix';
  /** The accuracy basis of the fix reported, so a GST arriving later can improve it. */
  reportedBasis?: GnssFix['accuracyBasis'];
}

/** Epochs a sentence type is expected in after it was last seen (receivers send each one per epoch). */
const expectationWindow = 3;

/**
 * Turns a receiver's byte stream (as text) into fixes. Sentences of one epoch (same UTC time:
 * RMC, GGA, GSA, GST …, in whatever order the receiver sends them) are combined into one fix,
 * reported as soon as the epoch holds everything this stream normally sends (GGA, and GST when
 * the receiver sends GST), else when the next epoch starts. A GST (or GSA) arriving after its
 * epoch's fix was reported reports the fix again, with the better accuracy it brings.
 */
export class NmeaFixReader {
  private buffer = '';
  private epoch: Epoch = { time: null, reported: 'none' };
  private epochIndex = 0;
  private lastSeen: Partial<Record<'GGA' | 'GST', number>> = {};
  private readonly counts: NmeaStreamStats;

  constructor(private readonly options: { uereM?: number } = {}) {
    this.counts = {
      lines: 0,
      used: { GGA: 0, RMC: 0, GSA: 0, GST: 0 },
      rejected: Object.fromEntries(nmeaRejectReasons.map((reason) => [reason, 0])) as Record<NmeaRejectReason, number>,
      lastProblem: null,
    };
  }

  /** Feeds a chunk of the stream (any split, CR LF or LF line ends); returns the events it completed. */
  push(chunk: string): NmeaEvent[] {
    this.buffer += chunk;
    const events: NmeaEvent[] = [];
    let newline = this.buffer.search(/\r?\n/);
    while (newline >= 0) {
      const line = this.buffer.slice(0, newline);
      this.buffer = this.buffer.slice(newline + (this.buffer[newline] === '\r' ? 2 : 1));
      if (line.trim() !== '') events.push(...this.pushLine(line));
      newline = this.buffer.search(/\r?\n/);
    }
    // A stream without line ends (wrong baud rate, binary protocol) must not grow the buffer forever.
    if (this.buffer.length > NMEA_MAX_LINE_LENGTH + 2) {
      this.reject('too-long', `${this.buffer.length} characters without a line end`);
      this.buffer = '';
    }
    return events;
  }

  /** Feeds one complete sentence. */
  pushLine(line: string): NmeaEvent[] {
    const result = parseNmeaSentence(line.trim());
    if (!result.ok) {
      this.reject(result.reason, result.detail);
      return [];
    }
    this.counts.lines += 1;
    this.counts.used[result.sentence.type] += 1;
    return this.accept(result.sentence);
  }

  /** Reports what the current epoch holds and not yet reported (e.g. when the stream ends). */
  flush(): NmeaEvent[] {
    const events = this.report(this.epoch, true);
    this.epoch = { time: null, reported: 'none' };
    return events;
  }

  stats(): NmeaStreamStats {
    return { ...this.counts, used: { ...this.counts.used }, rejected: { ...this.counts.rejected } };
  }

  private reject(reason: NmeaRejectReason, detail: string): void {
    this.counts.lines += 1;
    this.counts.rejected[reason] += 1;
    if (reason !== 'ignored-type') this.counts.lastProblem = { reason, detail };
  }

  private accept(sentence: NmeaSentence): NmeaEvent[] {
    const events: NmeaEvent[] = [];
    const time = sentence.type === 'GSA' ? undefined : sentence.time;
    if (time === null && (sentence.type === 'GGA' || sentence.type === 'RMC')) {
      // No time (some receivers before their first fix): report it on its own.
      const lone: Epoch = sentence.type === 'GGA' ? { time: null, reported: 'none', gga: sentence } : { time: null, reported: 'none', rmc: sentence };
      return this.report(lone, true);
    }
    if (time !== undefined && time !== null && (this.epoch.time === null || Math.abs(time - this.epoch.time) > 0.0005)) {
      events.push(...this.report(this.epoch, true));
      this.epoch = { time, reported: 'none' };
      this.epochIndex += 1;
    }
    const epoch = this.epoch;
    switch (sentence.type) {
      case 'GGA':
        epoch.gga = sentence;
        this.lastSeen.GGA = this.epochIndex;
        break;
      case 'RMC':
        epoch.rmc = sentence;
        break;
      case 'GSA':
        if (sentence.hdop !== null) epoch.gsaHdop = sentence.hdop;
        break;
      case 'GST':
        if (time === null) return events;
        epoch.gst = sentence;
        this.lastSeen.GST = this.epochIndex;
        break;
    }
    events.push(...this.report(epoch, false));
    return events;
  }

  private expects(type: 'GGA' | 'GST'): boolean {
    const seen = this.lastSeen[type];
    return seen !== undefined && this.epochIndex - seen <= expectationWindow;
  }

  /** Reports the epoch's fix when it is complete (or `final`), or improves a reported one with GST. */
  private report(epoch: Epoch, final: boolean): NmeaEvent[] {
    if (epoch.reported === 'fix') {
      // A GST (or a GSA's HDOP) arriving after its epoch's fix was reported: report it again, better.
      const fix = epoch.reportedBasis === 'gst' ? null : this.fixOf(epoch);
      if (fix && basisRank[fix.accuracyBasis ?? 'none'] > basisRank[epoch.reportedBasis ?? 'none']) {
        epoch.reportedBasis = fix.accuracyBasis;
        return [{ kind: 'fix', fix }];
      }
      return [];
    }
    if (epoch.reported === 'no-fix') return [];
    const noFix = (epoch.gga !== undefined && !ggaHasFix(epoch.gga)) || (epoch.gga === undefined && epoch.rmc !== undefined && !epoch.rmc.valid);
    if (noFix) {
      // A no-fix GGA settles the epoch; a void RMC waits for the GGA that may still follow.
      if (epoch.gga !== undefined || final || !this.expects('GGA')) {
        epoch.reported = 'no-fix';
        return [{ kind: 'no-fix', utcTime: epoch.time }];
      }
      return [];
    }
    const complete = (epoch.gga !== undefined || !this.expects('GGA')) && (epoch.gst !== undefined || !this.expects('GST'));
    if (!final && !complete) return [];
    const fix = this.fixOf(epoch);
    if (!fix) return [];
    epoch.reported = 'fix';
    epoch.reportedBasis = fix.accuracyBasis;
    return [{ kind: 'fix', fix }];
  }

  private fixOf(epoch: Epoch): GnssFix | null {
    const { gga, rmc, gst } = epoch;
    const fromGga = gga && ggaHasFix(gga) ? gga : undefined;
    const fromRmc = rmc && rmc.valid ? rmc : undefined;
    const lat = fromGga?.lat ?? fromRmc?.lat ?? null;
    const lon = fromGga?.lon ?? fromRmc?.lon ?? null;
    if (lat === null || lon === null) return null;
    const hdop = fromGga?.hdop ?? epoch.gsaHdop ?? null;
    let accuracyM: number | null = null;
    let accuracyBasis: GnssFix['accuracyBasis'] = null;
    if (gst && hasSigmas(gst)) {
      accuracyM = 2 * Math.hypot(gst.latSigmaM!, gst.lonSigmaM!);
      accuracyBasis = 'gst';
    } else if (hdop !== null && hdop > 0) {
      accuracyM = 2 * hdop * (this.options.uereM ?? DEFAULT_UERE_METERS);
      accuracyBasis = 'hdop';
    }
    const quality = fromGga ? qualityByGga[fromGga.quality] : qualityByRmcMode[fromRmc?.mode ?? 'A'];
    return {
      lon,
      lat,
      accuracyM,
      accuracyBasis,
      hdop,
      quality: quality ?? 'gps',
      satellites: fromGga?.satellites ?? null,
      altitudeM: fromGga?.altitudeM ?? null,
      utcTime: epoch.time,
      talker: (fromGga ?? fromRmc)!.talker,
    };
  }
}

const basisRank = { none: 0, hdop: 1, gst: 2 } as const;

/** GGA quality 1–6 is a position; 0 is none, 7 (manual input) and 8 (simulation) are not a measurement. */
function ggaHasFix(gga: NmeaGga): boolean {
  return gga.quality >= 1 && gga.quality <= 6 && gga.lat !== null && gga.lon !== null;
}

function hasSigmas(gst: NmeaGst): boolean {
  return gst.latSigmaM !== null && gst.lonSigmaM !== null;
}
