import { describe, expect, test } from 'vitest';
import { exportFileName, localDate, safeFileName } from '../../../renderer/src/features/export/layer-export';
import { mapFileName } from '../../../renderer/src/features/map-export/layout';

const base = { layerName: '地下水取水井', date: '2021-06-30', demo: false, demoTag: '示例数据', filtered: false, filteredTag: '筛选' } as const;

describe('layer export file names', () => {
  test('layer, scope, date, demo marking, GBK; the extension of the format', () => {
    expect(exportFileName({ ...base, format: 'shapefile' })).toBe('地下水取水井_2021-06-30.zip');
    expect(exportFileName({ ...base, format: 'geopackage', demo: true })).toBe('地下水取水井_2021-06-30_示例数据.gpkg');
    expect(exportFileName({ ...base, format: 'csv', filtered: true, demo: true })).toBe('地下水取水井_筛选_2021-06-30_示例数据.csv');
    expect(exportFileName({ ...base, format: 'shapefile', encoding: 'gbk' })).toBe('地下水取水井_2021-06-30_GBK.zip');
    expect(exportFileName({ ...base, format: 'shapefile', encoding: 'utf-8' })).toBe('地下水取水井_2021-06-30.zip');
    // GBK only matters where the format takes an encoding.
    expect(exportFileName({ ...base, format: 'kml', encoding: 'gbk' })).toBe('地下水取水井_2021-06-30.kml');
    expect(exportFileName({ ...base, format: 'xlsx' })).toBe('地下水取水井_2021-06-30.xlsx');
    expect(exportFileName({ ...base, format: 'geojson', layerName: 'Groundwater wells', demoTag: 'demo', demo: true })).toBe('Groundwater wells_2021-06-30_demo.geojson');
  });

  test('characters Windows refuses become "_"; an empty or dot-led name gets a fallback', () => {
    expect(safeFileName('a/b\\c:d*e?f"g<h>i|j')).toBe('a_b_c_d_e_f_g_h_i_j');
    expect(safeFileName('line\nbreak')).toBe('line_break');
    expect(safeFileName('   ')).toBe('onemap');
    expect(safeFileName('..hidden')).toBe('hidden');
    expect(exportFileName({ ...base, format: 'kml', layerName: '农田/建设' })).toBe('农田_建设_2021-06-30.kml');
  });

  test('local date as YYYY-MM-DD', () => {
    expect(localDate(new Date(2021, 0, 5, 23, 59))).toBe('2021-01-05');
    expect(localDate(new Date(2021, 11, 31, 0, 1))).toBe('2021-12-31');
  });
});

describe('map export file names', () => {
  test('the title without the date it ends with, then the date', () => {
    expect(mapFileName('衡水市规划一张图 — 2021-06-30', '2021-06-30', 'png')).toBe('衡水市规划一张图_2021-06-30.png');
    expect(mapFileName('Hengshui OneMap — 2021-06-30', '2021-07-01', 'pdf')).toBe('Hengshui OneMap_2021-07-01.pdf');
    expect(mapFileName('桃城区 水井/封填 进展', '2021-06-30', 'pdf')).toBe('桃城区 水井_封填 进展_2021-06-30.pdf');
    expect(mapFileName('  ', '2021-06-30', 'png')).toBe('OneMap_2021-06-30.png');
  });
});
