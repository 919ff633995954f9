import { describe, expect, it } from 'vitest';
import type { Geometry } from '../../../shared/model/geometry';
import { farmlandAreaByCounty, rowsToCsv, villagesBySewageStatus, wellsInsideFarmland, wellsNearVillages, type OverlayFeature } from '../../../shared/analysis/overlays';
import { geodesicAreaMu } from '../../../shared/geo/geodesic-area';
import { hengshuiTargets2021 } from '../../../seeds/index';
import { deepFreeze } from '../geo/deep-freeze';
import { meridianRadius, primeVerticalRadius } from '../geo/ellipsoid-reference';

const radians = Math.PI / 180;
function offset([longitude, latitude]: readonly number[], east: number, north: number): [number, number] {
  return [
    (longitude as number) + east / (primeVerticalRadius(latitude as number) * Math.cos((latitude as number) * radians) * radians),
    (latitude as number) + north / (meridianRadius(latitude as number) * radians),
  ];
}
const origin: [number, number] = [115.9, 37.6];
const rectangle = (east: number, north: number, width: number, height: number): Geometry => ({
  type: 'Polygon',
  coordinates: [[offset(origin, east, north), offset(origin, east + width, north), offset(origin, east + width, north + height), offset(origin, east, north + height), offset(origin, east, north)]],
});
const at = (east: number, north: number): Geometry => ({ type: 'Point', coordinates: offset(origin, east, north) });
const fact = (id: string, geometry: Geometry, properties: OverlayFeature['properties'] = {}, status = 'registered', county: number | null = 131121): OverlayFeature => ({ id, geometry, properties, status, county });

const farmland = deepFreeze([
  fact('FL-1', rectangle(0, 0, 1000, 1000), { name: '一号田', projectType: 'high-standard', planYear: 2021 }, 'completed'),
  fact('FL-2', rectangle(500, 500, 1000, 1000), { name: '二号田', projectType: 'high-standard', planYear: 2021 }, 'planned'),
  fact('FL-3', rectangle(5000, 0, 600, 600), { name: '三号田', projectType: 'high-standard', planYear: 2021 }, 'accepted', 131122),
  fact('SA-1', rectangle(-4000, 0, 800, 800), { name: '片区', projectType: 'structure-adjustment', planYear: 2021 }, 'completed'),
]);
const wells = deepFreeze([
  fact('W-1', at(100, 100), { name: '甲井', wellClass: 'agricultural' }),
  fact('W-2', at(700, 700), { name: '乙井', wellClass: 'agricultural' }, 'scheduled'),
  fact('W-3', at(1200, 1200), { name: '丙井', wellClass: 'agricultural' }),
  fact('W-4', at(3000, 3000), { name: '丁井', wellClass: 'non-agricultural' }),
  fact('W-5', at(5300, 300), { wellClass: 'agricultural' }, 'sealed', 131122),
]);
const villages = deepFreeze([
  fact('V-1', at(3000, 3400), { name: '王庄村', township: '甲镇', townshipCode: '131121100', sewageTarget2021: true }, 'treated'),
  fact('V-2', at(3000, 2700), { name: '李庄村', township: '甲镇', townshipCode: '131121100', sewageTarget2021: false }, 'untreated'),
  fact('V-3', at(100, 1300), { name: '张庄村', township: '乙乡', townshipCode: '131121200', sewageTarget2021: true }, 'planned'),
  fact('V-4', at(5300, 600), { name: '赵村', township: '丙镇', townshipCode: '131122100', sewageTarget2021: false }, 'untreated', 131122),
  fact('V-5', at(-100, 1300), { name: '刘村', township: null, sewageTarget2021: false }, 'untreated'),
]);

describe('wellsInsideFarmland', () => {
  it('lists each well inside a farmland polygon once, with the first polygon in order', () => {
    expect(wellsInsideFarmland(wells, farmland).map((row) => [row.wellId, row.farmlandId, row.farmlandName, row.wellStatus])).toEqual([
      ['W-1', 'FL-1', '一号田', 'registered'],
      ['W-2', 'FL-1', '一号田', 'scheduled'],
      ['W-3', 'FL-2', '二号田', 'registered'],
      ['W-5', 'FL-3', '三号田', 'sealed'],
    ]);
  });
});

describe('wellsNearVillages', () => {
  it('gives each well within the distance its nearest village and the geodesic distance', () => {
    const rows = wellsNearVillages(wells, villages, 350);
    expect(rows.map((row) => [row.wellId, row.villageId, row.villageName, row.township])).toEqual([
      ['W-4', 'V-2', '李庄村', '甲镇'],
      ['W-5', 'V-4', '赵村', '丙镇'],
    ]);
    expect(rows[0]!.distanceMeters).toBeCloseTo(300, 0);
    expect(wellsNearVillages(wells, villages, 299).map((row) => row.wellId)).toEqual([]);
    expect(wellsNearVillages(wells, villages, 1150).map((row) => [row.wellId, row.villageId])).toEqual([
      ['W-2', 'V-3'],
      ['W-3', 'V-3'],
      ['W-4', 'V-2'],
      ['W-5', 'V-4'],
    ]);
    expect(() => wellsNearVillages(wells, villages, -1)).toThrow(RangeError);
  });
});

