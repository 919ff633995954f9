// Drawing and reshaping one feature's geometry on the map, over terra-draw (the drawing library:
// see docs/ARCHITECTURE.md). Framework-free: the React side calls draw()/edit() and awaits the
// geometry, or null when the user pressed Esc.
//
// Keys are handled here, on the window, not by terra-draw: terra-draw listens on the map canvas,
// which only has the keyboard focus after a click on the map — Esc right after pressing an
// "add polygon" button must cancel too. Validity (self-intersection, too few points, zero
// length/area) is the pure check in shared/geo/geometry-validity.ts; a refused geometry leaves
// the editor open and reports a typed problem that the UI translates.
import type { Map as MapLibreMap } from 'maplibre-gl';
import type { Feature, Position } from 'geojson';
import type { GeoJSONStoreFeatures, TerraDrawMouseEvent } from 'terra-draw';
import type { GeometryProblem } from '../../../shared/geo/geometry-validity';
import type { Geometry } from '../../../shared/model/geometry';
import { removeSelectedVertex, showSelectedVertex } from './geometry-editor/selected-vertex';
import { editableVertices, problemOf, resultGeometry, simpleShapeOf, withoutVertex, type SimpleGeometry } from './geometry-editor/shapes';
import { createSnapIndex, type ScreenPoint, type ScreenProjection, type SnapIndex, type SnapSource } from './geometry-editor/snap-index';
import { createTerraDraw, pointerDistance } from './geometry-editor/terra-draw';
import { placeOverlay } from './overlay-order';

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
/** Longer than a double-click's dblclick event takes to follow its second click. */
const doubleClickZoomDelayMs = 400;

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

  const draw = createTerraDraw(map, { snapping, validation, nextId: () => `edit-${++featureCounter}` });
  // terra-draw adds its sources and layers when started: at the first draw or edit, not with the
  // map (three empty sources are more loads and frames at launch), in the editor's place among the
  // overlays.
  let started = false;
  const ensureStarted = () => {
    if (started) return;
    started = true;
    draw.start();
    placeOverlay(map, 'editor');
  };

  const renderSelectedVertex = () => {
    const current = session?.featureId ? currentGeometry() : null;
    showSelectedVertex(map, current && selectedVertex !== null ? editableVertices(current)[selectedVertex] : undefined);
  };

  const currentGeometry = (): SimpleGeometry | null => {
    if (!session?.featureId) return null;
    const feature = draw.getSnapshotFeature(session.featureId);
    return feature ? (feature.geometry as SimpleGeometry) : null;
  };

  const result = (geometry: SimpleGeometry): Geometry => resultGeometry(geometry, session?.wrapAsMulti);

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
      ensureStarted();
      const promise = begin({ kind: 'draw', mode: terraModeOf[kind] });
      draw.clear();
      draw.setMode(terraModeOf[kind]);
      return promise;
    },
    edit(geometry) {
      const shape = simpleShapeOf(geometry);
      if (!shape) {
        return Promise.reject(new Error(`geometry editor: a ${geometry.type} with ${geometry.coordinates.length} parts cannot be edited as one shape`));
      }
      const { simple, wrapAsMulti } = shape;
      const mode: TerraMode = simple.type === 'Point' ? 'point' : simple.type === 'LineString' ? 'linestring' : 'polygon';
      const featureId = `edit-${++featureCounter}`;
      ensureStarted();
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
      if (started) draw.stop();
      removeSelectedVertex(map);
    },
  };
}
