import { OneMapError } from '../errors';
import type { Geometry } from './geometry';
import type { Feature, PropertyValue } from './feature';
import type { Timestamp } from './calendar-date';

/** A GeoJSON Feature as exchanged in files (`seeds/demo/*.geojson`, imports, exports). */
export interface GeoJsonFeature {
  type: 'Feature';
  id?: string | number;
  properties: Record<string, PropertyValue> | null;
  geometry: Geometry;
}

/** A GeoJSON feature the store cannot hold (no id, no status…): `featureId` names it when it has one. */
export class GeoJsonFeatureError extends OneMapError {
  override name = 'GeoJsonFeatureError';
  constructor(problem: string, featureId?: string | number) {
    super('geojson-feature-invalid', featureId === undefined ? { technical: problem } : { featureId: String(featureId), technical: problem });
    this.message = featureId === undefined ? problem : `feature ${featureId}: ${problem}`;
  }
}

/**
 * Reads a GeoJSON feature into a store feature: `status`, `county` and `demo` move from
 * `properties` to their own members; everything else stays a field value. Shape checks are
 * left to {@link featureSchema} and {@link validateFeatureAgainstLayer}.
 */
export function featureFromGeoJson(
  geoJson: GeoJsonFeature,
  layerId: string,
  time: { createdAt: Timestamp; updatedAt: Timestamp; revision?: number },
): Feature {
  if (geoJson.id === undefined) throw new GeoJsonFeatureError('a feature needs a stable id');
  const { status, county, demo, ...fields } = geoJson.properties ?? {};
  if (typeof status !== 'string') throw new GeoJsonFeatureError('status must be a string', geoJson.id);
  if (county !== undefined && county !== null && typeof county !== 'number') {
    throw new GeoJsonFeatureError('county must be a 6-digit number', geoJson.id);
  }
  return {
    id: String(geoJson.id),
    layerId,
    geometry: geoJson.geometry,
    properties: fields,
    status,
    county: county ?? null,
    demo: demo === true,
    createdAt: time.createdAt,
    updatedAt: time.updatedAt,
    revision: time.revision ?? 1,
  };
}

export function featureToGeoJson(feature: Feature): GeoJsonFeature {
  return {
    type: 'Feature',
    id: feature.id,
    properties: {
      ...feature.properties,
      status: feature.status,
      county: feature.county,
      ...(feature.demo ? { demo: true } : {}),
    },
    geometry: feature.geometry,
  };
}
