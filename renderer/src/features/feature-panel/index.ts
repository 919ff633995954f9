// The feature panel's public face: the selected feature's details, and the status change a bulk edit reuses.
export { FeaturePanel } from './FeaturePanel';
export { statusChangeOperation } from './status-change';
