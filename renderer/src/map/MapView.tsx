import { useEffect, useImperativeHandle, useRef, useState, type Ref } from 'react';
import * as maplibregl from 'maplibre-gl';
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';
import 'maplibre-gl/dist/maplibre-gl.css';
import { useTranslation } from 'react-i18next';
import { attributionTexts, type BasemapData } from './basemap-data';
import { basemapStyle, basemapSymbolLayerIds, labelField, labelFontFamily } from './basemap-style';
import { loadLabelFont } from './label-font';
import {
  addPlanningLayer,
  applyPlanningChanges,
  applyPlanningViews,
  featureIdProperty,
  planningFeatureTarget,
  planningStyleLayerIds,
  type PlanningLayerChanges,
  type PlanningLayerView,
} from './planning-layers';
import { setCoverageOverlay, type CoverageOverlay } from './coverage-overlay';
import type { BasemapSelection } from './basemap-packages';
import { useBasemapSelection } from './basemap-packages-view';
import { createGpsOverlay, type GpsOverlay } from './gps-layer';
import { createMapEditing, type MapEditing } from './editing';
import { EditingStatusLine } from './editing-status';
import { useEditingState } from './editing-state';
import { useLanguage } from '../lib/language';
import { boundsOf, createMapViewHandle, fitPadding, type MapViewHandle } from './map-view-handle';
import { mapDrawing, mapDrawn } from '../lib/first-draw';

maplibregl.setWorkerUrl(workerUrl);
// MapLibre starts half as many workers as the machine has cores: one on a two-core laptop, where
// a large layer's tiles were then parsed one after another while the main thread waited.
maplibregl.setWorkerCount(Math.max(2, maplibregl.getWorkerCount()));

export interface FeatureReference {
  layerId: string;
  featureId: string;
}

export type { MapViewHandle } from './map-view-handle';

export interface MapViewProps {
  data: BasemapData;
  /** Planning layers, bottom to top. */
  planningViews?: readonly PlanningLayerView[];
  /** Follows a planning layer in the store: first a reset, then incremental changes. */
  subscribePlanningLayer?: (layerId: string, listener: (changes: PlanningLayerChanges) => void) => () => void;
  selected?: FeatureReference | null;
  onSelectFeature?: (feature: FeatureReference | null) => void;
  /** The park-coverage analysis to draw, or null. */
  coverageOverlay?: CoverageOverlay | null;
  /** The basemap switcher's choice: a package (with every package's outline), or null for the built-in one. */
  basemapSelection?: BasemapSelection | null;
  ref?: Ref<MapViewHandle>;
}

declare global {
  interface Window {
    /** Read-only handle for end-to-end tests and benchmarks: the live map and its state. */
    __onemap?: { map: maplibregl.Map; state: 'loading' | 'idle' };
  }
}

/** Planning layers draw above the basemap's fills and lines, below its labels. */
const planningLayersBelow = 'river-labels';

/** Closes the compact attribution (MapLibre opens it at first and closes it only on a drag). */
function collapseAttribution(map: maplibregl.Map): void {
  map.getContainer().querySelector('.maplibregl-ctrl-attrib.maplibregl-compact')?.classList.remove('maplibregl-compact-show');
}

/** The basemap's sources, in the UI language, at the bottom right of the map. */
function makeAttributionControl(data: BasemapData, language: string): maplibregl.AttributionControl {
  return new maplibregl.AttributionControl({ compact: true, customAttribution: attributionTexts(data.attribution, language) });
}

