import { CrsError } from './crs-error';

/**
 * The coordinate systems OneMap reads and writes, by code.
 *
 * Axis order at every API of `shared/crs` is always [easting or longitude, northing or latitude],
 * whatever the EPSG registry says (it lists the CGCS2000 Gauss-Krüger codes as northing first and
 * EPSG:4326/4490 as latitude first). Data written northing-first is recognised by
 * `detectCoordinateSystem` (axisOrder 'yx') and must be swapped before `transform`.
 *
 * Datum: CGCS2000 and WGS84 differ by a few centimetres, below what planning data carries. OneMap
 * treats them as the same datum, as PROJ does for these codes (`projinfo -s EPSG:4326 -t EPSG:4490`
 * gives "Ballpark geographic offset", `+proj=noop`; see tests/fixtures/crs/cs2cs-datum.json).
 */

export type CrsKind = 'geographic' | 'projected' | 'offset';

export interface CrsName {
  zh: string;
  en: string;
}

export interface CrsInfo {
  /** Canonical code: `EPSG:nnnn`, `GCJ-02` or `BD-09`. */
  code: string;
  name: CrsName;
  /** geographic: degrees on CGCS2000/WGS84; projected: Gauss-Krüger metres; offset: the obfuscated consumer-map degrees. */
  kind: CrsKind;
  /** Gauss-Krüger zone number (3° zones 25–45, 6° zones 13–23), also for the codes that leave it out of the easting. */
  zone?: number;
  zoneWidthDegrees?: 3 | 6;
  centralMeridian?: number;
  /** True when the easting starts with the zone number (zone 39: 39 500 000 on the central meridian). */
  zonePrefix: boolean;
  /** Metres added to the easting (0 for geographic and offset systems). */
  falseEasting: number;
  unit: 'degree' | 'metre';
}

export const WGS84 = 'EPSG:4326';
export const CGCS2000 = 'EPSG:4490';
export const GCJ02 = 'GCJ-02';
export const BD09 = 'BD-09';

interface GaussKrugerRange {
  firstCode: number;
  lastCode: number;
  zoneWidthDegrees: 3 | 6;
  zonePrefix: boolean;
}

// From the EPSG registry as shipped with PROJ 9.1 (`projinfo EPSG:nnnn -o PROJ`).
// Note EPSG:4502 is the 6° "CM 75E" code: 4491–4501 are the prefixed 6° zones 13–23.
const GAUSS_KRUGER_RANGES: readonly GaussKrugerRange[] = [
  { firstCode: 4491, lastCode: 4501, zoneWidthDegrees: 6, zonePrefix: true },
  { firstCode: 4502, lastCode: 4512, zoneWidthDegrees: 6, zonePrefix: false },
  { firstCode: 4513, lastCode: 4533, zoneWidthDegrees: 3, zonePrefix: true },
  { firstCode: 4534, lastCode: 4554, zoneWidthDegrees: 3, zonePrefix: false },
];

const FIRST_ZONE: Record<3 | 6, number> = { 3: 25, 6: 13 };
const ZONE_COUNT: Record<3 | 6, number> = { 3: 21, 6: 11 };

function centralMeridianOfZone(zone: number, zoneWidthDegrees: 3 | 6): number {
  return zoneWidthDegrees === 3 ? 3 * zone : 6 * zone - 3;
}

function zoneOfCentralMeridian(centralMeridian: number, zoneWidthDegrees: 3 | 6): number {
  return zoneWidthDegrees === 3 ? centralMeridian / 3 : (centralMeridian + 3) / 6;
}

