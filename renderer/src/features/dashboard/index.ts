// The dashboard's public face: the progress tab.
export { Dashboard } from './Dashboard';
export { progressTab } from './tab';
