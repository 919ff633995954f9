import type { Feature, FeatureCollection, Geometry, Point, Polygon, MultiPolygon, LineString, MultiLineString } from 'geojson';
import { union } from '@turf/turf';
import { OneMapError } from '../../../shared/errors';
import type { CountyBoundaries, WorkspaceBasemap, WorkspaceDefinition } from '../../../shared/workspace';

export interface CountyProperties {
  adcode: number;
  name: string;
  nameEn: string;
  labelPoint: [number, number];
}

export interface NamedProperties {
  name?: string;
  nameEn?: string;
}

export interface SeatProperties {
  adcode: number;
  name: string;
  nameEn: string;
  kind: 'county-seat' | 'city-seat';
}

export interface AttributionEntry {
  file: string;
  /** Chinese. */
  text: string;
  /** English (an older attribution.json may lack it: the Chinese text is shown then). */
  textEn?: string;
  licence: string;
}

/** The basemap's source lines in the UI language, each once. */
export function attributionTexts(entries: readonly AttributionEntry[], language: string): string[] {
  return [...new Set(entries.map((entry) => (language === 'en' ? (entry.textEn ?? entry.text) : entry.text)))];
}

export interface BasemapData {
  counties: FeatureCollection<Polygon | MultiPolygon, CountyProperties>;
  city: FeatureCollection<Polygon | MultiPolygon, NamedProperties>;
  lakes: FeatureCollection<Polygon | MultiPolygon, NamedProperties>;
  rivers: FeatureCollection<LineString | MultiLineString, NamedProperties>;
  seats: FeatureCollection<Point, SeatProperties>;
  attribution: AttributionEntry[];
  /** No bundled basemap: only the workspace's own boundaries are drawn (the UI says so). */
  boundariesOnly: boolean;
}

/** A bundled basemap's files by role, served at /geodata/ by both shells (the workspace names them). */
export type BasemapFiles = Extract<WorkspaceBasemap, { kind: 'bundled' }>['files'];

/** A bundled basemap file is missing or not what it should be (code `basemap-file-invalid`). */
export class BasemapLoadError extends OneMapError {
  override name = 'BasemapLoadError';
  constructor(
    readonly file: string,
    readonly reason: string,
  ) {
    super('basemap-file-invalid', { file, technical: reason });
    this.message = `${file}: ${reason}`;
  }
}

function geodataUrl(file: string): string {
  return new URL(`geodata/${file}`, document.baseURI).href;
}

async function fetchJson(file: string): Promise<unknown> {
  let response: Response;
  try {
    response = await fetch(geodataUrl(file));
  } catch (error) {
    throw new BasemapLoadError(file, error instanceof Error ? error.message : String(error));
  }
  if (!response.ok) throw new BasemapLoadError(file, `HTTP ${response.status}`);
  try {
    return await response.json();
  } catch (error) {
    throw new BasemapLoadError(file, `not valid JSON (${error instanceof Error ? error.message : String(error)})`);
  }
}

function asFeatureCollection<G extends Geometry, P>(
  file: string,
  value: unknown,
  geometryTypes: readonly string[],
): FeatureCollection<G, P> {
  const collection = value as FeatureCollection;
  if (collection?.type !== 'FeatureCollection' || !Array.isArray(collection.features)) {
    throw new BasemapLoadError(file, 'not a GeoJSON FeatureCollection');
  }
  collection.features.forEach((feature: Feature, index) => {
    if (!feature?.geometry || !geometryTypes.includes(feature.geometry.type)) {
      throw new BasemapLoadError(
        file,
        `feature ${index} has geometry ${feature?.geometry?.type ?? 'none'}, expected ${geometryTypes.join(' or ')}`,
      );
    }
  });
  return collection as FeatureCollection<G, P>;
}

/** Loads a bundled basemap's files, checking each and naming the file in any error. */
export async function loadBasemapData(basemapFiles: BasemapFiles): Promise<BasemapData> {
  const [counties, city, lakes, rivers, seats, attribution] = await Promise.all([
    fetchJson(basemapFiles.counties),
    fetchJson(basemapFiles.city),
    fetchJson(basemapFiles.lakes),
    fetchJson(basemapFiles.rivers),
    fetchJson(basemapFiles.seats),
    fetchJson(basemapFiles.attribution),
  ]);
  if (!Array.isArray(attribution)) throw new BasemapLoadError(basemapFiles.attribution, 'expected a JSON array');
  const polygonal = ['Polygon', 'MultiPolygon'] as const;
  return {
    counties: asFeatureCollection(basemapFiles.counties, counties, polygonal),
    city: asFeatureCollection(basemapFiles.city, city, polygonal),
    lakes: asFeatureCollection(basemapFiles.lakes, lakes, polygonal),
    rivers: asFeatureCollection(basemapFiles.rivers, rivers, ['LineString', 'MultiLineString']),
    seats: asFeatureCollection(basemapFiles.seats, seats, ['Point']),
    attribution: attribution as AttributionEntry[],
    boundariesOnly: false,
  };
}

const empty = <G extends Geometry, P>(): FeatureCollection<G, P> => ({ type: 'FeatureCollection', features: [] });

/**
 * The basemap of a workspace with no bundled one: its own county boundaries, the city outline
 * their union (the counties themselves where the union fails on a ragged file), nothing else.
 */
export function boundariesBasemap(counties: CountyBoundaries): BasemapData {
  const countyCollection = counties as unknown as BasemapData['counties'];
  let city: BasemapData['city'];
  try {
    const merged = counties.features.length > 1 ? union(countyCollection as FeatureCollection<Polygon | MultiPolygon>) : (countyCollection.features[0] ?? null);
    city = merged ? { type: 'FeatureCollection', features: [{ type: 'Feature', properties: {}, geometry: merged.geometry }] } : empty();
  } catch {
    city = { type: 'FeatureCollection', features: countyCollection.features.map((county) => ({ type: 'Feature', properties: {}, geometry: county.geometry })) };
  }
  return { counties: countyCollection, city, lakes: empty(), rivers: empty(), seats: empty(), attribution: [], boundariesOnly: true };
}

/** The basemap of a workspace: its bundled files, or its own boundaries. */
export function loadWorkspaceBasemap(definition: WorkspaceDefinition): Promise<BasemapData> {
  if (definition.basemap.kind === 'bundled') return loadBasemapData(definition.basemap.files);
  if (!definition.counties) return Promise.reject(new BasemapLoadError(definition.id, 'the workspace has no boundaries'));
  return Promise.resolve(boundariesBasemap(definition.counties));
}