function gaussKrugerInfo(epsg: number): CrsInfo | null {
  const range = GAUSS_KRUGER_RANGES.find((candidate) => epsg >= candidate.firstCode && epsg <= candidate.lastCode);
  if (!range) return null;
  const zone = FIRST_ZONE[range.zoneWidthDegrees] + (epsg - range.firstCode);
  const centralMeridian = centralMeridianOfZone(zone, range.zoneWidthDegrees);
  const falseEasting = range.zonePrefix ? zone * 1_000_000 + 500_000 : 500_000;
  const width = range.zoneWidthDegrees;
  const widthEn = width === 3 ? '3-degree ' : '';
  const widthZh = width === 3 ? '3度带' : '6度带';
  const name: CrsName = range.zonePrefix
    ? { en: `CGCS2000 / ${widthEn}Gauss-Kruger zone ${zone}`, zh: `CGCS2000 ${widthZh}高斯-克吕格 第${zone}带（坐标带号前缀）` }
    : { en: `CGCS2000 / ${widthEn}Gauss-Kruger CM ${centralMeridian}E`, zh: `CGCS2000 ${widthZh}高斯-克吕格 中央经线${centralMeridian}°E（无带号）` };
  return {
    code: `EPSG:${epsg}`,
    name,
    kind: 'projected',
    zone,
    zoneWidthDegrees: width,
    centralMeridian,
    zonePrefix: range.zonePrefix,
    falseEasting,
    unit: 'metre',
  };
}

const NON_PROJECTED: Record<string, CrsInfo> = {
  [WGS84]: {
    code: WGS84,
    name: { en: 'WGS 84 (longitude, latitude)', zh: 'WGS84 经纬度（GPS）' },
    kind: 'geographic',
    zonePrefix: false,
    falseEasting: 0,
    unit: 'degree',
  },
  [CGCS2000]: {
    code: CGCS2000,
    name: { en: 'China Geodetic Coordinate System 2000 (longitude, latitude)', zh: 'CGCS2000 经纬度（2000国家大地坐标系）' },
    kind: 'geographic',
    zonePrefix: false,
    falseEasting: 0,
    unit: 'degree',
  },
  [GCJ02]: {
    code: GCJ02,
    name: { en: 'GCJ-02 (Amap/Gaode, Tencent and other Chinese consumer maps)', zh: 'GCJ-02 国测局坐标（火星坐标：高德、腾讯等地图）' },
    kind: 'offset',
    zonePrefix: false,
    falseEasting: 0,
    unit: 'degree',
  },
  [BD09]: {
    code: BD09,
    name: { en: 'BD-09 (Baidu Maps)', zh: 'BD-09 百度坐标' },
    kind: 'offset',
    zonePrefix: false,
    falseEasting: 0,
    unit: 'degree',
  },
};

const ALIASES: Record<string, string> = {
  WGS84: WGS84,
  'WGS 84': WGS84,
  'WGS-84': WGS84,
  CRS84: WGS84,
  'OGC:CRS84': WGS84,
  'URN:OGC:DEF:CRS:OGC:1.3:CRS84': WGS84,
  'URN:OGC:DEF:CRS:OGC::CRS84': WGS84,
  'HTTP://WWW.OPENGIS.NET/DEF/CRS/OGC/1.3/CRS84': WGS84,
  CGCS2000: CGCS2000,
  'CGCS 2000': CGCS2000,
  'GCJ-02': GCJ02,
  GCJ02: GCJ02,
  'GCJ 02': GCJ02,
  'BD-09': BD09,
  BD09: BD09,
  'BD 09': BD09,
  BD09LL: BD09,
};

const EPSG_PATTERNS: readonly RegExp[] = [
  /^(?:EPSG:{1,2})?(\d{4,5})$/,
  /^URN:OGC:DEF:CRS:EPSG:[\d.]*:(\d{4,5})$/,
  /^HTTPS?:\/\/WWW\.OPENGIS\.NET\/DEF\/CRS\/EPSG\/[\d.]+\/(\d{4,5})$/,
];

/**
 * The info for an EPSG number OneMap supports, or null. Accepts nothing else; see `crsInfo` for strings.
 */
function infoForEpsg(epsg: number): CrsInfo | null {
  return NON_PROJECTED[`EPSG:${epsg}`] ?? gaussKrugerInfo(epsg);
}

/**
 * The canonical code for how people and files write a CRS: `EPSG:4527`, `epsg:4527`, `4527`,
 * `urn:ogc:def:crs:EPSG::4527`, `http://www.opengis.net/def/crs/EPSG/0/4527`, `OGC:CRS84`, `WGS84`,
 * `CGCS2000`, `GCJ02`, `bd09`… Returns null when the text names nothing OneMap supports.
 */
