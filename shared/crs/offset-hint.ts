import { WGS84_SEMI_MAJOR_AXIS_METERS } from '../geo/wgs84';
import { BD09, GCJ02, WGS84 } from './registry';
import { transform } from './transform';

/**
 * Are these longitude/latitude points really GCJ-02 or BD-09 (Amap/Tencent or Baidu coordinates)?
 *
 * GCJ-02 and BD-09 cannot be told from WGS84 by their values. What can be seen is that the points sit
 * consistently a few hundred metres off features they should coincide with. So `offsetHint` reads the
 * points three ways — as WGS84, as GCJ-02, as BD-09 — converts each reading to WGS84, and measures the
 * median distance from each point to its nearest reference point (distances capped at
 * `maxMatchDistanceMeters`). A reading is suggested when it brings the points clearly closer:
 * its median is at most half the WGS84 one, and the WGS84 one is at least `minimumShiftMeters`.
 * WGS84 is confirmed when its median is under half of both others. Otherwise the answer is `null`.
 *
 * What to pass as reference: WGS84 positions of the same kind of things the data holds, spaced farther
 * apart than the offset (≳1 km) — village centres for a village list, the wells already in the store
 * for a well register. Dense references (every road vertex) make every reading look equally good, and
 * the hint then honestly says it cannot tell. Without reference points only the shift sizes are given.
 */

type LonLat = readonly [number, number];
export type OffsetReading = typeof WGS84 | typeof GCJ02 | typeof BD09;

export interface OffsetHintOptions {
  /** Nearest-reference distances are capped here (default 2000 m). */
  maxMatchDistanceMeters?: number;
  /** The WGS84 reading must be at least this far off for an offset system to be suggested (default 150 m). */
  minimumShiftMeters?: number;
  /** At most this many points (evenly spread) are examined (default 2000). */
  sampleSize?: number;
}

export interface OffsetHint {
  /** The reading that fits the reference points, or null when the evidence does not decide. */
  suggestion: OffsetReading | null;
  /** Median distance to the nearest reference point per reading, in metres (null without references). */
  medianDistanceMeters: Record<OffsetReading, number | null>;
  /** Median distance the points would move if they were converted from GCJ-02 / BD-09 to WGS84. */
  typicalShiftMeters: { [GCJ02]: number; [BD09]: number };
  /** Points examined (after sampling and dropping non-finite ones). */
  sampleSize: number;
  zh: string;
  en: string;
}

const DEGREES = Math.PI / 180;

