export * from './bloom-filter';
