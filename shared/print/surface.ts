// What the page drawing needs of an output: vector paths, circles, text, clipping, images. The PDF
// writer (pdf-surface.ts) implements it with pdf-lib; tests record the calls.
import type { Rect } from './paper';

/** A run of points, flat: x0, y0, x1, y1, … in page points (y down). */
export type Ring = number[];

export interface PathStyle {
  /** `#rrggbb`. */
  fill?: string;
  stroke?: string;
  width?: number;
  dash?: readonly number[];
}

export interface TextStyle {
  size: number;
  color?: string;
  align?: 'left' | 'center' | 'right';
  /** Degrees counter-clockwise. */
  rotate?: number;
  /** 0–1. */
  opacity?: number;
  /** A light box behind the text (labels over busy map content), in this colour. */
  halo?: string;
}

export interface Surface {
  /** Rings as one path: closed ones filled (even-odd: holes stay open) and/or stroked. */
  path(rings: readonly Ring[], closed: boolean, style: PathStyle): void;
  circle(x: number, y: number, radius: number, style: PathStyle): void;
  /** Many equal dots (a layer's points of one status), flat x, y pairs: `fill` inside, a `stroke` ring of `width`. */
  dots(points: Ring, radius: number, style: PathStyle): void;
  /** Text whose top (the font's ascent) is at y. */
  text(text: string, x: number, y: number, style: TextStyle): void;
  measure(text: string, size: number): number;
  /** Draws inside `rect` only. */
  clipped(rect: Rect, draw: () => void): void;
  /** A raster (PNG) stretched over `rect` (raster basemap tiles only). */
  image?(png: Uint8Array, rect: Rect): void;
}

/** `#rgb`/`#rrggbb`/`rgb(r, g, b)` → `#rrggbb`; anything else → the fallback. */
export function hexColor(color: string | undefined, fallback = '#000000'): string {
  if (color === undefined) return fallback;
  const short = /^#([0-9a-f])([0-9a-f])([0-9a-f])$/i.exec(color);
  if (short) return `#${short[1]}${short[1]}${short[2]}${short[2]}${short[3]}${short[3]}`.toLowerCase();
  if (/^#[0-9a-f]{6}$/i.test(color)) return color.toLowerCase();
  const rgb = /^rgba?\(\s*(\d+)\s*,\s*(\d+)\s*,\s*(\d+)/i.exec(color);
  if (rgb) return `#${[rgb[1], rgb[2], rgb[3]].map((part) => Number(part).toString(16).padStart(2, '0')).join('')}`;
  return fallback;
}

/** `color` at `alpha` over white (a PDF without transparency groups prints the same everywhere). */
export function overWhite(color: string, alpha: number): string {
  const hex = hexColor(color);
  const channel = (index: number) => Math.round(255 - (255 - parseInt(hex.slice(index, index + 2), 16)) * alpha);
  return `#${[1, 3, 5].map((index) => channel(index).toString(16).padStart(2, '0')).join('')}`;
}

/**
 * Breaks text into lines no wider than `maxWidth`, at spaces or between CJK characters; closing
 * punctuation never starts a line.
 */
export function wrapText(text: string, maxWidth: number, measure: (text: string) => number): string[] {
  const noLineStart = new Set([...'，。、；：？！）》」』】〕…,.;:?!)]}']);
  const tokens = text.match(/[\u2E80-\u9FFF\uF900-\uFAFF\uFF00-\uFFEF]|[^\s\u2E80-\u9FFF\uF900-\uFAFF\uFF00-\uFFEF]+|\s+/g) ?? [];
  const lines: string[] = [];
  let line = '';
  for (const token of tokens) {
    const candidate = line + token;
    if (line.trim() !== '' && !noLineStart.has(token) && measure(candidate.trimEnd()) > maxWidth) {
      lines.push(line.trimEnd());
      line = token.trimStart();
    } else {
      line = candidate;
    }
  }
  if (line.trim() !== '') lines.push(line.trimEnd());
  return lines;
}

/** `{{name}}` placeholders filled from `values` (the locale strings travel to the worker as text). */
export function fill(template: string, values: Readonly<Record<string, string | number>>): string {
  return template.replace(/\{\{(\w+)\}\}/g, (whole, key: string) => (key in values ? String(values[key]) : whole));
}