/** Distance in metres between two nearby points (equirectangular; ≪1 m error at a few kilometres). */
function nearbyDistanceMeters(a: LonLat, b: LonLat): number {
  const meanLatitude = ((a[1] + b[1]) / 2) * DEGREES;
  const dx = (b[0] - a[0]) * DEGREES * Math.cos(meanLatitude);
  const dy = (b[1] - a[1]) * DEGREES;
  return WGS84_SEMI_MAJOR_AXIS_METERS * Math.hypot(dx, dy);
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((left, right) => left - right);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

const isLonLat = (point: LonLat): boolean =>
  Number.isFinite(point[0]) && Number.isFinite(point[1]) && Math.abs(point[0]) <= 180 && Math.abs(point[1]) <= 90;

/** A grid of reference points with cells as large as the match radius: a lookup scans 3×3 cells. */
class ReferenceGrid {
  private readonly cells = new Map<string, LonLat[]>();
  private readonly cellDegrees: number;

  constructor(points: readonly LonLat[], private readonly radiusMeters: number) {
    // Degrees of latitude per radius; longitude cells are as many degrees, which only makes them
    // narrower in metres, so 3×3 cells still cover the radius up to ±60° latitude.
    this.cellDegrees = radiusMeters / (WGS84_SEMI_MAJOR_AXIS_METERS * DEGREES) / Math.cos(60 * DEGREES);
    for (const point of points) {
      const key = this.key(Math.floor(point[0] / this.cellDegrees), Math.floor(point[1] / this.cellDegrees));
      const cell = this.cells.get(key);
      if (cell) cell.push(point);
      else this.cells.set(key, [point]);
    }
  }

  private key(column: number, row: number): string {
    return `${column}:${row}`;
  }

  /** Distance to the nearest reference point, capped at the radius. */
  nearestMeters(point: LonLat): number {
    const column = Math.floor(point[0] / this.cellDegrees);
    const row = Math.floor(point[1] / this.cellDegrees);
    let best = this.radiusMeters;
    for (let dc = -1; dc <= 1; dc += 1) {
      for (let dr = -1; dr <= 1; dr += 1) {
        for (const reference of this.cells.get(this.key(column + dc, row + dr)) ?? []) {
          best = Math.min(best, nearbyDistanceMeters(point, reference));
        }
      }
    }
    return best;
  }
}

const round = (meters: number | null): string => (meters === null ? '—' : `${Math.round(meters)} m`);

export function offsetHint(pointsLonLat: ReadonlyArray<LonLat>, referencePointsLonLat?: ReadonlyArray<LonLat>, options: OffsetHintOptions = {}): OffsetHint {
  const radius = options.maxMatchDistanceMeters ?? 2000;
  const minimumShift = options.minimumShiftMeters ?? 150;
  const limit = options.sampleSize ?? 2000;
  const valid = pointsLonLat.filter(isLonLat);
  const step = Math.max(1, valid.length / limit);
  const points: LonLat[] = [];
  for (let index = 0; index < valid.length && points.length < limit; index += step) points.push(valid[Math.floor(index)] as LonLat);

  const readings: Record<OffsetReading, LonLat[]> = {
    [WGS84]: points,
    [GCJ02]: points.map((point) => transform(point, GCJ02, WGS84)),
    [BD09]: points.map((point) => transform(point, BD09, WGS84)),
  };
  const shift = (reading: OffsetReading): number =>
    points.length === 0 ? 0 : median(points.map((point, index) => nearbyDistanceMeters(point, readings[reading][index] as LonLat)));
  const typicalShiftMeters = { [GCJ02]: shift(GCJ02), [BD09]: shift(BD09) };

  const references = (referencePointsLonLat ?? []).filter(isLonLat);
  const empty = { [WGS84]: null, [GCJ02]: null, [BD09]: null };
  if (points.length === 0 || references.length === 0) {
    return {
      suggestion: null,
      medianDistanceMeters: empty,
      typicalShiftMeters,
      sampleSize: points.length,
      zh: `没有参照要素，无法判断。若这些点是 GCJ-02（高德/腾讯）坐标，转换后将移动约 ${round(typicalShiftMeters[GCJ02])}；若是 BD-09（百度）坐标，约 ${round(typicalShiftMeters[BD09])}。`,
      en: `No reference features, so no verdict. Read as GCJ-02 (Amap/Tencent) these points would move about ${round(typicalShiftMeters[GCJ02])}; read as BD-09 (Baidu), about ${round(typicalShiftMeters[BD09])}.`,
    };
  }

  const grid = new ReferenceGrid(references, radius);
  const medianDistanceMeters: Record<OffsetReading, number> = {
    [WGS84]: median(readings[WGS84].map((point) => grid.nearestMeters(point))),
    [GCJ02]: median(readings[GCJ02].map((point) => grid.nearestMeters(point))),
    [BD09]: median(readings[BD09].map((point) => grid.nearestMeters(point))),
  };
  const asIs = medianDistanceMeters[WGS84];
  const bestOffset: OffsetReading = medianDistanceMeters[GCJ02] <= medianDistanceMeters[BD09] ? GCJ02 : BD09;
  let suggestion: OffsetReading | null = null;
  if (asIs >= minimumShift && medianDistanceMeters[bestOffset] <= asIs / 2) suggestion = bestOffset;
  else if (asIs <= medianDistanceMeters[GCJ02] / 2 && asIs <= medianDistanceMeters[BD09] / 2) suggestion = WGS84;

  const numbers = `WGS84 ${round(asIs)}, GCJ-02 ${round(medianDistanceMeters[GCJ02])}, BD-09 ${round(medianDistanceMeters[BD09])}`;
  const verdict =
    suggestion === null
      ? { zh: '无法判断这些点是否有偏移。', en: 'Cannot tell whether these points are offset.' }
      : suggestion === WGS84
        ? { zh: '这些点与参照要素吻合，应为 WGS84/CGCS2000 坐标。', en: 'The points match the reference features as WGS84/CGCS2000.' }
        : {
            zh: `这些点整体偏离参照要素约 ${round(asIs)}，按 ${suggestion === GCJ02 ? 'GCJ-02（高德/腾讯）' : 'BD-09（百度）'} 坐标转换后吻合得更好，建议选择 ${suggestion}。`,
            en: `The points sit about ${round(asIs)} off the reference features and fit far better read as ${suggestion === GCJ02 ? 'GCJ-02 (Amap/Tencent)' : 'BD-09 (Baidu)'}: choose ${suggestion}.`,
          };
  return {
    suggestion,
    medianDistanceMeters,
    typicalShiftMeters,
    sampleSize: points.length,
    zh: `${verdict.zh}（到最近参照点的中位距离：${numbers}）`,
    en: `${verdict.en} (median distance to the nearest reference point: ${numbers})`,
  };
}
