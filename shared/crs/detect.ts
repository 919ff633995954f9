import { CrsError } from './crs-error';
import { WGS84, crsInfo, gaussKrugerCode, zoneFromPrefixedEasting, type CrsInfo } from './registry';
import { transform } from './transform';
import { crsFromWkt } from './wkt';

/**
 * Which coordinate system a set of points is in, and which way round its axes are.
 *
 * Order of evidence:
 * 1. `declared` (an EPSG code or alias the user or the file's `crs` member gave) — wins outright;
 * 2. `prjWkt` (a Shapefile's .prj) — wins when recognised; an unsupported datum (Beijing 1954, Xi'an
 *    1980…) throws 'unsupported-crs'; unparseable text adds a 'prj-unrecognised' warning and falls through;
 * 3. the values themselves:
 *    - every pair within ±180/±90 → longitude/latitude, read as WGS84 (CGCS2000 is the same to a few cm);
 *      latitude-first is recognised when only that order fits (or fits the workspace better);
 *    - an 8-digit easting whose first two digits are a zone (25–45: 3°, 13–23: 6°) → that zone's code;
 *    - a 6-digit easting (0–999 999) → each 3° zone touching the workspace is tried and the one that puts
 *      the points inside the workspace is kept (warning 'zone-inferred-from-workspace');
 *    - a northing is 1 000 000–6 200 000 m (mainland China, ≈9°N–56°N); a northing in the first column
 *      means X is north, as Chinese surveyors write it → axisOrder 'yx' (warning 'axis-order-swapped').
 * GCJ-02 and BD-09 are never detected: they look exactly like WGS84. Use `offsetHint` to test for them.
 *
 * "Inside the workspace" means inside `workspaceBounds` widened by 10% of its size on each side
 * (at least 0.1°). At most `SAMPLE_SIZE` points, evenly spread, are projected to test it. A zone is
 * kept for un-prefixed eastings when it puts at least half the points inside; when two zones do
 * equally well (a workspace wider than a zone) the one placing the points nearer the workspace's
 * centre wins and a 'zone-ambiguous' warning says so. Two neighbouring 3° zones read the same
 * easting ≈3° (≈265 km at 38°N) apart, so for a county-sized workspace only one can fit.
 *
 * `axisOrder` says how the input is written: 'yx' means swap each pair before calling `transform`.
 */

export type CrsWarningCode =
  /** The first value is the northing (or latitude): swap each pair before transforming. */
  | 'axis-order-swapped'
  /** Eastings carry no zone prefix; the zone was chosen because it puts the points inside the workspace. */
  | 'zone-inferred-from-workspace'
  /** More than one candidate zone puts the points inside the workspace; the best one was kept. */
  | 'zone-ambiguous'
  /** Many of the points land outside the workspace under the chosen system. */
  | 'outside-workspace'
  /** The .prj could not be read; the system was detected from the values instead. */
  | 'prj-unrecognised'
  /** The declared system differs from the .prj's; the declared one was used. */
  | 'declared-overrides-prj'
  /** The values do not fit the declared (or .prj) system, e.g. 6-digit eastings for a prefixed zone. */
  | 'declared-crs-mismatch'
  /** Longitude/latitude without a declaration: read as WGS84, which is wrong if they came from Amap/Tencent (GCJ-02) or Baidu (BD-09). */
  | 'geographic-assumed-wgs84';

export interface CrsWarning {
  code: CrsWarningCode;
  zh: string;
  en: string;
  details?: Record<string, unknown>;
}

export type AxisOrder = 'xy' | 'yx';
export type DetectionConfidence = 'declared' | 'certain' | 'likely';

export interface CrsDetection {
  crs: string;
  axisOrder: AxisOrder;
  confidence: DetectionConfidence;
  warnings: CrsWarning[];
}

export type WorkspaceBounds = readonly [west: number, south: number, east: number, north: number];

export interface DetectionOptions {
  /** The workspace's extent in WGS84 degrees [west, south, east, north] (Hengshui ≈ [115.1, 37.0, 116.6, 38.4]). */
  workspaceBounds: WorkspaceBounds;
  /** The text of a `.prj` file (ESRI or OGC WKT1, or WKT2). */
  prjWkt?: string;
  /** A CRS the user or the file states: `EPSG:4527`, `urn:ogc:def:crs:EPSG::4527`, `GCJ-02`… */
  declared?: string;
}

