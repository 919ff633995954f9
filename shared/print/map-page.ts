// A printed map page drawn as vectors: the basemap's boundaries, rivers and lakes, the planning
// features by status, county names, the legend, scale bar, north arrow, title, date and sources,
// and — where demo data shows — a 示例数据 watermark. Sizes are millimetres × the paper's scale,
// so an A0 wall map reads from as far as an A4 sheet held in the hand.
import type { Geometry } from 'geojson';
import { pointsPerMm, type MapPageLayout, type Rect } from './paper';
import { projector, representativeFraction, scaleBarLength, type MapView } from './projection';
import { projectGeometry, touchesFrame } from './geometry';
import { fill, hexColor, overWhite, wrapText, type Ring, type Surface } from './surface';

export interface PrintFeature {
  geometry: Geometry;
  status: string;
}

/** A planning layer as printed: its colours by status (as the map draws them) and its features. */
export interface PrintLayer {
  id: string;
  geometryType: 'Point' | 'LineString' | 'Polygon';
  colors: Readonly<Record<string, string>>;
  /** Outline of points and polygons. */
  stroke: string;
  features: readonly PrintFeature[];
}

export interface PrintCounty {
  adcode: number;
  name: string;
  labelPoint: [number, number];
  geometry: Geometry;
  /** The county's tint as the screen map draws it. */
  fill?: string;
}

export interface PrintBasemap {
  counties: readonly PrintCounty[];
  city: readonly Geometry[];
  lakes: readonly Geometry[];
  rivers: readonly Geometry[];
  seats: readonly { coordinates: [number, number]; kind: string }[];
  colors: { county: string; city: string; lake: string; river: string; seat: string; background: string };
}

export type SwatchShape = 'circle' | 'fill' | 'line' | 'dashed-line' | 'ring';
export type LegendEntry = { kind: 'heading'; text: string } | { kind: 'item'; text: string; shape: SwatchShape; color: string; stroke?: string };

export interface MapPageTexts {
  title: string;
  legendHeading: string;
  /** `{{count}}` more entries that did not fit. */
  legendMore: string;
  /** `{{denominator}}`. */
  scale: string;
  north: string;
  dateLine: string;
  sourcesLine: string;
  creditLine: string;
  watermark: string;
}

export interface MapFrameContent {
  view: MapView;
  /** Bottom of the drawing order first. */
  layers: readonly PrintLayer[];
  basemap: PrintBasemap;
  /** Scale of symbols and type (1 on A4). */
  scale: number;
  /** The atlas's county: the others are veiled. */
  focusCounty?: number;
  /** A raster basemap under the vectors (PNG of exactly the frame). */
  raster?: Uint8Array;
}

export interface MapPageContent extends MapFrameContent {
  layout: MapPageLayout;
  legend: readonly LegendEntry[];
  texts: MapPageTexts;
  demo: boolean;
}

const ink = '#222222';
const mmAt = (scale: number) => (value: number) => value * pointsPerMm * scale;

