// The one value formatter (issue 13 items 4–6): every stored value as its field shows it.
import { describe, expect, it } from 'vitest';
import layersJson from '../../../seeds/layers.json';
import {
  deviceTag,
  featureCodeOf,
  featureNameOf,
  formatFeatureValue,
  formatFieldValue,
  layerDefinitionListSchema,
  layerDefinitionSchema,
  makeFeatureCode,
  type LayerDefinition,
  type ValueFormatOptions,
} from '../../../shared/model';
import { inspectionLayerInput } from './fixtures';

const layers = layerDefinitionListSchema.parse(layersJson);
const layer = (id: string): LayerDefinition => layers.find((candidate) => candidate.id === id)!;
const wells = layer('wells');
const field = (layerId: string, key: string) => layer(layerId).fields.find((candidate) => candidate.key === key)!;
const counties: Record<number, { zh: string; en: string }> = { 131123: { zh: '武强县', en: 'Wuqiang County' } };
const zh: ValueFormatOptions = { language: 'zh-CN', countyName: (adcode) => counties[adcode]?.zh, timeZone: 'Asia/Shanghai' };
const en: ValueFormatOptions = { language: 'en', countyName: (adcode) => counties[adcode]?.en, timeZone: 'Asia/Shanghai' };

describe('formatFeatureValue: the conflict review and history show labels, never raw values', () => {
  // The values of the screenshot docs/screens/conflict-review-raw-codes.png.
  const cases: [string, unknown, string, string][] = [
    ['county', 131123, '武强县', 'Wuqiang County'],
    ['county', null, '不在任何县区内', 'Outside every county'],
    ['demo', true, '是', 'Yes'],
    ['demo', false, '否', 'No'],
    ['createdAt', '2026-12-06T16:57:01.289Z', '2026/12/07 00:57:01', '12/07/2026, 00:57:01'],
    ['status', 'substitute-connected', '已接通引江水', 'Substitute source connected (Yangtze water)'],
    ['properties.aquifer', 'deep', '深层承压水', 'Deep confined groundwater'],
    ['properties.substituteSource', 'yangtze-diversion', '引江水', 'Diverted Yangtze water'],
    ['properties.useType', 'commercial-service', '商业服务业', 'Commercial / service'],
    ['properties.wellClass', 'non-agricultural', '非农业取水井', 'Non-agricultural well'],
    ['properties.depthM', 1234.5, '1,234.5 米', '1,234.5 m'],
    ['properties.plannedDate', '2021-03-14', '2021-03-14', '2021-03-14'],
    ['properties.note', undefined, '—', '—'],
  ];
  it.each(cases)('%s = %j', (member, value, chinese, english) => {
    expect(formatFeatureValue(wells, member, value, zh)).toBe(chinese);
    expect(formatFeatureValue(wells, member, value, en)).toBe(english);
  });

  it('a county it does not know stays its code; a property the layer does not define is still no raw boolean', () => {
    expect(formatFeatureValue(wells, 'county', 999999, zh)).toBe('999999');
    expect(formatFeatureValue(wells, 'properties.unknownFlag', true, zh)).toBe('是');
  });
});

describe('numbers follow the field format (item 6)', () => {
  it('a programme year has no thousands separator; counts and depths keep theirs', () => {
    for (const layerId of ['pocket-parks', 'farmland', 'rural-roads', 'urban-projects']) {
      expect(formatFieldValue(field(layerId, 'planYear'), 2021, zh)).toBe('2021');
      expect(formatFieldValue(field(layerId, 'planYear'), 2021, en)).toBe('2021');
    }
    expect(formatFieldValue(field('residential-blocks', 'population'), 12500, en)).toBe('12,500 persons');
  });

  it('the format is optional and checked: old definitions still load, a bad one is refused', () => {
    const planYear = field('pocket-parks', 'planYear');
    expect(planYear.type === 'integer' && formatFieldValue({ ...planYear, format: undefined }, 2021, en)).toBe('2,021');
    const bad = { ...inspectionLayerInput, fields: inspectionLayerInput.fields.map((candidate) => (candidate.key === 'visits' ? { ...candidate, format: { grouping: 'no' } } : candidate)) };
    expect(layerDefinitionSchema.safeParse(bad).success).toBe(false);
    const good = { ...inspectionLayerInput, fields: inspectionLayerInput.fields.map((candidate) => (candidate.key === 'visits' ? { ...candidate, format: { grouping: false, maximumFractionDigits: 0 } } : candidate)) };
    expect(formatFieldValue(layerDefinitionSchema.parse(good).fields[1], 12345, en)).toBe('12345');
  });
});

describe('readable feature codes (item 5)', () => {
  it('prefix, a device tag from its id and a per-device sequence', () => {
    expect(deviceTag('a4aa5e55-0d4f-4b8e-9a51-3f6f0c2d1e7a')).toBe('A4AA5E');
    expect(makeFeatureCode('HS-W', 'a4aa5e55-0d4f-4b8e-9a51-3f6f0c2d1e7a', 7)).toBe('HS-W-A4AA5E-0007');
    expect(makeFeatureCode('HS-W', '284689d6-aaaa-4bbb-8ccc-dddddddddddd', 7)).toBe('HS-W-284689-0007');
    expect(() => makeFeatureCode('HS-W', 'a4aa5e55', 0)).toThrow(RangeError);
  });

  it('every seed layer names a string code field with a prefix of its own', () => {
    const prefixes = layers.map((candidate) => candidate.featureCode?.prefix);
    expect(prefixes.every((prefix) => prefix !== undefined)).toBe(true);
    expect(new Set(prefixes).size).toBe(layers.length);
    const broken = { ...inspectionLayerInput, featureCode: { field: 'visits', prefix: 'IP' } };
    expect(layerDefinitionSchema.safeParse(broken).error?.issues[0]?.message).toBe('"visits" must be a string field of the layer');
  });

  it('a feature is named by its display field, else its code, and its UUID is never what people read', () => {
    const made = { id: 'c24c423b-7ca9-4f0e-8a51-3f6f0c2d1e7a', properties: { featureCode: 'HS-W-A4AA5E-0001' } };
    expect(featureCodeOf(wells, made)).toBe('HS-W-A4AA5E-0001');
    expect(featureNameOf(wells, made)).toBe('HS-W-A4AA5E-0001');
    expect(featureNameOf(wells, { ...made, properties: { ...made.properties, name: '武强县商业服务取水井024' } })).toBe('武强县商业服务取水井024');
    // A demo feature's id is its readable code already.
    expect(featureCodeOf(wells, { id: 'HS-NW-0617', properties: {} })).toBe('HS-NW-0617');
  });
});
