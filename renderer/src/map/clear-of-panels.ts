// Panels that float over the map (the import wizard…) carry `data-covers-map`: a camera move to
// something the user asked to see pads it out from under them, so it lands in the visible part.
import type { Map as MapLibreMap, PaddingOptions } from 'maplibre-gl';

export const coversMapAttribute = 'data-covers-map';

/**
 * fitBounds padding of `margin` on every side, widened on a side that a floating panel covers (the
 * margin shrinks when the uncovered part is narrow; panels are ignored if it is too narrow to use).
 */
export function paddingClearOfPanels(map: MapLibreMap, margin: number): PaddingOptions {
  const area = map.getContainer().getBoundingClientRect();
  let left = 0;
  let right = 0;
  for (const element of document.querySelectorAll(`[${coversMapAttribute}]`)) {
    const box = element.getBoundingClientRect();
    if (box.width === 0 || box.right <= area.left || box.left >= area.right || box.bottom <= area.top || box.top >= area.bottom) continue;
    // A panel in the right half hides the map from its left edge on; one in the left half up to its right edge.
    if (box.left + box.width / 2 >= area.left + area.width / 2) right = Math.max(right, area.right - box.left);
    else left = Math.max(left, box.right - area.left);
  }
  const open = area.width - left - right;
  const edge = Math.min(margin, open / 4);
  if (edge < 10) return { top: margin, bottom: margin, left: margin, right: margin };
  return { top: margin, bottom: margin, left: left + edge, right: right + edge };
}
