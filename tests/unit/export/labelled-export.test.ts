// Layer exports for people: Chinese column titles and labelled values by default, and the import
// wizard's automatic mapping turns such a file back into the layer's keys and codes — for CSV and
// Excel as written, and for a Shapefile whose titles were cut to 10 bytes.
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import layers from '../../../seeds/layers.json';
import { exportFeatures, importFile, type ExportFormat } from '../../../shared/io';
import { featureFromGeoJson, type Feature, type GeoJsonFeature, type LayerDefinition } from '../../../shared/model';
import { toExportFeature } from '../../../renderer/src/features/export/layer-export';
import { autoMapFields, buildImportFeatures } from '../../../renderer/src/features/import/mapping';

const definitions = ((layers as unknown as { layers?: LayerDefinition[] }).layers ?? (layers as unknown as LayerDefinition[])) as LayerDefinition[];
const wellsLayer = definitions.find((definition) => definition.id === 'wells')!;
const time = { createdAt: '2021-06-30T00:00:00.000Z', updatedAt: '2021-06-30T00:00:00.000Z' } as never;
const wells: Feature[] = (JSON.parse(readFileSync(new URL('../../../seeds/demo/wells-non-agricultural.geojson', import.meta.url), 'utf8')) as { features: GeoJsonFeature[] }).features
  .slice(0, 40)
  .map((feature) => featureFromGeoJson(feature, 'wells', time));

describe('labelled layer exports', () => {
  test('columns are the fields\' Chinese titles (units for numbers), values their labels; status, county and demo in Chinese too', () => {
    const well = { ...wells.find((candidate) => candidate.status !== 'registered')!, properties: { ...wells[0]!.properties, depthM: 120 } };
    const exported = toExportFeature(well, wellsLayer);
    expect(Object.keys(exported.properties!)).toEqual([
      '要素代码', '井名/用水单位', '取水井类别', '用途', '井深（米）', '开采层位', '替代水源', '计划封填日期', '替代水源接通日期', '封填日期', '验收日期', '备注', '关停状态', '县区代码', '示例数据',
    ]);
    const wellClass = wellsLayer.fields.find((field) => field.key === 'wellClass')!;
    expect(wellClass.type === 'enum' && wellClass.values.map((option) => option.label.zh)).toContain(exported.properties!['取水井类别']);
    expect(exported.properties!['取水井类别']).not.toMatch(/^[a-z-]+$/);
    expect(exported.properties!['关停状态']).toBe(wellsLayer.status.states.find((state) => state.value === well.status)!.label.zh);
    expect(exported.properties!['示例数据']).toBe('是');
    expect(exported.properties!['井深（米）']).toBe(120);
    expect(exported.properties!['县区代码']).toBe(well.county);
  });

  test.each<[ExportFormat, 'utf-8' | 'gbk']>([
    ['csv', 'utf-8'],
    ['xlsx', 'utf-8'],
    ['shapefile', 'utf-8'],
    ['shapefile', 'gbk'],
  ])('a labelled %s (%s) read back maps onto the wells layer by itself: every key, code and status as stored', async (format, encoding) => {
    const exported = wells.map((well) => toExportFeature(well, wellsLayer));
    const file = await exportFeatures(exported, format, { crs: 'EPSG:4527', encoding, name: 'wells' });
    const read = await importFile(file.fileName, file.bytes);
    const mapping = autoMapFields(read.fields, wellsLayer, read.features.features);
    const built = buildImportFeatures(read.features.features, wellsLayer, mapping);
    expect(built.problems).toEqual([]);
    expect(built.features).toHaveLength(wells.length);
    for (const [index, well] of wells.entries()) {
      const back = built.features[index]!;
      expect(back.id).toBe(well.id);
      expect(back.status, well.id).toBe(well.status);
      const stored = Object.fromEntries(Object.entries(well.properties).filter(([, value]) => value !== null));
      expect(back.properties, well.id).toEqual(stored);
    }
  });

  test('a labelled KML names each Placemark by the layer\'s display field under its title', async () => {
    const exported = wells.slice(0, 2).map((well) => toExportFeature(well, wellsLayer));
    const title = '井名/用水单位';
    const kml = new TextDecoder().decode((await exportFeatures(exported, 'kml', { name: 'wells', nameProperty: title })).bytes);
    expect(kml).toContain(`<Placemark id="${wells[0]!.id}"><name>${String(wells[0]!.properties.name)}</name>`);
  });
});
