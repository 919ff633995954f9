/**
 * Offline basemap packages on the map: the `pmtiles://` and `mbtiles://` protocols, the source and
 * layers of the active package (a raster layer, or a vector style for the Protomaps or OpenMapTiles
 * schema, else a generic style drawing every vector layer), and the coverage outlines of all
 * registered packages. The package replaces the workspace's own basemap (whose layers are hidden,
 * not removed) and sits under the planning layers, which stay on top of whichever basemap is shown.
 * Labels use the bundled font (no `glyphs`, no `sprite`: nothing is fetched).
 */
import type * as maplibregl from 'maplibre-gl';
import type { ExpressionSpecification, FilterSpecification, LayerSpecification, SourceSpecification } from 'maplibre-gl';
import { loadedMapLibre } from './maplibre';
import { setVisibilityIfChanged } from './style-changes';
import type { Feature, FeatureCollection, Polygon } from 'geojson';
import { FetchSource, PMTiles, Protocol, type RangeResponse, type Source } from 'pmtiles';
import type { BasemapPackageInfo, VectorLayerInfo } from '../../../shared/basemaps/package-info';
import { labelFontFamily } from './basemap-style';
import { mbtilesWorker } from '../workers/mbtiles-client';

/** Where the active package's tiles come from. */
export type BasemapPackageTiles =
  /** Electron PMTiles: byte ranges of app://onemap/basemaps/<id>. */
  | { readonly kind: 'pmtiles-url'; readonly url: string }
  /** Web PMTiles: slices of the picked File. */
  | { readonly kind: 'pmtiles-file'; readonly file: Blob }
  /** Electron MBTiles: app://onemap/basemaps/<id>/{z}/{x}/{y}. */
  | { readonly kind: 'xyz'; readonly template: string }
  /** Web MBTiles: SQLite in the worker (mbtiles.worker.ts). */
  | { readonly kind: 'mbtiles-worker' };

export interface ActiveBasemapPackage {
  readonly info: BasemapPackageInfo;
  readonly tiles: BasemapPackageTiles;
}

export interface BasemapSelection {
  /** null = the workspace's own basemap (bundled, or its boundaries). */
  readonly active: ActiveBasemapPackage | null;
  /** Every registered package: its coverage outline is drawn. */
  readonly outlines: readonly BasemapPackageInfo[];
}

export const basemapPackageSourceId = 'basemap-package';
export const basemapPackageLayerPrefix = 'basemap-package-';
export const basemapOutlineSourceId = 'basemap-package-outlines';
export const basemapOutlineLayerId = 'basemap-package-outline';
/** Package layers go under the built-in basemap's first layer above the background. */
const packageLayersBelow = 'county-fill';
/** Outlines go above the built-in fills and below its lines, labels and every planning layer. */
const outlinesBelow = 'county-line';

// ---------------------------------------------------------------------------------------------
// Protocols

/** A pmtiles Source over a Blob keyed by package id (FileSource keys by file name, which may repeat). */
class BlobSource implements Source {
  constructor(
    private readonly key: string,
    private readonly blob: Blob,
  ) {}
  getKey(): string {
    return this.key;
  }
  async getBytes(offset: number, length: number): Promise<RangeResponse> {
    return { data: await this.blob.slice(offset, offset + length).arrayBuffer() };
  }
}

let pmtilesProtocol: Protocol | null = null;
const mbtilesUrl = /^mbtiles:\/\/(bp-[0-9a-z]+)\/(\d+)\/(\d+)\/(\d+)$/u;

function protocols(): Protocol {
  if (pmtilesProtocol) return pmtilesProtocol;
  const protocol = new Protocol({ metadata: false });
  const { addProtocol } = loadedMapLibre();
  addProtocol('pmtiles', protocol.tile);
  addProtocol('mbtiles', async (params) => {
    const match = mbtilesUrl.exec(params.url);
    if (!match) throw new Error(`not an mbtiles tile URL: ${params.url}`);
    const [, id = '', z, x, y] = match;
    const data = await mbtilesWorker().tile(id, Number(z), Number(x), Number(y));
    return { data: data ?? new Uint8Array(0) };
  });
  pmtilesProtocol = protocol;
  return protocol;
}