export function MapView({ data, planningViews = [], subscribePlanningLayer, selected = null, onSelectFeature, coverageOverlay = null, basemapSelection = null, ref }: MapViewProps) {
  const language = useLanguage();
  const { t } = useTranslation();
  const containerRef = useRef<HTMLDivElement>(null);
  const mapRef = useRef<maplibregl.Map | null>(null);
  const focusedRef = useRef<number | null>(null);
  const viewsRef = useRef(planningViews);
  const onSelectRef = useRef(onSelectFeature);
  const [cursor, setCursor] = useState<{ lon: number; lat: number } | null>(null);
  const [zoom, setZoom] = useState<number | null>(null);
  const [styleReady, setStyleReady] = useState(false);
  const [state, setState] = useState<'loading' | 'idle'>('loading');
  const [drawing, setDrawing] = useState(false);
  const [selectionEpoch, setSelectionEpoch] = useState(0);
  const drawingRef = useRef(false);
  const gpsRef = useRef<GpsOverlay | null>(null);
  const editingRef = useRef<MapEditing | null>(null);
  const editingSession = useEditingState().session;
  const attributionRef = useRef<{ control: maplibregl.AttributionControl; language: string } | null>(null);

  useEffect(() => {
    viewsRef.current = planningViews;
    onSelectRef.current = onSelectFeature;
  });

  useEffect(() => {
    const container = containerRef.current;
    if (!container) return;
    let cancelled = false;
    let map: maplibregl.Map | null = null;
    const labels = [
      ...data.counties.features.flatMap((f) => [f.properties.name, f.properties.nameEn]),
      ...data.seats.features.flatMap((f) => [f.properties.name, f.properties.nameEn]),
      ...[...data.lakes.features, ...data.rivers.features].flatMap((f) => [f.properties?.name ?? '', f.properties?.nameEn ?? '']),
    ];
    void loadLabelFont(labels).then(() => {
      if (cancelled) return;
      map = new maplibregl.Map({
        container,
        style: basemapStyle(data, language),
        bounds: boundsOf(data.city),
        fitBoundsOptions: { padding: fitPadding },
        attributionControl: false,
        localIdeographFontFamily: `"${labelFontFamily}", sans-serif`,
        renderWorldCopies: false,
        maxZoom: 19,
        minZoom: 5,
      });
      const created = map;
      performance.mark('onemap:map-created');
      mapRef.current = created;
      window.__onemap = { map: created, state: 'loading' };
      mapDrawing();
      gpsRef.current = createGpsOverlay(created);
      created.addControl(new maplibregl.NavigationControl({ showCompass: true }), 'top-right');
      created.addControl(new maplibregl.ScaleControl({ unit: 'metric', maxWidth: 160 }), 'bottom-left');
      // Compact and closed (an ⓘ button): the full line covered the scale bar, 我的位置 and the
      // drawing hints. Opened, it stays in the bottom-right corner (app.css caps its width).
      attributionRef.current = { control: makeAttributionControl(data, language), language };
      created.addControl(attributionRef.current.control, 'bottom-right');
      collapseAttribution(created);
      created.on('mousemove', (event) => {
        setCursor({ lon: event.lngLat.lng, lat: event.lngLat.lat });
        const layers = planningStyleLayerIds(viewsRef.current.filter((view) => view.visible)).filter((id) => created.getLayer(id));
        const hit = layers.length > 0 && created.queryRenderedFeatures(event.point, { layers }).length > 0;
        created.getCanvas().style.cursor = hit ? 'pointer' : '';
      });
      created.on('mouseout', () => setCursor(null));
      created.on('zoomend', () => setZoom(created.getZoom()));
      created.on('click', (event) => {
        if (drawingRef.current || editingRef.current?.ownsClick()) return;
        const layers = planningStyleLayerIds(viewsRef.current.filter((view) => view.visible)).filter((id) => created.getLayer(id));
        const hit = layers.length > 0 ? created.queryRenderedFeatures(event.point, { layers })[0] : undefined;
        const featureId = hit?.properties?.[featureIdProperty];
        const layerId = hit?.properties?.layerId;
        onSelectRef.current?.(typeof featureId === 'string' && typeof layerId === 'string' ? { layerId, featureId } : null);
      });
      // The planning layers go in as soon as the style is parsed, so their data is read and tiled
      // while the basemap loads, not after its first complete frame ('load').
      created.once('style.load', () => {
        setZoom(created.getZoom());
        setStyleReady(true);
      });
      created.once('load', () => performance.mark('onemap:map-loaded'));
    });
    return () => {
      cancelled = true;
      map?.remove();
      mapRef.current = null;
      gpsRef.current = null;
      setStyleReady(false);
      if (window.__onemap?.map === map) delete window.__onemap;
    };
    // The map is built once per basemap; language and layers are applied below without a rebuild.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [data]);

  // Planning layers: added once the style is ready, then fed by the store's change feed. The map
  // reports 'idle' only after every layer has its first data and the map has drawn it.
  const layerKey = planningViews.map((view) => `${view.definition.id}@${view.definition.version ?? 1}`).join('|');
  useEffect(() => {
    const map = mapRef.current;
    if (!map || !styleReady) return;
    const definitions = viewsRef.current.map((view) => view.definition);
    for (const definition of definitions) addPlanningLayer(map, definition, planningLayersBelow);
    applyPlanningViews(map, viewsRef.current, planningLayersBelow);
    const awaitingFirstData = new Set(definitions.map((definition) => definition.id));
    const markIdleWhenDrawn = () => {
      performance.mark('onemap:planning-data-applied');
      map.once('idle', () => {
        performance.mark('onemap:map-idle');
        if (window.__onemap?.map === map) window.__onemap.state = 'idle';
        mapDrawn();
        setState('idle');
      });
      map.triggerRepaint();
    };
    const unsubscribers = definitions.map((definition) =>
      subscribePlanningLayer
        ? subscribePlanningLayer(definition.id, (changes) => {
            // A replaced source (GeoJSON ↔ tiles) needs its views and the selection again.
            if (applyPlanningChanges(map, definition, changes)) {
              applyPlanningViews(map, viewsRef.current, planningLayersBelow);
              editingRef.current?.reapplyHidden();
              setSelectionEpoch((epoch) => epoch + 1);
            }
            if (awaitingFirstData.delete(definition.id) && awaitingFirstData.size === 0) markIdleWhenDrawn();
          })
        : () => undefined,
    );
    if (definitions.length === 0 || !subscribePlanningLayer) markIdleWhenDrawn();
    return () => unsubscribers.forEach((unsubscribe) => unsubscribe());
     
  }, [styleReady, layerKey, subscribePlanningLayer]);

  useEffect(() => {
    const map = mapRef.current;
    if (!map || !styleReady) return;
    applyPlanningViews(map, planningViews, planningLayersBelow);
    editingRef.current?.reapplyHidden();
  }, [planningViews, styleReady]);

  // One geometry editor per map (renderer/src/map/editing.ts).
  useEffect(() => {
    const map = mapRef.current;
    if (!map || !styleReady) return;
    const editing = createMapEditing(map, { views: () => viewsRef.current, restoreViews: () => applyPlanningViews(map, viewsRef.current, planningLayersBelow) });
    editingRef.current = editing;
    return () => {
      editing.destroy();
      if (editingRef.current === editing) editingRef.current = null;
    };
  }, [styleReady]);

  // A drawing or editing hint shows at the bottom of the map: nothing may cover it.
  useEffect(() => {
    if (mapRef.current && (drawing || editingSession)) collapseAttribution(mapRef.current);
  }, [drawing, editingSession]);

  useEffect(() => {
    const map = mapRef.current;
    if (!map || !styleReady) return;
    setCoverageOverlay(map, coverageOverlay, planningLayersBelow);
  }, [coverageOverlay, styleReady]);

  useBasemapSelection(mapRef, styleReady, basemapSelection, language, data);

  useEffect(() => {
    const map = mapRef.current;
    if (!map || !styleReady || !selected) return;
    const target = planningFeatureTarget(map, selected.layerId, selected.featureId);
    if (!map.getSource(target.source)) return;
    map.setFeatureState(target, { selected: true });
    return () => {
      if (map.getSource(target.source)) map.setFeatureState(target, { selected: false });
    };
  }, [selected, styleReady, selectionEpoch]);

  useEffect(() => {
    const map = mapRef.current;
    if (!map || !styleReady) return;
    for (const layerId of basemapSymbolLayerIds) map.setLayoutProperty(layerId, 'text-field', labelField(language));
    // A control's text is fixed when it is made: the attribution is made anew in the new language.
    const attribution = attributionRef.current;
    if (attribution !== null && attribution.language !== language) {
      map.removeControl(attribution.control);
      attributionRef.current = { control: makeAttributionControl(data, language), language };
      map.addControl(attributionRef.current.control, 'bottom-right');
      collapseAttribution(map);
    }
  }, [language, styleReady, data]);

  useImperativeHandle(ref, () => createMapViewHandle({ mapRef, data, focusedRef, drawingRef, setDrawing, editingRef, gpsRef }), [data]);

  return (
    <div className="map-wrap">
      <div
        ref={containerRef}
        className="map"
        data-testid="map"
        data-map-state={state}
        role="region"
        aria-label={t('app.title')}
        aria-busy={state !== 'idle'}
      />
      {drawing && (
        <p className="draw-hint" role="status">
          {t('map.drawHint')}
        </p>
      )}
      <EditingStatusLine onFinish={() => editingRef.current?.finish()} onCancel={() => editingRef.current?.cancel()} />
      <div className="map-status" aria-live="off">
        <span data-testid="cursor-coordinates">
          {cursor ? t('map.cursor', { lon: cursor.lon.toFixed(6), lat: cursor.lat.toFixed(6) }) : t('map.cursorOutside')}
        </span>
        {zoom !== null && <span>{t('map.zoom', { zoom: zoom.toFixed(1) })}</span>}
        <span>{t('map.offline')}</span>
      </div>
    </div>
  );
}
