import '@fontsource/noto-sans-sc/400.css';
import { labelFontFamily } from './basemap-style';
import type { BasemapData } from './basemap-data';

/**
 * The bundled font is split into unicode-range subsets that the browser fetches (from the app's
 * own origin) only when a character needs them. MapLibre rasterises label glyphs on a canvas, which
 * does not wait for web fonts, so the subsets covering every label are loaded before labels draw.
 */
export async function loadLabelFont(labels: Iterable<string>): Promise<void> {
  const characters = [...new Set([...labels].join(''))].join('');
  if (!characters) return;
  await document.fonts.load(`400 16px "${labelFontFamily}"`, characters);
}

const basemapFonts = new WeakMap<BasemapData, Promise<void>>();

/**
 * The font subsets of a basemap's labels, loaded once per basemap: the app starts this as soon as
 * the basemap is read, so the font loads while the store opens, not after (the map waits for it).
 */
export function loadBasemapLabelFont(data: BasemapData): Promise<void> {
  let loading = basemapFonts.get(data);
  if (!loading) {
    loading = loadLabelFont([
      ...data.counties.features.flatMap((f) => [f.properties.name, f.properties.nameEn]),
      ...data.seats.features.flatMap((f) => [f.properties.name, f.properties.nameEn]),
      ...[...data.lakes.features, ...data.rivers.features].flatMap((f) => [f.properties?.name ?? '', f.properties?.nameEn ?? '']),
    ]);
    basemapFonts.set(data, loading);
  }
  return loading;
}
