// The change path's pure steps (renderer/src/db/change): each takes the state read for a change and
// one operation, and gives what to write or the problems — no database involved.
import { describe, expect, it } from 'vitest';
import type { Feature, LayerDefinition } from '../../../shared/model';
import { applyFeatureOperations } from '../../../renderer/src/db/change/apply';
import { applyFeatureOperation } from '../../../renderer/src/db/change/apply-feature';
import { applyAttachmentOperation } from '../../../renderer/src/db/change/apply-attachment';
import { applyLayerOperations } from '../../../renderer/src/db/change/apply-layer';
import { featureKey, type ApplyContext, type FeatureState } from '../../../renderer/src/db/change/state';
import type { AttachmentRecord } from '../../../renderer/src/db/records';
import { testWellsLayer } from './store-fixtures';

const TIME = '2021-07-01T08:30:00.000Z';
const layer: LayerDefinition = { ...testWellsLayer, featureCode: { field: 'name', prefix: 'W' } };

const well: Feature = {
  id: 'W-1',
  layerId: layer.id,
  geometry: { type: 'Point', coordinates: [115.5, 37.5] },
  properties: { name: 'well' },
  status: 'registered',
  county: 131102,
  demo: false,
  createdAt: '2021-07-01T08:00:00.000Z',
  updatedAt: '2021-07-01T08:00:00.000Z',
  revision: 3,
};

const photo = (id: string, removedAt: string | null = null): AttachmentRecord => ({
  id,
  layerId: layer.id,
  featureId: well.id,
  fileName: `${id}.jpg`,
  mediaType: 'image/jpeg',
  byteSize: 3,
  blob: new Blob(['abc']),
  thumbnail: null,
  createdAt: '2021-07-01T08:10:00.000Z',
  removedAt,
});

function stateWith(features: Feature[], attachments: AttachmentRecord[] = []): FeatureState {
  return {
    layers: new Map([[layer.id, layer]]),
    current: new Map(features.map((feature) => [featureKey(feature.layerId, feature.id), feature])),
    tombstoneRevisions: new Map(),
    attachments: new Map(attachments.map((record) => [record.id, record])),
    codeCounters: new Map([[layer.id, 6]]),
    drafts: [],
    newAttachmentIds: new Set(),
    changedAttachmentIds: new Set(),
  };
}

let ids = 0;
const context: ApplyContext = {
  changeId: 'C-1',
  time: TIME,
  author: 'tester',
  deviceId: 'ab12cd34-0000-4000-8000-000000000000',
  authorName: undefined,
  note: 'note',
  links: {},
  resolves: undefined,
  allowAnyStatusChange: false,
  newId: () => `id-${(ids += 1)}`,
};

describe('apply-feature', () => {
  it('creates a feature with the next readable code and drafts its create entry', () => {
    const state = stateWith([]);
    const operation = { kind: 'create', layerId: layer.id, feature: { geometry: well.geometry, properties: {} } } as const;
    expect(applyFeatureOperation(state, context, layer, operation, 'N-1', null)).toEqual([]);
    const created = state.current.get(featureKey(layer.id, 'N-1'));
    expect(created).toMatchObject({ id: 'N-1', status: 'registered', revision: 1, createdAt: TIME, properties: { name: expect.stringMatching(/^W-/) } });
    expect(state.codeCounters.get(layer.id)).toBe(7);
    expect(state.drafts).toEqual([expect.objectContaining({ operation: 'create', before: null, after: created, changeId: 'C-1', author: 'tester', note: 'note' })]);
  });

  it('refuses a status move the workflow does not allow, and one missing its date', () => {
    const sealed = { ...well, status: 'sealed', properties: { name: 'well', sealedDate: '2021-01-01' } };
    const state = stateWith([sealed]);
    expect(applyFeatureOperation(state, context, layer, { kind: 'update', layerId: layer.id, featureId: well.id, status: 'registered' }, well.id, sealed)).toEqual([
      { path: 'status', message: '"sealed" cannot move to "registered"' },
    ]);
    expect(applyFeatureOperation(state, context, layer, { kind: 'update', layerId: layer.id, featureId: well.id, status: 'sealed' }, well.id, well)).toEqual([
      { path: 'sealedDate', message: 'entering "sealed" needs sealedDate' },
    ]);
    expect(state.drafts).toEqual([]);
    expect(state.current.get(featureKey(layer.id, well.id))).toBe(sealed);
  });

  it('deletes a feature with its attached photos (detach entries first) and keeps its revision for a re-create', () => {
    const state = stateWith([well], [photo('P-2'), photo('P-1'), photo('P-0', TIME)]);
    expect(applyFeatureOperation(state, context, layer, { kind: 'delete', layerId: layer.id, featureId: well.id }, well.id, well)).toEqual([]);
    expect(state.drafts.map((draft) => [draft.operation, draft.attachment?.id ?? null])).toEqual([
      ['detach', 'P-1'],
      ['detach', 'P-2'],
      ['delete', null],
    ]);
    expect(state.current.get(featureKey(layer.id, well.id))).toBeNull();
    expect(state.tombstoneRevisions.get(featureKey(layer.id, well.id))).toBe(4);
    expect([...state.changedAttachmentIds].sort()).toEqual(['P-1', 'P-2']);
  });
});

