// The layers feature's public face: the layer panel (visibility, order, filters, county focus).
export { LayerPanel, type CountyOption } from './LayerPanel';
export { layersTab } from './tab';
