export * from './crs-error';
export * from './registry';
export * from './transform';
export * from './wkt';
export * from './detect';
export * from './offset-hint';
