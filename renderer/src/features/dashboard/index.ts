// The dashboard's public face: the progress tab.
export { Dashboard, coreTargetIds } from './Dashboard';
export { progressTab } from './tab';
