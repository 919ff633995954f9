// Drawing and reshaping one feature's geometry on the map, over terra-draw (the drawing library:
// see docs/ARCHITECTURE.md). Framework-free: the React side calls draw()/edit() and awaits the
// geometry, or null when the user pressed Esc.
//
// Keys are handled here, on the window, not by terra-draw: terra-draw listens on the map canvas,
// which only has the keyboard focus after a click on the map — Esc right after pressing an
// "add polygon" button must cancel too. Validity (self-intersection, too few points, zero
// length/area) is the pure check in shared/geo/geometry-validity.ts; a refused geometry leaves
// the editor open and reports a typed problem that the UI translates.
import type { GeoJSONSource, Map as MapLibreMap } from 'maplibre-gl';
import type { Feature, FeatureCollection, LineString, Point, Polygon, Position } from 'geojson';
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
import { geometryProblem, type GeometryProblem } from '../../../shared/geo/geometry-validity';
import type { Geometry } from '../../../shared/model/geometry';
import { withRightHandRule } from './geometry-editor/ring-orientation';
import { createSnapIndex, type ScreenPoint, type ScreenProjection, type SnapIndex, type SnapSource } from './geometry-editor/snap-index';

export type { GeometryProblem, GeometryProblemCode } from '../../../shared/geo/geometry-validity';
export type DrawKind = 'point' | 'line' | 'polygon';

export interface GeometryEditorOptions {
  /** Features to snap to (their vertices, then their edges). Called when a draw/edit starts;
   * leave out the feature being edited, or its old vertices will attract the new ones. */
  snapSources?: () => readonly SnapSource[];
  /** Snapping distance in screen pixels (default 12). */
  snapDistance?: number;
  /** The edited geometry after each committed change (vertex dragged, inserted or deleted, feature moved). */
  onChange?: (geometry: Geometry) => void;
  /** A change or a finish was refused; the editor stays open. */
  onProblem?: (problem: GeometryProblem) => void;
}

export interface GeometryEditor {
  /** Lets the user draw a new geometry: click to add vertices, Enter, double-click or a click on the
   * first/last vertex finishes, Backspace removes the last vertex, Esc resolves null. */
  draw(kind: DrawKind): Promise<Geometry | null>;
  /** Lets the user move and reshape a geometry: drag the feature or a vertex, drag a midpoint to
   * add a vertex, click a vertex then Delete/Backspace to remove it; Enter or a double-click
   * finishes, Esc resolves null (the given geometry is never modified). Point, LineString,
   * Polygon and single-part Multi* geometries. */
  edit(geometry: Geometry): Promise<Geometry | null>;
  /** Finishes a draw/edit in progress as if Enter was pressed (for a button on a touch screen):
   * resolves with the geometry if it is valid, else reports the problem and stays open. */
  finish(): void;
  /** Ends a draw/edit in progress as if Esc was pressed. */
  cancel(): void;
  /** Whether a draw/edit is in progress. */
  readonly active: boolean;
  /** The vertex picked for deletion while editing (index in the line or outer ring), or null. */
  readonly selectedVertex: number | null;
  destroy(): void;
}

type TerraMode = 'point' | 'linestring' | 'polygon';
type SimpleGeometry = Point | LineString | Polygon;

interface Session {
  kind: 'draw' | 'edit';
  mode: TerraMode;
  snapIndex: SnapIndex;
  resolve: (geometry: Geometry | null) => void;
  /** Edit only: the feature's id in terra-draw, and how to wrap the result (a single-part Multi*). */
  featureId?: string;
  wrapAsMulti?: boolean;
}

const terraModeOf: Record<DrawKind, TerraMode> = { point: 'point', line: 'linestring', polygon: 'polygon' };
const selectedVertexSource = 'geometry-editor:selected-vertex';
const pointerDistance = 10;
const colour = '#d81b60';
/** Longer than a double-click's dblclick event takes to follow its second click. */
const doubleClickZoomDelayMs = 400;

/**
 * terra-draw's drawing modes turn the map's double-click zoom off while drawing and back ON the
 * moment a drawing finishes — which is the second click of the double-click that finishes it, so
 * the dblclick that follows zoomed the map in. The editor manages double-click zoom itself (off for
 * the whole session, back on after the dblclick has passed), so the adapter leaves it alone.
 */
class EditorMapLibreAdapter extends TerraDrawMapLibreGLAdapter<MapLibreMap> {
  override setDoubleClickToZoom(): void {}
}

