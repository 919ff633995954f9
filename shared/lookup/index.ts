export * from './bloom-filter';
export * from './id-index';
