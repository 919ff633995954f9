// The overlays feature's public face: the overlay tables tab.
export { overlaysTab } from './tab';
