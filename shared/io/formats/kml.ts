import { kml } from '@tmcw/togeojson';
import { DOMParser } from '@xmldom/xmldom';
import { ImportError } from '../errors';
import type { ParsedLayer, RawFeature } from '../normalize';
import { flattenedWarning, toPropertyValue } from '../properties';
import { decodeText } from '../text';
import type { ImportOptions, ImportWarning, PropertyValue } from '../types';

/** What togeojson adds from styles; not the user's data. */
const STYLE_PROPERTIES = new Set(['styleUrl', 'styleHash', 'styleMap', 'stroke', 'stroke-opacity', 'stroke-width', 'fill', 'fill-opacity', 'icon', 'icon-opacity', 'icon-scale', 'icon-color', 'icon-heading', 'icon-offset', 'icon-offset-units', 'label-color', 'label-opacity', 'label-scale', 'visibility', 'timespan', 'timestamp']);

/** KML is WGS84 longitude/latitude by definition (KML 2.2 §6.2), whatever the values look like. */
export function parseKml(bytes: Uint8Array, options: ImportOptions, fileName: string, file?: string): ParsedLayer {
  // The XML prolog is ASCII whatever the encoding (UTF-16 aside, which has a BOM).
  const prolog = String.fromCharCode(...bytes.subarray(0, 200).filter((byte) => byte < 0x80));
  const declared = /encoding\s*=\s*["']([^"']+)["']/i.exec(prolog)?.[1];
  const location = file ? { file } : {};
  const { text, encoding, detected } = decodeText(bytes, { ...(options.encoding ? { encoding: options.encoding } : {}), ...(declared ? { declared } : {}), location });
  const problems: string[] = [];
  let document: ReturnType<DOMParser['parseFromString']>;
  try {
    document = new DOMParser({
      onError: (level, message) => {
        if (level !== 'warning') problems.push(message);
      },
    }).parseFromString(text.replace(/^\s*<\?xml[^>]*\?>/, ''), 'text/xml');
  } catch (error) {
    problems.push(error instanceof Error ? error.message : String(error));
    document = undefined as never;
  }
  const root = document?.documentElement;
  if (problems.length > 0 || !root || root.localName !== 'kml') {
    const reason = problems[0] ?? `root element <${root?.localName ?? '?'}>`;
    throw new ImportError('invalid-kml', { zh: `不是有效的 KML 文件（${reason}）。`, en: `Not a valid KML file (${reason}).` }, location, { reason });
  }
  // togeojson reads a bool SimpleData with Boolean(text), which makes "0" true: read those as text here.
  const booleanFields = new Set<string>();
  const schemaFields: string[] = [];
  const simpleFields = document.getElementsByTagName('SimpleField');
  for (let index = 0; index < simpleFields.length; index += 1) {
    const field = simpleFields.item(index);
    const fieldName = field?.getAttribute('name');
    if (fieldName && !schemaFields.includes(fieldName)) schemaFields.push(fieldName);
    if (field && field.getAttribute('type')?.toLowerCase() === 'bool') {
      booleanFields.add(field.getAttribute('name') ?? '');
      field.setAttribute('type', 'string');
    }
  }
  const asBoolean = (value: unknown): unknown =>
    typeof value === 'string' ? (/^(1|true)$/i.test(value.trim()) ? true : /^(0|false)$/i.test(value.trim()) ? false : value) : value;
  const collection = kml(document);
  let flattened = false;
  const fields: string[] = [...schemaFields];
  const seen = new Set<string>(schemaFields);
  const features: RawFeature[] = collection.features.map((feature) => {
    const properties: Record<string, PropertyValue> = {};
    for (const [key, value] of Object.entries(feature.properties ?? {})) {
      if (STYLE_PROPERTIES.has(key)) continue;
      properties[key] = toPropertyValue(booleanFields.has(key) ? asBoolean(value) : value, () => (flattened = true));
      if (!seen.has(key)) {
        seen.add(key);
        fields.push(key);
      }
    }
    const id = typeof feature.id === 'string' && feature.id !== '' ? feature.id : undefined;
    return { ...(id !== undefined ? { id } : {}), properties, geometry: feature.geometry };
  });
  // GDAL lists its name/description fields in the Schema as "Name"/"Description" but writes them as the
  // <name>/<description> elements: keep only the element's value.
  for (const [schemaName, element] of [
    ['Name', 'name'],
    ['Description', 'description'],
  ] as const) {
    if (schemaFields.includes(schemaName) && fields.includes(element) && features.every((feature) => feature.properties[schemaName] === undefined)) {
      fields.splice(fields.indexOf(schemaName), 1);
    }
  }
  // A Placemark leaves out the SimpleData of a null value: give every feature every field.
  for (const feature of features) for (const field of fields) if (!(field in feature.properties)) feature.properties[field] = null;
  const warnings: ImportWarning[] = [];
  if (flattened) warnings.push(flattenedWarning(file));
  if (detected) warnings.push({ code: 'encoding-detected', zh: '文件不是 UTF-8，已按 GBK 编码读取。', en: 'The file is not UTF-8; it was read as GBK.', details: { encoding } });
  return {
    format: 'kml',
    features,
    fields,
    encoding,
    fileCrs: 'EPSG:4326',
    ...(file ? { file } : {}),
    layerName: (file ?? fileName).split('/').pop()?.replace(/\.[^.]+$/, '') ?? fileName,
    warnings,
  };
}
