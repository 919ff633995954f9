import { describe, expect, it } from 'vitest';
import { fixAgeSeconds, fixFromGeolocation, fixFromGnss, formatAccuracy, isStale, STALE_AFTER_MS } from '../../../renderer/src/features/gps/position-fix';

describe('GPS position fixes', () => {
  const device = fixFromGeolocation({ coords: { longitude: 115.6721, latitude: 37.7398, accuracy: 12.5 }, timestamp: 1_000_000 });

  it('takes a Geolocation position as a WGS84 fix with the device-reported 95 % accuracy', () => {
    expect(device).toEqual({ lon: 115.6721, lat: 37.7398, accuracyM: 12.5, accuracyBasis: 'reported', source: 'device', at: 1_000_000 });
    expect(fixFromGeolocation({ coords: { longitude: 1, latitude: 2, accuracy: Number.NaN }, timestamp: 0 })).toMatchObject({ accuracyM: null, accuracyBasis: null });
  });

  it('keeps a receiver fix’s accuracy basis, quality and satellites, stamped with the time it arrived', () => {
    const fix = fixFromGnss({ lon: 115.6, lat: 37.7, accuracyM: 12, accuracyBasis: 'hdop', hdop: 1.2, quality: 'dgps', satellites: 9, altitudeM: 20, utcTime: 100, talker: 'GN' }, 5000);
    expect(fix).toEqual({ lon: 115.6, lat: 37.7, accuracyM: 12, accuracyBasis: 'hdop', source: 'gnss', at: 5000, quality: 'dgps', satellites: 9 });
  });

  it('is stale only after 30 s, and counts its age in whole seconds', () => {
    expect(STALE_AFTER_MS).toBe(30_000);
    expect(isStale(device, 1_000_000 + 30_000)).toBe(false);
    expect(isStale(device, 1_000_000 + 30_001)).toBe(true);
    expect(fixAgeSeconds(device, 1_000_000 + 4_999)).toBe(4);
    // A fix stamped a little ahead of the page clock reads as 0 s, not negative.
    expect(fixAgeSeconds(device, 999_000)).toBe(0);
  });

  it('shows accuracy in whole metres from 10 m, one decimal below, centimetres below 1 m', () => {
    expect(formatAccuracy(30)).toBe('30');
    expect(formatAccuracy(12.5)).toBe('13');
    expect(formatAccuracy(8)).toBe('8.0');
    expect(formatAccuracy(0.061)).toBe('0.06');
  });
});
