// One rule for "a large layer", shared by the map, the window's data and the workers: a layer with
// more features than this is drawn from tiles cut on demand and is never held whole by the window
// (its counts and search come from the large-layers worker). Between B4's sizes
// (tests/bench/README.md): at 10,000 wells a GeoJSON edit costs what a full reload does (0.99×),
// at 100,000 tiled it is 0.17×; the demo layers (≤ 4,795) stay small.
export const tiledLayerThreshold = 20_000;
