// What the editing features need of the map: its draw/edit and the county lookup, from the
// workbench's map controller (map/map-controller.tsx).
import type { Geometry, Position } from '../../../../shared/model';
import { useMapController, type MapController } from '../../map/map-controller';
import { anchorPoint } from './anchor-point';

export type GeometryEditing = Pick<MapController, 'drawGeometry' | 'editGeometry' | 'cancelGeometryEditing' | 'countyOf'>;

/** The map's editing (the new-feature flow and the feature panel use it). */
export function useGeometryEditing(): GeometryEditing | null {
  return useMapController();
}

/** The county of a geometry: the county containing a point on it (see anchor-point.ts). */
export function countyOfGeometry(editing: Pick<GeometryEditing, 'countyOf'>, geometry: Geometry): number | null {
  const point: Position = anchorPoint(geometry);
  return editing.countyOf([point[0], point[1]]);
}
