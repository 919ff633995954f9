import { describe, expect, it } from 'vitest';
import { importFile, ImportError, importErrorData } from '../../../shared/io';
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
});
