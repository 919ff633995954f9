import { describe, expect, it } from 'vitest';
import { exportFeatures, importFile, ImportError, importErrorData, type ExportFormat } from '../../../shared/io';
import { CrsError } from '../../../shared/crs';
import { EditPackageError, IncompleteHistoryError } from '../../../shared/sync';
import { BackupFileFormatError } from '../../../shared/ipc/backups';
import { GeoJsonFeatureError } from '../../../shared/model/geojson-feature';
import { BasemapPackageError } from '../../../shared/basemaps/package-info';
import { OneMapError, oneMapErrorData } from '../../../shared/errors';

describe('errors as code + details for the UI', () => {
  it('a broken JSON file: code invalid-json, the parser\'s English only as the technical detail', async () => {
    const error = await importFile('broken.geojson', new TextEncoder().encode('{"type":"FeatureCollection","features":[')).then(
      () => null,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(ImportError);
    expect(error).toBeInstanceOf(OneMapError);
    const data = importErrorData(error as ImportError);
    expect(data.code).toBe('invalid-json');
    expect(typeof data.details.technical).toBe('string');
    expect(data.details.technical).toMatch(/JSON|Unexpected|end/i);
    expect(data.details.zh).toMatch(/JSON/);
  });

  it('where a refused input is: a zip part, a row, a column, a 1-based feature number', () => {
    const error = new ImportError('invalid-coordinate', { zh: '不是数字', en: 'not a number' }, { file: 'a.csv', row: 3, column: 'lon', featureIndex: 4 });
    expect(importErrorData(error)).toEqual({
      code: 'invalid-coordinate',
      details: { part: 'a.csv', row: 3, column: 'lon', feature: 5, zh: '不是数字', en: 'not a number', technical: undefined },
    });
  });

  it('a basemap package error carries its code, the file and the raw reason', () => {
    const error = new BasemapPackageError('x.mbtiles', 'basemap-not-mbtiles', 'no such table: metadata');
    expect(oneMapErrorData(error)).toEqual({ code: 'basemap-not-mbtiles', details: { file: 'x.mbtiles', technical: 'no such table: metadata' } });
    expect(error.reason).toBe('no such table: metadata');
  });

  it('anything else thrown is "unexpected", its message the technical detail', () => {
    expect(oneMapErrorData(new TypeError('boom'))).toEqual({ code: 'unexpected', details: { technical: 'boom' } });
    expect(oneMapErrorData('text')).toEqual({ code: 'unexpected', details: { technical: 'text' } });
  });

  it('an unknown export format is an error naming the format, not undefined', async () => {
    const features = { type: 'FeatureCollection' as const, features: [] };
    const refusal = await exportFeatures(features, 'gpkg' as ExportFormat).then(
      (result) => result,
      (caught: unknown) => caught,
    );
    expect(refusal).toBeInstanceOf(OneMapError);
    expect(oneMapErrorData(refusal)).toEqual({ code: 'export.unknownFormat', details: { format: 'gpkg' } });
  });

  it('an ImportError as data says where (the same as importErrorData)', () => {
    const error = new ImportError('invalid-coordinate', { zh: '不是数字', en: 'not a number' }, { row: 3 }, { reason: 'NaN' });
    expect(oneMapErrorData(error)).toEqual(importErrorData(error));
  });

  it('shared/crs, shared/sync, the backup header and the seed reader throw OneMapErrors with codes', () => {
    const crs = new CrsError('unsupported-crs', { zh: '不支持', en: 'unsupported' }, { crs: 'EPSG:2435' });
    expect(crs).toBeInstanceOf(OneMapError);
    expect(oneMapErrorData(crs)).toEqual({ code: 'unsupported-crs', details: { crs: 'EPSG:2435', zh: '不支持', en: 'unsupported' } });
    const refused = new EditPackageError('damaged', { file: 'versions.json', reason: 'not JSON' });
    expect(refused).toBeInstanceOf(OneMapError);
    expect(oneMapErrorData(refused)).toMatchObject({ code: 'damaged', details: { file: 'versions.json', technical: 'not JSON' } });
    expect(oneMapErrorData(new IncompleteHistoryError('v2', 'v1'))).toMatchObject({ code: 'incomplete-history', details: { versionId: 'v2', missingParent: 'v1' } });
    expect(oneMapErrorData(new BackupFileFormatError('not gzip data'))).toEqual({ code: 'backup-file-invalid', details: { technical: 'not gzip data' } });
    expect(oneMapErrorData(new GeoJsonFeatureError('status must be a string', 'HS-1'))).toMatchObject({ code: 'geojson-feature-invalid', details: { featureId: 'HS-1' } });
  });

  it('data that crossed a worker or IPC boundary stays the same data', () => {
    const cloned = structuredClone({ code: 'basemap-empty', details: { file: 'a.pmtiles', technical: 'no tiles' } });
    expect(oneMapErrorData(cloned)).toEqual(cloned);
  });

  it('an error with its own sentence in both languages (and no code yet) keeps the sentence', () => {
    const error = Object.assign(new Error('storage is full'), { messages: { zh: '存储空间已满。', en: 'Storage is full.' } });
    expect(oneMapErrorData(error)).toEqual({ code: 'unexpected', details: { zh: '存储空间已满。', en: 'Storage is full.', technical: 'storage is full' } });
  });
});
