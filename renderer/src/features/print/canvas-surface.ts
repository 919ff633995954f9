// The print Surface on an OffscreenCanvas (in the print worker): the bulletin's maps as PNG
// pictures for the .docx, drawn by the same code as the PDF's. `k` is pixels per point.
// Named modules, not the shared/print barrel: the barrel's PDF and .docx writers (pdf-lib, docx)
// belong in the print worker, not in the window's bundle.
import { hexColor, type PathStyle, type Ring, type Surface, type TextStyle } from '../../../../shared/print/surface';
import type { Rect } from '../../../../shared/print/paper';

const ascent = 0.88;

export class CanvasSurface implements Surface {
  constructor(
    private readonly context: OffscreenCanvasRenderingContext2D,
    private readonly k: number,
    private readonly family: string,
  ) {}

  private paint(style: PathStyle, closed: boolean): void {
    const { context, k } = this;
    if (closed && style.fill) {
      context.fillStyle = hexColor(style.fill);
      context.fill('evenodd');
    }
    if (style.stroke) {
      context.strokeStyle = hexColor(style.stroke);
      context.lineWidth = (style.width ?? 1) * k;
      context.setLineDash((style.dash ?? []).map((value) => value * k));
      context.stroke();
    }
  }

  path(rings: readonly Ring[], closed: boolean, style: PathStyle): void {
    const { context, k } = this;
    context.beginPath();
    for (const ring of rings) {
      if (ring.length < 4) continue;
      context.moveTo(ring[0]! * k, ring[1]! * k);
      for (let index = 2; index < ring.length; index += 2) context.lineTo(ring[index]! * k, ring[index + 1]! * k);
      if (closed) context.closePath();
    }
    context.lineJoin = 'round';
    this.paint(style, closed);
  }

  circle(x: number, y: number, radius: number, style: PathStyle): void {
    this.context.beginPath();
    this.context.arc(x * this.k, y * this.k, radius * this.k, 0, Math.PI * 2);
    this.paint(style, true);
  }

  dots(points: Ring, radius: number, style: PathStyle): void {
    for (let index = 0; index + 1 < points.length; index += 2) this.circle(points[index]!, points[index + 1]!, radius, style);
  }

  private font(size: number): string {
    return `${size * this.k}px "${this.family}"`;
  }

  measure(text: string, size: number): number {
    this.context.font = this.font(size);
    return this.context.measureText(text).width / this.k;
  }

  text(text: string, x: number, y: number, style: TextStyle): void {
    const { context, k } = this;
    const width = this.measure(text, style.size);
    const left = style.align === 'center' ? x - width / 2 : style.align === 'right' ? x - width : x;
    context.save();
    if (style.halo) {
      context.globalAlpha = 0.75;
      context.fillStyle = hexColor(style.halo);
      context.fillRect((left - style.size * 0.15) * k, (y - style.size * 0.05) * k, (width + style.size * 0.3) * k, style.size * 1.15 * k);
    }
    context.globalAlpha = style.opacity ?? 1;
    context.fillStyle = hexColor(style.color ?? '#000000');
    context.font = this.font(style.size);
    context.textBaseline = 'alphabetic';
    context.translate(left * k, (y + style.size * ascent) * k);
    if (style.rotate) context.rotate((-style.rotate * Math.PI) / 180);
    context.fillText(text, 0, 0);
    context.restore();
  }

  clipped(rect: Rect, draw: () => void): void {
    const { context, k } = this;
    context.save();
    context.beginPath();
    context.rect(rect.x * k, rect.y * k, rect.width * k, rect.height * k);
    context.clip();
    draw();
    context.restore();
  }
}