/** The pmtiles key of a package's archive (what follows `pmtiles://` in its tile URLs). */
function pmtilesKey(active: ActiveBasemapPackage): string {
  return active.tiles.kind === 'pmtiles-url' ? active.tiles.url : `file-${active.info.id}`;
}

function tileTemplate(active: ActiveBasemapPackage): string {
  const { tiles, info } = active;
  switch (tiles.kind) {
    case 'pmtiles-url':
    case 'pmtiles-file': {
      const protocol = protocols();
      const key = pmtilesKey(active);
      if (!protocol.get(key)) {
        protocol.add(new PMTiles(tiles.kind === 'pmtiles-url' ? new FetchSource(tiles.url) : new BlobSource(key, tiles.file)));
      }
      return `pmtiles://${key}/{z}/{x}/{y}`;
    }
    case 'xyz':
      return tiles.template;
    case 'mbtiles-worker':
      protocols();
      return `mbtiles://${info.id}/{z}/{x}/{y}`;
  }
}

// ---------------------------------------------------------------------------------------------
// Styles

export type VectorSchema = 'protomaps' | 'openmaptiles' | 'generic';

/** Which default style fits the package's vector layers. */
export function vectorSchemaOf(layers: readonly VectorLayerInfo[]): VectorSchema {
  const ids = new Set(layers.map((layer) => layer.id));
  if (ids.has('earth') && (ids.has('water') || ids.has('roads'))) return 'protomaps';
  if (ids.has('transportation') || (ids.has('water') && ids.has('landcover') && ids.has('place'))) return 'openmaptiles';
  return 'generic';
}

function nameField(language: string): ExpressionSpecification {
  return language === 'en'
    ? ['coalesce', ['get', 'name:en'], ['get', 'name_en'], ['get', 'name:latin'], ['get', 'name']]
    : ['coalesce', ['get', 'name:zh'], ['get', 'name:zh-Hans'], ['get', 'name_zh'], ['get', 'name']];
}

const polygonFilter: FilterSpecification = ['in', ['geometry-type'], ['literal', ['Polygon', 'MultiPolygon']]];
const lineFilter: FilterSpecification = ['in', ['geometry-type'], ['literal', ['LineString', 'MultiLineString']]];
const pointFilter: FilterSpecification = ['in', ['geometry-type'], ['literal', ['Point', 'MultiPoint']]];

const labelPaint = { 'text-color': '#333333', 'text-halo-color': '#ffffff', 'text-halo-width': 1.2 } as const;

