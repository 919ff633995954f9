/**
 * Fixes from an external GNSS receiver's NMEA stream: the sentences of one epoch (nmea.ts) combined
 * into one position, with the stream's counts of used and dropped lines.
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
import {
  NMEA_MAX_LINE_LENGTH,
  nmeaRejectReasons,
  parseNmeaSentence,
  type NmeaGga,
  type NmeaGst,
  type NmeaRejectReason,
  type NmeaRmc,
  type NmeaSentence,
  type UtcSeconds,
} from './nmea';

/** 1σ user-equivalent range error assumed for an HDOP-based estimate (stand-alone GNSS, no corrections). */
export const DEFAULT_UERE_METERS = 5;

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
