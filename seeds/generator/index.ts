import type { DemoInputs, DemoLayerFile } from './types';
import { countyContexts } from './county-context';
import { RandomStream } from './random';
import { DEMO_SEED } from './rules';
import { generateAgriculturalWells, generateNonAgriculturalWells } from './wells';
import { generatePocketParks } from './pocket-parks';
import { generateVillages } from './villages';
import { generateFarmland } from './farmland';
import { generateResidentialBlocks } from './residential-blocks';
import { serializeDemoLayer } from './serialize';

export type { DemoInputs, DemoLayerFile, DemoFeature } from './types';
export * from './rules';

/** Every demo layer, in memory. Pure: the same inputs give the same features. */
export function generateDemoLayers(inputs: DemoInputs): DemoLayerFile[] {
  const counties = countyContexts(inputs);
  // One independent stream per layer: editing one layer's rules leaves the others unchanged.
  const farmland = generateFarmland(new RandomStream(DEMO_SEED + 4), counties);
  return [
    { fileName: 'wells-non-agricultural.geojson', layerId: 'wells', features: generateNonAgriculturalWells(new RandomStream(DEMO_SEED + 1), counties) },
    { fileName: 'wells-agricultural.geojson', layerId: 'wells', features: generateAgriculturalWells(new RandomStream(DEMO_SEED + 2), counties, farmland) },
    { fileName: 'pocket-parks.geojson', layerId: 'pocket-parks', features: generatePocketParks(new RandomStream(DEMO_SEED + 3), counties) },
    {
      fileName: 'villages.geojson',
      layerId: 'villages',
      features: generateVillages(new RandomStream(DEMO_SEED + 5), counties, inputs.townships, inputs.villages),
    },
    { fileName: 'farmland.geojson', layerId: 'farmland', features: farmland },
    {
      fileName: 'residential-blocks.geojson',
      layerId: 'residential-blocks',
      features: generateResidentialBlocks(new RandomStream(DEMO_SEED + 6), counties),
    },
  ];
}

/** File name → file text, exactly as committed under seeds/demo/. */
export function renderDemoFiles(inputs: DemoInputs): Map<string, string> {
  return new Map(generateDemoLayers(inputs).map((layer) => [layer.fileName, serializeDemoLayer(layer)]));
}
