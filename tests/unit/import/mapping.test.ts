// The import wizard's pure parts: field auto-mapping, value conversion, type inference, a new layer
// from the data, remembered mappings. The wells layer is the real one (seeds/layers.json); the
// features are what shared/io reads from the committed fixtures.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { importFile } from '../../../shared/io';
import { layerDefinitionSchema, type GeoJsonFeature, type LayerDefinition } from '../../../shared/model';
import hengshuiLayers from '../../../seeds/layers.json';
import {
  autoMapFields,
  buildImportFeatures,
  convertValue,
  dominantGeometryType,
  fieldKeyFor,
  inferFieldType,
  inferNewLayer,
  mappingMemoryKey,
  normalizeDate,
  recallMapping,
  rememberMapping,
  unmappedColumns,
  type FieldMapping,
} from '../../../renderer/src/features/import/mapping';

const layers = hengshuiLayers as unknown as LayerDefinition[];
const wells = layers.find((layer) => layer.id === 'wells')!;
const villages = layers.find((layer) => layer.id === 'villages')!;
const fixtures = path.resolve('tests/fixtures/io');
const read = async (name: string) => importFile(name, new Uint8Array(readFileSync(path.join(fixtures, name))));

const point = (properties: GeoJsonFeature['properties'], id?: string): GeoJsonFeature => ({
  type: 'Feature',
  ...(id === undefined ? {} : { id }),
  properties,
  geometry: { type: 'Point', coordinates: [115.7, 37.7] },
});

class MemoryStorage {
  readonly items = new Map<string, string>();
  getItem(key: string) {
    return this.items.get(key) ?? null;
  }
  setItem(key: string, value: string) {
    this.items.set(key, value);
  }
}

describe('autoMapFields', () => {
  it('maps the Excel well register to the wells layer by label, label part and label + unit; 井编号 becomes the id', async () => {
    const result = await read('wells-zone39.xlsx');
    const mapping = autoMapFields(result.fields, wells, result.features.features);
    expect(mapping.fields.name).toEqual({ kind: 'column', column: '井名' });
    expect(mapping.fields.depthM).toEqual({ kind: 'column', column: '井深米' });
    expect(mapping.fields.wellClass).toEqual({ kind: 'none' });
    expect(mapping.idColumn).toBe('井编号');
    // 状态 holds 在用/已封停, which are not states of the wells workflow: not mapped.
    expect(mapping.statusColumn).toBeNull();
    expect(unmappedColumns(result.fields, mapping)).toEqual(['乡镇', '状态']);
  });

  it('matches keys and English labels ignoring case, spaces and punctuation, and uses each column once', () => {
    const mapping = autoMapFields(['Name', 'NAME ', 'Depth (m)', 'Aquifer'], wells, [point({ Name: 'a', 'NAME ': 'b', 'Depth (m)': 12, Aquifer: '深层承压水' })]);
    expect(mapping.fields.name).toEqual({ kind: 'column', column: 'Name' });
    expect(mapping.fields.depthM).toEqual({ kind: 'column', column: 'Depth (m)' });
    expect(mapping.fields.aquifer).toEqual({ kind: 'column', column: 'Aquifer' });
  });

  it('does not map a column whose values do not convert to the field type', () => {
    const mapping = autoMapFields(['井深'], wells, [point({ 井深: '很深' })]);
    expect(mapping.fields.depthM).toEqual({ kind: 'none' });
  });

  it('maps a status column only when every value names a state (value or label)', () => {
    const good = autoMapFields(['状态'], wells, [point({ 状态: '已封填' }), point({ 状态: 'scheduled' }), point({ 状态: null })]);
    expect(good.statusColumn).toBe('状态');
    const bad = autoMapFields(['状态'], wells, [point({ 状态: '已封填' }), point({ 状态: '在用' })]);
    expect(bad.statusColumn).toBeNull();
  });

  it('takes an id column only when its values are present and unique', () => {
    expect(autoMapFields(['编号'], wells, [point({ 编号: 'A' }), point({ 编号: 'A' })]).idColumn).toBeNull();
    expect(autoMapFields(['编号'], wells, [point({ 编号: 'A' }), point({ 编号: '' })]).idColumn).toBeNull();
    expect(autoMapFields(['编号'], wells, [point({ 编号: 'A' }), point({ 编号: 'B' })]).idColumn).toBe('编号');
  });
});

