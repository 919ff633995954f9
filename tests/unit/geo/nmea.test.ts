import { describe, expect, it } from 'vitest';
import { NMEA_MAX_LINE_LENGTH, nmeaChecksum, parseNmeaSentence } from '../../../shared/geo/nmea';
import { DEFAULT_UERE_METERS, NmeaFixReader, type NmeaEvent } from '../../../shared/geo/nmea-fix-reader';

// Real receiver output, with the receivers' own checksums:
//
// - SIRF_TRIG: the gpsd project's regression log test/daemon/beidou-gb.log (gpsd, BSD-2-Clause;
//   https://gitlab.com/gpsd/gpsd/-/blob/master/test/daemon/beidou-gb.log): an AtlasVI/PrimaII
//   SiRF-TriG receiver (GPS + BeiDou, NMEA 4.00) in Shanghai, 2015-03-02, submitted by Eli Huang.
//   Four epochs in the receiver's order: three without a fix (GGA quality 0, RMC V), then the
//   first fix; GSV, GNS and the proprietary PSRFEPE are sentences the reader does not use.
// - TRIMBLE_GGA / TRIMBLE_GST: the example sentences of Trimble's NMEA-0183 reference for its GNSS
//   receivers (https://receiverhelp.trimble.com/alloy-gnss/en-us/NMEA-0183messages_GGA.html and
//   …_GST.html): one DGPS epoch, 17:28:14.0 UTC, with the receiver's error statistics (σ lat 0.023 m,
//   σ lon 0.020 m).
const SIRF_TRIG = `$PSRFEPE,053229.438,V,,,,,*23
$GPGGA,053229.438,,,,,0,00,,,M,0.0,M,,0000*56
$GNGNS,053229.438,,,,,NNNN,00,,,0.0,,0000*63
$GNGSA,A,1,,,,,,,,,,,,,,,*00
$GPGSV,6,1,21,05,00,000,27,06,00,000,24,07,00,000,24,11,00,000,22*7C
$GPGSV,6,2,21,12,00,000,50,14,57,107,48,16,00,000,22,18,55,190,50*76
$GPGSV,6,3,21,21,00,000,23,22,57,198,50,24,15,335,42,25,00,000,22*7C
$GPGSV,6,4,21,26,00,000,24,28,00,000,22,31,58,140,35,27,56,093,*70
$GPGSV,6,5,21,09,44,071,,15,24,255,,04,18,332,,17,15,022,*7B
$GPGSV,6,6,21,23,05,259,*40
$GBGSV,2,1,05,201,00,000,44,202,14,089,35,204,00,000,42,205,27,091,*66
$GBGSV,2,2,05,209,07,033,*62
$GNRMC,053229.438,V,,,,,,,020315,,,N*56
$PSRFEPE,053230.438,V,,,,,*2B
$GPGGA,053230.438,,,,,0,00,,,M,0.0,M,,0000*5E
$GNGNS,053230.438,,,,,NNNN,00,,,0.0,,0000*6B
$GNGSA,A,1,,,,,,,,,,,,,,,*00
$GNRMC,053230.438,V,,,,,,,020315,,,N*5E
$PSRFEPE,053231.438,V,,,,,*2A
$GPGGA,053231.438,,,,,0,00,,,M,0.0,M,,0000*5F
$GNGNS,053231.438,,,,,NNNN,00,,,0.0,,0000*6A
$GNGSA,A,1,,,,,,,,,,,,,,,*00
$GNRMC,053231.438,V,,,,,,,020315,,,N*5F
$PSRFEPE,053232.438,A,1.2,5.77,12.97,1.2,180.0*21
$GPGGA,053232.438,3114.8789,N,12135.2442,E,1,06,1.2,153.8,M,8.3,M,,0000*6A
$GNGNS,053232.438,3114.8789,N,12135.2442,E,ANNA,07,1.2,153.8,8.3,,0000*5F
$GNGSA,A,3,22,18,14,12,31,24,,,,,,,2.5,1.2,2.2*23
$GNGSA,A,3,201,,,,,,,,,,,,2.5,1.2,2.2*1B
$GPGSV,6,1,21,22,80,039,49,18,50,119,51,14,51,342,48,12,20,061,50*78
$GBGSV,3,1,11,201,49,147,44,202,23,250,35,204,35,123,42,213,83,243,*6D
$GNRMC,053232.438,A,3114.8789,N,12135.2442,E,0.26,167.42,020315,,,A*70
$PSRFEPE,053233.438,A,1.2,25.61,66.06,0.3,180.0*1E
$GPGGA,053233.438,3114.8821,N,12135.2428,E,1,06,1.2,167.2,M,8.3,M,,0000*67
$GNGSA,A,3,22,18,14,12,31,24,,,,,,,2.5,1.2,2.2*23
$GNRMC,053233.438,A,3114.8821,N,12135.2428,E,0.07,167.42,020315,,,A*73
`.replace(/\n/g, '\r\n');

