// The basemaps feature's public face: the switcher and the packages state it shows.
export { BasemapSwitcher } from './BasemapSwitcher';
export { useBasemapPackages } from './use-basemap-packages';