describe('apply-attachment', () => {
  it('attaches a new photo, and refuses to detach one twice', () => {
    const state = stateWith([well], [photo('P-0', TIME)]);
    const attach = { kind: 'attach', layerId: layer.id, featureId: well.id, attachment: { id: 'P-9', blob: new Blob(['x']), fileName: 'a.jpg', mediaType: 'image/jpeg' } } as const;
    expect(applyAttachmentOperation(state, context, attach, well.id, well)).toEqual([]);
    expect(state.attachments.get('P-9')).toMatchObject({ byteSize: 1, createdAt: TIME, removedAt: null });
    expect([...state.newAttachmentIds]).toEqual(['P-9']);
    expect(state.drafts).toEqual([expect.objectContaining({ operation: 'attach', attachment: expect.objectContaining({ id: 'P-9' }) })]);
    expect(applyAttachmentOperation(state, context, { kind: 'detach', layerId: layer.id, featureId: well.id, attachmentId: 'P-0' }, well.id, well)).toEqual([
      { path: 'attachmentId', message: 'attachment "P-0" is already detached' },
    ]);
  });
});

describe('applyFeatureOperations', () => {
  it('sends each operation to its step and reports the refused ones by index', () => {
    const state = stateWith([well]);
    const problems = applyFeatureOperations(state, context, [
      { kind: 'update-geometry', layerId: layer.id, featureId: well.id, geometry: { type: 'Point', coordinates: [115.6, 37.6] } },
      { kind: 'update', layerId: 'no-such-layer', featureId: well.id, properties: {} },
      { kind: 'reattach', layerId: layer.id, featureId: well.id, attachmentId: 'nope' },
    ]);
    expect(problems).toEqual([
      { operationIndex: 1, layerId: 'no-such-layer', featureId: well.id, issues: [{ path: 'layerId', message: 'unknown layer "no-such-layer"' }] },
      { operationIndex: 2, layerId: layer.id, featureId: well.id, issues: [{ path: 'attachmentId', message: 'feature "W-1" has no attachment "nope"' }] },
    ]);
    expect(state.current.get(featureKey(layer.id, well.id))).toMatchObject({ geometry: { coordinates: [115.6, 37.6] }, revision: 4, updatedAt: TIME });
  });
});

describe('apply-layer', () => {
  const other: LayerDefinition = { ...testWellsLayer, id: 'other-wells' };

  it('plans a new layer, a rename and a removal', () => {
    const { plan, problems } = applyLayerOperations(
      new Map([
        [layer.id, layer],
        ['gone', { ...other, id: 'gone' }],
      ]),
      [
        { kind: 'create-layer', layerId: other.id, layer: other, source: 'wells.csv' },
        { kind: 'rename-layer', layerId: layer.id, name: { zh: '井', en: 'Wells' } },
        { kind: 'remove-layer', layerId: 'gone' },
        { kind: 'delete', layerId: 'gone', featureId: 'x' },
      ],
      TIME,
    );
    expect(problems).toEqual([]);
    expect(plan.newLayers).toEqual([{ layer: other, source: 'wells.csv' }]);
    expect(plan.renamedLayers).toEqual([{ before: layer, after: { ...layer, name: { zh: '井', en: 'Wells' } } }]);
    expect(plan.removedLayers.map((removed) => removed.layer.id)).toEqual(['gone']);
    expect(plan.layers.get(other.id)).toEqual(other);
  });

  it('refuses an existing layer created again, and a removal that keeps features of the layer', () => {
    const { plan, problems } = applyLayerOperations(
      new Map([[layer.id, layer]]),
      [
        { kind: 'create-layer', layerId: layer.id, layer },
        { kind: 'remove-layer', layerId: layer.id },
        { kind: 'update', layerId: layer.id, featureId: 'W-1', properties: {} },
      ],
      TIME,
    );
    expect(problems).toEqual([
      { operationIndex: 0, layerId: layer.id, featureId: null, issues: [{ path: 'layer.id', message: 'layer "test-wells" already exists' }] },
      { operationIndex: 1, layerId: layer.id, featureId: null, issues: [{ path: 'layerId', message: 'a layer can be removed only in a change that deletes the features it touches' }] },
    ]);
    expect(plan.newLayers).toEqual([]);
    expect(plan.removedLayers).toEqual([]);
  });
});
