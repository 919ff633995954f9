// The editing feature's public face: new features, the actions on a selected one, and the map editing context.
export { NewFeature, type NewFeatureHandle } from './NewFeature';
export { FeatureActions } from './FeatureActions';
