import '@fontsource/noto-sans-sc/400.css';
import { labelFontFamily } from './basemap-style';

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
