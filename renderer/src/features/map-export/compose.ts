// Draws an exported map page on a canvas: title, the rendered map, legend, scale bar, north arrow,
// date, sources and — when demo data shows — a diagonal 示例数据 / Demo data watermark over the map.
import type { LegendEntry, PageLayout, PlacedLegendEntry, Rect, ScaleBar } from './layout';
import { fitLegend, wrapText } from './layout';

export const pageFontFamily = 'Noto Sans SC';
/** The watermark's ink: a magenta-red no status colour or basemap fill uses (tests look for its hue). */
export const watermarkColor = 'rgba(208, 0, 80, 0.32)';
export const watermarkText = '示例数据 / Demo data';

export interface PageContent {
  layout: PageLayout;
  map: HTMLCanvasElement;
  title: string;
  legendHeading: string;
  legend: readonly LegendEntry[];
  /** "{{count}} more" for legend entries that did not fit. */
  legendMore: (count: number) => string;
  scaleBar: ScaleBar;
  /** "1:250,000" or null. */
  scaleText: string | null;
  /** Degrees clockwise from north of the map's up direction. */
  bearing: number;
  northLetter: string;
  dateLine: string;
  sourcesLine: string;
  creditLine: string;
  demo: boolean;
}

const font = (px: number, weight = 400) => `${weight} ${Math.max(1, Math.round(px))}px "${pageFontFamily}", sans-serif`;

/** Every text the page draws, for loading the font's subsets first (a canvas does not wait for web fonts). */
export function pageTexts(content: Omit<PageContent, 'layout' | 'map'>): string {
  return [
    content.title,
    content.legendHeading,
    ...content.legend.map((entry) => entry.text),
    content.legendMore(0),
    content.scaleBar.label,
    content.scaleText ?? '',
    content.northLetter,
    content.dateLine,
    content.sourcesLine,
    content.creditLine,
    watermarkText,
    '0123456789',
  ].join('');
}

export async function loadPageFont(texts: string): Promise<void> {
  const characters = [...new Set(texts)].join('');
  if (characters) await document.fonts.load(font(16), characters);
}

function drawSwatch(context: CanvasRenderingContext2D, placed: PlacedLegendEntry, size: number, lineHeight: number): void {
  const { entry } = placed;
  if (entry.kind !== 'item') return;
  const cx = placed.x + size / 2;
  const cy = placed.y + lineHeight / 2;
  context.save();
  context.fillStyle = entry.color;
  context.strokeStyle = entry.stroke ?? entry.color;
  switch (entry.shape) {
    case 'circle':
    case 'ring':
      context.beginPath();
      context.arc(cx, cy, size * 0.32, 0, Math.PI * 2);
      context.fill();
      context.lineWidth = Math.max(1, size * (entry.shape === 'ring' ? 0.12 : 0.06));
      context.strokeStyle = entry.stroke ?? '#ffffff';
      context.stroke();
      break;
    case 'fill':
      context.globalAlpha = 0.75;
      context.fillRect(placed.x, cy - size * 0.35, size, size * 0.7);
      context.globalAlpha = 1;
      context.lineWidth = Math.max(1, size * 0.05);
      context.strokeRect(placed.x, cy - size * 0.35, size, size * 0.7);
      break;
    case 'line':
    case 'dashed-line':
      context.lineWidth = Math.max(1, size * 0.14);
      if (entry.shape === 'dashed-line') context.setLineDash([size * 0.25, size * 0.15]);
      context.beginPath();
      context.moveTo(placed.x, cy);
      context.lineTo(placed.x + size, cy);
      context.stroke();
      break;
  }
  context.restore();
}

