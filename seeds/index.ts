import { layerDefinitionListSchema, type LayerDefinition } from '../shared/model/layer-definition';
import { targetListSchema, type Target } from '../shared/model/target';
import layersJson from './layers.json';
import targetsJson from './targets-2021.json';

/** The layer definitions of the Hengshui workspace (seeds/layers.json), validated. */
export const hengshuiLayers: readonly LayerDefinition[] = layerDefinitionListSchema.parse(layersJson);

/** The spatial targets of Hengshui's 2021 government work report (seeds/targets-2021.json), validated. */
export const hengshuiTargets2021: readonly Target[] = targetListSchema.parse(targetsJson);

export { DEMO_LAYER_FILES, DEMO_AS_OF } from './demo-files';
export { hengshuiWorkspace } from './workspace';