function id(name: string): string {
  return `${basemapPackageLayerPrefix}${name}`;
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
type LayerWithoutSource = DistributiveOmit<Exclude<LayerSpecification, { type: 'background' }>, 'source'>;

function sourceLayerOf(layer: LayerWithoutSource): string {
  return 'source-layer' in layer && typeof layer['source-layer'] === 'string' ? layer['source-layer'] : '';
}

function protomapsLayers(language: string, present: ReadonlySet<string>): LayerWithoutSource[] {
  const layers: LayerWithoutSource[] = [
    { id: id('pm-earth'), type: 'fill', 'source-layer': 'earth', paint: { 'fill-color': '#f2efe9' } },
    { id: id('pm-landcover'), type: 'fill', 'source-layer': 'landcover', paint: { 'fill-color': '#dfe8d3', 'fill-opacity': 0.6 } },
    {
      id: id('pm-landuse'),
      type: 'fill',
      'source-layer': 'landuse',
      paint: {
        'fill-color': ['match', ['get', 'kind'], ['park', 'forest', 'wood', 'grass', 'meadow', 'nature_reserve', 'garden'], '#d3e6c4', ['farmland', 'farmyard', 'orchard'], '#ece9d0', ['residential'], '#ebe6df', '#e6e1d8'],
        'fill-opacity': 0.8,
      },
    },
    { id: id('pm-water'), type: 'fill', 'source-layer': 'water', filter: polygonFilter, paint: { 'fill-color': '#a9cfe8' } },
    { id: id('pm-water-lines'), type: 'line', 'source-layer': 'water', filter: lineFilter, paint: { 'line-color': '#7fb5da', 'line-width': 1.2 } },
    { id: id('pm-buildings'), type: 'fill', 'source-layer': 'buildings', minzoom: 13, paint: { 'fill-color': '#ddd6cc', 'fill-outline-color': '#c9c0b4' } },
    {
      id: id('pm-roads'),
      type: 'line',
      'source-layer': 'roads',
      layout: { 'line-join': 'round', 'line-cap': 'round' },
      paint: {
        'line-color': ['match', ['get', 'kind'], 'highway', '#f0b27a', 'major_road', '#f7d794', '#ffffff'],
        'line-width': ['interpolate', ['linear'], ['zoom'], 6, ['match', ['get', 'kind'], 'highway', 1.2, 'major_road', 0.8, 0.3], 14, ['match', ['get', 'kind'], 'highway', 6, 'major_road', 4, 2]],
      },
    },
    {
      id: id('pm-boundaries'),
      type: 'line',
      'source-layer': 'boundaries',
      paint: { 'line-color': '#9a8f99', 'line-width': 1, 'line-dasharray': [3, 2] },
    },
    {
      id: id('pm-places'),
      type: 'symbol',
      'source-layer': 'places',
      layout: { 'text-field': nameField(language), 'text-font': [labelFontFamily], 'text-size': ['interpolate', ['linear'], ['zoom'], 6, 11, 14, 15] },
      paint: labelPaint,
    },
  ];
  return layers.filter((layer) => present.has(sourceLayerOf(layer)));
}

function openMapTilesLayers(language: string, present: ReadonlySet<string>): LayerWithoutSource[] {
  const layers: LayerWithoutSource[] = [
    {
      id: id('omt-landcover'),
      type: 'fill',
      'source-layer': 'landcover',
      paint: { 'fill-color': ['match', ['get', 'class'], ['wood', 'forest'], '#cfe2c0', ['grass', 'farmland'], '#e3ebcf', '#e4e8d8'], 'fill-opacity': 0.7 },
    },
    { id: id('omt-landuse'), type: 'fill', 'source-layer': 'landuse', paint: { 'fill-color': '#ebe6df', 'fill-opacity': 0.7 } },
    { id: id('omt-park'), type: 'fill', 'source-layer': 'park', paint: { 'fill-color': '#d3e6c4', 'fill-opacity': 0.7 } },
    { id: id('omt-water'), type: 'fill', 'source-layer': 'water', paint: { 'fill-color': '#a9cfe8' } },
    { id: id('omt-waterway'), type: 'line', 'source-layer': 'waterway', paint: { 'line-color': '#7fb5da', 'line-width': 1.2 } },
    { id: id('omt-building'), type: 'fill', 'source-layer': 'building', minzoom: 13, paint: { 'fill-color': '#ddd6cc', 'fill-outline-color': '#c9c0b4' } },
    {
      id: id('omt-transportation'),
      type: 'line',
      'source-layer': 'transportation',
      layout: { 'line-join': 'round', 'line-cap': 'round' },
      paint: {
        'line-color': ['match', ['get', 'class'], ['motorway', 'trunk'], '#f0b27a', ['primary', 'secondary'], '#f7d794', 'rail', '#b5b5b5', '#ffffff'],
        'line-width': ['interpolate', ['linear'], ['zoom'], 6, ['match', ['get', 'class'], ['motorway', 'trunk'], 1.2, ['primary', 'secondary'], 0.8, 0.3], 14, ['match', ['get', 'class'], ['motorway', 'trunk'], 6, ['primary', 'secondary'], 4, 2]],
      },
    },
    {
      id: id('omt-boundary'),
      type: 'line',
      'source-layer': 'boundary',
      filter: ['<=', ['coalesce', ['get', 'admin_level'], 99], 6],
      paint: { 'line-color': '#9a8f99', 'line-width': 1, 'line-dasharray': [3, 2] },
    },
    {
      id: id('omt-water-name'),
      type: 'symbol',
      'source-layer': 'water_name',
      layout: { 'text-field': nameField(language), 'text-font': [labelFontFamily], 'text-size': 12 },
      paint: { ...labelPaint, 'text-color': '#2f6f9a' },
    },
    {
      id: id('omt-place'),
      type: 'symbol',
      'source-layer': 'place',
      layout: { 'text-field': nameField(language), 'text-font': [labelFontFamily], 'text-size': ['interpolate', ['linear'], ['zoom'], 6, 11, 14, 15] },
      paint: labelPaint,
    },
  ];
  return layers.filter((layer) => present.has(sourceLayerOf(layer)));
}

const genericPalette = ['#c0392b', '#2e86c1', '#28b463', '#d68910', '#8e44ad', '#17a589', '#cb4335', '#2874a6', '#b7950b', '#6c3483'];

/** Every vector layer drawn by its geometry: fill + outline, line, circle; names on points. */
function genericLayers(vectorLayers: readonly VectorLayerInfo[], language: string): LayerWithoutSource[] {
  return vectorLayers.flatMap((layer, index): LayerWithoutSource[] => {
    const color = genericPalette[index % genericPalette.length] ?? '#555555';
    const any = layer.geometry === null;
    const result: LayerWithoutSource[] = [];
    if (any || layer.geometry === 'Polygon') {
      result.push(
        { id: id(`g-${index}-fill`), type: 'fill', 'source-layer': layer.id, filter: polygonFilter, paint: { 'fill-color': color, 'fill-opacity': 0.18 } },
        { id: id(`g-${index}-outline`), type: 'line', 'source-layer': layer.id, filter: polygonFilter, paint: { 'line-color': color, 'line-width': 1.2 } },
      );
    }
    if (any || layer.geometry === 'LineString') {
      result.push({ id: id(`g-${index}-line`), type: 'line', 'source-layer': layer.id, filter: lineFilter, paint: { 'line-color': color, 'line-width': 1.6 } });
    }
    if (any || layer.geometry === 'Point') {
      result.push({
        id: id(`g-${index}-circle`),
        type: 'circle',
        'source-layer': layer.id,
        filter: pointFilter,
        paint: { 'circle-radius': 4, 'circle-color': color, 'circle-stroke-color': '#ffffff', 'circle-stroke-width': 1.2 },
      });
      if (layer.fields.includes('name')) {
        result.push({
          id: id(`g-${index}-label`),
          type: 'symbol',
          'source-layer': layer.id,
          filter: pointFilter,
          layout: { 'text-field': nameField(language), 'text-font': [labelFontFamily], 'text-size': 12, 'text-offset': [0, 0.9], 'text-anchor': 'top' },
          paint: labelPaint,
        });
      }
    }
    return result;
  });
}

/** The style layers of a package (without their source, added by `applyBasemapSelection`). */
export function basemapPackageLayers(info: BasemapPackageInfo, language: string): LayerSpecification[] {
  let layers: LayerWithoutSource[];
  if (info.tileType !== 'mvt') {
    layers = [{ id: id('raster'), type: 'raster', paint: { 'raster-fade-duration': 0 } }];
  } else {
    const present = new Set(info.vectorLayers.map((layer) => layer.id));
    const schema = vectorSchemaOf(info.vectorLayers);
    layers = schema === 'protomaps' ? protomapsLayers(language, present) : schema === 'openmaptiles' ? openMapTilesLayers(language, present) : genericLayers(info.vectorLayers, language);
  }
  return layers.map((layer) => ({ ...layer, source: basemapPackageSourceId }) as LayerSpecification);
}

export function basemapPackageSource(active: ActiveBasemapPackage): SourceSpecification {
  const { info } = active;
  const common = {
    tiles: [tileTemplate(active)],
    minzoom: info.minZoom,
    maxzoom: info.maxZoom,
    bounds: info.bounds,
    ...(info.attribution ? { attribution: info.attribution } : {}),
  };
  return info.tileType === 'mvt' ? { type: 'vector', ...common } : { type: 'raster', tileSize: 256, ...common };
}

/** Each package's coverage (its bounds) as a polygon, the active one marked. */
export function coverageOutlines(packages: readonly BasemapPackageInfo[], activeId: string | null): FeatureCollection<Polygon> {
  return {
    type: 'FeatureCollection',
    features: packages.map((info): Feature<Polygon> => {
      const [west, south, east, north] = info.bounds;
      return {
        type: 'Feature',
        properties: { packageId: info.id, active: info.id === activeId },
        geometry: { type: 'Polygon', coordinates: [[[west, south], [east, south], [east, north], [west, north], [west, south]]] },
      };
    }),
  };
}

// ---------------------------------------------------------------------------------------------
// Applying a selection

const appliedKeys = new WeakMap<maplibregl.Map, string>();

function removePackageLayers(map: maplibregl.Map): void {
  for (const layer of map.getStyle().layers) {
    if (layer.id.startsWith(basemapPackageLayerPrefix) && layer.id !== basemapOutlineLayerId) map.removeLayer(layer.id);
  }
  if (map.getSource(basemapPackageSourceId)) map.removeSource(basemapPackageSourceId);
}

/**
 * Shows the selected basemap: the package's source and layers under everything else with the
 * built-in layers hidden, or the built-in basemap; and the outlines of every package. Idempotent:
 * the package layers are rebuilt only when the active package or the language changes.
 */
export function applyBasemapSelection(map: maplibregl.Map, selection: BasemapSelection, language: string, builtInLayerIds: readonly string[]): void {
  const active = selection.active;
  const key = active ? `${active.info.id}|${active.tiles.kind}|${language}` : '';
  if (appliedKeys.get(map) !== key) {
    removePackageLayers(map);
    if (active) {
      map.addSource(basemapPackageSourceId, basemapPackageSource(active));
      const before = map.getLayer(packageLayersBelow) ? packageLayersBelow : undefined;
      for (const layer of basemapPackageLayers(active.info, language)) map.addLayer(layer, before);
    }
    for (const layerId of builtInLayerIds) {
      if (layerId !== 'background' && map.getLayer(layerId)) setVisibilityIfChanged(map, layerId, active ? 'none' : 'visible');
    }
    appliedKeys.set(map, key);
  }

  const outlines = coverageOutlines(selection.outlines, active?.info.id ?? null);
  const source = map.getSource(basemapOutlineSourceId) as maplibregl.GeoJSONSource | undefined;
  if (source) {
    source.setData(outlines);
  } else if (outlines.features.length > 0) {
    // Added with the first package, not at start: an empty source is one more load and frame at launch.
    map.addSource(basemapOutlineSourceId, { type: 'geojson', data: outlines });
    map.addLayer(
      {
        id: basemapOutlineLayerId,
        type: 'line',
        source: basemapOutlineSourceId,
        paint: {
          'line-color': ['case', ['get', 'active'], '#d35400', '#2c3e50'],
          'line-width': ['case', ['get', 'active'], 2.5, 2],
          'line-dasharray': [4, 2],
        },
      },
      map.getLayer(outlinesBelow) ? outlinesBelow : undefined,
    );
  }
}
