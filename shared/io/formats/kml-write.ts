import { encodeUtf8 } from '../platform';
import type { GeoJsonFeature, Geometry, PropertyValue } from '../types';

/**
 * KML 2.2: WGS84 by definition. `name` (or the chosen `nameProperty`, a labelled layer's 名称 column)
 * and `description` properties become the Placemark's elements;
 * the others go to typed ExtendedData/SchemaData (so numbers and booleans come back as such), the
 * feature id to the Placemark's id attribute.
 */

const escape = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const ELEMENT_PROPERTIES = new Set(['name', 'description']);

type KmlType = 'string' | 'int' | 'double' | 'bool';

function kmlType(values: PropertyValue[]): KmlType {
  const present = values.filter((value) => value !== null);
  if (present.length === 0) return 'string';
  if (present.every((value) => typeof value === 'boolean')) return 'bool';
  if (present.every((value) => typeof value === 'number')) return present.every((value) => Number.isSafeInteger(value)) ? 'int' : 'double';
  return 'string';
}

const position = (value: readonly number[]): string => value.slice(0, 3).join(',');
const positions = (values: readonly (readonly number[])[]): string => values.map(position).join(' ');

function polygon(rings: readonly (readonly (readonly number[])[])[]): string {
  const [outer, ...holes] = rings;
  return (
    `<Polygon><outerBoundaryIs><LinearRing><coordinates>${positions(outer ?? [])}</coordinates></LinearRing></outerBoundaryIs>` +
    holes.map((hole) => `<innerBoundaryIs><LinearRing><coordinates>${positions(hole)}</coordinates></LinearRing></innerBoundaryIs>`).join('') +
    '</Polygon>'
  );
}

function geometryKml(geometry: Geometry): string {
  switch (geometry.type) {
    case 'Point':
      return `<Point><coordinates>${position(geometry.coordinates)}</coordinates></Point>`;
    case 'LineString':
      return `<LineString><coordinates>${positions(geometry.coordinates)}</coordinates></LineString>`;
    case 'Polygon':
      return polygon(geometry.coordinates);
    case 'MultiPoint':
      return `<MultiGeometry>${geometry.coordinates.map((point) => `<Point><coordinates>${position(point)}</coordinates></Point>`).join('')}</MultiGeometry>`;
    case 'MultiLineString':
      return `<MultiGeometry>${geometry.coordinates.map((line) => `<LineString><coordinates>${positions(line)}</coordinates></LineString>`).join('')}</MultiGeometry>`;
    case 'MultiPolygon':
      return `<MultiGeometry>${geometry.coordinates.map(polygon).join('')}</MultiGeometry>`;
  }
}

export function writeKml(features: readonly GeoJsonFeature[], name: string, nameProperty = 'name'): Uint8Array {
  const keys: string[] = [];
  for (const feature of features) for (const key of Object.keys(feature.properties ?? {})) if (!keys.includes(key) && !ELEMENT_PROPERTIES.has(key)) keys.push(key);
  const types = new Map(keys.map((key) => [key, kmlType(features.map((feature) => feature.properties?.[key] ?? null))]));
  const schemaId = 'onemap_schema';
  const lines: string[] = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<kml xmlns="http://www.opengis.net/kml/2.2">',
    '<Document>',
    `<name>${escape(name)}</name>`,
    `<Schema name="${escape(name)}" id="${schemaId}">`,
    ...keys.map((key) => `<SimpleField name="${escape(key)}" type="${types.get(key) as string}"/>`),
    '</Schema>',
  ];
  for (const feature of features) {
    const properties = feature.properties ?? {};
    const title = properties[nameProperty];
    const id = feature.id === undefined ? '' : ` id="${escape(String(feature.id))}"`;
    const data = keys
      .filter((key) => properties[key] !== null && properties[key] !== undefined)
      .map((key) => {
        const value = properties[key] as Exclude<PropertyValue, null>;
        return `<SimpleData name="${escape(key)}">${escape(typeof value === 'boolean' ? (value ? '1' : '0') : String(value))}</SimpleData>`;
      });
    lines.push(
      `<Placemark${id}>` +
        (typeof title === 'string' || typeof title === 'number' ? `<name>${escape(String(title))}</name>` : '') +
        (typeof properties.description === 'string' ? `<description>${escape(properties.description)}</description>` : '') +
        (data.length > 0 ? `<ExtendedData><SchemaData schemaUrl="#${schemaId}">${data.join('')}</SchemaData></ExtendedData>` : '') +
        geometryKml(feature.geometry) +
        '</Placemark>',
    );
  }
  lines.push('</Document>', '</kml>', '');
  return encodeUtf8(lines.join('\n'));
}