const SAMPLE_SIZE = 1000;
const MIN_NORTHING = 1_000_000;
const MAX_NORTHING = 6_200_000;
/** Share of points that must land inside the (widened) workspace for 'certain' / for a zone to be chosen. */
const CERTAIN_INSIDE_SHARE = 0.9;
const CHOSEN_ZONE_INSIDE_SHARE = 0.5;

type Pair = readonly [number, number];

function warning(code: CrsWarningCode, zh: string, en: string, details?: Record<string, unknown>): CrsWarning {
  return details ? { code, zh, en, details } : { code, zh, en };
}

function checkPoints(points: ReadonlyArray<Pair>): void {
  points.forEach((point, index) => {
    for (let axis = 0; axis < 2; axis += 1) {
      const value = point[axis];
      if (typeof value !== 'number' || !Number.isFinite(value)) {
        throw new CrsError(
          'non-finite-coordinate',
          {
            zh: `第 ${index + 1} 个点的第 ${axis + 1} 个坐标值不是有限数字（${String(value)}）。`,
            en: `Point ${index + 1} has a coordinate that is not a finite number (${String(value)}).`,
          },
          { index, axis, value: String(value) },
        );
      }
    }
  });
}

function checkBounds(bounds: WorkspaceBounds): void {
  const [west, south, east, north] = bounds;
  if (![west, south, east, north].every(Number.isFinite) || west >= east || south >= north) {
    throw new CrsError(
      'out-of-range',
      { zh: '工作区范围无效（应为 [西, 南, 东, 北]，单位为度）。', en: 'Invalid workspace bounds (expected [west, south, east, north] in degrees).' },
      { bounds: [...bounds] },
    );
  }
}

function sample(points: ReadonlyArray<Pair>): Pair[] {
  if (points.length <= SAMPLE_SIZE) return [...points];
  const step = points.length / SAMPLE_SIZE;
  return Array.from({ length: SAMPLE_SIZE }, (_, index) => points[Math.floor(index * step)] as Pair);
}

const swap = (point: Pair): Pair => [point[1], point[0]];

interface Placement {
  /** Share (0–1) of the points inside the widened workspace. */
  share: number;
  /** Distance in degrees from the points' mean position to the workspace's centre (Infinity when none transform). */
  offCentreDegrees: number;
}

/** Where the points land when read as `crs` in `order`. */
function placement(points: ReadonlyArray<Pair>, crs: string, order: AxisOrder, bounds: WorkspaceBounds): Placement {
  const [west, south, east, north] = bounds;
  const marginLon = Math.max(0.1, (east - west) * 0.1);
  const marginLat = Math.max(0.1, (north - south) * 0.1);
  let inside = 0;
  let count = 0;
  let sumLon = 0;
  let sumLat = 0;
  for (const point of points) {
    try {
      const [lon, lat] = transform(order === 'xy' ? point : swap(point), crs, WGS84);
      count += 1;
      sumLon += lon;
      sumLat += lat;
      if (lon >= west - marginLon && lon <= east + marginLon && lat >= south - marginLat && lat <= north + marginLat) inside += 1;
    } catch (error) {
      if (!(error instanceof CrsError)) throw error;
    }
  }
  const offCentreDegrees = count === 0 ? Infinity : Math.hypot(sumLon / count - (west + east) / 2, sumLat / count - (south + north) / 2);
  return { share: points.length === 0 ? 0 : inside / points.length, offCentreDegrees };
}

function insideShare(points: ReadonlyArray<Pair>, crs: string, order: AxisOrder, bounds: WorkspaceBounds): number {
  return placement(points, crs, order, bounds).share;
}

const percent = (share: number): string => `${Math.round(share * 100)}%`;

function outsideWarning(share: number, crs: string): CrsWarning {
  return warning(
    'outside-workspace',
    `按 ${crs} 解读时只有 ${percent(share)} 的点落在工作区内，请确认坐标系。`,
    `Read as ${crs}, only ${percent(share)} of the points fall inside the workspace; check the coordinate system.`,
    { crs, insideShare: share },
  );
}

function swappedWarning(kind: 'projected' | 'geographic'): CrsWarning {
  return kind === 'projected'
    ? warning(
        'axis-order-swapped',
        '第一列是北坐标（X 为北，测量习惯写法），第二列是东坐标：已按 Y、X 互换读取。',
        'The first value is the northing (X is north, as Chinese surveyors write it) and the second the easting: the axes are swapped.',
      )
    : warning('axis-order-swapped', '第一列是纬度、第二列是经度：已按经纬度互换读取。', 'The first value is the latitude and the second the longitude: the axes are swapped.');
}

