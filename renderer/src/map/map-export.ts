// The map side of "export map": draws the live map's current view, off-screen, at the size and
// resolution of a printed page. The live map is never touched: a second map is built from the live
// style (getStyle() carries every planning layer's current data, filters, visibility and opacity),
// with preserveDrawingBuffer on for this copy only, and removed once its pixels are read.
import type * as maplibregl from 'maplibre-gl';
import { loadedMapLibre } from './maplibre';
import { geodesicDistanceMeters } from '../../../shared/geo';
import { labelFontFamily } from './basemap-style';
import { sourceIdOf } from './planning-layers';
import { OneMapError } from '../../../shared/errors';

export interface MapRenderRequest {
  /** Size of the map on the page, in page pixels. */
  widthPx: number;
  heightPx: number;
  /** Page pixels per CSS pixel (dpi / 96): labels and lines keep their printed size. */
  pixelRatio: number;
  /** Planning layers drawn on the page (a thematic map, e.g. wells only); the others are left off. All visible ones when absent. */
  planningLayerIds?: readonly string[];
  /** Draw exactly this view (a printed map's), not the live one fitted to the page. */
  view?: { center: [number, number]; zoom: number; bearing: number };
  /** Only the raster basemap tiles (under a vector print). */
  rasterOnly?: boolean;
}

/** What printing needs of the live map: its view, canvas size, basemap colours, whether the basemap is raster tiles. */
export interface PrintViewInfo {
  center: [number, number];
  zoom: number;
  bearing: number;
  widthPx: number;
  heightPx: number;
  colors: MapRender['colors'] & { background: string };
  rasterBasemap: boolean;
}

export function printViewOf(map: maplibregl.Map): PrintViewInfo {
  const center = map.getCenter();
  const canvas = map.getCanvas();
  const background = map.getLayer('background') ? map.getPaintProperty('background', 'background-color') : undefined;
  return {
    center: [center.lng, center.lat],
    zoom: map.getZoom(),
    bearing: map.getBearing(),
    widthPx: canvas.clientWidth,
    heightPx: canvas.clientHeight,
    colors: { ...basemapColors(map), background: typeof background === 'string' ? background : '#f7f7f4' },
    rasterBasemap: map.getStyle().layers.some((layer) => layer.type === 'raster' && layer.layout?.visibility !== 'none'),
  };
}

function basemapColors(map: maplibregl.Map): MapRender['colors'] {
  return {
    county: paintColor(map, 'county-line', 'line-color', '#8a7f72'),
    city: paintColor(map, 'city-line', 'line-color', '#6b4f3a'),
    lake: paintColor(map, 'lake-fill', 'fill-color', '#9ccbe8'),
    river: paintColor(map, 'river-line', 'line-color', '#5d9cc7'),
    seat: paintColor(map, 'seat-circle', 'circle-stroke-color', '#3f3f3f'),
  };
}

export interface MapRender {
  /** The map's pixels, exactly widthPx × heightPx. */
  canvas: HTMLCanvasElement;
  /** Ground metres per page pixel along the parallel through the map's centre. */
  metresPerPixel: number;
  /** Degrees clockwise from north of the map's up direction. */
  bearing: number;
  center: [number, number];
  zoom: number;
  /** The basemap's colours as the style draws them (for the legend). */
  colors: { county: string; city: string; lake: string; river: string; seat: string };
  /** Planning layer id → the statuses of its features actually drawn on the page (for the legend: nothing listed that does not show). */
  drawnStatuses: Record<string, string[]>;
}

export class MapRenderCancelled extends Error {
  constructor() {
    super('map render cancelled');
    this.name = 'MapRenderCancelled';
  }
}

/** The map could not be drawn at that size (the graphics card's limit) or in time. */
export class MapRenderError extends OneMapError {
  override name = 'MapRenderError';
  constructor(
    readonly reason: 'too-large' | 'timeout',
    message: string,
  ) {
    super(`map-render-${reason}`, { technical: message });
    this.message = message;
  }
}

const renderTimeoutMs = 60_000;

function paintColor(map: maplibregl.Map, layerId: string, property: string, fallback: string): string {
  if (!map.getLayer(layerId)) return fallback;
  const value = map.getPaintProperty(layerId, property as 'line-color');
  return typeof value === 'string' ? value : fallback;
}

/** Ground metres per CSS pixel at the centre of the map, measured on the ellipsoid across 100 pixels. */
function metresPerCssPixel(map: maplibregl.Map): number {
  const canvas = map.getCanvas();
  const x = canvas.clientWidth / 2;
  const y = canvas.clientHeight / 2;
  const west = map.unproject([x - 50, y]);
  const east = map.unproject([x + 50, y]);
  return geodesicDistanceMeters([west.lng, west.lat], [east.lng, east.lat]) / 100;
}

