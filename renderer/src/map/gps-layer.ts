// The user's GPS position on the map: a dot, and around it the accuracy circle — a polygon whose
// vertices lie at the accuracy radius along geodesics on the WGS84 ellipsoid (Vincenty's direct
// formula), so it is the true circle at any zoom and latitude. A stale fix is drawn grey. "Follow"
// keeps the map centred on each new fix until the user pans the map.
import type { ExpressionSpecification, GeoJSONSource, Map as MapLibreMap, MapLibreEvent } from 'maplibre-gl';
import type { Feature, FeatureCollection, Point, Polygon, Position } from 'geojson';
import { overlayBeforeLayerId } from './overlay-order';
import { WGS84_FLATTENING, WGS84_SEMI_MAJOR_AXIS_METERS, WGS84_SEMI_MINOR_AXIS_METERS } from '../../../shared/geo/wgs84';

/** What the map draws of a position fix. */
export interface GpsMarker {
  lon: number;
  lat: number;
  /** 95 % radius in metres; null draws the dot alone. */
  accuracyM: number | null;
  /** Older than the staleness limit: drawn grey. */
  stale: boolean;
}

export const gpsSourceIds = { accuracy: 'gps-accuracy', position: 'gps-position' } as const;
export const gpsLayerIds = { accuracyFill: 'gps:accuracy-fill', accuracyLine: 'gps:accuracy-line', position: 'gps:position' } as const;

const colors = { live: '#1a73e8', stale: '#8a8f98' };
/** The zoom "follow" brings the map to when it starts further out. */
const followZoom = 16;
const accuracySegments = 72;

const toRadians = Math.PI / 180;

/**
 * The point `distanceM` metres from `from` along the geodesic leaving at `azimuthDeg` (clockwise
 * from north) on the WGS84 ellipsoid: Vincenty's direct formula (1975), sub-millimetre.
 */
export function geodesicDestination(from: readonly [number, number], azimuthDeg: number, distanceM: number): [number, number] {
  const a = WGS84_SEMI_MAJOR_AXIS_METERS;
  const b = WGS84_SEMI_MINOR_AXIS_METERS;
  const f = WGS84_FLATTENING;
  const alpha1 = azimuthDeg * toRadians;
  const sinAlpha1 = Math.sin(alpha1);
  const cosAlpha1 = Math.cos(alpha1);
  const tanU1 = (1 - f) * Math.tan(from[1] * toRadians);
  const cosU1 = 1 / Math.sqrt(1 + tanU1 * tanU1);
  const sinU1 = tanU1 * cosU1;
  const sigma1 = Math.atan2(tanU1, cosAlpha1);
  const sinAlpha = cosU1 * sinAlpha1;
  const cosSquaredAlpha = 1 - sinAlpha * sinAlpha;
  const uSquared = (cosSquaredAlpha * (a * a - b * b)) / (b * b);
  const A = 1 + (uSquared / 16384) * (4096 + uSquared * (-768 + uSquared * (320 - 175 * uSquared)));
  const B = (uSquared / 1024) * (256 + uSquared * (-128 + uSquared * (74 - 47 * uSquared)));
  let sigma = distanceM / (b * A);
  let cos2SigmaM = 0;
  let sinSigma = 0;
  let cosSigma = 1;
  for (let iteration = 0; iteration < 100; iteration += 1) {
    cos2SigmaM = Math.cos(2 * sigma1 + sigma);
    sinSigma = Math.sin(sigma);
    cosSigma = Math.cos(sigma);
    const deltaSigma =
      B * sinSigma * (cos2SigmaM + (B / 4) * (cosSigma * (-1 + 2 * cos2SigmaM ** 2) - (B / 6) * cos2SigmaM * (-3 + 4 * sinSigma ** 2) * (-3 + 4 * cos2SigmaM ** 2)));
    const next = distanceM / (b * A) + deltaSigma;
    const converged = Math.abs(next - sigma) < 1e-12;
    sigma = next;
    if (converged) break;
  }
  cos2SigmaM = Math.cos(2 * sigma1 + sigma);
  sinSigma = Math.sin(sigma);
  cosSigma = Math.cos(sigma);
  const x = sinU1 * sinSigma - cosU1 * cosSigma * cosAlpha1;
  const lat2 = Math.atan2(sinU1 * cosSigma + cosU1 * sinSigma * cosAlpha1, (1 - f) * Math.sqrt(sinAlpha * sinAlpha + x * x));
  const lambda = Math.atan2(sinSigma * sinAlpha1, cosU1 * cosSigma - sinU1 * sinSigma * cosAlpha1);
  const C = (f / 16) * cosSquaredAlpha * (4 + f * (4 - 3 * cosSquaredAlpha));
  const L = lambda - (1 - C) * f * sinAlpha * (sigma + C * sinSigma * (cos2SigmaM + C * cosSigma * (-1 + 2 * cos2SigmaM ** 2)));
  return [from[0] + L / toRadians, lat2 / toRadians];
}