/** The map inside `frame`: basemap, features, county names; clipped to the frame and outlined. */
export function drawMapFrame(surface: Surface, frame: Rect, content: MapFrameContent): void {
  const { view, basemap, scale } = content;
  const mm = mmAt(scale);
  const project = projector(view, frame);
  const tolerance = 0.3 * scale;
  const shape = (geometry: Geometry) => {
    const projected = projectGeometry(geometry, project, tolerance);
    return projected && projected.rings.length > 0 && touchesFrame(projected.rings, frame, mm(3)) ? projected : null;
  };
  surface.clipped(frame, () => {
    surface.path([[frame.x, frame.y, frame.x + frame.width, frame.y, frame.x + frame.width, frame.y + frame.height, frame.x, frame.y + frame.height]], true, { fill: hexColor(basemap.colors.background, '#f7f7f4') });
    if (content.raster && surface.image) surface.image(content.raster, frame);
    else {
      for (const county of basemap.counties) {
        const projected = county.fill === undefined || county.adcode === content.focusCounty ? null : shape(county.geometry);
        if (projected) surface.path(projected.rings, true, { fill: content.focusCounty === undefined ? hexColor(county.fill) : '#e4e4e0' });
      }
      const focus = basemap.counties.find((county) => county.adcode === content.focusCounty);
      const projected = focus ? shape(focus.geometry) : null;
      if (focus && projected) surface.path(projected.rings, true, { fill: hexColor(focus.fill, '#ffffff') });
    }
    for (const lake of basemap.lakes) {
      const projected = shape(lake);
      if (projected) surface.path(projected.rings, true, { fill: hexColor(basemap.colors.lake), stroke: hexColor(basemap.colors.river), width: mm(0.1) });
    }
    for (const river of basemap.rivers) {
      const projected = shape(river);
      if (projected) surface.path(projected.rings, false, { stroke: hexColor(basemap.colors.river), width: mm(0.3) });
    }
    for (const layer of content.layers) drawLayer(surface, layer, shape, scale);
    const countyRings: Ring[] = basemap.counties.flatMap((county) => shape(county.geometry)?.rings ?? []);
    if (countyRings.length > 0) surface.path(countyRings, false, { stroke: hexColor(basemap.colors.county), width: mm(0.25), dash: [mm(1.2), mm(0.6)] });
    const cityRings = basemap.city.flatMap((city) => shape(city)?.rings ?? []);
    if (cityRings.length > 0) surface.path(cityRings, false, { stroke: hexColor(basemap.colors.city), width: mm(0.6) });
    for (const seat of basemap.seats) {
      const [x, y] = project(seat.coordinates);
      if (x < frame.x || x > frame.x + frame.width || y < frame.y || y > frame.y + frame.height) continue;
      surface.circle(x, y, mm(seat.kind === 'city-seat' ? 1.1 : 0.8), { fill: '#ffffff', stroke: hexColor(basemap.colors.seat), width: mm(0.3) });
    }
    const labelSize = mm(3.4);
    for (const county of basemap.counties) {
      const [x, y] = project(county.labelPoint);
      if (x < frame.x || x > frame.x + frame.width || y < frame.y || y > frame.y + frame.height) continue;
      surface.text(county.name, x, y - labelSize * 1.4, { size: labelSize, color: '#333333', align: 'center', halo: '#ffffff' });
    }
  });
  surface.path([[frame.x, frame.y, frame.x + frame.width, frame.y, frame.x + frame.width, frame.y + frame.height, frame.x, frame.y + frame.height]], true, { stroke: '#555555', width: mm(0.3) });
}

function drawLayer(surface: Surface, layer: PrintLayer, shape: (geometry: Geometry) => ReturnType<typeof projectGeometry>, scale: number): void {
  const mm = mmAt(scale);
  const fallback = Object.values(layer.colors)[0] ?? '#666666';
  // One path per status: a wall map of 1,285 wells stays a few dozen PDF paths.
  const byStatus = new Map<string, { points: Ring[]; lines: Ring[]; polygons: Ring[] }>();
  for (const feature of layer.features) {
    const projected = shape(feature.geometry);
    if (!projected) continue;
    let bucket = byStatus.get(feature.status);
    if (!bucket) byStatus.set(feature.status, (bucket = { points: [], lines: [], polygons: [] }));
    bucket[projected.kind].push(...projected.rings);
  }
  for (const [status, bucket] of byStatus) {
    const color = hexColor(layer.colors[status] ?? fallback);
    const stroke = hexColor(layer.stroke, '#ffffff');
    if (bucket.polygons.length > 0) surface.path(bucket.polygons, true, { fill: overWhite(color, 0.75), stroke, width: mm(0.2) });
    if (bucket.lines.length > 0) surface.path(bucket.lines, false, { stroke: color, width: mm(0.5) });
    if (bucket.points.length > 0) surface.dots(bucket.points.flat(), mm(0.75), { fill: color, stroke, width: mm(0.12) });
  }
}

