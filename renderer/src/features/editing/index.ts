// The editing feature's public face: new features and the actions on a selected one (the map through useMapController).
export { NewFeature, type NewFeatureHandle } from './NewFeature';
export { FeatureActions } from './FeatureActions';
