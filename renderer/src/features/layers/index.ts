// The layers feature's public face: the layer panel (visibility, order, filters, county focus).
export { layersTab } from './tab';
