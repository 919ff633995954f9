// MapLibre's code, a chunk of its own: index.html preloads it beside the app's start-up code (vite
// config, `preloadMapLibre`), so both parse at once and the app's start does not wait for it; the
// map is made once it is in. Every map module reaches it here: `loadMapLibre()` before a map
// exists, `loadedMapLibre()` where a map already does (its code is in then).
import type * as MapLibreModule from 'maplibre-gl';

export type MapLibre = typeof MapLibreModule;

let loaded: MapLibre | null = null;
let loading: Promise<MapLibre> | null = null;

export function loadMapLibre(): Promise<MapLibre> {
  // The worker's URL comes by import too: a module that merely imports this one (a test in Node)
  // must not load MapLibre's worker code.
  return (loading ??= Promise.all([import('maplibre-gl'), import('maplibre-gl/dist/maplibre-gl-worker.mjs?url')]).then(([module, worker]) => {
    module.setWorkerUrl(worker.default);
    // MapLibre's worker is otherwise fetched and started by the first map; started now, it is
    // ready by the time the store is open and the map is made.
    module.prewarm();
    loaded = module;
    return module;
  }));
}

/** MapLibre, for code that runs once a map exists. */
export function loadedMapLibre(): MapLibre {
  if (loaded === null) throw new Error('MapLibre used before it was loaded: no map exists yet');
  return loaded;
}