describe('convertValue', () => {
  const field = (key: string) => wells.fields.find((candidate) => candidate.key === key)!;
  it('converts to each field type and names what does not fit', () => {
    expect(convertValue(field('depthM'), '１２０．５')).toEqual({ ok: true, value: 120.5 });
    expect(convertValue(field('depthM'), 120)).toEqual({ ok: true, value: 120 });
    expect(convertValue(field('depthM'), 2001)).toEqual({ ok: false, problem: { code: 'above-maximum', maximum: 2000 } });
    expect(convertValue(field('depthM'), 'deep')).toEqual({ ok: false, problem: { code: 'not-a-number' } });
    expect(convertValue(field('wellClass'), '农业灌溉取水井')).toEqual({ ok: true, value: 'agricultural' });
    expect(convertValue(field('wellClass'), 'Non-agricultural well')).toEqual({ ok: true, value: 'non-agricultural' });
    expect(convertValue(field('wellClass'), '其他')).toEqual({ ok: false, problem: { code: 'not-an-option' } });
    expect(convertValue(field('wellClass'), null)).toEqual({ ok: false, problem: { code: 'required' } });
    expect(convertValue(field('plannedDate'), '2021/6/30')).toEqual({ ok: true, value: '2021-06-30' });
    expect(convertValue(field('plannedDate'), '2021年6月3日')).toEqual({ ok: true, value: '2021-06-03' });
    expect(convertValue(field('plannedDate'), '2021-02-30')).toEqual({ ok: false, problem: { code: 'not-a-date' } });
    expect(convertValue(field('name'), 42)).toEqual({ ok: true, value: '42' });
    expect(convertValue(field('name'), '  ')).toEqual({ ok: true, value: null });
    const sewage = villages.fields.find((candidate) => candidate.key === 'sewageTarget2021')!;
    expect(convertValue(sewage, '是')).toEqual({ ok: true, value: true });
    expect(convertValue(sewage, 0)).toEqual({ ok: true, value: false });
    expect(convertValue(sewage, '也许')).toEqual({ ok: false, problem: { code: 'not-an-option' } });
  });

  it('normalizes the usual spellings of a date', () => {
    expect(['2021-6-30', '2021.06.30', '20210630', '2021-06-30T00:00:00Z'].map(normalizeDate)).toEqual(['2021-06-30', '2021-06-30', '2021-06-30', '2021-06-30']);
    expect(['30/06/2021', '2021-13-01', 'soon'].map(normalizeDate)).toEqual([null, null, null]);
  });
});

describe('buildImportFeatures', () => {
  const mapping: FieldMapping = {
    fields: {
      name: { kind: 'column', column: '井名' },
      depthM: { kind: 'column', column: '井深' },
      wellClass: { kind: 'constant', value: 'non-agricultural' },
      useType: { kind: 'constant', value: '工业' },
    },
    idColumn: '编号',
    statusColumn: '状态',
  };

  it('converts every mapped value, takes ids and statuses, and skips geometry kinds the layer cannot hold', () => {
    const polygon: GeoJsonFeature = { type: 'Feature', properties: { 井名: 'x' }, geometry: { type: 'Polygon', coordinates: [[[115, 37], [115.1, 37], [115.1, 37.1], [115, 37]]] } };
    const built = buildImportFeatures([point({ 编号: 'A-1', 井名: '一号井', 井深: '80', 状态: '已排期' }), polygon, point({ 编号: 'A-2', 井名: '二号井', 井深: null, 状态: '' })], wells, mapping);
    expect(built.problems).toEqual([]);
    expect(built.skipped).toEqual([{ sourceIndex: 1, reason: 'geometry-kind', geometryType: 'Polygon' }]);
    expect(built.features).toEqual([
      { id: 'A-1', geometry: { type: 'Point', coordinates: [115.7, 37.7] }, properties: { name: '一号井', depthM: 80, wellClass: 'non-agricultural', useType: 'industrial' }, status: 'scheduled', sourceIndex: 0 },
      { id: 'A-2', geometry: { type: 'Point', coordinates: [115.7, 37.7] }, properties: { name: '二号井', wellClass: 'non-agricultural', useType: 'industrial' }, sourceIndex: 2 },
    ]);
  });

  it('names each value that does not fit, by source feature, field and column', () => {
    const built = buildImportFeatures(
      [point({ 编号: 'A-1', 井名: 'ok', 井深: 10 }), point({ 编号: '', 井名: 'ok', 井深: '深' }), point({ 编号: 'A-3', 井名: 'ok', 井深: 1, 状态: '在用' })],
      wells,
      mapping,
    );
    expect(built.problemCount).toBe(3);
    expect(built.problems).toEqual([
      { sourceIndex: 1, field: 'depthM', column: '井深', value: '深', problem: { code: 'not-a-number' } },
      { sourceIndex: 1, field: 'id', column: '编号', value: '', problem: { code: 'empty-id' } },
      { sourceIndex: 2, field: 'status', column: '状态', value: '在用', problem: { code: 'unknown-status' } },
    ]);
  });

  it('reports a required field with no source on every feature', () => {
    const built = buildImportFeatures([point({ 井名: 'a' }), point({ 井名: 'b' })], wells, { fields: { name: { kind: 'column', column: '井名' } }, idColumn: null, statusColumn: null }, { maxProblems: 3 });
    expect(built.problemCount).toBe(4);
    expect(built.problems.map((problem) => `${problem.sourceIndex}:${problem.field}`)).toEqual(['0:wellClass', '0:useType', '1:wellClass']);
  });

  it("keeps the file's own feature ids when no id column is chosen", () => {
    const built = buildImportFeatures([point({}, 'W-9')], wells, { fields: { wellClass: { kind: 'constant', value: 'agricultural' }, useType: { kind: 'constant', value: 'irrigation' } }, idColumn: null, statusColumn: null });
    expect(built.features[0]?.id).toBe('W-9');
  });
});

