// What the renderer exposes on window for tests (declared in renderer/src/map/MapView.tsx).
import type { Map } from 'maplibre-gl';

declare global {
  interface Window {
    __onemap?: { map: Map; state: 'loading' | 'idle' };
  }
}

export {};
