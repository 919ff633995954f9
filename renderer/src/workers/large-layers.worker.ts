// The large-layers worker: one per window, for every layer over `tiledLayerThreshold`
// (shared/tiles/large-layer.ts). What it does is db/large-layers.ts; this file only exposes it.
import * as Comlink from 'comlink';
import { largeLayerFollows, type TallyData } from '../db/large-layers';

const api = largeLayerFollows((onTally) => (onTally as unknown as Comlink.Remote<(tally: TallyData) => void>)[Comlink.releaseProxy]());

export type LargeLayersWorkerApi = typeof api;

Comlink.expose(api);