describe('a new layer from an import', () => {
  it('infers the narrowest type every value fits', () => {
    expect(inferFieldType([1, 2, null, ''])).toBe('integer');
    expect(inferFieldType([1, 2.5])).toBe('number');
    expect(inferFieldType([true, false, null])).toBe('boolean');
    expect(inferFieldType(['2021-06-30', '2021/7/1'])).toBe('date');
    expect(inferFieldType([1, 'a'])).toBe('string');
    expect(inferFieldType(['1', '2'])).toBe('string');
    expect(inferFieldType([null, undefined])).toBe('string');
  });

  it('makes camelCase ASCII keys, field<n> for Chinese names, never a reserved or repeated key', () => {
    const taken = new Set<string>();
    expect(['村名', 'POP_2020', 'status', 'Pop 2020', '1st'].map((column, index) => fieldKeyFor(column, index, taken))).toEqual(['field1', 'pop2020', 'statusValue', 'pop20202', 'f1st']);
  });

  it('builds a valid layer definition from the GBK village Shapefile: polygon, one field per column, typed, 村名 displayed', async () => {
    const result = await read('villages-gbk-no-cpg.zip');
    const { layer, mapping } = inferNewLayer({ name: result.layerName ?? 'villages', columns: result.fields, features: result.features.features, existingLayerIds: ['wells', 'import-1'] });
    expect(layerDefinitionSchema.safeParse(layer).success).toBe(true);
    expect(layer.id).toBe('import-2');
    expect(layer.geometryType).toBe('Polygon');
    expect(layer.fields.map((field) => [field.label.zh, field.type, field.required])).toEqual([
      ['村名', 'string', false],
      ['乡镇', 'string', false],
      ['户数', 'integer', false],
      ['人口', 'integer', false],
      ['备注', 'string', false],
    ]);
    expect(layer.displayField).toBe(layer.fields[0]?.key);
    const built = buildImportFeatures(result.features.features, layer, mapping);
    expect(built.problems).toEqual([]);
    expect(built.features.map((feature) => feature.properties[layer.fields[0]!.key])).toContain('北王庄村');
  });

  it('years and codes among whole-number columns are shown without thousands separators; counts keep them', () => {
    const features = [point({ 建设年度: 2021, 行政区划代码: 131102, Year: 2020, 人口: 12500 }), point({ 建设年度: 2022, 行政区划代码: 131121, Year: 2021, 人口: 830 })];
    const { layer } = inferNewLayer({ name: 'plans', columns: ['建设年度', '行政区划代码', 'Year', '人口'], features, existingLayerIds: [] });
    expect(layerDefinitionSchema.safeParse(layer).success).toBe(true);
    expect(layer.fields.map((field) => [field.label.zh, field.type === 'integer' ? (field.format?.grouping ?? true) : null])).toEqual([
      ['建设年度', false],
      ['行政区划代码', false],
      ['Year', false],
      ['人口', true],
    ]);
  });

  it('takes the geometry kind most features fit', () => {
    const line: GeoJsonFeature = { type: 'Feature', properties: {}, geometry: { type: 'MultiLineString', coordinates: [[[115, 37], [115.1, 37]]] } };
    expect(dominantGeometryType([line, line, point({})])).toBe('LineString');
    expect(dominantGeometryType([])).toBeNull();
  });
});

describe('remembered mappings', () => {
  it('are kept per file name and column set, and only what still fits the layer comes back', () => {
    const storage = new MemoryStorage();
    const mapping: FieldMapping = {
      fields: { name: { kind: 'column', column: '井名' }, wellClass: { kind: 'constant', value: 'agricultural' }, depthM: { kind: 'column', column: 'gone' } },
      idColumn: '井编号',
      statusColumn: null,
    };
    rememberMapping(storage, 'wells.xlsx', ['井名', '井编号', '井深'], { layerId: 'wells', mapping });
    expect(mappingMemoryKey('wells.xlsx', ['井深', '井编号', '井名'])).toBe(mappingMemoryKey('wells.xlsx', ['井名', '井编号', '井深']));
    const recalled = recallMapping(storage, 'wells.xlsx', ['井深', '井名', '井编号'], wells);
    expect(recalled?.fields.name).toEqual({ kind: 'column', column: '井名' });
    expect(recalled?.fields.wellClass).toEqual({ kind: 'constant', value: 'agricultural' });
    expect(recalled?.fields.depthM).toEqual({ kind: 'none' });
    expect(recalled?.idColumn).toBe('井编号');
    expect(recallMapping(storage, 'wells.xlsx', ['井名'], wells)).toBeNull();
    expect(recallMapping(storage, 'other.xlsx', ['井深', '井名', '井编号'], wells)).toBeNull();
    expect(recallMapping(storage, 'wells.xlsx', ['井深', '井名', '井编号'], villages)).toBeNull();
  });
});