describe('farmlandAreaByCounty', () => {
  const target = hengshuiTargets2021.find((candidate) => candidate.id === 'high-standard-farmland-2021')!;
  it('sums the geodesic mu of the target scope per county, done against the county share, with a total row', () => {
    const rows = farmlandAreaByCounty(target, farmland, [131121, 131122, 131123], new Map([[131121, 2000], [131122, 1000]]));
    const mu = (id: string) => geodesicAreaMu(farmland.find((feature) => feature.id === id)!.geometry);
    expect(rows.map((row) => row.county)).toEqual([131121, 131122, 131123, 'total']);
    expect(rows[0]!.mappedMu).toBeCloseTo(mu('FL-1') + mu('FL-2'), 6);
    expect(rows[0]!.doneMu).toBeCloseTo(mu('FL-1'), 6);
    expect(rows[0]!.targetMu).toBe(2000);
    expect(rows[0]!.donePercentOfTarget).toBeCloseTo((mu('FL-1') / 2000) * 100, 6);
    expect(rows[0]!.projects).toBe(2);
    expect(rows[1]).toMatchObject({ targetMu: 1000, projects: 1, projectsDone: 1 });
    expect(rows[2]).toMatchObject({ mappedMu: 0, doneMu: 0, targetMu: null, donePercentOfTarget: null });
    expect(rows[3]).toMatchObject({ targetMu: 400_000, projects: 3, projectsDone: 2 });
    expect(rows[3]!.doneMu).toBeCloseTo(mu('FL-1') + mu('FL-3'), 6);
  });

  it('rejects a target not measured in mu', () => {
    const countTarget = hengshuiTargets2021.find((candidate) => candidate.metric.kind === 'count')!;
    expect(() => farmlandAreaByCounty(countTarget, farmland, [131121])).toThrow(/mu/);
  });
});

describe('villagesBySewageStatus', () => {
  it('counts villages per township and status in workflow order, with the 2021 targets', () => {
    const rows = villagesBySewageStatus(villages, ['untreated', 'planned', 'under-construction', 'treated']);
    expect(rows.map((row) => [row.county, row.townshipCode, row.township, row.villages, row.sewageTargets2021, row.byStatus])).toEqual([
      [131121, '131121100', '甲镇', 2, 1, { untreated: 1, planned: 0, 'under-construction': 0, treated: 1 }],
      [131121, '131121200', '乙乡', 1, 1, { untreated: 0, planned: 1, 'under-construction': 0, treated: 0 }],
      [131121, null, null, 1, 0, { untreated: 1, planned: 0, 'under-construction': 0, treated: 0 }],
      [131122, '131122100', '丙镇', 1, 0, { untreated: 1, planned: 0, 'under-construction': 0, treated: 0 }],
    ]);
    expect(Object.keys(rows[0]!.byStatus)).toEqual(['untreated', 'planned', 'under-construction', 'treated']);
  });
});

describe('rowsToCsv', () => {
  it('writes a BOM, a header, CRLF lines and RFC 4180 quoting', () => {
    const rows = deepFreeze([
      { name: '王庄村', note: 'a, "b"', count: 3, share: 0.5, empty: null },
      { name: 'line\nbreak', note: ' padded', count: -2, share: Number.NaN, empty: undefined },
    ]);
    const csv = rowsToCsv(rows, [
      { header: '名称', key: 'name' },
      { header: 'note', key: 'note' },
      { header: 'count', key: 'count' },
      { header: 'percent', value: (row) => (Number.isFinite(row.share) ? row.share * 100 : null) },
      { header: 'empty', key: 'empty' },
    ]);
    expect(csv).toBe('\uFEFF名称,note,count,percent,empty\r\n王庄村,"a, ""b""",3,50,\r\n"line\nbreak"," padded",-2,,\r\n');
  });

  it('keeps Excel from running text as a formula, but leaves negative numbers alone', () => {
    const csv = rowsToCsv([{ text: '=HYPERLINK("x")', minus: '-1+2', number: -5 }], [
      { header: 'text', key: 'text' },
      { header: 'minus', key: 'minus' },
      { header: 'number', key: 'number' },
    ]);
    expect(csv.split('\r\n')[1]).toBe(`"'=HYPERLINK(""x"")",'-1+2,-5`);
  });

  it('exports an overlay table', () => {
    const csv = rowsToCsv(wellsInsideFarmland(wells, farmland), [
      { header: '井编号', key: 'wellId' },
      { header: '井名', key: 'wellName' },
      { header: '农田项目', key: 'farmlandName' },
    ]);
    expect(csv.split('\r\n')).toEqual(['\uFEFF井编号,井名,农田项目', 'W-1,甲井,一号田', 'W-2,乙井,一号田', 'W-3,丙井,二号田', 'W-5,,三号田', '']);
  });
});
