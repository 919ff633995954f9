// What the geometry-editor harness page exposes on window for the spec (through its helper).
import type { Feature } from 'geojson';
import type { Map } from 'maplibre-gl';
import type { DrawKind, GeometryEditor, GeometryProblem } from '../../../renderer/src/map/geometry-editor';
import type { Geometry } from '../../../shared/model/geometry';

export interface GeometryEditorHarness {
  map: Map;
  editor: GeometryEditor;
  ready: boolean;
  /** What each draw/edit resolved with, in order (null: cancelled). */
  results: (Geometry | null)[];
  /** Every problem the editor reported, in order. */
  problems: GeometryProblem[];
  /** Geometries reported by onChange while editing. */
  changes: Geometry[];
  /** The features the editor snaps to (also drawn on the map). */
  setSnapSources(features: Feature[]): void;
  draw(kind: DrawKind): void;
  edit(geometry: Geometry): void;
}

declare global {
  interface Window {
    __editorHarness?: GeometryEditorHarness;
  }
}
