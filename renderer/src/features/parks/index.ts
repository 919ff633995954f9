// The parks feature's public face: the coverage tab (its analysis worker is private to it).
export { coverageTab } from './tab';