function drawLegend(context: CanvasRenderingContext2D, content: PageContent, box: Rect, k: number): void {
  context.save();
  context.fillStyle = '#ffffff';
  context.strokeStyle = '#9a9a9a';
  context.lineWidth = Math.max(1, k * 0.25);
  context.fillRect(box.x, box.y, box.width, box.height);
  context.strokeRect(box.x, box.y, box.width, box.height);
  const padding = 3 * k;
  context.fillStyle = '#222222';
  context.font = font(4.2 * k);
  context.textBaseline = 'top';
  context.fillText(content.legendHeading, box.x + padding, box.y + padding);
  const fullLine = 5.2 * k;
  const inner: Rect = { x: box.x + padding, y: box.y + padding + 7 * k, width: box.width - 2 * padding, height: box.height - 2 * padding - 7 * k - fullLine };
  // One column, then two (beside the map); four, then five (under it); smaller lines if still too many.
  const columnWidths = content.layout.legendSide === 'right' ? [inner.width, inner.width / 2] : [inner.width / 4, inner.width / 5];
  const { placed, omitted, scale, columnWidth } = fitLegend(content.legend, inner, fullLine, columnWidths);
  const lineHeight = fullLine * scale;
  const swatch = 4 * k * scale;
  context.textBaseline = 'middle';
  for (const item of placed) {
    const maxWidth = columnWidth - (item.entry.kind === 'item' ? swatch + 2 * k : 0) - 2 * k;
    if (item.entry.kind === 'heading') {
      context.font = font(3.4 * k * scale, 700);
      context.fillStyle = '#222222';
      context.fillText(item.entry.text, item.x, item.y + lineHeight / 2, maxWidth);
    } else {
      drawSwatch(context, item, swatch, lineHeight);
      context.font = font(3.1 * k * scale);
      context.fillStyle = '#333333';
      context.fillText(item.entry.text, item.x + swatch + 2 * k, item.y + lineHeight / 2, maxWidth);
    }
  }
  if (omitted > 0) {
    context.font = font(3 * k);
    context.fillStyle = '#666666';
    context.fillText(content.legendMore(omitted), inner.x, inner.y + inner.height + lineHeight / 2);
  }
  context.restore();
}

function drawScaleBar(context: CanvasRenderingContext2D, content: PageContent, map: Rect, k: number): void {
  const { lengthPx, label } = content.scaleBar;
  const padding = 2.5 * k;
  const barHeight = 1.6 * k;
  context.save();
  context.font = font(3 * k);
  const labelWidth = context.measureText(label).width;
  const scaleWidth = content.scaleText ? context.measureText(content.scaleText).width : 0;
  const boxWidth = Math.max(lengthPx + labelWidth / 2 + 2 * padding + 2 * k, scaleWidth + 2 * padding);
  const boxHeight = (content.scaleText ? 13 : 9) * k;
  const x = map.x + 4 * k;
  const y = map.y + map.height - 4 * k - boxHeight;
  context.fillStyle = 'rgba(255, 255, 255, 0.85)';
  context.fillRect(x, y, boxWidth, boxHeight);
  const barX = x + padding;
  const barY = y + padding + 4 * k;
  // Two halves, black and white, in a black frame.
  context.fillStyle = '#222222';
  context.fillRect(barX, barY, lengthPx / 2, barHeight);
  context.fillStyle = '#ffffff';
  context.fillRect(barX + lengthPx / 2, barY, lengthPx / 2, barHeight);
  context.strokeStyle = '#222222';
  context.lineWidth = Math.max(1, 0.25 * k);
  context.strokeRect(barX, barY, lengthPx, barHeight);
  context.fillStyle = '#222222';
  context.textBaseline = 'bottom';
  context.textAlign = 'left';
  context.fillText('0', barX - 0.6 * k, barY - 0.5 * k);
  context.textAlign = 'center';
  context.fillText(label, barX + lengthPx, barY - 0.5 * k);
  if (content.scaleText) {
    context.textAlign = 'left';
    context.textBaseline = 'top';
    context.fillText(content.scaleText, barX, barY + barHeight + 1 * k);
  }
  context.restore();
}

