// A position fix from either source, and what the UI derives from it (age, staleness). Pure: no
// DOM, no React — unit-tested.
import type { GnssFix, GnssQuality } from '../../../../shared/geo/nmea-fix-reader';

export type PositionSourceKind = 'device' | 'gnss';

export interface PositionFix {
  /** WGS84 degrees (both sources: the Geolocation API and GNSS receivers give WGS84). */
  lon: number;
  lat: number;
  /** 95 % horizontal radius in metres, or null when unknown. */
  accuracyM: number | null;
  /**
   * `reported`: the device's own estimate (Geolocation `coords.accuracy`); `gst`: the receiver's
   * error statistics; `hdop`: estimated from HDOP × UERE (shown as estimated).
   */
  accuracyBasis: 'reported' | 'gst' | 'hdop' | null;
  source: PositionSourceKind;
  /** When the fix was measured (device) or received (GNSS receiver), ms since the epoch, local clock. */
  at: number;
  quality?: GnssQuality;
  satellites?: number | null;
}

/** A fix older than this is drawn grey, marked stale, and not offered for "add at my position". */
export const STALE_AFTER_MS = 30_000;

export function fixAgeSeconds(fix: PositionFix, now: number): number {
  return Math.max(0, Math.floor((now - fix.at) / 1000));
}

export function isStale(fix: PositionFix, now: number): boolean {
  return now - fix.at > STALE_AFTER_MS;
}

/** A Geolocation API position as a fix (its accuracy is already a 95 % radius in metres). */
export function fixFromGeolocation(position: { coords: { longitude: number; latitude: number; accuracy: number }; timestamp: number }): PositionFix {
  const accuracy = position.coords.accuracy;
  return {
    lon: position.coords.longitude,
    lat: position.coords.latitude,
    accuracyM: Number.isFinite(accuracy) && accuracy > 0 ? accuracy : null,
    accuracyBasis: Number.isFinite(accuracy) && accuracy > 0 ? 'reported' : null,
    source: 'device',
    at: position.timestamp,
  };
}

export function fixFromGnss(fix: GnssFix, receivedAt: number): PositionFix {
  return {
    lon: fix.lon,
    lat: fix.lat,
    accuracyM: fix.accuracyM,
    accuracyBasis: fix.accuracyBasis,
    source: 'gnss',
    at: receivedAt,
    quality: fix.quality,
    satellites: fix.satellites,
  };
}

/** Accuracy as shown: whole metres from 10 m up, one decimal below, centimetres below 1 m. */
export function formatAccuracy(accuracyM: number): string {
  if (accuracyM >= 10) return String(Math.round(accuracyM));
  if (accuracyM >= 1) return accuracyM.toFixed(1);
  return accuracyM.toFixed(2);
}
