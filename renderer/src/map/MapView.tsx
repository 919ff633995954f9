import { useEffect, useImperativeHandle, useRef, useState, type Ref } from 'react';
import * as maplibregl from 'maplibre-gl';
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';
import 'maplibre-gl/dist/maplibre-gl.css';
import { bbox } from '@turf/turf';
import { useTranslation } from 'react-i18next';
import type { BasemapData } from './basemap-data';
import { basemapStyle, basemapSymbolLayerIds, countyFillLayerId, labelField, labelFontFamily } from './basemap-style';
import { loadLabelFont } from './label-font';

maplibregl.setWorkerUrl(workerUrl);

export interface MapViewHandle {
  /** Fits the map to one county (by adcode), or to the whole city when null. */
  zoomTo(adcode: number | null): void;
}

export interface MapViewProps {
  data: BasemapData;
  language: string;
  ref?: Ref<MapViewHandle>;
}

type Bounds = [number, number, number, number];

declare global {
  interface Window {
    /** Read-only handle for end-to-end tests and benchmarks: the live map and its state. */
    __onemap?: { map: maplibregl.Map; state: 'loading' | 'idle' };
  }
}

const fitPadding = 40;

function boundsOf(geojson: Parameters<typeof bbox>[0]): Bounds {
  return bbox(geojson) as Bounds;
}

export function MapView({ data, language, ref }: MapViewProps) {
  const { t } = useTranslation();
  const containerRef = useRef<HTMLDivElement>(null);
  const mapRef = useRef<maplibregl.Map | null>(null);
  const focusedRef = useRef<number | null>(null);
  const [cursor, setCursor] = useState<{ lon: number; lat: number } | null>(null);
  const [zoom, setZoom] = useState<number | null>(null);
  const [state, setState] = useState<'loading' | 'idle'>('loading');

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
        maxZoom: 18,
        minZoom: 5,
      });
      mapRef.current = map;
      window.__onemap = { map, state: 'loading' };
      map.addControl(new maplibregl.NavigationControl({ showCompass: true }), 'top-right');
      map.addControl(new maplibregl.ScaleControl({ unit: 'metric', maxWidth: 160 }), 'bottom-left');
      map.addControl(
        new maplibregl.AttributionControl({ compact: false, customAttribution: [...new Set(data.attribution.map((entry) => entry.text))] }),
        'bottom-right',
      );
      map.on('mousemove', (event) => setCursor({ lon: event.lngLat.lng, lat: event.lngLat.lat }));
      map.on('mouseout', () => setCursor(null));
      map.on('zoomend', () => setZoom(map!.getZoom()));
      map.once('load', () => {
        setZoom(map!.getZoom());
        map!.once('idle', () => {
          if (window.__onemap) window.__onemap.state = 'idle';
          setState('idle');
        });
      });
    });
    return () => {
      cancelled = true;
      map?.remove();
      mapRef.current = null;
      if (window.__onemap?.map === map) delete window.__onemap;
    };
    // The map is built once per basemap; language changes are applied below without a rebuild.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [data]);

  useEffect(() => {
    const map = mapRef.current;
    if (!map || !map.isStyleLoaded()) return;
    for (const layerId of basemapSymbolLayerIds) map.setLayoutProperty(layerId, 'text-field', labelField(language));
  }, [language, state]);

  useImperativeHandle(
    ref,
    () => ({
      zoomTo(adcode) {
        const map = mapRef.current;
        if (!map) return;
        const county = adcode === null ? undefined : data.counties.features.find((f) => f.properties.adcode === adcode);
        if (focusedRef.current !== null) map.setFeatureState({ source: 'counties', id: focusedRef.current }, { focused: false });
        focusedRef.current = county ? adcode : null;
        if (county && adcode !== null) map.setFeatureState({ source: 'counties', id: adcode }, { focused: true });
        map.fitBounds(boundsOf(county ?? data.city), { padding: fitPadding, duration: 600 });
      },
    }),
    [data],
  );

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

export { countyFillLayerId };