const TRIMBLE_GGA = '$GPGGA,172814.0,3723.46587704,N,12202.26957864,W,2,6,1.2,18.893,M,-25.669,M,2.0,0031*4F';
const TRIMBLE_GST = '$GPGST,172814.0,0.006,0.023,0.020,273.6,0.023,0.020,0.031*6A';

/** A sentence with its checksum computed independently of the code under test. */
function sentence(body: string): string {
  let sum = 0;
  for (const character of body) sum ^= character.charCodeAt(0);
  return `$${body}*${sum.toString(16).toUpperCase().padStart(2, '0')}`;
}

const fixes = (events: NmeaEvent[]) => events.flatMap((event) => (event.kind === 'fix' ? [event.fix] : []));

describe('parseNmeaSentence', () => {
  it('verifies the checksum of real sentences and reads GGA', () => {
    const result = parseNmeaSentence('$GPGGA,053232.438,3114.8789,N,12135.2442,E,1,06,1.2,153.8,M,8.3,M,,0000*6A');
    expect(result).toEqual({
      ok: true,
      sentence: { type: 'GGA', talker: 'GP', time: 5 * 3600 + 32 * 60 + 32.438, lat: 31 + 14.8789 / 60, lon: 121 + 35.2442 / 60, quality: 1, satellites: 6, hdop: 1.2, altitudeM: 153.8 },
    });
    expect(nmeaChecksum('GPGGA,053232.438,3114.8789,N,12135.2442,E,1,06,1.2,153.8,M,8.3,M,,0000')).toBe(0x6a);
  });

  it('reads the western hemisphere as negative longitude (Trimble GGA) and GST σ in metres', () => {
    const gga = parseNmeaSentence(TRIMBLE_GGA);
    expect(gga.ok && gga.sentence.type === 'GGA' && [gga.sentence.lat, gga.sentence.lon, gga.sentence.quality]).toEqual([
      37 + 23.46587704 / 60,
      -(122 + 2.26957864 / 60),
      2,
    ]);
    const gst = parseNmeaSentence(TRIMBLE_GST);
    expect(gst).toEqual({ ok: true, sentence: { type: 'GST', talker: 'GP', time: 17 * 3600 + 28 * 60 + 14, rangeRms: 0.006, latSigmaM: 0.023, lonSigmaM: 0.02, altSigmaM: 0.031 } });
  });

  it('reads RMC with its status, date and mode; a void RMC has no fix', () => {
    const rmc = parseNmeaSentence('$GNRMC,053232.438,A,3114.8789,N,12135.2442,E,0.26,167.42,020315,,,A*70');
    expect(rmc.ok && rmc.sentence).toMatchObject({ type: 'RMC', talker: 'GN', valid: true, date: '2015-03-02', mode: 'A', speedKnots: 0.26 });
    const voided = parseNmeaSentence('$GNRMC,053229.438,V,,,,,,,020315,,,N*56');
    expect(voided.ok && voided.sentence).toMatchObject({ type: 'RMC', valid: false, lat: null, lon: null });
  });

  it('refuses a sentence whose checksum does not match, naming both values', () => {
    // One digit of the real sentence changed (longitude 12135.2442 → 12135.2443).
    const result = parseNmeaSentence('$GPGGA,053232.438,3114.8789,N,12135.2443,E,1,06,1.2,153.8,M,8.3,M,,0000*6A');
    expect(result).toEqual({ ok: false, reason: 'checksum-mismatch', detail: 'checksum is 6B, sentence says 6A' });
  });

  it('refuses a sentence without a checksum, or that is not NMEA', () => {
    expect(parseNmeaSentence('$GPGGA,053232.438,3114.8789,N,12135.2442,E,1,06,1.2,153.8,M,8.3,M,,0000')).toMatchObject({ ok: false, reason: 'missing-checksum' });
    expect(parseNmeaSentence('!AIVDM,1,1,,A,13aEOK?P00PD2wVMdLDRhgvL289?,0*26')).toMatchObject({ ok: false, reason: 'not-nmea' });
    expect(parseNmeaSentence(`$GPTXT,${'x'.repeat(NMEA_MAX_LINE_LENGTH)}*00`)).toMatchObject({ ok: false, reason: 'too-long' });
  });

  it('refuses out-of-range or malformed fields even with a valid checksum, saying which field', () => {
    expect(parseNmeaSentence(sentence('GPGGA,053232.438,3161.0000,N,12135.2442,E,1,06,1.2,153.8,M,8.3,M,,0000'))).toEqual({
      ok: false,
      reason: 'malformed',
      detail: 'GPGGA: latitude "3161.0000" has 61 minutes',
    });
    expect(parseNmeaSentence(sentence('GPGGA,053232.438,9130.0000,N,12135.2442,E,1,06,1.2,153.8,M,8.3,M,,0000'))).toMatchObject({ reason: 'malformed', detail: expect.stringContaining('out of range') });
    expect(parseNmeaSentence(sentence('GPGGA,053232.438,3114.8789,X,12135.2442,E,1,06,1.2,153.8,M,8.3,M,,0000'))).toMatchObject({ reason: 'malformed', detail: expect.stringContaining('hemisphere') });
    expect(parseNmeaSentence(sentence('GPGGA,253232.438,3114.8789,N,12135.2442,E,1,06,1.2,153.8,M,8.3,M,,0000'))).toMatchObject({ reason: 'malformed', detail: expect.stringContaining('time') });
    expect(parseNmeaSentence(sentence('GPGGA,053232.438,3114.8789,N,12135.2442,E,1,06,abc,153.8,M,8.3,M,,0000'))).toMatchObject({ reason: 'malformed', detail: expect.stringContaining('HDOP') });
    expect(parseNmeaSentence(sentence('GPGGA,053232.438,,,,,1,06,1.2,153.8,M,8.3,M,,0000'))).toMatchObject({ reason: 'malformed', detail: expect.stringContaining('without a position') });
    expect(parseNmeaSentence(sentence('GPGGA,053232.438,3114.8789,N'))).toMatchObject({ reason: 'malformed', detail: expect.stringContaining('fields') });
    expect(parseNmeaSentence(sentence('GPGSV,1,1,00'))).toMatchObject({ ok: false, reason: 'ignored-type', detail: 'GPGSV' });
  });
});