/** The accuracy circle as a closed polygon ring (counter-clockwise, `segments` vertices + closing one). */
export function accuracyCircle(center: readonly [number, number], radiusM: number, segments = accuracySegments): Position[] {
  const ring: Position[] = [];
  for (let index = 0; index < segments; index += 1) ring.push(geodesicDestination(center, 360 - (index * 360) / segments, radiusM));
  ring.push([...ring[0]!]);
  return ring;
}

function accuracyData(marker: GpsMarker | null): FeatureCollection<Polygon> {
  if (!marker || marker.accuracyM === null || !(marker.accuracyM > 0)) return { type: 'FeatureCollection', features: [] };
  const feature: Feature<Polygon> = {
    type: 'Feature',
    properties: { accuracyM: marker.accuracyM, stale: marker.stale },
    geometry: { type: 'Polygon', coordinates: [accuracyCircle([marker.lon, marker.lat], marker.accuracyM)] },
  };
  return { type: 'FeatureCollection', features: [feature] };
}

function positionData(marker: GpsMarker | null): FeatureCollection<Point> {
  if (!marker) return { type: 'FeatureCollection', features: [] };
  return {
    type: 'FeatureCollection',
    features: [{ type: 'Feature', properties: { accuracyM: marker.accuracyM, stale: marker.stale }, geometry: { type: 'Point', coordinates: [marker.lon, marker.lat] } }],
  };
}

const byStaleness: ExpressionSpecification = ['case', ['get', 'stale'], colors.stale, colors.live];

function addLayers(map: MapLibreMap, marker: GpsMarker | null): void {
  if (map.getSource(gpsSourceIds.accuracy)) return;
  map.addSource(gpsSourceIds.accuracy, { type: 'geojson', data: accuracyData(marker) });
  map.addSource(gpsSourceIds.position, { type: 'geojson', data: positionData(marker) });
  // Above the layers and the editor, the conflicts: the position matters more than any of them.
  const before = overlayBeforeLayerId(map, 'gps');
  map.addLayer({ id: gpsLayerIds.accuracyFill, type: 'fill', source: gpsSourceIds.accuracy, paint: { 'fill-color': byStaleness, 'fill-opacity': 0.15 } }, before);
  map.addLayer({ id: gpsLayerIds.accuracyLine, type: 'line', source: gpsSourceIds.accuracy, paint: { 'line-color': byStaleness, 'line-width': 1.5, 'line-opacity': 0.8 } }, before);
  map.addLayer(
    {
      id: gpsLayerIds.position,
      type: 'circle',
      source: gpsSourceIds.position,
      paint: { 'circle-radius': 7, 'circle-color': byStaleness, 'circle-stroke-color': '#ffffff', 'circle-stroke-width': 2.5, 'circle-pitch-alignment': 'map' },
    },
    before,
  );
}

