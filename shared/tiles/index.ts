export * from './tile-math';
export * from './map-feature';
export * from './overlay';
export * from './encode';
export * from './large-layer';