describe('NmeaFixReader', () => {
  it('turns a real receiver log into no-fix epochs, then fixes estimated from HDOP (no GST sent)', () => {
    const reader = new NmeaFixReader();
    const events = reader.push(SIRF_TRIG);
    expect(events.map((event) => event.kind)).toEqual(['no-fix', 'no-fix', 'no-fix', 'fix', 'fix']);
    const [first, second] = fixes(events);
    expect(first).toEqual({
      lon: 121 + 35.2442 / 60,
      lat: 31 + 14.8789 / 60,
      accuracyM: 2 * 1.2 * DEFAULT_UERE_METERS,
      accuracyBasis: 'hdop',
      hdop: 1.2,
      quality: 'gps',
      satellites: 6,
      altitudeM: 153.8,
      utcTime: 5 * 3600 + 32 * 60 + 32.438,
      talker: 'GP',
    });
    expect(second).toMatchObject({ lat: 31 + 14.8821 / 60, lon: 121 + 35.2428 / 60, altitudeM: 167.2 });
    const stats = reader.stats();
    const lines = SIRF_TRIG.trim().split('\r\n');
    expect(stats.lines).toBe(lines.length);
    expect(stats.used).toEqual({ GGA: 5, RMC: 5, GSA: 6, GST: 0 });
    expect(stats.rejected['ignored-type']).toBe(lines.length - 16);
    expect(stats.rejected['checksum-mismatch'] + stats.rejected.malformed + stats.rejected['missing-checksum']).toBe(0);
  });

  it('gives the same events whatever the chunking of the byte stream', () => {
    const whole = new NmeaFixReader().push(SIRF_TRIG);
    const reader = new NmeaFixReader();
    const piecewise: NmeaEvent[] = [];
    for (let index = 0; index < SIRF_TRIG.length; index += 7) piecewise.push(...reader.push(SIRF_TRIG.slice(index, index + 7)));
    expect(piecewise).toEqual(whole);
  });

  it('uses the receiver’s GST σ as 2DRMS: first as an improvement of the HDOP estimate, then directly', () => {
    const reader = new NmeaFixReader();
    const first = fixes(reader.push(`${TRIMBLE_GGA}\r\n`));
    expect(first).toHaveLength(1);
    expect(first[0]).toMatchObject({ accuracyBasis: 'hdop', accuracyM: 2 * 1.2 * DEFAULT_UERE_METERS, quality: 'dgps', lon: -(122 + 2.26957864 / 60) });
    const improved = fixes(reader.push(`${TRIMBLE_GST}\r\n`));
    expect(improved).toHaveLength(1);
    expect(improved[0]!.accuracyBasis).toBe('gst');
    expect(improved[0]!.accuracyM).toBeCloseTo(2 * Math.sqrt(0.023 ** 2 + 0.02 ** 2), 12);
    // The next epoch: the reader now knows this receiver sends GST, so its GGA waits for it and
    // the fix is reported once, with the receiver's own accuracy (no HDOP estimate in between).
    expect(reader.push(`${sentence('GPGGA,172815.0,3723.46590000,N,12202.26960000,W,2,6,1.2,18.9,M,-25.669,M,2.0,0031')}\r\n`)).toEqual([]);
    const next = fixes(reader.push(`${sentence('GPGST,172815.0,0.006,0.030,0.020,273.6,0.030,0.040,0.031')}\r\n`));
    expect(next).toHaveLength(1);
    expect(next[0]).toMatchObject({ accuracyBasis: 'gst', lat: 37 + 23.4659 / 60 });
    expect(next[0]!.accuracyM).toBeCloseTo(0.1, 12);
  });

  it('reports a fix still missing its GST when the next epoch starts (the receiver stopped sending GST)', () => {
    const reader = new NmeaFixReader();
    reader.push(`${TRIMBLE_GGA}\r\n${TRIMBLE_GST}\r\n`);
    expect(reader.push(`${sentence('GPGGA,172815.0,3723.46590000,N,12202.26960000,W,2,6,0.9,18.9,M,-25.669,M,2.0,0031')}\r\n`)).toEqual([]);
    const reported = fixes(reader.push(`${sentence('GPGGA,172816.0,3723.46600000,N,12202.26970000,W,2,6,0.9,18.9,M,-25.669,M,2.0,0031')}\r\n`));
    expect(reported).toHaveLength(1);
    expect(reported[0]).toMatchObject({ utcTime: 17 * 3600 + 28 * 60 + 15, accuracyBasis: 'hdop', accuracyM: 2 * 0.9 * DEFAULT_UERE_METERS });
    expect(fixes(reader.flush())).toMatchObject([{ utcTime: 17 * 3600 + 28 * 60 + 16 }]);
  });

  it('uses the HDOP of GSA with the stated UERE when the receiver sends no GGA (RMC first, then GSA)', () => {
    const reader = new NmeaFixReader({ uereM: 3 });
    const rmc = fixes(reader.push(`${sentence('GNRMC,082356.00,A,3744.10000,N,11540.50000,E,0.010,,300621,,,D,V')}\r\n`));
    // Without GGA or GST ever seen, the RMC is a fix at once, with no accuracy yet …
    expect(rmc).toMatchObject([{ quality: 'dgps', accuracyM: null, accuracyBasis: null, lat: 37 + 44.1 / 60, lon: 115 + 40.5 / 60 }]);
    // … which the epoch's GSA then gives: 2 · HDOP 0.80 · UERE 3 m.
    const improved = fixes(reader.push(`${sentence('GNGSA,A,3,02,05,13,15,18,20,23,24,,,,,1.60,0.80,1.38,1')}\r\n`));
    expect(improved).toHaveLength(1);
    expect(improved[0]!.accuracyBasis).toBe('hdop');
    expect(improved[0]!.accuracyM).toBeCloseTo(4.8, 12);
    expect(reader.push(`${sentence('GNGSA,A,3,65,66,,,,,,,,,,,1.60,0.80,1.38,2')}\r\n`)).toEqual([]);
  });

  it('reports no fix for GGA quality 0, manual input (7) and simulation (8), and for a void RMC', () => {
    for (const quality of [0, 7, 8]) {
      const reader = new NmeaFixReader();
      const position = quality === 0 ? ',,,' : '3744.10000,N,11540.50000,E';
      expect(reader.push(`${sentence(`GPGGA,082356.00,${position},${quality},00,,,M,,M,,`)}\r\n`)).toEqual([{ kind: 'no-fix', utcTime: 8 * 3600 + 23 * 60 + 56 }]);
    }
    // A void RMC from a receiver that sends no GGA is a no-fix at once; from one that sends GGA,
    // the epoch's GGA decides.
    expect(new NmeaFixReader().push(`${sentence('GNRMC,082356.00,V,,,,,,,300621,,,N,V')}\r\n`)).toEqual([{ kind: 'no-fix', utcTime: 8 * 3600 + 23 * 60 + 56 }]);
    const reader = new NmeaFixReader();
    reader.push(`${sentence('GPGGA,082355.00,,,,,0,00,,,M,,M,,')}\r\n`);
    expect(reader.push(`${sentence('GNRMC,082356.00,V,,,,,,,300621,,,N,V')}\r\n`)).toEqual([]);
    expect(reader.push(`${sentence('GPGGA,082356.00,3744.10000,N,11540.50000,E,1,05,2.0,20.0,M,,M,,')}\r\n`)).toMatchObject([{ kind: 'fix', fix: { accuracyM: 2 * 2 * DEFAULT_UERE_METERS } }]);
  });

  it('drops bad lines with a counted reason and keeps the last problem, without losing the good ones', () => {
    const reader = new NmeaFixReader();
    // One digit of a real sentence changed: its checksum no longer matches.
    const corrupted = '$GPGGA,053232.438,3114.8789,N,12135.2443,E,1,06,1.2,153.8,M,8.3,M,,0000*6A';
    const events = reader.push(['\u00b5b\u0001\u0007garbage', corrupted, 'GPGGA,no dollar', TRIMBLE_GGA.slice(0, -3), TRIMBLE_GGA, ''].join('\r\n'));
    expect(fixes(events)).toEqual([expect.objectContaining({ lat: 37 + 23.46587704 / 60 })]);
    const stats = reader.stats();
    expect(stats.lines).toBe(5);
    expect(stats.rejected).toEqual({ 'not-nmea': 2, 'too-long': 0, 'missing-checksum': 1, 'checksum-mismatch': 1, malformed: 0, 'ignored-type': 0 });
    expect(stats.used.GGA).toBe(1);
    expect(stats.lastProblem).toEqual({ reason: 'missing-checksum', detail: 'no *hh at the end' });
    const single = new NmeaFixReader();
    expect(single.push(`${corrupted}\r\n`)).toEqual([]);
    expect(single.stats().lastProblem).toEqual({ reason: 'checksum-mismatch', detail: 'checksum is 6B, sentence says 6A' });
  });

  it('does not grow without bound on a stream with no line ends (wrong baud rate)', () => {
    const reader = new NmeaFixReader();
    for (let index = 0; index < 100; index += 1) reader.push('\u00ff\u00fe'.repeat(50));
    expect(reader.stats().rejected['too-long']).toBeGreaterThan(0);
    // It recovers at the next good sentence.
    expect(fixes(reader.push(`\r\n${TRIMBLE_GGA}\r\n`))).toHaveLength(1);
  });
});
