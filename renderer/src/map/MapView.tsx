import { useEffect, useImperativeHandle, useRef, useState, type Ref, type RefObject } from 'react';
import type * as maplibregl from 'maplibre-gl';
import 'maplibre-gl/dist/maplibre-gl.css';
import { useTranslation } from 'react-i18next';
import { attributionTexts, type BasemapData } from './basemap-data';
import { basemapStyle, basemapSymbolLayerIds, labelField, labelFontFamily } from './basemap-style';
import { loadBasemapLabelFont } from './label-font';
import {
  addPlanningLayerWith,
  applyPlanningChanges,
  applyPlanningViews,
  featureIdProperty,
  lowestPlanningLayerId,
  planningFeatureTarget,
  planningStyleLayerIds,
  type PlanningLayerChanges,
  type PlanningLayerView,
} from './planning-layers';
import { followPlanningLayers, type PlanningFeed } from './planning-feed';
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
import { loadedMapLibre, loadMapLibre } from './maplibre';

// Its code loads while the store opens (map/maplibre.ts).
void loadMapLibre();

export interface FeatureReference {
  layerId: string;
  featureId: string;
}

export type { MapViewHandle } from './map-view-handle';

export interface MapViewProps {
  data: BasemapData;
  /** Planning layers, bottom to top; undefined while the store has not listed its layers yet. */
  planningViews?: readonly PlanningLayerView[] | undefined;
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
  return new (loadedMapLibre().AttributionControl)({ compact: true, customAttribution: attributionTexts(data.attribution, language) });
}

const noViews: readonly PlanningLayerView[] = [];

interface AttachedFeed {
  map: maplibregl.Map;
  feed: PlanningFeed;
  detach: () => void;
}

interface FeedParts {
  attachedRef: RefObject<AttachedFeed | null>;
  viewsRef: RefObject<readonly PlanningLayerView[]>;
  editingRef: RefObject<MapEditing | null>;
  setState: (state: 'loading' | 'idle') => void;
  setSelectionEpoch: (update: (epoch: number) => number) => void;
}

/** Hands the planning layers' feed to the map (once per map and feed): the layers go on with their first data, then follow the changes. */
function attachPlanningFeed({ attachedRef, viewsRef, editingRef, setState, setSelectionEpoch }: FeedParts, map: maplibregl.Map, feed: PlanningFeed): void {
  if (attachedRef.current?.map === map && attachedRef.current.feed === feed) return;
  attachedRef.current?.detach();
  const definitions = new Map(viewsRef.current.map((view) => [view.definition.id, view.definition]));
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
  const detach = feed.handOver(
    (resets) => {
      for (const [layerId, reset] of resets) addPlanningLayerWith(map, definitions.get(layerId)!, reset, planningLayersBelow);
      applyPlanningViews(map, viewsRef.current, planningLayersBelow);
      editingRef.current?.reapplyHidden();
      setSelectionEpoch((epoch) => epoch + 1);
      markIdleWhenDrawn();
    },
    (layerId, changes) => {
      // A replaced source (GeoJSON ↔ tiles) needs its views and the selection again.
      if (applyPlanningChanges(map, definitions.get(layerId)!, changes)) {
        applyPlanningViews(map, viewsRef.current, planningLayersBelow);
        editingRef.current?.reapplyHidden();
        setSelectionEpoch((epoch) => epoch + 1);
      }
    },
  );
  attachedRef.current = { map, feed, detach };
}

/** The longest the map waits for the planning layers' first data before it draws the basemap alone. */
const firstDataWaitMs = 2000;

export function MapView({ data, planningViews: listedViews, subscribePlanningLayer, selected = null, onSelectFeature, coverageOverlay = null, basemapSelection = null, ref }: MapViewProps) {
  const language = useLanguage();
  const { t } = useTranslation();
  const planningViews = listedViews ?? noViews;
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
  /** Tells the map's creation that the planning layers' first data is read. */
  const firstDataReadRef = useRef<() => void>(() => undefined);
  /** The planning layers' feed being followed, and the map it was handed to. */
  const feedRef = useRef<PlanningFeed | null>(null);
  const attachedRef = useRef<AttachedFeed | null>(null);

  useEffect(() => {
    viewsRef.current = planningViews;
    onSelectRef.current = onSelectFeature;
  });

  useEffect(() => {
    const container = containerRef.current;
    if (!container) return;
    let cancelled = false;
    let map: maplibregl.Map | null = null;
    // The map is made once the planning layers' first data is read too (or after
    // `firstDataWaitMs`, so a slow store never keeps the basemap away): it then loads and draws
    // basemap and layers in one pass, and the reads are not held up by its frames.
    const firstData = new Promise<void>((resolve) => {
      firstDataReadRef.current = resolve;
      setTimeout(resolve, firstDataWaitMs);
    });
    void Promise.all([loadMapLibre(), loadBasemapLabelFont(data), firstData]).then(([maplibregl]) => {
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
      // The planning layers go in as soon as the style is parsed (their data is usually read by
      // then: see above), so they are tiled with the basemap, not after its first frames.
      created.once('style.load', () => {
        if (feedRef.current) attachPlanningFeed({ attachedRef, viewsRef, editingRef, setState, setSelectionEpoch }, created, feedRef.current);
        setZoom(created.getZoom());
        setStyleReady(true);
      });
      created.once('load', () => performance.mark('onemap:map-loaded'));
    });
    return () => {
      cancelled = true;
      firstDataReadRef.current = () => undefined;
      if (attachedRef.current?.map === map) {
        attachedRef.current.detach();
        attachedRef.current = null;
      }
      map?.remove();
      mapRef.current = null;
      gpsRef.current = null;
      setStyleReady(false);
      if (window.__onemap?.map === map) delete window.__onemap;
    };
    // The map is built once per basemap; language and layers are applied below without a rebuild.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [data]);

  // Planning layers: their change feeds are followed from the first render (planning-feed.ts),
  // one feed per map (it is built once per basemap), and the layers go onto the map with their
  // first data, all at once, when both the style and that data are there — in the style's
  // 'style.load' handler when the data came first, not a React render later. The map reports
  // 'idle' only after that and after the map has drawn it.
  const layerKey = listedViews === undefined ? null : planningViews.map((view) => `${view.definition.id}@${view.definition.version ?? 1}`).join('|');
  const [feed, setFeed] = useState<PlanningFeed | null>(null);

  useEffect(() => {
    if (layerKey === null) return;
    const layerIds = viewsRef.current.map((view) => view.definition.id);
    const followed = followPlanningLayers(layerIds, subscribePlanningLayer ?? ((_layerId, listener) => (listener({ kind: 'reset', features: [] }), () => undefined)));
    feedRef.current = followed;
    setFeed(followed);
    void followed.complete.then(() => firstDataReadRef.current());
    return () => {
      followed.stop();
      if (attachedRef.current?.feed === followed) {
        attachedRef.current.detach();
        attachedRef.current = null;
      }
      if (feedRef.current === followed) feedRef.current = null;
      setFeed((current) => (current === followed ? null : current));
    };
  }, [layerKey, subscribePlanningLayer, data]);

  useEffect(() => {
    const map = mapRef.current;
    if (map && styleReady && feed) attachPlanningFeed({ attachedRef, viewsRef, editingRef, setState, setSelectionEpoch }, map, feed);
  }, [styleReady, feed]);

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
    // Under the planning layers, as applyPlanningViews keeps them (just below the basemap's labels).
    setCoverageOverlay(map, coverageOverlay, lowestPlanningLayerId(map, planningLayersBelow));
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