/** terra-draw's GeoJSON positions are number[]; the model's are tuples of two or three numbers. */
function problemOf(geometry: SimpleGeometry): GeometryProblem | null {
  return geometryProblem(geometry as unknown as Geometry);
}

/** terra-draw keeps 9 decimals (≈0.1 mm) and refuses more: a copy with the positions rounded to them. */
const coordinatePrecision = 9;
function cloneGeometry<T>(geometry: T): T {
  const scale = 10 ** coordinatePrecision;
  return JSON.parse(JSON.stringify(geometry), (_key, value: unknown) => (typeof value === 'number' ? Math.round(value * scale) / scale : value)) as T;
}

/** The vertices a user can pick: a line's positions, a polygon's outer ring without its closing one. */
function editableVertices(geometry: SimpleGeometry): Position[] {
  if (geometry.type === 'LineString') return geometry.coordinates;
  if (geometry.type === 'Polygon') return geometry.coordinates[0]!.slice(0, -1);
  return [];
}

function withoutVertex(geometry: LineString | Polygon, index: number): LineString | Polygon {
  if (geometry.type === 'LineString') return { type: 'LineString', coordinates: geometry.coordinates.filter((_, at) => at !== index) };
  const ring = geometry.coordinates[0]!.slice(0, -1).filter((_, at) => at !== index);
  return { type: 'Polygon', coordinates: [[...ring, ring[0]!], ...geometry.coordinates.slice(1)] };
}

