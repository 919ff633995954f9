// Paper sizes (ISO 216, A4–A0) in PDF points, and the page layout of a printed map. Everything here
// is in points with y growing downwards (as on the page read top to bottom); the PDF writer flips y.
export type PaperSize = 'a4' | 'a3' | 'a2' | 'a1' | 'a0';
export type Orientation = 'portrait' | 'landscape';
export const paperSizes: readonly PaperSize[] = ['a4', 'a3', 'a2', 'a1', 'a0'];

export const pointsPerMm = 72 / 25.4;
const portraitMm: Record<PaperSize, [number, number]> = { a4: [210, 297], a3: [297, 420], a2: [420, 594], a1: [594, 841], a0: [841, 1189] };

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export function paperPoints(size: PaperSize, orientation: Orientation): { width: number; height: number } {
  const [short, long] = portraitMm[size];
  const [width, height] = orientation === 'portrait' ? [short, long] : [long, short];
  return { width: width * pointsPerMm, height: height * pointsPerMm };
}

/** How much larger than on A4 the type, bands and lines are: the ratio of the short sides (A0: 4.0). */
export function paperScale(size: PaperSize): number {
  return portraitMm[size][0] / 210;
}

export interface MapPageLayout {
  page: { width: number; height: number };
  /** Type and band scale (1 on A4). */
  scale: number;
  title: Rect;
  map: Rect;
  legend: Rect;
  /** The atlas's numbers and overdue list under the map (height 0 on a plain map page). */
  notes: Rect;
  footer: Rect;
}

/**
 * Margins 10 mm, title band 16 mm, footer 14 mm, legend 62 mm wide beside the map (landscape) or
 * 40 mm high under it (portrait), all × the paper's scale. `notesShare` of the height between title
 * and footer goes to the atlas's notes under the map.
 */
export function mapPageLayout(size: PaperSize, orientation: Orientation, notesShare = 0): MapPageLayout {
  const page = paperPoints(size, orientation);
  const scale = paperScale(size);
  const mm = (value: number) => value * pointsPerMm * scale;
  const margin = mm(10);
  const gap = mm(4);
  const title: Rect = { x: margin, y: margin, width: page.width - 2 * margin, height: mm(16) };
  const footer: Rect = { x: margin, y: page.height - margin - mm(14), width: page.width - 2 * margin, height: mm(14) };
  const top = title.y + title.height;
  let bottom = footer.y - gap;
  let notes: Rect = { x: margin, y: bottom, width: page.width - 2 * margin, height: 0 };
  if (notesShare > 0) {
    const height = (bottom - top) * notesShare;
    notes = { x: margin, y: bottom - height, width: page.width - 2 * margin, height };
    bottom = notes.y - gap;
  }
  if (orientation === 'landscape') {
    const legendWidth = mm(62);
    const map: Rect = { x: margin, y: top, width: page.width - 2 * margin - legendWidth - gap, height: bottom - top };
    return { page, scale, title, footer, notes, map, legend: { x: map.x + map.width + gap, y: top, width: legendWidth, height: map.height } };
  }
  const legendHeight = mm(notesShare > 0 ? 24 : 40);
  const map: Rect = { x: margin, y: top, width: page.width - 2 * margin, height: bottom - top - legendHeight - gap };
  return { page, scale, title, footer, notes, map, legend: { x: margin, y: map.y + map.height + gap, width: map.width, height: legendHeight } };
}
