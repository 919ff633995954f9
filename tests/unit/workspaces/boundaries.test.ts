import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importFile } from '../../../shared/io';
import { pointInPolygon } from '../../../shared/geo';
import { buildWorkspaceBoundaries, CHINA_BOUNDS, guessBoundaryFields, WorkspaceError } from '../../../shared/workspace';

const fixtures = join(import.meta.dirname, '../../fixtures/workspaces');
const encoder = new TextEncoder();

function geoJsonFile(features: { properties: Record<string, unknown>; coordinates: number[][][] }[], extra: Record<string, unknown> = {}): Uint8Array {
  return encoder.encode(
    JSON.stringify({
      type: 'FeatureCollection',
      ...extra,
      features: features.map((feature) => ({ type: 'Feature', properties: feature.properties, geometry: { type: 'Polygon', coordinates: feature.coordinates } })),
    }),
  );
}

const box = (west: number, south: number, east: number, north: number) => [[[west, south], [east, south], [east, north], [west, north], [west, south]]];

async function refusal(bytes: Uint8Array, fileName: string, choice?: { codeField: string; nameField: string }): Promise<WorkspaceError> {
  const read = await importFile(fileName, bytes, { workspaceBounds: CHINA_BOUNDS });
  const fields = choice ?? { codeField: guessBoundaryFields(read).codeField ?? 'code', nameField: guessBoundaryFields(read).nameField ?? 'name' };
  try {
    buildWorkspaceBoundaries(read, fields, fileName);
  } catch (error) {
    expect(error).toBeInstanceOf(WorkspaceError);
    return error as WorkspaceError;
  }
  throw new Error('expected a refusal');
}