export function createGeometryEditor(map: MapLibreMap, options: GeometryEditorOptions = {}): GeometryEditor {
  const snapDistance = options.snapDistance ?? 12;
  let session: Session | null = null;
  let selectedVertex: number | null = null;
  let featureCounter = 0;

  const projection: ScreenProjection = {
    project: (position) => map.project([position[0]!, position[1]!]),
    unproject: (point) => {
      const { lng, lat } = map.unproject([point.x, point.y]);
      return [lng, lat];
    },
  };
  const snapAt = (point: ScreenPoint): Position | undefined => session?.snapIndex.snap(point, snapDistance, projection) ?? undefined;
  const snapping = { toCustom: (event: TerraDrawMouseEvent) => snapAt({ x: event.containerX, y: event.containerY }) };

  const report = (problem: GeometryProblem) => options.onProblem?.(problem);
  // While drawing, the geometry terra-draw validates ends in the pointer's "live" position, so
  // only a crossing is judged before the finish; too few points and zero area wait for it.
  const validation = (feature: GeoJSONStoreFeatures, context: { updateType: string }) => {
    if (!session) return { valid: true };
    if (session.kind === 'draw' && context.updateType === 'provisional') return { valid: true };
    const problem = problemOf(feature.geometry as SimpleGeometry);
    const refused = problem && (context.updateType === 'finish' || problem.code === 'self-intersection') ? problem : null;
    if (refused) {
      report(refused);
      return { valid: false, reason: refused.code };
    }
    return { valid: true };
  };

  const draw = new TerraDraw({
    adapter: new EditorMapLibreAdapter({ map, prefixId: 'geometry-editor', coordinatePrecision }),
    idStrategy: { isValidId: (id) => typeof id === 'string' && id.startsWith('edit-'), getId: () => `edit-${++featureCounter}` },
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
  draw.start();

  const renderSelectedVertex = () => {
    if (!map.getSource(selectedVertexSource)) {
      map.addSource(selectedVertexSource, { type: 'geojson', data: { type: 'FeatureCollection', features: [] } });
      map.addLayer({
        id: selectedVertexSource,
        type: 'circle',
        source: selectedVertexSource,
        paint: { 'circle-radius': 8, 'circle-color': 'rgba(0,0,0,0)', 'circle-stroke-color': '#1e88e5', 'circle-stroke-width': 3 },
      });
    } else {
      map.moveLayer(selectedVertexSource);
    }
    const current = session?.featureId ? currentGeometry() : null;
    const vertex = current && selectedVertex !== null ? editableVertices(current)[selectedVertex] : undefined;
    const data: FeatureCollection = { type: 'FeatureCollection', features: vertex ? [{ type: 'Feature', properties: {}, geometry: { type: 'Point', coordinates: vertex } }] : [] };
    map.getSource<GeoJSONSource>(selectedVertexSource)!.setData(data);
  };

  const currentGeometry = (): SimpleGeometry | null => {
    if (!session?.featureId) return null;
    const feature = draw.getSnapshotFeature(session.featureId);
    return feature ? (feature.geometry as SimpleGeometry) : null;
  };

  const result = (geometry: SimpleGeometry): Geometry => {
    const copy = (geometry.type === 'Polygon' ? withRightHandRule(cloneGeometry(geometry)) : cloneGeometry(geometry)) as Geometry;
    if (!session?.wrapAsMulti) return copy;
    if (copy.type === 'Point') return { type: 'MultiPoint', coordinates: [copy.coordinates] };
    if (copy.type === 'LineString') return { type: 'MultiLineString', coordinates: [copy.coordinates] };
    if (copy.type === 'Polygon') return { type: 'MultiPolygon', coordinates: [copy.coordinates] };
    return copy;
  };

  const end = (geometry: Geometry | null) => {
    const finished = session;
    if (!finished) return;
    session = null;
    selectedVertex = null;
    renderSelectedVertex();
    draw.setMode('static');
    draw.clear();
    window.removeEventListener('keydown', onKey, true);
    map.off('dblclick', onDoubleClick);
    map.getCanvas().removeEventListener('pointerdown', onPointerDown, true);
    // A double-click that finished the drawing is still being dispatched: its dblclick event comes
    // after this and would zoom the map in. Zooming by double-click comes back a moment later.
    if (doubleClickZoomWasOn) {
      doubleClickZoomTimer = window.setTimeout(() => {
        doubleClickZoomTimer = null;
        map.doubleClickZoom.enable();
      }, doubleClickZoomDelayMs);
    }
    finished.resolve(geometry);
  };

  /** Finishes if the geometry is valid; otherwise reports why and stays open. */
  const tryFinish = (geometry: SimpleGeometry | null) => {
    if (!geometry) {
      report({ code: 'too-few-points' });
      return;
    }
    const problem = problemOf(geometry);
    if (problem) {
      report(problem);
      return;
    }
    end(result(geometry));
  };

  /** The geometry being drawn, from its committed vertices only (not the pointer's live one). */
  const drawnSoFar = (): SimpleGeometry | null => {
    const feature = draw.getSnapshot().find((candidate) => candidate.properties.currentlyDrawing === true && candidate.properties.mode === session?.mode);
    if (!feature) return null;
    if (feature.geometry.type === 'LineString') return { type: 'LineString', coordinates: feature.geometry.coordinates.slice(0, -1) };
    if (feature.geometry.type === 'Polygon') {
      const committed = Number(feature.properties.committedCoordinateCount ?? 0);
      const ring = feature.geometry.coordinates[0]!.slice(0, committed);
      return ring.length > 0 ? { type: 'Polygon', coordinates: [[...ring, ring[0]!]] } : null;
    }
    return null;
  };

  const deleteSelectedVertex = () => {
    const geometry = currentGeometry();
    if (!session?.featureId || !geometry || geometry.type === 'Point' || selectedVertex === null) return;
    const reduced = withoutVertex(geometry, selectedVertex);
    const problem = problemOf(reduced);
    if (problem) {
      report(problem);
      return;
    }
    draw.updateFeatureGeometry(session.featureId, reduced);
    selectedVertex = null;
    renderSelectedVertex();
    options.onChange?.(result(reduced));
  };

  const onKey = (event: KeyboardEvent) => {
    if (!session) return;
    // Typing in a form field next to the map is not an editing command.
    const target = event.target as HTMLElement | null;
    if (target && (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName))) return;
    if (event.key === 'Escape') {
      event.preventDefault();
      end(null);
    } else if (event.key === 'Enter') {
      event.preventDefault();
      tryFinish(session.kind === 'draw' ? drawnSoFar() : currentGeometry());
    } else if (event.key === 'Delete' || event.key === 'Backspace') {
      event.preventDefault();
      if (session.kind === 'edit') deleteSelectedVertex();
      else draw.undo();
    }
  };

  const onDoubleClick = (event: { preventDefault(): void }) => {
    event.preventDefault();
    // While drawing, terra-draw finishes on the double-click's second click (on the last vertex).
    if (session?.kind === 'edit') tryFinish(currentGeometry());
  };

  const onPointerDown = (event: PointerEvent) => {
    const geometry = currentGeometry();
    if (!geometry) return;
    const rectangle = map.getCanvas().getBoundingClientRect();
    const pointer = { x: event.clientX - rectangle.left, y: event.clientY - rectangle.top };
    let nearest: number | null = null;
    let nearestDistance = pointerDistance;
    editableVertices(geometry).forEach((vertex, index) => {
      const screen = projection.project(vertex);
      const distance = Math.hypot(screen.x - pointer.x, screen.y - pointer.y);
      if (distance <= nearestDistance) {
        nearest = index;
        nearestDistance = distance;
      }
    });
    selectedVertex = nearest;
    renderSelectedVertex();
  };

  draw.on('finish', (id, context) => {
    if (!session) return;
    const feature = draw.getSnapshotFeature(id);
    if (!feature) return;
    let geometry = feature.geometry as SimpleGeometry;
    if (session.kind === 'draw' && context.action === 'draw') {
      if (geometry.type === 'Point') {
        const snapped = snapAt(projection.project(geometry.coordinates));
        if (snapped) geometry = { type: 'Point', coordinates: snapped };
      }
      tryFinish(geometry);
      return;
    }
    if (session.kind === 'edit' && String(id) === session.featureId) {
      if (geometry.type === 'Point' && context.action === 'dragFeature') {
        const snapped = snapAt(projection.project(geometry.coordinates));
        if (snapped) {
          geometry = { type: 'Point', coordinates: snapped };
          draw.updateFeatureGeometry(id, geometry);
        }
      }
      renderSelectedVertex();
      options.onChange?.(result(geometry));
    }
  });

  let doubleClickZoomWasOn = true;
  let doubleClickZoomTimer: number | null = null;
  const begin = (next: Omit<Session, 'snapIndex' | 'resolve'>): Promise<Geometry | null> => {
    if (session) end(null);
    return new Promise((resolve) => {
      session = { ...next, snapIndex: createSnapIndex(options.snapSources?.() ?? []), resolve };
      selectedVertex = null;
      if (doubleClickZoomTimer !== null) {
        // The previous session ended a moment ago and has not turned zooming back on yet.
        window.clearTimeout(doubleClickZoomTimer);
        doubleClickZoomTimer = null;
        doubleClickZoomWasOn = true;
      } else {
        doubleClickZoomWasOn = map.doubleClickZoom.isEnabled();
      }
      map.doubleClickZoom.disable();
      window.addEventListener('keydown', onKey, true);
      map.on('dblclick', onDoubleClick);
      map.getCanvas().addEventListener('pointerdown', onPointerDown, true);
    });
  };

  return {
    draw(kind) {
      const promise = begin({ kind: 'draw', mode: terraModeOf[kind] });
      draw.clear();
      draw.setMode(terraModeOf[kind]);
      return promise;
    },
    edit(geometry) {
      let simple: SimpleGeometry;
      let wrapAsMulti = false;
      if (geometry.type === 'Point' || geometry.type === 'LineString' || geometry.type === 'Polygon') {
        simple = cloneGeometry(geometry) as SimpleGeometry;
      } else if (geometry.coordinates.length === 1) {
        wrapAsMulti = true;
        const type = geometry.type === 'MultiPoint' ? 'Point' : geometry.type === 'MultiLineString' ? 'LineString' : 'Polygon';
        simple = { type, coordinates: cloneGeometry(geometry.coordinates[0]) } as SimpleGeometry;
      } else {
        return Promise.reject(new Error(`geometry editor: a ${geometry.type} with ${geometry.coordinates.length} parts cannot be edited as one shape`));
      }
      const mode: TerraMode = simple.type === 'Point' ? 'point' : simple.type === 'LineString' ? 'linestring' : 'polygon';
      const featureId = `edit-${++featureCounter}`;
      const promise = begin({ kind: 'edit', mode, featureId, wrapAsMulti });
      draw.clear();
      const feature: Feature = { type: 'Feature', id: featureId, geometry: simple, properties: { mode } };
      const [added] = draw.addFeatures([feature as GeoJSONStoreFeatures]);
      if (!added?.valid) {
        end(null);
        return Promise.reject(new Error(`geometry editor: terra-draw refused the geometry (${added?.reason ?? 'unknown reason'})`));
      }
      draw.setMode('select');
      draw.selectFeature(featureId);
      return promise;
    },
    finish() {
      if (!session) return;
      tryFinish(session.kind === 'draw' ? drawnSoFar() : currentGeometry());
    },
    cancel() {
      end(null);
    },
    get active() {
      return session !== null;
    },
    get selectedVertex() {
      return selectedVertex;
    },
    destroy() {
      end(null);
      if (doubleClickZoomTimer !== null) {
        window.clearTimeout(doubleClickZoomTimer);
        doubleClickZoomTimer = null;
        map.doubleClickZoom.enable();
      }
      draw.stop();
      if (map.getLayer(selectedVertexSource)) map.removeLayer(selectedVertexSource);
      if (map.getSource(selectedVertexSource)) map.removeSource(selectedVertexSource);
    },
  };
}