export async function renderMapForExport(live: maplibregl.Map, request: MapRenderRequest, signal?: AbortSignal): Promise<MapRender> {
  if (signal?.aborted) throw new MapRenderCancelled();
  // MapLibre sizes its canvas from the container's whole CSS pixels: round up, then crop to the page's pixels.
  const cssWidth = Math.ceil(request.widthPx / request.pixelRatio);
  const cssHeight = Math.ceil(request.heightPx / request.pixelRatio);
  const liveCanvas = live.getCanvas();
  // The same centre and rotation; zoomed so the page shows at least what the window shows.
  const fit = Math.min(cssWidth / Math.max(1, liveCanvas.clientWidth), cssHeight / Math.max(1, liveCanvas.clientHeight));
  const container = document.createElement('div');
  Object.assign(container.style, { position: 'fixed', left: '-100000px', top: '0', width: `${cssWidth}px`, height: `${cssHeight}px`, pointerEvents: 'none' });
  container.setAttribute('aria-hidden', 'true');
  document.body.appendChild(container);
  let map: maplibregl.Map | null = null;
  try {
    const style = live.getStyle();
    const planningSources = new Set((request.planningLayerIds ?? []).map(sourceIdOf));
    if (request.rasterOnly) {
      for (const layer of style.layers) if (layer.type !== 'raster') layer.layout = { ...layer.layout, visibility: 'none' };
    } else if (request.planningLayerIds) {
      for (const layer of style.layers) {
        const source = 'source' in layer ? layer.source : undefined;
        if (typeof source === 'string' && source.startsWith(sourceIdOf('')) && !planningSources.has(source)) layer.layout = { ...layer.layout, visibility: 'none' };
      }
    }
    map = new (loadedMapLibre().Map)({
      container,
      style,
      center: request.view?.center ?? live.getCenter(),
      zoom: request.view?.zoom ?? live.getZoom() + Math.log2(fit),
      bearing: request.view?.bearing ?? live.getBearing(),
      pitch: live.getPitch(),
      interactive: false,
      attributionControl: false,
      fadeDuration: 0,
      renderWorldCopies: false,
      localIdeographFontFamily: `"${labelFontFamily}", sans-serif`,
      pixelRatio: request.pixelRatio,
      maxCanvasSize: [16384, 16384],
      canvasContextAttributes: { preserveDrawingBuffer: true, antialias: true },
      minZoom: 0,
      maxZoom: 22,
    });
    const created = map;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new MapRenderError('timeout', `the map did not finish drawing within ${renderTimeoutMs / 1000} s`)), renderTimeoutMs);
      const abort = () => {
        clearTimeout(timer);
        reject(new MapRenderCancelled());
      };
      signal?.addEventListener('abort', abort, { once: true });
      created.once('idle', () => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', abort);
        resolve();
      });
      created.once('error', (event) => {
        clearTimeout(timer);
        reject(event.error instanceof Error ? event.error : new Error(String(event.error)));
      });
    });
    const source = created.getCanvas();
    if (source.width < request.widthPx || source.height < request.heightPx) {
      throw new MapRenderError('too-large', `the graphics card drew ${source.width} × ${source.height} pixels, not ${request.widthPx} × ${request.heightPx}`);
    }
    const canvas = document.createElement('canvas');
    canvas.width = request.widthPx;
    canvas.height = request.heightPx;
    const context = canvas.getContext('2d');
    if (!context) throw new Error('no 2D canvas');
    context.drawImage(source, 0, 0, request.widthPx, request.heightPx, 0, 0, request.widthPx, request.heightPx);
    const center = created.getCenter();
    const planningStyleLayers = style.layers.filter((layer) => 'source' in layer && typeof layer.source === 'string' && layer.source.startsWith(sourceIdOf('')));
    const drawnStatuses: Record<string, string[]> = {};
    const drawn = planningStyleLayers.length === 0 ? [] : created.queryRenderedFeatures({ layers: planningStyleLayers.map((layer) => layer.id) });
    for (const feature of drawn) {
      const layerId = String(feature.properties.layerId);
      const status = String(feature.properties.status);
      const statuses = (drawnStatuses[layerId] ??= []);
      if (!statuses.includes(status)) statuses.push(status);
    }
    return {
      drawnStatuses,
      canvas,
      metresPerPixel: metresPerCssPixel(created) / request.pixelRatio,
      bearing: created.getBearing(),
      center: [center.lng, center.lat],
      zoom: created.getZoom(),
      colors: basemapColors(created),
    };
  } finally {
    map?.remove();
    container.remove();
  }
}
