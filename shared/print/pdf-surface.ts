// The Surface drawn into a pdf-lib page: paths and circles as PDF path operators (even-odd fill, so
// polygon holes stay open), text in the embedded font (real, searchable text), y flipped.
import {
  LineCapStyle,
  LineJoinStyle,
  PDFOperator,
  PDFOperatorNames,
  appendBezierCurve,
  closePath,
  clip,
  degrees,
  endPath,
  lineTo,
  moveTo,
  popGraphicsState,
  pushGraphicsState,
  rectangle,
  rgb,
  setDashPattern,
  setFillingRgbColor,
  setLineCap,
  setLineJoin,
  setLineWidth,
  setStrokingRgbColor,
  type PDFDocument,
  type PDFFont,
  type PDFPage,
} from 'pdf-lib';
import type { Rect } from './paper';
import { hexColor, type PathStyle, type Ring, type Surface, type TextStyle } from './surface';

/** The font's ascent as a share of its size (Noto Sans CJK: 880/1000). */
const ascent = 0.88;
const circleK = 0.5522847498;

const channels = (color: string): [number, number, number] => {
  const hex = hexColor(color);
  return [parseInt(hex.slice(1, 3), 16) / 255, parseInt(hex.slice(3, 5), 16) / 255, parseInt(hex.slice(5, 7), 16) / 255];
};
// A tenth of a point (1/720 inch) is finer than any printer's dot and keeps the numbers short.
const round = (value: number) => Math.round(value * 10) / 10;

export class PdfSurface implements Surface {
  private readonly height: number;

  constructor(
    private readonly document: PDFDocument,
    private readonly page: PDFPage,
    private readonly font: PDFFont,
  ) {
    this.height = page.getHeight();
  }

  private styled(style: PathStyle, build: () => PDFOperator[]): void {
    const operators: PDFOperator[] = [pushGraphicsState(), setLineJoin(LineJoinStyle.Round)];
    if (style.fill) operators.push(setFillingRgbColor(...channels(style.fill)));
    if (style.stroke) {
      operators.push(setStrokingRgbColor(...channels(style.stroke)), setLineWidth(round(style.width ?? 1)));
      if (style.dash) operators.push(setDashPattern(style.dash.map(round), 0));
    }
    operators.push(...build());
    const paint = style.fill && style.stroke ? PDFOperatorNames.FillEvenOddAndStroke : style.fill ? PDFOperatorNames.FillEvenOdd : PDFOperatorNames.StrokePath;
    operators.push(PDFOperator.of(paint), popGraphicsState());
    this.page.pushOperators(...operators);
  }

  path(rings: readonly Ring[], closed: boolean, style: PathStyle): void {
    if (!style.fill && !style.stroke) return;
    this.styled(closed ? style : { ...style, fill: undefined }, () => {
      const operators: PDFOperator[] = [];
      for (const ring of rings) {
        if (ring.length < 4) continue;
        operators.push(moveTo(ring[0]!, round(this.height - ring[1]!)));
        for (let index = 2; index < ring.length; index += 2) operators.push(lineTo(ring[index]!, round(this.height - ring[index + 1]!)));
        if (closed) operators.push(closePath());
      }
      return operators;
    });
  }

  circle(x: number, y: number, radius: number, style: PathStyle): void {
    const cx = round(x);
    const cy = round(this.height - y);
    const r = round(radius);
    const k = round(radius * circleK);
    this.styled(style, () => [
      moveTo(cx + r, cy),
      appendBezierCurve(cx + r, cy + k, cx + k, cy + r, cx, cy + r),
      appendBezierCurve(cx - k, cy + r, cx - r, cy + k, cx - r, cy),
      appendBezierCurve(cx - r, cy - k, cx - k, cy - r, cx, cy - r),
      appendBezierCurve(cx + k, cy - r, cx + r, cy - k, cx + r, cy),
      closePath(),
    ]);
  }

  dots(points: Ring, radius: number, style: PathStyle): void {
    // A zero-length line with round caps is a disc: ~30 bytes a point instead of a 4-curve circle.
    const path = (width: number, color: string) => {
      const operators: PDFOperator[] = [pushGraphicsState(), setLineCap(LineCapStyle.Round), setStrokingRgbColor(...channels(color)), setLineWidth(round(width))];
      for (let index = 0; index + 1 < points.length; index += 2) {
        const x = round(points[index]!);
        const y = round(this.height - points[index + 1]!);
        operators.push(moveTo(x, y), lineTo(x, y));
      }
      operators.push(PDFOperator.of(PDFOperatorNames.StrokePath), popGraphicsState());
      this.page.pushOperators(...operators);
    };
    if (style.stroke && (style.width ?? 0) > 0) path(2 * radius + 2 * (style.width ?? 0), style.stroke);
    if (style.fill) path(2 * radius, style.fill);
  }

  measure(text: string, size: number): number {
    return this.font.widthOfTextAtSize(text, size);
  }

  text(text: string, x: number, y: number, style: TextStyle): void {
    if (text === '') return;
    const width = this.measure(text, style.size);
    const left = style.align === 'center' ? x - width / 2 : style.align === 'right' ? x - width : x;
    const [r, g, b] = channels(style.color ?? '#000000');
    if (style.halo) {
      const pad = style.size * 0.15;
      const [hr, hg, hb] = channels(style.halo);
      this.page.drawRectangle({ x: round(left - pad), y: round(this.height - y - style.size - pad * 0.5), width: round(width + 2 * pad), height: round(style.size * 1.05 + pad), color: rgb(hr, hg, hb), opacity: 0.75 });
    }
    this.page.drawText(text, {
      x: round(left),
      y: round(this.height - y - style.size * ascent),
      size: style.size,
      font: this.font,
      color: rgb(r, g, b),
      ...(style.rotate ? { rotate: degrees(style.rotate) } : {}),
      ...(style.opacity !== undefined ? { opacity: style.opacity } : {}),
    });
  }

  clipped(rect: Rect, draw: () => void): void {
    this.page.pushOperators(pushGraphicsState(), rectangle(round(rect.x), round(this.height - rect.y - rect.height), round(rect.width), round(rect.height)), clip(), endPath());
    draw();
    this.page.pushOperators(popGraphicsState());
  }

  image(png: Uint8Array, rect: Rect): void {
    // Embedding is asynchronous in pdf-lib: the writer embeds rasters before drawing (see pdf-document.ts).
    const embedded = this.rasters.get(png);
    if (!embedded) throw new Error('a raster was drawn that the page did not embed first (pass it in the page spec\'s rasters)');
    this.page.drawImage(embedded, { x: rect.x, y: this.height - rect.y - rect.height, width: rect.width, height: rect.height });
  }

  rasters = new Map<Uint8Array, Awaited<ReturnType<PDFDocument['embedPng']>>>();

  async embedRaster(png: Uint8Array): Promise<void> {
    this.rasters.set(png, await this.document.embedPng(png));
  }
}
