// The one way a feature reaches the map: useMapController(). The workbench creates one controller,
// attaches the MapView's handle to it, and provides it; every call forwards to the live handle, so
// a feature never holds a ref and works the same before the map is built (calls are no-ops then).
import { createContext, useContext, type ReactNode } from 'react';
import type { Geometry } from '../../../shared/model';
import type { MapViewHandle } from './MapView';

/** The county lookup the map's basemap answers (draw/edit flows stamp the county on a feature). */
export type CountyOf = (point: [number, number]) => number | null;

export interface MapController extends MapViewHandle {
  /** The live map's handle, or null before the map is built. */
  handle(): MapViewHandle | null;
  /** Given to MapView as its ref. */
  attach(handle: MapViewHandle | null): void;
  /** The adcode of the county containing a point, or null outside every county. */
  countyOf: CountyOf;
}

export function createMapController(countyOf: CountyOf): MapController {
  let current: MapViewHandle | null = null;
  return {
    handle: () => current,
    attach: (handle) => {
      current = handle;
    },
    countyOf,
    zoomTo: (adcode) => current?.zoomTo(adcode),
    zoomToGeometry: (geometry: Geometry) => current?.zoomToGeometry(geometry),
    drawArea: async () => (await current?.drawArea()) ?? null,
    setGpsFix: (marker) => current?.setGpsFix(marker),
    followGps: (on, onCancelled) => current?.followGps(on, onCancelled),
    renderForExport: (request, signal) => current?.renderForExport(request, signal) ?? Promise.reject(new Error('the map is not ready')),
    printView: () => current?.printView() ?? null,
    drawGeometry: async (kind) => (await current?.drawGeometry(kind)) ?? null,
    editGeometry: async (geometry, target) => (await current?.editGeometry(geometry, target)) ?? null,
    cancelGeometryEditing: () => current?.cancelGeometryEditing(),
    setImportPreview: (collection) => current?.setImportPreview(collection),
    setConflictFlags: (geometries) => current?.setConflictFlags(geometries) ?? false,
    setConflictOverlay: (overlay) => current?.setConflictOverlay(overlay),
  };
}

const MapControllerContext = createContext<MapController | null>(null);

export function MapControllerProvider({ controller, children }: { controller: MapController; children: ReactNode }) {
  return <MapControllerContext.Provider value={controller}>{children}</MapControllerContext.Provider>;
}

/** The workbench's map. Throws outside the workbench, where there is no map. */
export function useMapController(): MapController {
  const controller = useContext(MapControllerContext);
  if (!controller) throw new Error('useMapController: no MapControllerProvider above this component');
  return controller;
}
