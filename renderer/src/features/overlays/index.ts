// The overlays feature's public face: the overlay tables tab.
export { OverlaysPanel } from './OverlaysPanel';
export { overlaysTab } from './tab';
