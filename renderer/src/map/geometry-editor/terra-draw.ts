// The terra-draw instance the editor drives: its modes (point, line, polygon, select) with the
// editor's snapping, validation and colours, over a MapLibre adapter that leaves double-click zoom
// to the editor.
import type { Map as MapLibreMap } from 'maplibre-gl';
import type { Position } from 'geojson';
import {
  TerraDraw,
  TerraDrawLineStringMode,
  TerraDrawPointMode,
  TerraDrawPolygonMode,
  TerraDrawSelectMode,
  type GeoJSONStoreFeatures,
  type TerraDrawMouseEvent,
} from 'terra-draw';
import { TerraDrawMapLibreGLAdapter } from 'terra-draw-maplibre-gl-adapter';
import { coordinatePrecision } from './shapes';

export const pointerDistance = 10;
export const colour = '#d81b60';

/**
 * terra-draw's drawing modes turn the map's double-click zoom off while drawing and back ON the
 * moment a drawing finishes — which is the second click of the double-click that finishes it, so
 * the dblclick that follows zoomed the map in. The editor manages double-click zoom itself (off for
 * the whole session, back on after the dblclick has passed), so the adapter leaves it alone.
 */
class EditorMapLibreAdapter extends TerraDrawMapLibreGLAdapter<MapLibreMap> {
  override setDoubleClickToZoom(): void {}
}

export type Validation = (feature: GeoJSONStoreFeatures, context: { updateType: string }) => { valid: boolean; reason?: string };

export function createTerraDraw(
  map: MapLibreMap,
  hooks: { snapping: { toCustom: (event: TerraDrawMouseEvent) => Position | undefined }; validation: Validation; nextId: () => string },
): TerraDraw {
  const { snapping, validation } = hooks;
  return new TerraDraw({
    adapter: new EditorMapLibreAdapter({ map, prefixId: 'geometry-editor', coordinatePrecision }),
    idStrategy: { isValidId: (id) => typeof id === 'string' && id.startsWith('edit-'), getId: hooks.nextId },
    modes: [
      new TerraDrawPointMode({ editable: false, styles: { pointColor: colour, pointWidth: 6, pointOutlineColor: '#ffffff', pointOutlineWidth: 2 } }),
      new TerraDrawLineStringMode({ snapping, keyEvents: null, pointerDistance, validation, styles: { lineStringColor: colour, lineStringWidth: 3 } }),
      new TerraDrawPolygonMode({
        snapping,
        keyEvents: null,
        pointerDistance,
        validation,
        styles: { fillColor: colour, fillOpacity: 0.15, outlineColor: colour, outlineWidth: 2 },
      }),
      new TerraDrawSelectMode({
        pointerDistance,
        keyEvents: null,
        allowManualDeselection: false,
        allowManualSelection: false,
        flags: Object.fromEntries(
          (['point', 'linestring', 'polygon'] as const).map((mode) => [
            mode,
            {
              feature: {
                draggable: true,
                // terra-draw would silently refuse a crossing drag itself; let it through to
                // `validation`, which refuses it too and says why (onProblem).
                selfIntersectable: true,
                validation,
                coordinates: mode === 'point' ? undefined : { draggable: true, midpoints: true, deletable: true, snappable: snapping },
              },
            },
          ]),
        ),
        styles: { selectedPolygonColor: colour, selectedPolygonOutlineColor: colour, selectedLineStringColor: colour, selectedPointColor: colour, midPointColor: '#ffffff', midPointOutlineColor: colour },
      }),
    ],
  });
}
