// The pure part of the import wizard: source columns → layer fields (auto-matched by name or label,
// remembered per source), values converted to the field types, and a new layer inferred from the
// data. No DOM, no store: unit-tested in tests/unit/import/.
export type * from './types';
export * from './convert';
export * from './auto-map';
export * from './build';
export * from './new-layer';
export * from './memory';