describe('a workspace from a boundary file', () => {
  it('reads the GBK Shapefile in the Gauss-Krüger zone at 120°E into four named counties and their extent', async () => {
    const bytes = new Uint8Array(readFileSync(join(fixtures, 'shiyi-counties-gk120-gbk.zip')));
    const read = await importFile('shiyi-counties-gk120-gbk.zip', bytes, { workspaceBounds: CHINA_BOUNDS });
    expect(read.sourceCrs).toBe('EPSG:4549');
    expect(read.encoding?.toLowerCase()).toMatch(/gbk|cp936|gb18030/);
    const fields = guessBoundaryFields(read);
    expect(fields).toEqual({ codeField: 'XZQDM', nameField: 'XZQMC', nameEnField: 'NAME_EN' });
    const { counties, extent } = buildWorkspaceBoundaries(read, fields as Required<typeof fields>, 'shiyi-counties-gk120-gbk.zip');
    expect(counties.features.map((county) => [county.properties.adcode, county.properties.name, county.properties.nameEn])).toEqual([
      [990102, '东城区', 'Dongcheng District'],
      [990121, '西山县', 'Xishan County'],
      [990122, '南湖县', 'Nanhu County'],
      [990123, '北岭县', 'Beiling County'],
    ]);
    // GK → WGS84 lands within 1e-6° (≈0.1 m) of where the synthetic city was drawn.
    const expected = [119.75, 36.25, 120.25, 37.0];
    extent.forEach((value, index) => expect(Math.abs(value - expected[index]!)).toBeLessThan(1e-6));
    for (const county of counties.features) expect(pointInPolygon(county.properties.labelPoint, county.geometry)).toBe(true);
  });

  it("makes the workspace's extent decide the zone of a file that does not name it (the wells of the second city)", async () => {
    const bytes = new Uint8Array(readFileSync(join(fixtures, 'shiyi-wells-gk120.csv')));
    const expected = JSON.parse(readFileSync(join(fixtures, 'expected-wells.json'), 'utf8')) as Record<string, [number, number]>;
    const boundaries = await importFile('b.zip', new Uint8Array(readFileSync(join(fixtures, 'shiyi-counties-gk120-gbk.zip'))), { workspaceBounds: CHINA_BOUNDS });
    const { extent } = buildWorkspaceBoundaries(boundaries, { codeField: 'XZQDM', nameField: 'XZQMC' }, 'b.zip');
    const read = await importFile('shiyi-wells-gk120.csv', bytes, { workspaceBounds: extent });
    expect(read.sourceCrs).toBe('EPSG:4549');
    for (const feature of read.features.features) {
      const [lon, lat] = (feature.geometry as { coordinates: number[] }).coordinates;
      const [expectedLon, expectedLat] = expected[String(feature.properties!['井编号'])]!;
      expect(Math.abs(lon! - expectedLon) + Math.abs(lat! - expectedLat)).toBeLessThan(1e-6);
    }
    // Against Hengshui's extent the same file lands in another zone (or nowhere): the extent decides.
    const elsewhere = await importFile('shiyi-wells-gk120.csv', bytes, { workspaceBounds: [115.1, 37.0, 116.7, 38.5] }).catch((error: unknown) => error);
    expect(elsewhere instanceof Error ? elsewhere : (elsewhere as { sourceCrs: string }).sourceCrs).not.toBe('EPSG:4549');
  });

  it('refuses a file without division codes, naming the fields it has', async () => {
    const error = await refusal(geoJsonFile([{ properties: { name: '甲县' }, coordinates: box(120, 36, 120.1, 36.1) }]), 'no-codes.geojson');
    expect(error.code).toBe('workspace.boundary-no-code-field');
    expect(error.details).toMatchObject({ file: 'no-codes.geojson', fields: 'name' });
  });

  it('refuses a feature with an empty or malformed code, naming the feature and field', async () => {
    const empty = await refusal(
      geoJsonFile([
        { properties: { code: '990101', name: '甲县' }, coordinates: box(120, 36, 120.1, 36.1) },
        { properties: { code: '', name: '乙县' }, coordinates: box(120.1, 36, 120.2, 36.1) },
      ]),
      'empty-code.geojson',
      { codeField: 'code', nameField: 'name' },
    );
    expect(empty.code).toBe('workspace.boundary-code-missing');
    expect(empty.details).toMatchObject({ feature: 2, field: 'code' });
    const malformed = await refusal(geoJsonFile([{ properties: { code: '9901', name: '甲县' }, coordinates: box(120, 36, 120.1, 36.1) }]), 'short.geojson', { codeField: 'code', nameField: 'name' });
    expect(malformed.code).toBe('workspace.boundary-code-invalid');
    expect(malformed.details).toMatchObject({ feature: 1, value: '9901' });
  });

  it('refuses duplicate codes, naming both features and the code', async () => {
    const error = await refusal(
      geoJsonFile([
        { properties: { code: 990101, name: '甲县' }, coordinates: box(120, 36, 120.1, 36.1) },
        { properties: { code: 990102, name: '乙县' }, coordinates: box(120.1, 36, 120.2, 36.1) },
        { properties: { code: 990101, name: '丙县' }, coordinates: box(120.2, 36, 120.3, 36.1) },
      ]),
      'duplicates.geojson',
    );
    expect(error.code).toBe('workspace.boundary-duplicate-code');
    expect(error.details).toMatchObject({ file: 'duplicates.geojson', feature: 3, first: 1, value: '990101' });
  });

  it('refuses an invalid polygon (a crossing ring), naming the county and where', async () => {
    const bowTie = [[[120, 36], [120.1, 36.1], [120.1, 36], [120, 36.1], [120, 36]]];
    const error = await refusal(
      geoJsonFile([
        { properties: { code: 990101, name: '甲县' }, coordinates: box(120.2, 36, 120.3, 36.1) },
        { properties: { code: 990102, name: '乙县' }, coordinates: bowTie },
      ]),
      'bow-tie.geojson',
    );
    expect(error.code).toBe('workspace.boundary-polygon-self-intersection');
    expect(error.details).toMatchObject({ feature: 2, name: '乙县', value: '990102' });
    expect(String(error.details.at)).toMatch(/^120\.05\d*, 36\.05\d*$/);
  });

  it('refuses a file in an unknown CRS: eastings without a zone and nothing naming it', async () => {
    // 6-digit Gauss-Krüger eastings, no crs member: any 3° zone of China could hold them.
    const error = await refusal(
      geoJsonFile([
        { properties: { code: 990101, name: '甲县' }, coordinates: box(500000, 4050000, 510000, 4060000) },
        { properties: { code: 990102, name: '乙县' }, coordinates: box(510000, 4050000, 520000, 4060000) },
      ]),
      'no-crs.geojson',
    );
    expect(error.code).toBe('workspace.boundary-crs-unknown');
    expect(error.details).toMatchObject({ file: 'no-crs.geojson' });
  });

  it('refuses a feature that is not a polygon and a missing name', async () => {
    const points = encoder.encode(JSON.stringify({ type: 'FeatureCollection', features: [{ type: 'Feature', properties: { code: 990101, name: '甲县' }, geometry: { type: 'Point', coordinates: [120, 36] } }] }));
    const error = await refusal(points, 'points.geojson', { codeField: 'code', nameField: 'name' });
    expect(error.code).toBe('workspace.boundary-not-polygon');
    const unnamed = await refusal(geoJsonFile([{ properties: { code: 990101, name: ' ' }, coordinates: box(120, 36, 120.1, 36.1) }]), 'unnamed.geojson', { codeField: 'code', nameField: 'name' });
    expect(unnamed.code).toBe('workspace.boundary-name-missing');
  });
});
