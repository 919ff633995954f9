// What the editing features need of the app: the map's draw/edit (MapViewHandle) and the county
// lookup. App.tsx provides it; the new-feature flow and the feature panel use it.
import { createContext, useContext } from 'react';
import type { Geometry, Position } from '../../../../shared/model';
import type { DrawKind } from '../../map/geometry-editor';
import type { EditTarget } from '../../map/editing';
import { anchorPoint } from './anchor-point';

export interface GeometryEditing {
  drawGeometry(kind: DrawKind): Promise<Geometry | null>;
  editGeometry(geometry: Geometry, target: EditTarget): Promise<Geometry | null>;
  /** Ends a draw/edit in progress with null. */
  cancelGeometryEditing(): void;
  /** The adcode of the county containing a point, or null outside every county. */
  countyOf(point: [number, number]): number | null;
}

const GeometryEditingContext = createContext<GeometryEditing | null>(null);
export const GeometryEditingProvider = GeometryEditingContext.Provider;

/** The map's editing, or null where no map provides it (the panel then offers no geometry editing). */
export function useGeometryEditing(): GeometryEditing | null {
  return useContext(GeometryEditingContext);
}

/** The county of a geometry: the county containing a point on it (see anchor-point.ts). */
export function countyOfGeometry(editing: Pick<GeometryEditing, 'countyOf'>, geometry: Geometry): number | null {
  const point: Position = anchorPoint(geometry);
  return editing.countyOf([point[0], point[1]]);
}
