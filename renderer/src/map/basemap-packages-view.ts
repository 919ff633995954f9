import { useEffect, type RefObject } from 'react';
import type * as maplibregl from 'maplibre-gl';
import type { BasemapData } from './basemap-data';
import { basemapStyle } from './basemap-style';
import { applyBasemapSelection, type BasemapSelection } from './basemap-packages';

const fitPadding = 40;

/**
 * MapView's part of the basemap switcher: applies the selection once the style is ready (and again
 * when it, the language or the built-in basemap changes) and fits the map to a package when it
 * becomes the active one.
 */
export function useBasemapSelection(
  mapRef: RefObject<maplibregl.Map | null>,
  styleReady: boolean,
  selection: BasemapSelection | null,
  language: string,
  data: BasemapData,
): void {
  useEffect(() => {
    const map = mapRef.current;
    if (!map || !styleReady) return;
    const builtInLayerIds = basemapStyle(data, language).layers.map((layer) => layer.id);
    applyBasemapSelection(map, selection ?? { active: null, outlines: [] }, language, builtInLayerIds);
  }, [mapRef, styleReady, selection, language, data]);

  const active = selection?.active?.info ?? null;
  const activeId = active?.id ?? null;
  useEffect(() => {
    const map = mapRef.current;
    if (!map || !styleReady || !active) return;
    const [west, south, east, north] = active.bounds;
    map.fitBounds([west, south, east, north], { padding: fitPadding, maxZoom: Math.max(active.maxZoom, active.minZoom), duration: 0 });
    // Fit once per activation, not on every selection object.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [activeId, styleReady]);
}