const allOf = (points: ReadonlyArray<Pair>, axis: 0 | 1, test: (value: number) => boolean): boolean => points.every((point) => test(point[axis]));
const isNorthing = (value: number): boolean => value >= MIN_NORTHING && value <= MAX_NORTHING;
const isPlainEasting = (value: number): boolean => value > 0 && value < 1_000_000;
const isPrefixedEasting = (value: number): boolean => zoneFromPrefixedEasting(value) !== null;
const isLongitude = (value: number): boolean => Math.abs(value) <= 180;
const isLatitude = (value: number): boolean => Math.abs(value) <= 90;

/** Axis order of points whose CRS is already known; null when neither order fits it. */
function axisOrderFor(points: ReadonlyArray<Pair>, info: CrsInfo, bounds: WorkspaceBounds): AxisOrder | null {
  if (info.kind === 'projected') {
    const fitsEasting = (value: number): boolean => Math.abs(value - info.falseEasting) < 500_000;
    const xy = allOf(points, 0, fitsEasting) && allOf(points, 1, (value) => Math.abs(value) <= 10_002_000);
    const yx = allOf(points, 1, fitsEasting) && allOf(points, 0, (value) => Math.abs(value) <= 10_002_000);
    if (xy && yx) return insideShare(sample(points), info.code, 'yx', bounds) > insideShare(sample(points), info.code, 'xy', bounds) ? 'yx' : 'xy';
    return xy ? 'xy' : yx ? 'yx' : null;
  }
  const xy = allOf(points, 0, isLongitude) && allOf(points, 1, isLatitude);
  const yx = allOf(points, 1, isLongitude) && allOf(points, 0, isLatitude);
  if (xy && yx) return insideShare(sample(points), info.code, 'yx', bounds) > insideShare(sample(points), info.code, 'xy', bounds) ? 'yx' : 'xy';
  return xy ? 'xy' : yx ? 'yx' : null;
}

function fromDeclaration(points: ReadonlyArray<Pair>, info: CrsInfo, bounds: WorkspaceBounds, warnings: CrsWarning[]): CrsDetection {
  if (points.length === 0) return { crs: info.code, axisOrder: 'xy', confidence: 'declared', warnings };
  const order = axisOrderFor(points, info, bounds);
  if (order === null) {
    const missingPrefix = info.kind === 'projected' && info.zonePrefix && (allOf(points, 0, isPlainEasting) || allOf(points, 1, isPlainEasting));
    warnings.push(
      warning(
        'declared-crs-mismatch',
        missingPrefix
          ? `声明的坐标系 ${info.code} 的东坐标应带带号 ${info.zone}，但数据中的东坐标没有带号：请改用中央经线 ${info.centralMeridian}°E 的无带号坐标系。`
          : `坐标值不符合声明的坐标系 ${info.code}（${info.name.zh}）。`,
        missingPrefix
          ? `${info.code} eastings carry the zone prefix ${info.zone}, but these do not: use the code for CM ${info.centralMeridian}E without the prefix.`
          : `The values do not fit the declared ${info.code} (${info.name.en}).`,
        { crs: info.code, reason: missingPrefix ? 'missing-zone-prefix' : 'values-out-of-range' },
      ),
    );
    return { crs: info.code, axisOrder: 'xy', confidence: 'declared', warnings };
  }
  if (order === 'yx') warnings.push(swappedWarning(info.kind === 'projected' ? 'projected' : 'geographic'));
  const share = insideShare(sample(points), info.code, order, bounds);
  if (share < CERTAIN_INSIDE_SHARE) warnings.push(outsideWarning(share, info.code));
  return { crs: info.code, axisOrder: order, confidence: 'declared', warnings };
}

