import type { Geometry, Position } from '../../shared/model/geometry';
import type { PropertyValue } from '../../shared/model/feature';

export type AreaGeometry = Extract<Geometry, { type: 'Polygon' | 'MultiPolygon' }>;

export interface CountyInput {
  adcode: number;
  name: string;
  geometry: AreaGeometry;
}

export interface SeatInput {
  adcode: number;
  position: Position;
}

export interface TownshipInput {
  /** 9-digit statistics code. */
  code: string;
  name: string;
  county: number;
}

export interface VillageInput {
  /** 12-digit statistics code. */
  code: string;
  /** The committee's name as published, e.g. 王家庄村民委员会. */
  committeeName: string;
  townshipCode: string;
  county: number;
}

/** Everything the generator reads; the node entry loads it from the project's own files. */
export interface DemoInputs {
  counties: readonly CountyInput[];
  /** One seat per county (`kind: county-seat` in geodata/hengshui-seats.geojson). */
  seats: readonly SeatInput[];
  /** Areas where nothing is placed (lakes). */
  exclusions: readonly AreaGeometry[];
  townships: readonly TownshipInput[];
  villages: readonly VillageInput[];
}

/** A feature as written to `seeds/demo/*.geojson`. */
export interface DemoFeature {
  id: string;
  properties: Record<string, PropertyValue>;
  geometry: Geometry;
}

export interface DemoLayerFile {
  /** File name under seeds/demo/. */
  fileName: string;
  /** The layer definition the features belong to (seeds/layers.json). */
  layerId: string;
  features: DemoFeature[];
}
