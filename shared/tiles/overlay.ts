// The features of a layer inside a box: the packed base's (from the chunks that meet the box)
// with the edit rows laid over them — an edited feature shows its new value wherever it now is,
// a deleted one not at all, a new one where it was drawn.
import type { Feature } from '../model';
import { boundingBox, type BoundingBox } from '../geo/bbox';
import { boxesMeet } from './tile-math';

/** The extent of a feature's geometry; a point's is the point. Cached per feature object (features are never mutated). */
const extents = new WeakMap<Feature, BoundingBox | null>();

export function featureExtent(feature: Feature): BoundingBox | null {
  if (feature.geometry.type === 'Point') {
    const [x, y] = feature.geometry.coordinates as [number, number];
    return [x, y, x, y];
  }
  let extent = extents.get(feature);
  if (extent === undefined) {
    extent = boundingBox(feature.geometry);
    extents.set(feature, extent);
  }
  return extent;
}

/**
 * The current features meeting `box`: base features (from `chunks`, any that meet the box or not)
 * not overridden by an edit row, then the edited features that meet it. `edits` maps a feature id to
 * its current value, or null when deleted.
 */
export function featuresInBox(
  chunks: Iterable<{ features: readonly Feature[] }>,
  edits: ReadonlyMap<string, Feature | null>,
  box: BoundingBox,
): Feature[] {
  const found: Feature[] = [];
  const meets = (feature: Feature) => {
    const extent = featureExtent(feature);
    return extent !== null && boxesMeet(extent, box);
  };
  for (const chunk of chunks) {
    for (const feature of chunk.features) {
      if (edits.has(feature.id)) continue;
      if (meets(feature)) found.push(feature);
    }
  }
  for (const feature of edits.values()) if (feature !== null && meets(feature)) found.push(feature);
  return found;
}
