// shared/io: bytes in, WGS84 GeoJSON + a report out; features in, file bytes out. Pure TypeScript for
// Node, browsers, workers and Electron. See README.md.
export { importFile } from './import';
export { importGeoJsonStream, type GeoJsonStreamOptions } from './formats/geojson-stream';
export type { ImportSummary } from './normalize';
export { exportFeatures } from './export';
export { ImportError, importErrorCodes, importErrorData, type ImportErrorCode, type ImportLocation } from './errors';
export { configureSqlJs } from './formats/geopackage';
export {
  CHINA_BOUNDS,
  ID_COLUMN,
  type CoordinateColumns,
  type ExportEncoding,
  type ExportFormat,
  type ExportOptions,
  type ExportResult,
  type ExportWarning,
  type FeatureCollection,
  type ImportFormat,
  type ImportLimits,
  type ImportOptions,
  type ImportPhase,
  type ImportProgress,
  type ImportResult,
  type ImportWarning,
  type ImportWarningCode,
  type TableLayout,
} from './types';
export type { AbortSignalLike } from './platform';
