// MapLibre reloads every tile of a layer's source when the layer's filter or a layout property is
// set, even to what it already is: `setFilter` never compares, and `setLayoutProperty` compares
// with the value as written, so 'visible' over an unset visibility counts as a change. Each reload
// parses the source's tiles again in MapLibre's one worker (at launch, the whole basemap once
// more); these setters change only what differs.
import type { FilterSpecification, Map as MapLibreMap } from 'maplibre-gl';

/** Sets a layer's filter unless it already has this one. */
export function setFilterIfChanged(map: MapLibreMap, layerId: string, filter: FilterSpecification): void {
  if (JSON.stringify(map.getFilter(layerId) ?? null) === JSON.stringify(filter)) return;
  map.setFilter(layerId, filter);
}

/** Shows or hides a layer unless it already is (an unset visibility is 'visible'). */
export function setVisibilityIfChanged(map: MapLibreMap, layerId: string, visibility: 'visible' | 'none'): void {
  if ((map.getLayoutProperty(layerId, 'visibility') ?? 'visible') === visibility) return;
  map.setLayoutProperty(layerId, 'visibility', visibility);
}

/** Sets a symbol layer's text-ignore-placement unless it already is this (unset is false). */
export function setTextIgnorePlacementIfChanged(map: MapLibreMap, layerId: string, ignore: boolean): void {
  if ((map.getLayoutProperty(layerId, 'text-ignore-placement') ?? false) === ignore) return;
  map.setLayoutProperty(layerId, 'text-ignore-placement', ignore);
}
