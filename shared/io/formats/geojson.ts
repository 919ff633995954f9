import { canonicalCrsCode } from '../../crs';
import { ImportError } from '../errors';
import type { ParsedLayer, RawFeature } from '../normalize';
import { flattenedWarning, toPropertyValue } from '../properties';
import { decodeText } from '../text';
import type { ImportOptions, PropertyValue } from '../types';

/** Python's json writes NaN/Infinity; JSON does not allow them. Replaced by a marker so the coordinate check names the feature. */
const NON_FINITE_TOKEN = /([[,:]\s*)(-?Infinity|NaN)(?=\s*[,\]}])/g;

/** JSON.parse that also reads Python's NaN/Infinity (as marker strings); otherwise throws JSON.parse's own error. */
export function parseJsonAllowingNonFinite(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    NON_FINITE_TOKEN.lastIndex = 0;
    if (NON_FINITE_TOKEN.test(text)) {
      try {
        return JSON.parse(text.replace(NON_FINITE_TOKEN, (_match, before: string, token: string) => `${before}"${token}"`));
      } catch {
        // fall through to the original error
      }
    }
    throw error;
  }
}

function parseJson(text: string): unknown {
  try {
    return parseJsonAllowingNonFinite(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new ImportError('invalid-json', { zh: `文件不是有效的 JSON（${reason}）。`, en: `The file is not valid JSON (${reason}).` }, {}, { reason }, { cause: error });
  }
}

/** The old (2008) GeoJSON `crs` member: `{ type: 'name', properties: { name: 'urn:ogc:def:crs:EPSG::4527' } }` or an EPSG link. */
function crsMember(root: Record<string, unknown>): string | undefined {
  const crs = root.crs as { type?: unknown; properties?: Record<string, unknown> } | null | undefined;
  if (!crs || typeof crs !== 'object' || !crs.properties) return undefined;
  const name = crs.properties.name ?? (crs.type === 'EPSG' ? `EPSG:${String(crs.properties.code)}` : crs.properties.href);
  if (typeof name !== 'string') return undefined;
  // An unsupported name is passed on as is: detection reports it as 'unsupported-crs'.
  return canonicalCrsCode(name) ?? name;
}

/**
 * Turns parsed `features` elements into RawFeatures (properties as storable values), collecting the
 * layer's field names in first-seen order and whether a value had to be flattened to JSON text.
 */
export class FeatureReader {
  readonly fields: string[] = [];
  flattened = false;
  private readonly seenFields = new Set<string>();
  /** The previous feature's property names: most files repeat them, and then the field list is not searched. */
  private lastKeys: string[] = [];
  private readonly onFlatten = (): void => {
    this.flattened = true;
  };

  /** Throws 'invalid-geojson' with `featureIndex` for an element that is not a Feature object. */
  read(raw: unknown, featureIndex: number): RawFeature {
    if (typeof raw !== 'object' || raw === null || (raw as { type?: unknown }).type !== 'Feature') {
      throw new ImportError('invalid-geojson', { zh: '不是 Feature 对象。', en: 'Not a Feature object.' }, { featureIndex });
    }
    const feature = raw as { id?: unknown; properties?: unknown; geometry?: unknown };
    const properties: Record<string, PropertyValue> = {};
    const source = feature.properties;
    if (source && typeof source === 'object') {
      const values = source as Record<string, unknown>;
      const keys = Object.keys(values);
      if (!this.sameKeys(keys)) {
        for (const key of keys) {
          if (!this.seenFields.has(key)) {
            this.seenFields.add(key);
            this.fields.push(key);
          }
        }
        this.lastKeys = keys;
      }
      for (const key of keys) properties[key] = toPropertyValue(values[key], this.onFlatten);
    }
    const id = feature.id;
    const geometry = feature.geometry ?? null;
    return typeof id === 'string' || typeof id === 'number' ? { id, properties, geometry } : { properties, geometry };
  }

  private sameKeys(keys: string[]): boolean {
    const last = this.lastKeys;
    if (keys.length !== last.length) return false;
    for (let at = 0; at < keys.length; at += 1) if (keys[at] !== last[at]) return false;
    return true;
  }
}

export function parseGeoJson(bytes: Uint8Array, options: ImportOptions, fileName: string): ParsedLayer {
  const { text, encoding, detected } = decodeText(bytes, options.encoding ? { encoding: options.encoding } : {});
  const root = parseJson(text);
  if (typeof root !== 'object' || root === null || Array.isArray(root)) {
    throw new ImportError('invalid-geojson', { zh: 'JSON 内容不是 GeoJSON 对象。', en: 'The JSON is not a GeoJSON object.' });
  }
  const object = root as Record<string, unknown>;
  let rawFeatures: unknown[];
  if (object.type === 'FeatureCollection') {
    if (!Array.isArray(object.features)) throw new ImportError('invalid-geojson', { zh: 'FeatureCollection 缺少 features 数组。', en: 'The FeatureCollection has no features array.' });
    rawFeatures = object.features;
  } else if (object.type === 'Feature') {
    rawFeatures = [object];
  } else if (typeof object.type === 'string' && ('coordinates' in object || 'geometries' in object)) {
    rawFeatures = [{ type: 'Feature', properties: {}, geometry: object }];
  } else {
    throw new ImportError('invalid-geojson', {
      zh: `不是 GeoJSON：type 应为 FeatureCollection、Feature 或几何类型，而不是“${String(object.type)}”。`,
      en: `Not GeoJSON: type should be FeatureCollection, Feature or a geometry type, not "${String(object.type)}".`,
    });
  }
  const reader = new FeatureReader();
  const features: RawFeature[] = rawFeatures.map((raw, featureIndex) => reader.read(raw, featureIndex));
  const fileCrs = crsMember(object);
  const layerName = typeof object.name === 'string' ? object.name : fileName.replace(/\.[^.]+$/, '');
  return {
    format: 'geojson',
    features,
    fields: reader.fields,
    encoding,
    ...(fileCrs ? { fileCrs } : {}),
    layerName,
    warnings: [
      ...(reader.flattened ? [flattenedWarning()] : []),
      ...(detected
        ? [{ code: 'encoding-detected' as const, zh: '文件不是 UTF-8，已按 GBK 编码读取。', en: 'The file is not UTF-8; it was read as GBK.', details: { encoding } }]
        : []),
    ],
  };
}
