// Registers as offices keep them: a title and a note line (naming the CRS) above the header, a
// header of one or two rows, a 合计 row and a signature line after the data. Made by
// tests/fixtures/io/make-register.mjs (write-excel-file, real merged cells).
import { describe, expect, test } from 'vitest';
import { gaussKrugerCode } from '../../../shared/crs';
import { ImportError, importFile } from '../../../shared/io';
import { crsFromNote } from '../../../shared/io/formats/table-layout';
import expected from '../../fixtures/io/expected.json';
import { hengshuiWorkspace } from '../../../seeds/workspace';
import { fixture, metres } from './helpers';

const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);
/** CGCS2000 3° CM 117°E without the zone prefix: what the register's un-prefixed eastings are in. */
const ZONE_39_PLAIN = gaussKrugerCode({ zoneWidthDegrees: 3, centralMeridian: 117, zonePrefix: false })!;

async function rejection(promise: Promise<unknown>): Promise<ImportError> {
  const error = await promise.then(
    () => null,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(ImportError);
  return error as ImportError;
}

function expectWellsAtTheirPlaces(result: Awaited<ReturnType<typeof importFile>>): void {
  expect(result.features.features).toHaveLength(expected.wells.length);
  for (const well of expected.wells) {
    const feature = result.features.features.find((candidate) => candidate.properties?.['编号'] === well.id);
    expect(feature, well.id).toBeDefined();
    expect(feature!.properties?.['名称']).toBe(well.name);
    expect(metres(feature!.geometry.coordinates as number[], well.lonLat), well.id).toBeLessThan(0.1);
  }
}

describe('registers with a title block', () => {
  test('the Excel register: header found on row 3, title/note and total/signature rows listed not imported, the 坐标系 line decides the zone', async () => {
    const result = await importFile('well-register-2021.xlsx', fixture('well-register-2021.xlsx'));
    expect(result.table?.headerRow).toBe(3);
    expect(result.table?.headerRowCount).toBe(1);
    expect(result.table?.coordinateColumns).toEqual(['X坐标', 'Y坐标']);
    expect(result.fields).toEqual(['序号', '编号', '名称', '类型', '县区', '井深（米）', '关停状态']);
    expect(result.table?.skippedRows).toEqual([
      { row: 1, place: 'above-header', text: '衡水市2021年非农业取水井关停台账' },
      { row: 2, place: 'above-header', text: '填报单位：衡水市水务局    坐标系：CGCS2000 3度带 第39带    填报日期：2021年6月30日' },
      { row: 10, place: 'below-data', text: '合计 6眼' },
      { row: 11, place: 'below-data', text: '审核人：王建国    制表人：李晓明' },
    ]);
    expect(result.table?.crsNote).toMatchObject({ row: 2, crs: ZONE_39_PLAIN });
    expect(result.sourceCrs).toBe(ZONE_39_PLAIN);
    expect(result.sourceAxisOrder).toBe('yx');
    // The note said the zone: it was not guessed from the workspace, and nothing was skipped as a row without coordinates.
    const codes = result.warnings.map((warning) => warning.code);
    expect(codes).not.toContain('zone-inferred-from-workspace');
    expect(codes).not.toContain('feature-without-geometry');
    expectWellsAtTheirPlaces(result);
  });

  test('the same rows with the header on row 1 import to the same places (zone inferred from the workspace)', async () => {
    const csv = [
      '序号,编号,名称,类型,县区,X坐标,Y坐标,井深（米）,关停状态',
      '1,JS-001,北王庄1号井,非农业取水井,桃城区,4182882.134,385840.202,120,已登记',
      '2,JS-002,北王庄2号井,非农业取水井,桃城区,4182242.939,387109.289,150,已封填',
      '3,JS-003,大刘庄机井,农业灌溉取水井,冀州区,4161814.793,377013.919,95.5,已登记',
      '4,JS-004,西关深井,非农业取水井,武邑县,4187863.167,402536.815,300,已排期',
      '5,JS-005,东辛庄灌溉井,农业灌溉取水井,深州市,4210574.977,374973.447,80,已封填',
      '6,JS-006,小营村饮水井,非农业取水井,景县,4173566.862,436523.174,210,已登记',
    ].join('\n');
    const result = await importFile('register.csv', utf8(csv), { workspaceBounds: hengshuiWorkspace.extent });
    expect(result.table?.headerRow).toBe(1);
    expect(result.table?.skippedRows).toEqual([]);
    expect(result.sourceCrs).toBe(ZONE_39_PLAIN);
    expect(result.warnings.map((warning) => warning.code)).toContain('zone-inferred-from-workspace');
    expectWellsAtTheirPlaces(result);
  });

  test('a two-row header (坐标 merged over X and Y) is read as one: columns 坐标X and 坐标Y', async () => {
    const result = await importFile('well-register-2021-two-row-header.xlsx', fixture('well-register-2021-two-row-header.xlsx'));
    expect(result.table?.headerRow).toBe(3);
    expect(result.table?.headerRowCount).toBe(2);
    expect(result.table?.coordinateColumns).toEqual(['坐标X', '坐标Y']);
    expect(result.fields).toEqual(['序号', '编号', '名称', '类型', '县区', '井深（米）', '关停状态']);
    expect(result.table?.skippedRows.map((row) => row.row)).toEqual([1, 2, 11, 12]);
    expectWellsAtTheirPlaces(result);
  });

  test('a .txt table (tabs) with a title line and unknown column names: the error offers the header and the rows; the chosen header row and columns read it', async () => {
    const text = ['监测点位表', '点号\t点名\t横向\t纵向', 'P1\t北王庄\t39385840.202\t4182882.134', 'P2\t西关\t39402536.815\t4187863.167'].join('\r\n');
    const error = await rejection(importFile('points.txt', utf8(text)));
    expect(error.code).toBe('coordinate-columns-not-found');
    expect(error.details).toMatchObject({ header: ['点号', '点名', '横向', '纵向'], headerRow: 2, rows: [{ row: 1, text: '监测点位表' }, { row: 2 }, { row: 3 }, { row: 4 }] });
    const result = await importFile('points.txt', utf8(text), { headerRow: 2, columns: { x: '横向', y: '纵向' } });
    expect(result.sourceCrs).toBe('EPSG:4527');
    expect(result.features.features).toHaveLength(2);
    expect(metres(result.features.features[0]!.geometry.coordinates as number[], expected.wells[0]!.lonLat)).toBeLessThan(0.1);
    expect(result.table?.skippedRows).toEqual([{ row: 1, place: 'above-header', text: '监测点位表' }]);
  });

  test('after the data, only rows starting with 合计/审核人… or without coordinates are left out: a last well noted "注：…" stays', async () => {
    const csv = utf8('名称,经度,纬度,备注\n甲,115.7,37.7,\n乙,115.8,37.8,注：待核实\n合计,,,2处\n');
    const result = await importFile('a.csv', csv);
    expect(result.features.features.map((feature) => feature.properties?.['名称'])).toEqual(['甲', '乙']);
    expect(result.table?.skippedRows).toEqual([{ row: 4, place: 'below-data', text: '合计 2处' }]);
  });

  test('a header row that is empty or past the end is refused naming the row', async () => {
    const csv = utf8('名称,经度,纬度\n甲,115.7,37.7\n');
    const past = await rejection(importFile('a.csv', csv, { headerRow: 9 }));
    expect(past.code).toBe('header-row-invalid');
    expect(past.location.row).toBe(9);
  });

  test('a 坐标系 line that contradicts the values is overruled by them, with a warning naming the line', async () => {
    const csv = utf8('坐标系：CGCS2000 3度带 第38带\nX坐标,Y坐标,名称\n4182882.134,39385840.202,甲\n');
    const result = await importFile('a.csv', csv);
    expect(result.sourceCrs).toBe('EPSG:4527');
    const warning = result.warnings.find((candidate) => candidate.code === 'file-crs-mismatch');
    expect(warning?.zh).toContain('第 1 行的坐标系说明');
  });

  test('坐标系 notes: zone, central meridian, 6° zones, WGS84, and nothing for a note without one', () => {
    expect(crsFromNote('坐标系：CGCS2000 3度带 第39带', 4_000_000)).toBe(ZONE_39_PLAIN);
    expect(crsFromNote('坐标系：CGCS2000 3度带 第39带', 39_400_000)).toBe('EPSG:4527');
    expect(crsFromNote('坐标系统：2000国家大地坐标系，中央经线117°', 4_000_000)).toBe(ZONE_39_PLAIN);
    expect(crsFromNote('坐标系：CGCS2000 6度带 第20带', 20_400_000)).toBe(gaussKrugerCode({ zoneWidthDegrees: 6, centralMeridian: 117, zonePrefix: true }));
    expect(crsFromNote('坐标系：WGS84', 116)).toBe('EPSG:4326');
    expect(crsFromNote('填报单位：衡水市水务局', 4_000_000)).toBeNull();
  });
});