export function canonicalCrsCode(text: string): string | null {
  const upper = text.trim().toUpperCase();
  const alias = ALIASES[upper];
  if (alias) return alias;
  for (const pattern of EPSG_PATTERNS) {
    const match = pattern.exec(upper);
    if (match?.[1]) return infoForEpsg(Number(match[1]))?.code ?? null;
  }
  return null;
}

/** Everything known about a supported CRS; throws `CrsError('unsupported-crs')` otherwise. */
export function crsInfo(code: string): CrsInfo {
  const canonical = canonicalCrsCode(code);
  const info = canonical ? (NON_PROJECTED[canonical] ?? gaussKrugerInfo(Number(canonical.slice('EPSG:'.length)))) : null;
  if (!info) {
    throw new CrsError(
      'unsupported-crs',
      {
        zh: `不支持的坐标系“${code}”。支持：WGS84（EPSG:4326）、CGCS2000（EPSG:4490）、CGCS2000 高斯-克吕格 3度带/6度带（EPSG:4491–4554）、GCJ-02、BD-09。`,
        en: `Unsupported coordinate system "${code}". Supported: WGS84 (EPSG:4326), CGCS2000 (EPSG:4490), CGCS2000 Gauss-Krüger 3° and 6° zones (EPSG:4491–4554), GCJ-02, BD-09.`,
      },
      { crs: code },
    );
  }
  return info;
}

/** Every supported code, geographic first, then the Gauss-Krüger codes in EPSG order, then GCJ-02 and BD-09. */
export const supportedCrs: readonly string[] = Object.freeze([
  WGS84,
  CGCS2000,
  ...GAUSS_KRUGER_RANGES.flatMap((range) =>
    Array.from({ length: range.lastCode - range.firstCode + 1 }, (_, offset) => `EPSG:${range.firstCode + offset}`),
  ),
  GCJ02,
  BD09,
]);

/**
 * The code of a CGCS2000 Gauss-Krüger system given its parameters, or null when OneMap has none
 * (a central meridian that is not a 3°/6° zone's, a zone outside China's).
 */
export function gaussKrugerCode(parameters: { zoneWidthDegrees: 3 | 6; centralMeridian: number; zonePrefix: boolean }): string | null {
  const { zoneWidthDegrees, centralMeridian, zonePrefix } = parameters;
  const zone = zoneOfCentralMeridian(centralMeridian, zoneWidthDegrees);
  const first = FIRST_ZONE[zoneWidthDegrees];
  if (!Number.isInteger(zone) || zone < first || zone >= first + ZONE_COUNT[zoneWidthDegrees]) return null;
  const range = GAUSS_KRUGER_RANGES.find((candidate) => candidate.zoneWidthDegrees === zoneWidthDegrees && candidate.zonePrefix === zonePrefix);
  return range ? `EPSG:${range.firstCode + zone - first}` : null;
}

/** The 3° zone number a prefixed easting carries (38 for 38 500 000), or the 6° one (13–23), else null. */
export function zoneFromPrefixedEasting(easting: number): { zone: number; zoneWidthDegrees: 3 | 6 } | null {
  if (!Number.isFinite(easting)) return null;
  const zone = Math.floor(easting / 1_000_000);
  if (zone >= 25 && zone <= 45) return { zone, zoneWidthDegrees: 3 };
  if (zone >= 13 && zone <= 23) return { zone, zoneWidthDegrees: 6 };
  return null;
}

/** The proj4 definition of a Gauss-Krüger code (on the GRS80 ellipsoid, as PROJ defines CGCS2000). */
export function proj4Definition(info: CrsInfo): string {
  if (info.kind !== 'projected' || info.centralMeridian === undefined) throw new Error(`${info.code} is not projected`);
  return `+proj=tmerc +lat_0=0 +lon_0=${info.centralMeridian} +k=1 +x_0=${info.falseEasting} +y_0=0 +ellps=GRS80 +units=m +no_defs`;
}
