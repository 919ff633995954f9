// The layer panel's search rule (shared/analysis/feature-search.ts), which the window uses for small
// layers and the large-layers worker for large ones: the same results as the panel's search
// before the rule moved (kept below as the reference), whichever layers a worker answers for.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { featureCodeOf, type Feature, type LayerDefinition } from '../../../shared/model';
import { featureMatches, joinSearchResults, maximumSearchResults, searchLayer, searchNeedle } from '../../../shared/analysis/feature-search';

/** The layer panel's search as it was written before (LayerPanel.tsx, issue 19). */
function referenceSearch(query: string, layers: readonly LayerDefinition[], featuresByLayer: ReadonlyMap<string, Feature[]>): Feature[] {
  const needle = query.trim().toLowerCase();
  if (needle.length < 2) return [];
  const found: Feature[] = [];
  for (const layer of layers) {
    for (const feature of featuresByLayer.get(layer.id) ?? []) {
      const name = feature.properties.name;
      const code = featureCodeOf(layer, feature);
      if (feature.id.toLowerCase().includes(needle) || code.toLowerCase().includes(needle) || (typeof name === 'string' && name.toLowerCase().includes(needle))) {
        found.push(feature);
        if (found.length >= maximumSearchResults) return found;
      }
    }
  }
  return found;
}

const pieces = ['hs', 'nw', '00', '1', '2', '水滴', '公园', 'Ab', ' ', '-'];
const text = fc.array(fc.constantFrom(...pieces), { maxLength: 5 }).map((parts) => parts.join(''));

function layerOf(id: string, coded: boolean): LayerDefinition {
  return { id, name: { zh: id, en: id }, ...(coded ? { featureCode: { field: 'code', prefix: 'HS' } } : {}) } as unknown as LayerDefinition;
}

const layersArbitrary = fc.array(
  fc.record({
    coded: fc.boolean(),
    // A worker answers for a large layer: the panel joins its answer with the others in order.
    large: fc.boolean(),
    features: fc.array(fc.record({ id: text, name: fc.option(text, { nil: undefined }), code: fc.option(text, { nil: undefined }), number: fc.boolean() }), { maxLength: 40 }),
  }),
  { minLength: 1, maxLength: 4 },
);

describe('the layer search rule', () => {
  it('gives the reference search’s results, in order, with large layers answered apart', () => {
    fc.assert(
      fc.property(layersArbitrary, text, (specs, query) => {
        const layers = specs.map((spec, index) => layerOf(`layer-${index}`, spec.coded));
        const featuresByLayer = new Map(
          specs.map((spec, index) => [
            `layer-${index}`,
            spec.features.map(
              (feature, at) =>
                ({
                  id: `${feature.id}#${at}`,
                  layerId: `layer-${index}`,
                  properties: { ...(feature.name === undefined ? {} : { name: feature.number ? 12 : feature.name }), ...(feature.code === undefined ? {} : { code: feature.code }) },
                }) as unknown as Feature,
            ),
          ]),
        );
        const expected = referenceSearch(query, layers, featuresByLayer);
        const needle = searchNeedle(query);
        if (needle === null) {
          expect(expected).toEqual([]);
          return;
        }
        // As the panel does it: small layers with what is left of the limit, large ones up to the limit.
        let count = 0;
        const perLayer = layers.map((layer, index) => {
          const features = featuresByLayer.get(layer.id)!;
          const found = specs[index]!.large ? searchLayer(layer, features, needle, maximumSearchResults) : searchLayer(layer, features, needle, maximumSearchResults - count);
          count += found.length;
          return found;
        });
        expect(joinSearchResults(perLayer)).toEqual(expected);
      }),
      { numRuns: 300 },
    );
  });

  it('needs two characters, ignores case and surrounding spaces, and matches id, code or name', () => {
    expect(searchNeedle(' a ')).toBeNull();
    expect(searchNeedle('  HS-NW ')).toBe('hs-nw');
    const layer = layerOf('wells', true);
    const feature = { id: 'uuid-1', layerId: 'wells', properties: { name: '水滴公园', code: 'HS-W-A4AA5E-0001' } } as unknown as Feature;
    expect(featureMatches(layer, feature, 'uuid')).toBe(true);
    expect(featureMatches(layer, feature, 'a4aa5e')).toBe(true);
    expect(featureMatches(layer, feature, '水滴')).toBe(true);
    expect(featureMatches(layer, feature, '广场')).toBe(false);
    expect(searchLayer(layer, [feature, feature, feature], '水滴', 2)).toHaveLength(2);
  });
});