function drawSwatch(surface: Surface, entry: Extract<LegendEntry, { kind: 'item' }>, x: number, y: number, size: number, scale: number): void {
  const mm = mmAt(scale);
  const cy = y + size / 2;
  const color = hexColor(entry.color);
  switch (entry.shape) {
    case 'circle':
    case 'ring':
      surface.circle(x + size / 2, cy, size * 0.32, { fill: color, stroke: hexColor(entry.stroke, '#ffffff'), width: mm(entry.shape === 'ring' ? 0.3 : 0.15) });
      break;
    case 'fill':
      surface.path([[x, cy - size * 0.35, x + size, cy - size * 0.35, x + size, cy + size * 0.35, x, cy + size * 0.35]], true, { fill: overWhite(color, 0.75), stroke: hexColor(entry.stroke ?? entry.color), width: mm(0.15) });
      break;
    case 'line':
    case 'dashed-line':
      surface.path([[x, cy, x + size, cy]], false, { stroke: color, width: mm(0.5), ...(entry.shape === 'dashed-line' ? { dash: [mm(1.2), mm(0.6)] } : {}) });
      break;
  }
}

/** The legend in columns, shrinking the lines (to 72 %) before leaving entries out ("另有 n 项"). */
export function drawLegend(surface: Surface, box: Rect, heading: string, entries: readonly LegendEntry[], more: string, scale: number): { omitted: number } {
  const mm = mmAt(scale);
  surface.path([[box.x, box.y, box.x + box.width, box.y, box.x + box.width, box.y + box.height, box.x, box.y + box.height]], true, { fill: '#ffffff', stroke: '#9a9a9a', width: mm(0.25) });
  const padding = mm(3);
  surface.text(heading, box.x + padding, box.y + padding, { size: mm(4), color: ink });
  const inner: Rect = { x: box.x + padding, y: box.y + padding + mm(6.5), width: box.width - 2 * padding, height: box.height - 2 * padding - mm(6.5) };
  let best: { lineHeight: number; columns: number; omitted: number } | null = null;
  for (const shrink of [1, 0.85, 0.72]) {
    const lineHeight = mm(4.6) * shrink;
    const rows = Math.max(1, Math.floor(inner.height / lineHeight));
    const columnWidth = Math.max(mm(38) * shrink, 1);
    const columns = Math.max(1, Math.floor(inner.width / columnWidth));
    const omitted = Math.max(0, entries.length - rows * columns);
    if (!best || omitted < best.omitted) best = { lineHeight, columns, omitted };
    if (omitted === 0) break;
  }
  const { lineHeight, columns, omitted } = best!;
  const rows = Math.max(1, Math.floor(inner.height / lineHeight));
  const shown = entries.slice(0, entries.length - omitted - (omitted > 0 ? 1 : 0));
  const columnWidth = inner.width / columns;
  const size = lineHeight * 0.62;
  shown.forEach((entry, index) => {
    const x = inner.x + Math.floor(index / rows) * columnWidth;
    const y = inner.y + (index % rows) * lineHeight;
    if (entry.kind === 'heading') {
      surface.text(entry.text, x, y + (lineHeight - size) / 2, { size, color: ink });
      return;
    }
    drawSwatch(surface, entry, x + mm(1), y + (lineHeight - size) / 2, size, scale);
    surface.text(entry.text, x + mm(1) + size * 1.5, y + (lineHeight - size) / 2, { size: size * 0.95, color: '#333333' });
  });
  if (omitted > 0) {
    const index = shown.length;
    surface.text(fill(more, { count: omitted + 1 }), inner.x + Math.floor(index / rows) * columnWidth, inner.y + (index % rows) * lineHeight, { size: size * 0.95, color: '#555555' });
  }
  return { omitted: omitted > 0 ? omitted + 1 : 0 };
}

