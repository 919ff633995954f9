// The screen's Web Mercator view carried onto paper: MapLibre's world is 512 × 2^zoom CSS pixels
// and a CSS pixel is 1/96 inch, so a point (1/72 inch) is 4/3 CSS pixels at the same zoom.
import type { Rect } from './paper';

export interface MapView {
  center: [number, number];
  zoom: number;
  /** Degrees clockwise from north of the map's up direction (MapLibre's bearing). */
  bearing: number;
}

/** The live map's view and the size of its canvas in CSS pixels. */
export interface ScreenView extends MapView {
  widthPx: number;
  heightPx: number;
}

export type Project = (position: readonly number[]) => [number, number];

const cssPxPerPoint = 96 / 72;
const tileSize = 512;
const earthRadius = 6378137;
const maxLatitude = 85.051129;

/** Web Mercator at zoom 0, in CSS pixels: x east, y south. */
export function mercator(lon: number, lat: number): [number, number] {
  const clamped = Math.max(-maxLatitude, Math.min(maxLatitude, lat));
  const x = ((lon + 180) / 360) * tileSize;
  const y = ((180 - (180 / Math.PI) * Math.log(Math.tan(Math.PI / 4 + (clamped * Math.PI) / 360))) / 360) * tileSize;
  return [x, y];
}

/**
 * The same centre and bearing as the screen, zoomed so the paper's map frame shows at least what
 * the window shows (the frame is larger than the window in CSS pixels: the zoom goes up).
 */
export function paperView(screen: ScreenView, frame: Rect): MapView {
  const fit = Math.min((frame.width * cssPxPerPoint) / Math.max(1, screen.widthPx), (frame.height * cssPxPerPoint) / Math.max(1, screen.heightPx));
  return { center: screen.center, zoom: screen.zoom + Math.log2(fit), bearing: screen.bearing };
}

/** North up, the bounding box [west, south, east, north] filling the frame less `padding` (a share) on each side. */
export function fitBounds(bbox: readonly [number, number, number, number], frame: Rect, padding = 0.04): MapView {
  const [west, south, east, north] = bbox;
  const [x0, y0] = mercator(west, north);
  const [x1, y1] = mercator(east, south);
  const usable = 1 - 2 * padding;
  const scale = Math.min((frame.width * cssPxPerPoint * usable) / Math.max(1e-9, x1 - x0), (frame.height * cssPxPerPoint * usable) / Math.max(1e-9, y1 - y0));
  const centerX = (x0 + x1) / 2;
  const centerY = (y0 + y1) / 2;
  const lon = (centerX / tileSize) * 360 - 180;
  const lat = (Math.atan(Math.sinh(Math.PI * (1 - (2 * centerY) / tileSize))) * 180) / Math.PI;
  return { center: [lon, lat], zoom: Math.log2(scale), bearing: 0 };
}

/** Longitude/latitude → page points (y down) for a view drawn in `frame`. */
export function projector(view: MapView, frame: Rect): Project {
  const world = 2 ** view.zoom / cssPxPerPoint;
  const [cx, cy] = mercator(view.center[0], view.center[1]);
  const radians = (view.bearing * Math.PI) / 180;
  const cos = Math.cos(radians);
  const sin = Math.sin(radians);
  const midX = frame.x + frame.width / 2;
  const midY = frame.y + frame.height / 2;
  return (position) => {
    const [x, y] = mercator(position[0]!, position[1]!);
    const dx = (x - cx) * world;
    const dy = (y - cy) * world;
    return [midX + dx * cos + dy * sin, midY - dx * sin + dy * cos];
  };
}

/** Ground metres per page point at the view's centre (along its parallel). */
export function metresPerPoint(view: MapView): number {
  const worldPoints = (tileSize * 2 ** view.zoom) / cssPxPerPoint;
  return (2 * Math.PI * earthRadius * Math.cos((view.center[1] * Math.PI) / 180)) / worldPoints;
}

/** 1 : denominator on paper, to three figures (1:250,000). */
export function representativeFraction(view: MapView): number {
  const denominator = metresPerPoint(view) / (0.0254 / 72);
  const magnitude = 10 ** Math.max(0, Math.floor(Math.log10(denominator)) - 2);
  return Math.round(denominator / magnitude) * magnitude;
}

/** The longest 1-2-5 ground length whose bar fits in `maxPoints`; its length on paper and its label. */
export function scaleBarLength(view: MapView, maxPoints: number): { metres: number; points: number; label: string } {
  const perPoint = metresPerPoint(view);
  const maxMetres = perPoint * maxPoints;
  const magnitude = 10 ** Math.floor(Math.log10(maxMetres));
  const step = [5, 2, 1].find((candidate) => candidate * magnitude <= maxMetres * (1 + 1e-9)) ?? 1;
  const metres = step * magnitude;
  const label = metres >= 1000 ? `${Number((metres / 1000).toPrecision(6))} km` : `${Number(metres.toPrecision(6))} m`;
  return { metres, points: metres / perPoint, label };
}
