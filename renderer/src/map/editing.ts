// Geometry editing on the app's map: one geometry editor (geometry-editor.ts, over terra-draw) per
// map, wired to the planning layers. A draw or an edit:
// - snaps to the features of the visible planning layers as the map shows them (the layer's
//   county and status filters applied), read from their `planning:<layerId>` sources — never to
//   the feature being edited;
// - hides the edited feature's own rendering while the editor draws its copy, and shows it again
//   when the edit ends, however it ends;
// - publishes what it is doing (editing-state.ts) for the status line and the undo controls;
// - resolves with the new geometry, or null when cancelled. It never writes to the store: the
//   caller does, with one `transact`.
import type { FilterSpecification, GeoJSONSource, Map as MapLibreMap } from 'maplibre-gl';
import type { Feature as GeoJsonFeature } from 'geojson';
import type { Geometry } from '../../../shared/model';
import type { DrawKind, GeometryEditor } from './geometry-editor';
import type { SnapSource } from './geometry-editor/snap-index';
import { codedPropertyOf, featureIdProperty, planningTilesOf, sourceIdOf, styleLayerIdsOf, toMapFeature, type PlanningLayerView } from './planning-layers';
import { tiledFeaturesIn } from './planning-tiles';
import { editingState, setEditingState, type EditingSession } from './editing-state';
import { afterMapDrawn } from '../lib/first-draw';

export interface EditTarget {
  layerId: string;
  featureId: string;
}

export interface MapEditing {
  /** Lets the user draw a new point, line or polygon; null when cancelled. */
  drawGeometry(kind: DrawKind): Promise<Geometry | null>;
  /** Lets the user move and reshape a feature's geometry; null when cancelled. */
  editGeometry(geometry: Geometry, target: EditTarget): Promise<Geometry | null>;
  /** Finishes the draw/edit in progress if its shape is valid (as Enter does). */
  finish(): void;
  /** Ends the draw/edit in progress with null (as Esc does). */
  cancel(): void;
  readonly active: boolean;
  /** Whether a click on the map belongs to the editing: one is in progress, or its finishing
   * (double-)click ended it a moment ago. The map does not select features on such clicks. */
  ownsClick(): boolean;
  /** Hides the edited feature again: call after the planning layers' filters were re-applied. */
  reapplyHidden(): void;
  destroy(): void;
}

export interface MapEditingOptions {
  /** The planning layers as the map shows them now. */
  views(): readonly PlanningLayerView[];
  /** Re-applies the planning layers' filters (which shows the edited feature again). */
  restoreViews(): void;
  /** Snapping distance in screen pixels. */
  snapDistance?: number;
}

/** Clicks within this time after a draw/edit ended still belong to it (the second click of a double-click). */
const clickGraceMs = 400;

/** A feature of a planning source as the map filters it (layer-state's county and status filters). */
function shownBy(view: PlanningLayerView, feature: GeoJsonFeature): boolean {
  const properties = feature.properties ?? {};
  return (
    (view.counties === null || view.counties.includes(Number(properties.county))) &&
    (view.statuses === null || view.statuses.includes(String(properties.status))) &&
    Object.entries(view.fieldFilters ?? {}).every(([key, values]) => values.includes(String(properties[codedPropertyOf(key)] ?? '')))
  );
}

async function snapSourcesOf(map: MapLibreMap, views: readonly PlanningLayerView[], exclude: EditTarget | null): Promise<SnapSource[]> {
  const perLayer = await Promise.all(
    views
      .filter((view) => view.visible)
      .map(async (view) => {
        const tiled = planningTilesOf(map, view.definition.id);
        const source = map.getSource<GeoJSONSource>(sourceIdOf(view.definition.id));
        if (!source) return [];
        // A tiled layer's features in view come from the store (tiles hold clipped, rounded geometry).
        const bounds = map.getBounds();
        const data = tiled
          ? { type: 'FeatureCollection' as const, features: (await tiledFeaturesIn(tiled, view.definition.id, [bounds.getWest(), bounds.getSouth(), bounds.getEast(), bounds.getNorth()])).map((feature) => toMapFeature(feature, view.definition)) }
          : await source.getData();
        if (data.type !== 'FeatureCollection') return [];
        return data.features.filter(
          (feature) => shownBy(view, feature) && !(exclude && view.definition.id === exclude.layerId && feature.properties?.[featureIdProperty] === exclude.featureId),
        );
      }),
  );
  return perLayer.flat();
}