function drawNorthArrow(context: CanvasRenderingContext2D, content: PageContent, map: Rect, k: number): void {
  const size = 14 * k;
  const cx = map.x + map.width - 4 * k - size / 2;
  const cy = map.y + 4 * k + size / 2;
  context.save();
  context.fillStyle = 'rgba(255, 255, 255, 0.85)';
  context.beginPath();
  context.arc(cx, cy, size / 2, 0, Math.PI * 2);
  context.fill();
  context.translate(cx, cy);
  // The map's up is `bearing` degrees east of north, so north points that many degrees to the left.
  context.rotate((-content.bearing * Math.PI) / 180);
  const half = size * 0.36;
  context.beginPath();
  context.moveTo(0, -half);
  context.lineTo(half * 0.42, half * 0.55);
  context.lineTo(0, half * 0.25);
  context.closePath();
  context.fillStyle = '#222222';
  context.fill();
  context.beginPath();
  context.moveTo(0, -half);
  context.lineTo(-half * 0.42, half * 0.55);
  context.lineTo(0, half * 0.25);
  context.closePath();
  context.fillStyle = '#ffffff';
  context.fill();
  context.strokeStyle = '#222222';
  context.lineWidth = Math.max(1, 0.25 * k);
  context.stroke();
  context.rotate((content.bearing * Math.PI) / 180);
  context.restore();
  context.save();
  context.fillStyle = '#222222';
  context.font = font(3.2 * k, 700);
  context.textAlign = 'center';
  context.textBaseline = 'bottom';
  context.fillText(content.northLetter, cx, map.y + 4 * k + 0.2 * k + (size * 0.14));
  context.restore();
}

/** Where the watermark goes: centred on the map, along its diagonal. */
export function watermarkGeometry(map: Rect): { cx: number; cy: number; angle: number; width: number } {
  return { cx: map.x + map.width / 2, cy: map.y + map.height / 2, angle: -Math.atan2(map.height, map.width), width: Math.hypot(map.width, map.height) * 0.7 };
}

function drawWatermark(context: CanvasRenderingContext2D, map: Rect): void {
  const { cx, cy, angle, width } = watermarkGeometry(map);
  context.save();
  context.beginPath();
  context.rect(map.x, map.y, map.width, map.height);
  context.clip();
  context.translate(cx, cy);
  context.rotate(angle);
  let size = 100;
  context.font = font(size, 700);
  size = (size * width) / context.measureText(watermarkText).width;
  context.font = font(size, 700);
  context.textAlign = 'center';
  context.textBaseline = 'middle';
  context.fillStyle = watermarkColor;
  context.fillText(watermarkText, 0, 0);
  context.restore();
}

export function composePage(content: PageContent): HTMLCanvasElement {
  const { layout } = content;
  const k = layout.pxPerMm;
  const canvas = document.createElement('canvas');
  canvas.width = layout.page.width;
  canvas.height = layout.page.height;
  const context = canvas.getContext('2d');
  if (!context) throw new Error('no 2D canvas');
  context.fillStyle = '#ffffff';
  context.fillRect(0, 0, canvas.width, canvas.height);

  // Title
  context.fillStyle = '#1a1a1a';
  context.font = font(7.5 * k, 700);
  context.textBaseline = 'middle';
  context.textAlign = 'left';
  context.fillText(content.title, layout.title.x, layout.title.y + layout.title.height / 2 - 1 * k, layout.title.width);

  // Map, frame, overlays
  const map = layout.map;
  context.drawImage(content.map, map.x, map.y, map.width, map.height);
  if (content.demo) drawWatermark(context, map);
  drawNorthArrow(context, content, map, k);
  drawScaleBar(context, content, map, k);
  context.strokeStyle = '#333333';
  context.lineWidth = Math.max(1, 0.35 * k);
  context.strokeRect(map.x, map.y, map.width, map.height);

  drawLegend(context, content, layout.legend, k);

  // Footer: date and credit on the first line, the sources wrapped below.
  const footer = layout.footer;
  context.fillStyle = '#333333';
  context.textBaseline = 'top';
  context.font = font(3 * k);
  context.textAlign = 'left';
  context.fillText(content.dateLine, footer.x, footer.y);
  context.textAlign = 'right';
  context.fillText(content.creditLine, footer.x + footer.width, footer.y);
  context.textAlign = 'left';
  context.font = font(2.6 * k);
  context.fillStyle = '#555555';
  const lines = wrapText(content.sourcesLine, footer.width, (text) => context.measureText(text).width).slice(0, 3);
  lines.forEach((line, index) => context.fillText(line, footer.x, footer.y + 4.2 * k + index * 3.2 * k));
  return canvas;
}
