import { canonicalCrsCode, gaussKrugerCode, CGCS2000, WGS84 } from './registry';

/**
 * Just enough of WKT (OGC WKT1, ESRI WKT1 as in `.prj` files, WKT2) to name the CRS of a file:
 * WGS 84 and CGCS2000 geographic, and the CGCS2000 Gauss-Krüger systems (from the EPSG authority, else
 * from the Transverse Mercator / Gauss_Kruger parameters, else from names such as
 * `CGCS2000_3_Degree_GK_Zone_39`, `CGCS2000_3_Degree_GK_CM_117E`, `CGCS2000 / Gauss-Kruger zone 20`).
 * Anything else — Beijing 1954, Xi'an 1980, UTM, Web Mercator — is reported as unsupported, because
 * guessing would put the data tens to hundreds of metres off.
 */

export interface WktNode {
  keyword: string;
  values: WktValue[];
}
export type WktValue = string | number | WktNode;

export type WktRecognition =
  | { crs: string; via: 'authority' | 'parameters' | 'name'; name: string }
  | { crs: null; problem: 'unparseable' | 'unsupported'; name: string; zh: string; en: string };

/** Parse WKT text into a tree; throws a plain Error on malformed text. */
export function parseWkt(text: string): WktNode {
  if (!/^\s*[A-Za-z_][A-Za-z0-9_]*\s*[[(]/.test(text)) throw new Error('WKT: a KEYWORD[...] expected');
  let index = 0;
  const skipSpace = (): void => {
    while (index < text.length && /\s/.test(text[index] ?? '')) index += 1;
  };
  const parseNode = (): WktNode => {
    skipSpace();
    const start = index;
    while (index < text.length && /[A-Za-z0-9_]/.test(text[index] ?? '')) index += 1;
    const keyword = text.slice(start, index).toUpperCase();
    if (!keyword) throw new Error(`WKT: keyword expected at ${start}`);
    skipSpace();
    const open = text[index];
    if (open !== '[' && open !== '(') return { keyword, values: [] }; // a bare enum such as `NORTH`
    const close = open === '[' ? ']' : ')';
    index += 1;
    const values: WktValue[] = [];
    for (;;) {
      skipSpace();
      const character = text[index];
      if (character === undefined) throw new Error('WKT: unexpected end');
      if (character === close) {
        index += 1;
        return { keyword, values };
      }
      if (character === ',') {
        index += 1;
        continue;
      }
      if (character === '"') {
        let value = '';
        index += 1;
        for (;;) {
          const next = text[index];
          if (next === undefined) throw new Error('WKT: unterminated string');
          index += 1;
          if (next === '"') {
            if (text[index] === '"') {
              value += '"';
              index += 1;
              continue;
            }
            break;
          }
          value += next;
        }
        values.push(value);
      } else if (/[-+.\d]/.test(character)) {
        const match = /^[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?/.exec(text.slice(index));
        if (!match) throw new Error(`WKT: bad number at ${index}`);
        values.push(Number(match[0]));
        index += match[0].length;
      } else {
        values.push(parseNode());
      }
    }
  };
  const root = parseNode();
  skipSpace();
  if (index !== text.length) throw new Error('WKT: trailing text');
  return root;
}

const children = (node: WktNode, ...keywords: string[]): WktNode[] =>
  node.values.filter((value): value is WktNode => typeof value === 'object' && keywords.includes(value.keyword));
const child = (node: WktNode, ...keywords: string[]): WktNode | undefined => children(node, ...keywords)[0];
const nameOf = (node: WktNode | undefined): string => (node && typeof node.values[0] === 'string' ? node.values[0] : '');

/** Every node below `node` (depth first). */
function descendants(node: WktNode): WktNode[] {
  return node.values.flatMap((value) => (typeof value === 'object' ? [value, ...descendants(value)] : []));
}

/** `AUTHORITY["EPSG","4527"]` (WKT1) or `ID["EPSG",4527]` (WKT2) directly on the node. */
function authorityCode(node: WktNode): string | null {
  const authority = child(node, 'AUTHORITY', 'ID');
  if (!authority) return null;
  const [name, code] = authority.values;
  if (typeof name !== 'string' || name.toUpperCase() !== 'EPSG' || (typeof code !== 'string' && typeof code !== 'number')) return null;
  return canonicalCrsCode(`EPSG:${code}`);
}

const squash = (text: string): string => text.toUpperCase().replace(/[^A-Z0-9]/g, '');

type Datum = 'wgs84' | 'cgcs2000' | { other: string };

/** Which datum a GEOGCS/BASEGEOGCRS names (by any of its names: the CRS, datum, ellipsoid). */
function datumOf(geographic: WktNode): Datum {
  const datum = child(geographic, 'DATUM', 'GEODETICDATUM', 'TRF', 'ENSEMBLE');
  const ellipsoid = datum ? child(datum, 'SPHEROID', 'ELLIPSOID') : undefined;
  const names = [nameOf(geographic), nameOf(datum), nameOf(ellipsoid)];
  const all = names.map(squash).join('|');
  // The old Chinese datums first: a "Beijing_1954" datum on the WGS84-like name of some tool must not pass.
  if (/BEIJING1954|XIAN1980|XIAN80|BEIJING54|NEWBEIJING|KRASOVSKY|IAG1975/.test(all)) return { other: nameOf(datum) || nameOf(geographic) };
  if (/CGCS2000|CHINA2000|CHINAGEODETICCOORDINATESYSTEM2000/.test(all)) return 'cgcs2000';
  if (/WGS84|WGS1984|WORLDGEODETICSYSTEM1984/.test(all)) return 'wgs84';
  return { other: nameOf(datum) || nameOf(geographic) || 'unknown' };
}

function unsupported(name: string, what: { zh: string; en: string }): WktRecognition {
  return {
    crs: null,
    problem: 'unsupported',
    name,
    zh: `不支持 .prj 中的坐标系“${name}”：${what.zh}请转换为 CGCS2000 或 WGS84 后再导入，或手动指定坐标系。`,
    en: `The .prj names "${name}", which OneMap does not support: ${what.en} Convert it to CGCS2000 or WGS84 first, or choose the coordinate system by hand.`,
  };
}

function otherDatum(name: string, datum: { other: string }): WktRecognition {
  return unsupported(name, {
    zh: `其基准为 ${datum.other}（如北京54、西安80，与 CGCS2000 相差可达数十至上百米），`,
    en: `its datum is ${datum.other} (e.g. Beijing 1954 or Xi'an 1980, tens to hundreds of metres off CGCS2000).`,
  });
}

function parameterValue(projected: WktNode, names: readonly string[]): number | undefined {
  const wanted = names.map(squash);
  for (const parameter of descendants(projected).filter((node) => node.keyword === 'PARAMETER')) {
    const [name, value] = parameter.values;
    if (typeof name === 'string' && typeof value === 'number' && wanted.includes(squash(name))) return value;
  }
  return undefined;
}

function zoneWidthFromName(name: string): 3 | 6 | undefined {
  const compact = name.toUpperCase().replace(/[\s_-]/g, '');
  if (/3DEGREE|3度/.test(compact)) return 3;
  if (/6DEGREE|6度/.test(compact)) return 6;
  // EPSG and ESRI name the 6° systems without a width ("CGCS2000 / Gauss-Kruger zone 20", "CGCS2000_GK_Zone_20").
  if (/GAUSSKRUGER|GAUSSKRUEGER|GK/.test(compact)) return 6;
  return undefined;
}

/** The code a Gauss-Krüger PROJCS name spells out, or null. */
function codeFromProjectedName(name: string): string | null {
  const width = zoneWidthFromName(name);
  if (!width) return null;
  const zone = /ZONE[\s_]*(\d{2})\b/i.exec(name);
  if (zone?.[1]) {
    const zoneNumber = Number(zone[1]);
    return gaussKrugerCode({ zoneWidthDegrees: width, centralMeridian: width === 3 ? 3 * zoneNumber : 6 * zoneNumber - 3, zonePrefix: true });
  }
  const centralMeridian = /CM[\s_]*(\d{2,3})[\s_]*E\b/i.exec(name);
  if (centralMeridian?.[1]) return gaussKrugerCode({ zoneWidthDegrees: width, centralMeridian: Number(centralMeridian[1]), zonePrefix: false });
  return null;
}

function recogniseProjected(root: WktNode): WktRecognition {
  const name = nameOf(root);
  const byAuthority = authorityCode(root);
  if (byAuthority) return { crs: byAuthority, via: 'authority', name };

  const geographic = child(root, 'GEOGCS', 'BASEGEOGCRS', 'BASEGEODCRS');
  if (geographic) {
    const datum = datumOf(geographic);
    if (typeof datum === 'object') return otherDatum(name, datum);
  }

  const method = nameOf(child(root, 'PROJECTION')) || nameOf(child(child(root, 'CONVERSION') ?? root, 'METHOD'));
  const isTransverseMercator = /TRANSVERSEMERCATOR|GAUSSKRUGER|GAUSSKRUEGER/.test(squash(method));
  const unit = child(root, 'UNIT', 'LENGTHUNIT');
  const unitFactor = typeof unit?.values[1] === 'number' ? unit.values[1] : 1;

  if (isTransverseMercator) {
    const centralMeridian = parameterValue(root, ['central_meridian', 'Longitude of natural origin', 'longitude_of_center']);
    const falseEasting = parameterValue(root, ['false_easting', 'False easting']);
    const scale = parameterValue(root, ['scale_factor', 'Scale factor at natural origin']) ?? 1;
    const latitudeOfOrigin = parameterValue(root, ['latitude_of_origin', 'Latitude of natural origin']) ?? 0;
    const falseNorthing = parameterValue(root, ['false_northing', 'False northing']) ?? 0;
    if (centralMeridian !== undefined && falseEasting !== undefined) {
      if (scale !== 1 || latitudeOfOrigin !== 0 || falseNorthing !== 0 || unitFactor !== 1) {
        return unsupported(name, {
          zh: '其横轴墨卡托参数（比例因子≠1、原点纬度或北偏移≠0、或单位不是米）不是标准高斯-克吕格投影。',
          en: 'its Transverse Mercator parameters (scale ≠ 1, a latitude of origin or false northing ≠ 0, or a unit other than metres) are not a standard Gauss-Krüger zone.',
        });
      }
      const metresEasting = falseEasting * unitFactor;
      let code: string | null = null;
      if (metresEasting === 500_000) {
        code = gaussKrugerCode({ zoneWidthDegrees: zoneWidthFromName(name) ?? 3, centralMeridian, zonePrefix: false });
        // A CM that is a 6° one but not 3°-named is the same projection either way; try the other width.
        code ??= gaussKrugerCode({ zoneWidthDegrees: 6, centralMeridian, zonePrefix: false });
      } else {
        const zone = (metresEasting - 500_000) / 1_000_000;
        if (Number.isInteger(zone)) {
          const width = centralMeridian === 3 * zone ? 3 : centralMeridian === 6 * zone - 3 ? 6 : undefined;
          if (width) code = gaussKrugerCode({ zoneWidthDegrees: width, centralMeridian, zonePrefix: true });
        }
      }
      if (code) return { crs: code, via: 'parameters', name };
      return unsupported(name, {
        zh: `中央经线 ${centralMeridian}°、东偏移 ${falseEasting} 不对应任何 CGCS2000 3度/6度带。`,
        en: `central meridian ${centralMeridian}° with false easting ${falseEasting} is no CGCS2000 3° or 6° zone.`,
      });
    }
  }
  const byName = codeFromProjectedName(name);
  if (byName) return { crs: byName, via: 'name', name };
  return unsupported(name, {
    zh: '它不是 CGCS2000 高斯-克吕格投影（如 UTM、Web 墨卡托）。',
    en: 'it is not a CGCS2000 Gauss-Krüger projection (UTM, Web Mercator…).',
  });
}

function recogniseGeographic(root: WktNode): WktRecognition {
  const name = nameOf(root);
  const byAuthority = authorityCode(root);
  if (byAuthority === WGS84 || byAuthority === CGCS2000) return { crs: byAuthority, via: 'authority', name };
  const datum = datumOf(root);
  if (datum === 'wgs84') return { crs: WGS84, via: 'name', name };
  if (datum === 'cgcs2000') return { crs: CGCS2000, via: 'name', name };
  return otherDatum(name, datum);
}

/** Which supported CRS a WKT string (e.g. a Shapefile's `.prj`) describes. Never throws. */
export function crsFromWkt(text: string): WktRecognition {
  let root: WktNode;
  try {
    root = parseWkt(text.replace(/^\uFEFF/, '').trim());
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return {
      crs: null,
      problem: 'unparseable',
      name: '',
      zh: `无法解析 .prj 坐标系文本（${reason}）。`,
      en: `The .prj text is not valid WKT (${reason}).`,
    };
  }
  switch (root.keyword) {
    case 'PROJCS':
    case 'PROJCRS':
    case 'PROJECTEDCRS':
      return recogniseProjected(root);
    case 'GEOGCS':
    case 'GEOGCRS':
    case 'GEOGRAPHICCRS':
    case 'GEODCRS':
    case 'GEODETICCRS':
      return recogniseGeographic(root);
    default:
      return unsupported(nameOf(root) || root.keyword, {
        zh: `${root.keyword} 类型的坐标系不受支持。`,
        en: `${root.keyword} coordinate systems are not supported.`,
      });
  }
}