function detectGeographic(points: ReadonlyArray<Pair>, bounds: WorkspaceBounds, warnings: CrsWarning[]): CrsDetection | null {
  const order = axisOrderFor(points, crsInfo(WGS84), bounds);
  if (order === null) return null;
  if (order === 'yx') warnings.push(swappedWarning('geographic'));
  warnings.push(
    warning(
      'geographic-assumed-wgs84',
      '经纬度按 WGS84/CGCS2000 读取。如果数据来自高德、腾讯（GCJ-02）或百度（BD-09）地图，请手动选择对应坐标系，否则会偏移数百米。',
      'Longitude/latitude read as WGS84/CGCS2000. If the data came from Amap or Tencent (GCJ-02) or Baidu (BD-09), choose that system by hand, or it will sit hundreds of metres off.',
    ),
  );
  const share = insideShare(sample(points), WGS84, order, bounds);
  if (share < CERTAIN_INSIDE_SHARE) warnings.push(outsideWarning(share, WGS84));
  return { crs: WGS84, axisOrder: order, confidence: share >= CERTAIN_INSIDE_SHARE ? 'certain' : 'likely', warnings };
}

function detectPrefixed(points: ReadonlyArray<Pair>, order: AxisOrder, bounds: WorkspaceBounds, warnings: CrsWarning[]): CrsDetection {
  const eastingAxis = order === 'xy' ? 0 : 1;
  const zones = new Map<string, { zone: number; zoneWidthDegrees: 3 | 6 }>();
  for (const point of points) {
    const zone = zoneFromPrefixedEasting(point[eastingAxis]);
    if (zone) zones.set(`${zone.zoneWidthDegrees}:${zone.zone}`, zone);
  }
  if (zones.size > 1) {
    const list = [...zones.values()].map((zone) => zone.zone).join(', ');
    throw new CrsError(
      'mixed-zones',
      {
        zh: `东坐标带号不一致（${list}）：同一文件中混有多个投影带，请按带拆分后分别导入。`,
        en: `The eastings carry different zone prefixes (${list}): split the file by zone and import each part.`,
      },
      { zones: [...zones.values()] },
    );
  }
  const only = [...zones.values()][0];
  if (!only) throw new Error('unreachable: prefixed eastings without a zone');
  const centralMeridian = only.zoneWidthDegrees === 3 ? 3 * only.zone : 6 * only.zone - 3;
  const crs = gaussKrugerCode({ zoneWidthDegrees: only.zoneWidthDegrees, centralMeridian, zonePrefix: true });
  if (!crs) throw new Error('unreachable: a prefixed zone without a code');
  if (order === 'yx') warnings.push(swappedWarning('projected'));
  const share = insideShare(sample(points), crs, order, bounds);
  if (share < CERTAIN_INSIDE_SHARE) warnings.push(outsideWarning(share, crs));
  return { crs, axisOrder: order, confidence: share >= CERTAIN_INSIDE_SHARE ? 'certain' : 'likely', warnings };
}

/** The unprefixed 3° Gauss-Krüger codes whose zone (CM ± 1.5°) overlaps the workspace. */
export function candidateZonesForWorkspace(bounds: WorkspaceBounds): string[] {
  const [west, , east] = bounds;
  const codes: string[] = [];
  for (let centralMeridian = 3 * Math.ceil((west - 1.5) / 3); centralMeridian - 1.5 <= east; centralMeridian += 3) {
    const code = gaussKrugerCode({ zoneWidthDegrees: 3, centralMeridian, zonePrefix: false });
    if (code) codes.push(code);
  }
  return codes;
}

function detectUnprefixed(points: ReadonlyArray<Pair>, order: AxisOrder, bounds: WorkspaceBounds, warnings: CrsWarning[]): CrsDetection {
  const sampled = sample(points);
  const scored = candidateZonesForWorkspace(bounds)
    .map((crs) => ({ crs, ...placement(sampled, crs, order, bounds) }))
    // Most points inside first; on a tie (a workspace wide enough for two zones) the reading nearer its centre.
    .sort((left, right) => right.share - left.share || left.offCentreDegrees - right.offCentreDegrees);
  const best = scored[0];
  const tried = scored.map(({ crs }) => `${crs} (${crsInfo(crs).centralMeridian}°E)`).join(', ');
  if (!best || best.share < CHOSEN_ZONE_INSIDE_SHARE) {
    throw new CrsError(
      'zone-undetermined',
      {
        zh: `东坐标没有带号，且试过的投影带（${tried || '无'}）都不能把这些点放进工作区：请手动选择坐标系（中央经线）。`,
        en: `The eastings carry no zone prefix and none of the zones tried (${tried || 'none'}) puts the points inside the workspace: choose the coordinate system (central meridian) by hand.`,
      },
      { tried: scored },
    );
  }
  if (order === 'yx') warnings.push(swappedWarning('projected'));
  const info = crsInfo(best.crs);
  warnings.push(
    warning(
      'zone-inferred-from-workspace',
      `东坐标没有带号：按工作区推断为中央经线 ${info.centralMeridian}°E 的 3 度带（${best.crs}，第 ${info.zone} 带），${percent(best.share)} 的点落在工作区内。请确认。`,
      `The eastings carry no zone prefix: zone ${info.zone} (CM ${info.centralMeridian}E, ${best.crs}) was chosen from the workspace, putting ${percent(best.share)} of the points inside it. Please confirm.`,
      { crs: best.crs, candidates: scored },
    ),
  );
  const runnerUp = scored[1];
  if (runnerUp && runnerUp.share >= CHOSEN_ZONE_INSIDE_SHARE) {
    warnings.push(
      warning(
        'zone-ambiguous',
        `${runnerUp.crs} 也能把 ${percent(runnerUp.share)} 的点放进工作区，结果可能有误，请手动确认投影带。`,
        `${runnerUp.crs} also puts ${percent(runnerUp.share)} of the points inside the workspace; confirm the zone by hand.`,
        { candidates: scored },
      ),
    );
  }
  return { crs: best.crs, axisOrder: order, confidence: 'likely', warnings };
}

