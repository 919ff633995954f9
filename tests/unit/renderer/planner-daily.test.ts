// Pure logic behind issue 13 C: filtering by a coded field, the bulk dialog's default status, and
// where a status change's note goes.
import { describe, expect, test } from 'vitest';
import layers from '../../../seeds/layers.json';
import type { Feature, LayerDefinition } from '../../../shared/model';
import { codedFields, countByCodedValue, featuresShown, defaultLayerSettings } from '../../../renderer/src/lib/layer-state';
import { defaultBulkStatus } from '../../../renderer/src/features/bulk-status/bulk-selection';
import { statusChangeOperation } from '../../../renderer/src/features/feature-panel/status-change';
import { statusColors } from '../../../renderer/src/map/planning-layers';

const propertiesOf = (operation: ReturnType<typeof statusChangeOperation>) => (operation.kind === 'update' ? operation.properties : undefined);

const wells = (layers as unknown as LayerDefinition[]).find((layer) => layer.id === 'wells')!;

function well(id: string, status: string, wellClass: string | undefined, county = 131103): Feature {
  return {
    id,
    layerId: 'wells',
    geometry: { type: 'Point', coordinates: [115.5, 37.6] },
    properties: wellClass === undefined ? {} : { wellClass },
    status,
    county,
    demo: true,
    createdAt: '2021-01-01T00:00:00.000Z',
    updatedAt: '2021-01-01T00:00:00.000Z',
    revision: 1,
  } as Feature;
}

describe('filter by a coded field', () => {
  const features = [well('a', 'registered', 'agricultural'), well('b', 'scheduled', 'non-agricultural'), well('c', 'sealed', 'agricultural', 131102), well('d', 'registered', undefined)];

  test('取水井类别 is the wells layer’s first coded field', () => {
    expect(codedFields(wells)[0]?.key).toBe('wellClass');
  });

  test('features shown keep only the values chosen, with the county and status filters', () => {
    const settings = { ...defaultLayerSettings('wells'), fieldFilters: { wellClass: ['non-agricultural'] } };
    expect(featuresShown(features, settings, null).map((feature) => feature.id)).toEqual(['b']);
    expect(featuresShown(features, { ...settings, fieldFilters: { wellClass: ['agricultural'] } }, 131103).map((feature) => feature.id)).toEqual(['a']);
    expect(featuresShown(features, { ...settings, fieldFilters: { wellClass: [''] } }, null).map((feature) => feature.id)).toEqual(['d']);
    expect(featuresShown(features, defaultLayerSettings('wells'), null)).toHaveLength(4);
  });

  test('counts per value list every defined value, and a missing value only when there is one', () => {
    const field = codedFields(wells)[0]!;
    expect(countByCodedValue(features, field)).toEqual([
      { value: 'non-agricultural', count: 1 },
      { value: 'agricultural', count: 2 },
      { value: '', count: 1 },
    ]);
    expect(countByCodedValue(features.slice(0, 1), field)).toEqual([
      { value: 'non-agricultural', count: 0 },
      { value: 'agricultural', count: 1 },
    ]);
  });
});

describe('the bulk dialog’s default status', () => {
  test('the move most selected features may make', () => {
    const mixed = [well('a', 'registered', 'agricultural'), well('b', 'scheduled', 'agricultural'), well('c', 'sealed', 'agricultural')];
    // registered → scheduled | sealed; scheduled → substitute-connected | sealed; sealed → verified.
    expect(defaultBulkStatus(wells, mixed)).toBe('sealed');
    expect(defaultBulkStatus(wells, [well('c', 'sealed', 'agricultural'), well('e', 'sealed', 'agricultural')])).toBe('verified');
  });

  test('ties go to the earlier state of the workflow; nothing movable gives none', () => {
    expect(defaultBulkStatus(wells, [well('b', 'scheduled', 'agricultural')])).toBe('substitute-connected');
    expect(defaultBulkStatus(wells, [well('v', 'verified', 'agricultural')])).toBe('');
    expect(defaultBulkStatus(wells, [])).toBe('');
  });
});

describe('the note of a status change', () => {
  test('is written to the feature’s 备注 field, with the status and its date', () => {
    expect(statusChangeOperation(wells, 'w1', 'sealed', '2021-06-30', '  已封填，照片存档 ')).toEqual({
      kind: 'update',
      layerId: 'wells',
      featureId: 'w1',
      status: 'sealed',
      properties: { sealedDate: '2021-06-30', note: '已封填，照片存档' },
    });
  });

  test('an empty note leaves the 备注 as it is; a layer without a 备注 field gets none', () => {
    expect(propertiesOf(statusChangeOperation(wells, 'w1', 'sealed', '2021-06-30', '  '))).toEqual({ sealedDate: '2021-06-30' });
    const withoutNote = { ...wells, fields: wells.fields.filter((field) => field.key !== 'note') };
    expect(propertiesOf(statusChangeOperation(withoutNote, 'w1', 'sealed', '2021-06-30', '备注'))).toEqual({ sealedDate: '2021-06-30' });
  });
});

describe('symbols', () => {
  const all = layers as unknown as LayerDefinition[];

  test('no colour stands for two layers: each layer draws in its own family', () => {
    const owner = new Map<string, string>();
    const shared: string[] = [];
    for (const layer of all) {
      for (const [, color] of statusColors(layer)) {
        const other = owner.get(color);
        if (other !== undefined && other !== layer.id) shared.push(`${color}: ${other} and ${layer.id}`);
        owner.set(color, layer.id);
      }
    }
    expect(shared).toEqual([]);
  });

  test('within a layer each status has its own colour', () => {
    for (const layer of all) {
      const colors = statusColors(layer).map(([, color]) => color);
      expect(new Set(colors).size, layer.id).toBe(colors.length);
    }
  });
});