export function createMapEditing(map: MapLibreMap, options: MapEditingOptions): MapEditing {
  let snapSources: SnapSource[] = [];
  // A refusal stays on screen until a later gesture (pointer press or key) goes through without
  // one: the drag that was stopped still ends with a "change" (the vertex stays where it was last
  // valid), and the user must still see why it stopped.
  let refusedInGesture = false;
  const newGesture = () => {
    refusedInGesture = false;
  };
  // The editor (terra-draw, a sixth of the old start-up code) loads after the map's first draw, or
  // at the first draw or edit if that comes sooner.
  let editor: GeometryEditor | null = null;
  let editorLoad: Promise<GeometryEditor> | null = null;
  let destroyed = false;
  const loadEditor = () =>
    (editorLoad ??= import('./geometry-editor').then(({ createGeometryEditor }) => {
      if (destroyed) throw new Error('the map was closed before its geometry editor loaded');
      editor = createGeometryEditor(map, {
        snapSources: () => snapSources,
        ...(options.snapDistance === undefined ? {} : { snapDistance: options.snapDistance }),
        onProblem: (problem) => {
          refusedInGesture = true;
          setEditingState({ ...editingState(), problem });
        },
        onChange: () => {
          if (!refusedInGesture && editingState().problem) setEditingState({ ...editingState(), problem: null });
        },
      });
      return editor;
    }));
  void afterMapDrawn().then(() => {
    if (!destroyed) void loadEditor().catch(() => undefined);
  });
  map.getCanvas().addEventListener('pointerdown', newGesture, true);
  window.addEventListener('keydown', newGesture, true);

  // Each draw/edit is a run with a token; a new run, a cancel or destroy ends the current one.
  let runCounter = 0;
  let currentRun = 0;
  let endedAt = -Infinity;
  let hidden: EditTarget | null = null;

  const hide = () => {
    if (!hidden) return;
    const view = options.views().find((candidate) => candidate.definition.id === hidden!.layerId);
    if (!view) return;
    for (const styleLayerId of styleLayerIdsOf(view.definition)) {
      if (!map.getLayer(styleLayerId)) continue;
      const shown = (map.getFilter(styleLayerId) ?? ['all']) as FilterSpecification;
      map.setFilter(styleLayerId, ['all', shown, ['!=', ['get', featureIdProperty], hidden.featureId]] as FilterSpecification);
    }
  };

  const endRun = (token: number) => {
    if (currentRun !== token) return;
    currentRun = 0;
    endedAt = performance.now();
    snapSources = [];
    if (hidden) {
      hidden = null;
      options.restoreViews();
    }
    setEditingState({ session: null, problem: null });
  };

  const run = async (session: EditingSession, target: EditTarget | null, start: (loaded: GeometryEditor) => Promise<Geometry | null>): Promise<Geometry | null> => {
    if (currentRun !== 0) {
      endRun(currentRun);
      editor?.cancel();
    }
    const token = ++runCounter;
    currentRun = token;
    if (target) {
      hidden = target;
      hide();
    }
    try {
      const [sources, loaded] = await Promise.all([snapSourcesOf(map, options.views(), target), loadEditor()]);
      if (currentRun !== token) return null;
      snapSources = sources;
      // The hint shows once the map takes the clicks it asks for.
      setEditingState({ session, problem: null });
      return await start(loaded);
    } finally {
      endRun(token);
    }
  };

  return {
    drawGeometry(kind) {
      return run({ kind: 'draw', drawKind: kind }, null, (loaded) => loaded.draw(kind));
    },
    editGeometry(geometry, target) {
      return run({ kind: 'edit', layerId: target.layerId, featureId: target.featureId }, target, (loaded) => loaded.edit(geometry));
    },
    finish() {
      editor?.finish();
    },
    cancel() {
      if (currentRun === 0) return;
      endRun(currentRun);
      editor?.cancel();
    },
    get active() {
      return currentRun !== 0;
    },
    ownsClick() {
      return currentRun !== 0 || performance.now() - endedAt < clickGraceMs;
    },
    reapplyHidden() {
      hide();
    },
    destroy() {
      map.getCanvas().removeEventListener('pointerdown', newGesture, true);
      window.removeEventListener('keydown', newGesture, true);
      destroyed = true;
      try {
        if (currentRun !== 0) endRun(currentRun);
        editor?.destroy();
      } catch {
        // The map was removed first (its style is gone): nothing of the editor is left to remove.
        setEditingState({ session: null, problem: null });
      }
    },
  };
}