function undetectable(points: ReadonlyArray<Pair>): CrsError {
  const range = (axis: 0 | 1): string => {
    const values = points.map((point) => point[axis]);
    return `${Math.min(...values)}…${Math.max(...values)}`;
  };
  const ranges = points.length > 0 ? `${range(0)} / ${range(1)}` : '—';
  return new CrsError(
    'undetectable-crs',
    {
      zh: `无法从坐标值判断坐标系（第一列 / 第二列取值范围：${ranges}）：既不像经纬度，也不像 CGCS2000 高斯-克吕格坐标。请手动选择坐标系。`,
      en: `Cannot tell the coordinate system from the values (first / second value ranges: ${ranges}): they look neither like longitude/latitude nor like CGCS2000 Gauss-Krüger metres. Choose the system by hand.`,
    },
    { pointCount: points.length },
  );
}

/** See the module comment. Throws `CrsError` for non-finite values, unsupported declarations and data it cannot place. */
export function detectCoordinateSystem(points: ReadonlyArray<Pair>, options: DetectionOptions): CrsDetection {
  const bounds = options.workspaceBounds;
  checkBounds(bounds);
  checkPoints(points);
  const warnings: CrsWarning[] = [];

  const prj = options.prjWkt !== undefined && options.prjWkt.trim() !== '' ? crsFromWkt(options.prjWkt) : null;

  if (options.declared !== undefined) {
    const info = crsInfo(options.declared);
    if (prj?.crs && prj.crs !== info.code) {
      warnings.push(
        warning(
          'declared-overrides-prj',
          `已按指定的坐标系 ${info.code} 读取，忽略 .prj 中的 ${prj.crs}。`,
          `Read as the declared ${info.code}; the .prj's ${prj.crs} was ignored.`,
          { declared: info.code, prj: prj.crs },
        ),
      );
    }
    return fromDeclaration(points, info, bounds, warnings);
  }

  if (prj) {
    if (prj.crs !== null) return fromDeclaration(points, crsInfo(prj.crs), bounds, warnings);
    if (prj.problem === 'unsupported') throw new CrsError('unsupported-crs', { zh: prj.zh, en: prj.en }, { prj: prj.name });
    warnings.push(warning('prj-unrecognised', `${prj.zh}已改为根据坐标值判断坐标系。`, `${prj.en} The system was detected from the values instead.`));
  }

  if (points.length === 0) throw undetectable(points);

  const geographic = detectGeographic(points, bounds, warnings);
  if (geographic) return geographic;

  if (allOf(points, 1, isNorthing)) {
    if (allOf(points, 0, isPrefixedEasting)) return detectPrefixed(points, 'xy', bounds, warnings);
    if (allOf(points, 0, isPlainEasting)) return detectUnprefixed(points, 'xy', bounds, warnings);
  }
  if (allOf(points, 0, isNorthing)) {
    if (allOf(points, 1, isPrefixedEasting)) return detectPrefixed(points, 'yx', bounds, warnings);
    if (allOf(points, 1, isPlainEasting)) return detectUnprefixed(points, 'yx', bounds, warnings);
  }
  throw undetectable(points);
}
