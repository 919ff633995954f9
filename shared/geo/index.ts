export * from './wgs84';
export * from './area-units';
export * from './geodesic-area';
export * from './geodesic-distance';
export * from './geodesic-length';
export * from './point-in-polygon';
export * from './bbox';
export * from './features-within-area';
