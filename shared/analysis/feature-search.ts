// The layer panel's search rule, in one place for the window (small layers) and the large-layers
// worker (layers over the tiles threshold): a query of two or more characters, trimmed and
// lower-cased, finds the features whose id, readable code or `name` contains it; the first matches
// in layer order, then feature order, up to a limit.
import type { Feature, LayerDefinition } from '../model';
import { featureCodeOf } from '../model/format-value';

/** At most this many results are listed. */
export const maximumSearchResults = 20;

/** The needle a query searches for, or null when it is too short to search. */
export function searchNeedle(query: string): string | null {
  const needle = query.trim().toLowerCase();
  return needle.length < 2 ? null : needle;
}

/** Whether a feature of `layer` matches a needle from {@link searchNeedle}. */
export function featureMatches(layer: LayerDefinition | undefined, feature: Feature, needle: string): boolean {
  const name = feature.properties.name;
  return (
    feature.id.toLowerCase().includes(needle) ||
    featureCodeOf(layer, feature).toLowerCase().includes(needle) ||
    (typeof name === 'string' && name.toLowerCase().includes(needle))
  );
}

/** The first `limit` features of one layer that match, in the layer's order. */
export function searchLayer(layer: LayerDefinition | undefined, features: Iterable<Feature>, needle: string, limit: number): Feature[] {
  const found: Feature[] = [];
  if (limit <= 0) return found;
  for (const feature of features) {
    if (!featureMatches(layer, feature, needle)) continue;
    found.push(feature);
    if (found.length >= limit) break;
  }
  return found;
}

/**
 * The first `limit` matches over several layers in order: each layer's own matches (as
 * {@link searchLayer} gives them, however they were found) in turn, cut at the limit.
 */
export function joinSearchResults(perLayer: readonly (readonly Feature[])[], limit: number = maximumSearchResults): Feature[] {
  const found: Feature[] = [];
  for (const matches of perLayer) {
    for (const feature of matches) {
      if (found.length >= limit) return found;
      found.push(feature);
    }
  }
  return found;
}