export interface GpsOverlay {
  /** Draws the fix (dot + accuracy circle), or removes them (null); recentres when following. */
  setFix(marker: GpsMarker | null): void;
  /**
   * Keeps the map centred on each new fix (zooming in to street level when following starts with the
   * map further out; later fixes keep the user's zoom) until the user pans; then `onCancelled` is
   * called. `false` stops following.
   */
  setFollow(on: boolean, onCancelled?: () => void): void;
  remove(): void;
}

/**
 * The GPS overlay of one map. Its layers are added with the first fix, not at start (empty sources
 * are more loads and frames at launch), once the style has loaded; a fix set before that is drawn then.
 */
export function createGpsOverlay(map: MapLibreMap): GpsOverlay {
  let marker: GpsMarker | null = null;
  let following = false;
  let onCancelled: (() => void) | undefined;
  let ready = false;
  let waiting = false;

  // The style must have loaded before layers can be added: try at once, else at every 'styledata'
  // and 'idle' until it works (robust whether this runs before or after the map's 'load').
  const whenLoaded = () => {
    if (ready || !map.isStyleLoaded()) return;
    ready = true;
    map.off('styledata', whenLoaded);
    map.off('idle', whenLoaded);
    addLayers(map, marker);
  };
  const addWhenLoaded = () => {
    if (ready || waiting) return;
    waiting = true;
    map.on('styledata', whenLoaded);
    map.on('idle', whenLoaded);
    whenLoaded();
  };

  const cancelFollow = () => {
    if (!following) return;
    following = false;
    const callback = onCancelled;
    onCancelled = undefined;
    callback?.();
  };
  // A drag (mouse or touch) or keyboard panning is the user taking the map over. Moves the app
  // makes itself (easeTo below, fitBounds) carry no originalEvent and do not cancel.
  const onDragStart = () => cancelFollow();
  const onMoveStart = (event: MapLibreEvent<KeyboardEvent | MouseEvent | TouchEvent | WheelEvent | undefined>) => {
    if (event.originalEvent instanceof KeyboardEvent && event.originalEvent.key.startsWith('Arrow')) cancelFollow();
  };
  map.on('dragstart', onDragStart);
  map.on('movestart', onMoveStart);

  // Where the last follow move was sent. A receiver repeats the same position every second: the
  // map is not moved again while it is already there or on its way (restarting the animation on
  // every fix would keep the map moving for good on a slow machine).
  let target: [number, number] | null = null;
  const centre = (zoomIn: boolean) => {
    if (!marker) return;
    const next: [number, number] = [marker.lon, marker.lat];
    const zoom = zoomIn ? Math.max(map.getZoom(), followZoom) : map.getZoom();
    if (map.isMoving() && target && target[0] === next[0] && target[1] === next[1]) return;
    if (!map.isMoving() && Math.abs(zoom - map.getZoom()) < 1e-9) {
      const point = map.project(next);
      const canvas = map.getCanvas();
      if (Math.hypot(point.x - canvas.clientWidth / 2, point.y - canvas.clientHeight / 2) < 0.5) return;
    }
    target = next;
    map.easeTo({ center: next, zoom, duration: 500 });
  };

  return {
    setFix(next) {
      marker = next;
      if (ready) {
        (map.getSource(gpsSourceIds.accuracy) as GeoJSONSource | undefined)?.setData(accuracyData(next));
        (map.getSource(gpsSourceIds.position) as GeoJSONSource | undefined)?.setData(positionData(next));
      } else if (next) addWhenLoaded();
      if (following && next) centre(false);
    },
    setFollow(on, cancelled) {
      following = on;
      onCancelled = on ? cancelled : undefined;
      if (on) centre(true);
    },
    remove() {
      following = false;
      onCancelled = undefined;
      map.off('styledata', whenLoaded);
      map.off('idle', whenLoaded);
      map.off('dragstart', onDragStart);
      map.off('movestart', onMoveStart);
      if (!ready) return;
      for (const id of Object.values(gpsLayerIds)) if (map.getLayer(id)) map.removeLayer(id);
      for (const id of Object.values(gpsSourceIds)) if (map.getSource(id)) map.removeSource(id);
    },
  };
}