function drawScaleBar(surface: Surface, frame: Rect, view: MapView, texts: MapPageTexts, scale: number): void {
  const mm = mmAt(scale);
  const bar = scaleBarLength(view, frame.width * 0.22);
  const size = mm(2.8);
  const x = frame.x + mm(4);
  const boxHeight = mm(12);
  const y = frame.y + frame.height - mm(4) - boxHeight;
  const scaleText = fill(texts.scale, { denominator: representativeFraction(view).toLocaleString('en-US') });
  const width = Math.max(bar.points, surface.measure(scaleText, size)) + mm(4);
  surface.path([[x, y, x + width, y, x + width, y + boxHeight, x, y + boxHeight]], true, { fill: '#ffffff', stroke: '#9a9a9a', width: mm(0.15) });
  const barY = y + mm(5.2);
  const half = bar.points / 2;
  surface.path([[x + mm(2), barY, x + mm(2) + half, barY, x + mm(2) + half, barY + mm(1.2), x + mm(2), barY + mm(1.2)]], true, { fill: ink, stroke: ink, width: mm(0.15) });
  surface.path([[x + mm(2) + half, barY, x + mm(2) + bar.points, barY, x + mm(2) + bar.points, barY + mm(1.2), x + mm(2) + half, barY + mm(1.2)]], true, { fill: '#ffffff', stroke: ink, width: mm(0.15) });
  surface.text('0', x + mm(2), y + mm(1.4), { size, color: ink, align: 'center' });
  surface.text(bar.label, x + mm(2) + bar.points, y + mm(1.4), { size, color: ink, align: 'center' });
  surface.text(scaleText, x + mm(2), barY + mm(2), { size, color: ink });
}

function drawNorthArrow(surface: Surface, frame: Rect, bearing: number, letter: string, scale: number): void {
  const mm = mmAt(scale);
  const cx = frame.x + frame.width - mm(10);
  const cy = frame.y + mm(17);
  const radians = (bearing * Math.PI) / 180;
  // North on the page: straight up turned by −bearing.
  const rotate = (dx: number, dy: number): [number, number] => [cx + dx * Math.cos(radians) + dy * Math.sin(radians), cy - dx * Math.sin(radians) + dy * Math.cos(radians)];
  const tip = rotate(0, -mm(7));
  const left = rotate(-mm(3), mm(5));
  const right = rotate(mm(3), mm(5));
  const notch = rotate(0, mm(2.5));
  surface.path([[...tip, ...left, ...notch]], true, { fill: ink, stroke: ink, width: mm(0.2) });
  surface.path([[...tip, ...notch, ...right]], true, { fill: '#ffffff', stroke: ink, width: mm(0.2) });
  const [lx, ly] = rotate(0, -mm(11.5));
  surface.text(letter, lx, ly - mm(1.8), { size: mm(3.6), color: ink, align: 'center' });
}

/** A whole map page: title, frame, legend, scale bar, north arrow, footer, watermark. */
export function drawMapPage(surface: Surface, content: MapPageContent): void {
  const { layout, texts, scale } = content;
  const mm = mmAt(scale);
  const titleSize = mm(6.4);
  surface.text(texts.title, layout.title.x + layout.title.width / 2, layout.title.y + (layout.title.height - titleSize) / 2 - mm(1), { size: titleSize, color: ink, align: 'center' });
  drawMapFrame(surface, layout.map, content);
  drawScaleBar(surface, layout.map, content.view, texts, scale);
  drawNorthArrow(surface, layout.map, content.view.bearing, texts.north, scale);
  if (content.demo) {
    const size = Math.min(layout.map.width, layout.map.height) / 9;
    const width = surface.measure(texts.watermark, size);
    const angle = 25;
    const radians = (angle * Math.PI) / 180;
    const cx = layout.map.x + layout.map.width / 2;
    const cy = layout.map.y + layout.map.height / 2;
    // Rotated about the text's start: place the start so that its middle lands on the frame's centre.
    surface.text(texts.watermark, cx - (width / 2) * Math.cos(radians), cy + (width / 2) * Math.sin(radians) - size / 2, { size, color: '#d00050', opacity: 0.28, rotate: angle });
  }
  drawLegend(surface, layout.legend, texts.legendHeading, content.legend, texts.legendMore, scale);
  const footSize = mm(2.6);
  const footer = layout.footer;
  const sourceLines = wrapText(texts.sourcesLine, footer.width * 0.72, (text) => surface.measure(text, footSize)).slice(0, 3);
  surface.text(texts.dateLine, footer.x, footer.y, { size: footSize, color: '#444444' });
  sourceLines.forEach((line, index) => surface.text(line, footer.x, footer.y + footSize * 1.35 * (index + 1), { size: footSize, color: '#444444' }));
  surface.text(texts.creditLine, footer.x + footer.width, footer.y, { size: footSize, color: '#444444', align: 'right' });
}
