// What the workbench may ask of the map (MapView's ref): each call delegates to the map module
// that does it, on the live map once it exists.
import type { MutableRefObject } from 'react';
import type * as maplibregl from 'maplibre-gl';
import { bbox } from '@turf/bbox';
import type { Polygon } from 'geojson';
import type { Geometry } from '../../../shared/model';
import type { BasemapData } from './basemap-data';
import { drawSelectionArea } from './area-selection';
import { paddingClearOfPanels } from './clear-of-panels';
import { setConflictFlags, setConflictOverlay, type ConflictOverlay } from './conflict-overlay';
import type { EditTarget, MapEditing } from './editing';
import type { DrawKind } from './geometry-editor';
import type { GpsMarker, GpsOverlay } from './gps-layer';
import { setImportPreview } from './import-preview';
import { printViewOf, renderMapForExport, type MapRender, type MapRenderRequest, type PrintViewInfo } from './map-export';

export interface MapViewHandle {
  /** Fits the map to one county (by adcode), or to the whole city when null. */
  zoomTo(adcode: number | null): void;
  /** Fits the map to a geometry (a feature chosen from a list). */
  zoomToGeometry(geometry: Geometry): void;
  /** Lets the user draw an area on the map; null when cancelled (Esc). */
  drawArea(): Promise<Polygon | null>;
  /** Draws the GPS position (dot + accuracy circle), or removes it (null). */
  setGpsFix(marker: GpsMarker | null): void;
  /** Keeps the map centred on each GPS fix until the user pans (then `onCancelled`); false stops. */
  followGps(on: boolean, onCancelled?: () => void): void;
  /** Draws the current view off-screen at a page's size, for the map export (the live map is untouched). */
  renderForExport(request: MapRenderRequest, signal?: AbortSignal): Promise<MapRender>;
  /** The live view and basemap colours a printed map starts from; null before the map is built. */
  printView(): PrintViewInfo | null;
  /** Lets the user draw a new feature's geometry (snapping to the visible layers); null when cancelled. */
  drawGeometry(kind: DrawKind): Promise<Geometry | null>;
  /** Lets the user move and reshape a feature's geometry; null when cancelled. Writes nothing. */
  editGeometry(geometry: Geometry, target: EditTarget): Promise<Geometry | null>;
  /** Ends a draw/edit in progress with null (as Esc does). */
  cancelGeometryEditing(): void;
  /** The import wizard's preview: draws the features read from a file and fits them into view; null removes it. */
  setImportPreview(collection: Parameters<typeof setImportPreview>[1]): void;
  /** Sync: flags every feature with a conflict waiting (their geometries); false until the map is ready. */
  setConflictFlags(geometries: readonly Geometry[]): boolean;
  /** Sync: both versions of the conflict under review, fitted into view; null removes them. */
  setConflictOverlay(overlay: ConflictOverlay | null): void;
}

type Bounds = [number, number, number, number];

export const fitPadding = 40;

export function boundsOf(geojson: Parameters<typeof bbox>[0]): Bounds {
  return bbox(geojson) as Bounds;
}

export interface MapViewParts {
  mapRef: MutableRefObject<maplibregl.Map | null>;
  data: BasemapData;
  /** The county drawn as focused (by adcode), if any. */
  focusedRef: MutableRefObject<number | null>;
  /** An area selection is being drawn. */
  drawingRef: MutableRefObject<boolean>;
  setDrawing: (drawing: boolean) => void;
  editingRef: MutableRefObject<MapEditing | null>;
  gpsRef: MutableRefObject<GpsOverlay | null>;
}

export function createMapViewHandle({ mapRef, data, focusedRef, drawingRef, setDrawing, editingRef, gpsRef }: MapViewParts): MapViewHandle {
  return {
    zoomTo(adcode) {
      const map = mapRef.current;
      if (!map) return;
      const county = adcode === null ? undefined : data.counties.features.find((f) => f.properties.adcode === adcode);
      if (focusedRef.current !== null) map.setFeatureState({ source: 'counties', id: focusedRef.current }, { focused: false });
      focusedRef.current = county ? adcode : null;
      if (county && adcode !== null) map.setFeatureState({ source: 'counties', id: adcode }, { focused: true });
      map.fitBounds(boundsOf(county ?? data.city), { padding: fitPadding, duration: 600 });
    },
    zoomToGeometry(geometry) {
      const map = mapRef.current;
      if (!map) return;
      const [west, south, east, north] = boundsOf(geometry as Parameters<typeof bbox>[0]);
      map.fitBounds([west, south, east, north], { padding: paddingClearOfPanels(map, 120), maxZoom: 15, duration: 600 });
    },
    renderForExport(request, signal) {
      const map = mapRef.current;
      if (!map) return Promise.reject(new Error('the map is not ready'));
      return renderMapForExport(map, request, signal);
    },
    printView() {
      return mapRef.current ? printViewOf(mapRef.current) : null;
    },
    async drawArea() {
      const map = mapRef.current;
      if (!map || drawingRef.current || editingRef.current?.active) return null;
      drawingRef.current = true;
      setDrawing(true);
      try {
        return await drawSelectionArea(map);
      } finally {
        drawingRef.current = false;
        setDrawing(false);
      }
    },
    async drawGeometry(kind) {
      if (drawingRef.current || !editingRef.current) return null;
      return editingRef.current.drawGeometry(kind);
    },
    async editGeometry(geometry, target) {
      if (drawingRef.current || !editingRef.current) return null;
      return editingRef.current.editGeometry(geometry, target);
    },
    cancelGeometryEditing() {
      editingRef.current?.cancel();
    },
    setImportPreview(collection) {
      const map = mapRef.current;
      if (map) setImportPreview(map, collection);
    },
    setConflictFlags(geometries) {
      const map = mapRef.current;
      return map ? setConflictFlags(map, geometries) : false;
    },
    setConflictOverlay(overlay) {
      const map = mapRef.current;
      if (map) setConflictOverlay(map, overlay);
    },
    setGpsFix(marker) {
      gpsRef.current?.setFix(marker);
    },
    followGps(on, onCancelled) {
      gpsRef.current?.setFollow(on, onCancelled);
    },
  };
}
