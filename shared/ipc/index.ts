export * from './app-api';
export * from './channels';
export * from './schemas';
export * from './backups';
export * from './basemap-packages';
export * from './hub';
export * from './errors';
