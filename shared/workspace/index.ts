// Workspaces as data: a city's boundaries, extent and basemap choice (definition.ts), read from a
// boundary file (boundaries.ts) or a template (template.ts). No storage here (renderer/src/db).
export * from './definition';
export * from './errors';
export * from './boundaries';
export * from './template';
