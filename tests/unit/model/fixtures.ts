import type { LayerDefinition } from '../../../shared/model/layer-definition';
import type { Feature } from '../../../shared/model/feature';

/** A small hand-written layer (not the seeds) with one field of every type. */
export const inspectionLayerInput = {
  id: 'inspection-points',
  name: { zh: '检查点', en: 'Inspection points' },
  geometryType: 'Point',
  displayField: 'name',
  fields: [
    { key: 'name', type: 'string', maxLength: 20, required: true, label: { zh: '名称', en: 'Name' } },
    { key: 'visits', type: 'integer', min: 0, required: false, label: { zh: '次数', en: 'Visits' } },
    { key: 'depthM', type: 'number', min: 0, max: 1000, unit: { zh: '米', en: 'm' }, required: false, label: { zh: '深度', en: 'Depth' } },
    { key: 'active', type: 'boolean', required: false, label: { zh: '启用', en: 'Active' } },
    { key: 'plannedDate', type: 'date', required: false, label: { zh: '计划日期', en: 'Planned' } },
    { key: 'closedDate', type: 'date', required: false, label: { zh: '关闭日期', en: 'Closed' } },
    {
      key: 'kind', type: 'enum', required: true, label: { zh: '类别', en: 'Kind' },
      values: [
        { value: 'a', label: { zh: '甲', en: 'A' } },
        { value: 'b', label: { zh: '乙', en: 'B' } },
      ],
    },
  ],
  status: {
    label: { zh: '状态', en: 'Status' },
    states: [
      { value: 'open', label: { zh: '开放', en: 'Open' } },
      { value: 'closed', label: { zh: '关闭', en: 'Closed' }, dateField: 'closedDate' },
    ],
    initial: 'open',
    transitions: [{ from: 'open', to: 'closed' }],
  },
  schedule: { plannedDateField: 'plannedDate', doneStatuses: ['closed'] },
} satisfies LayerDefinition;

export function inspectionFeature(overrides: Partial<Feature> = {}): Feature {
  return {
    id: 'P-1',
    layerId: 'inspection-points',
    geometry: { type: 'Point', coordinates: [115.7, 37.7] },
    properties: { name: '一号', kind: 'a' },
    status: 'open',
    county: 131102,
    demo: false,
    createdAt: '2021-03-01T08:00:00+08:00',
    updatedAt: '2021-03-01T08:00:00+08:00',
    revision: 1,
    ...overrides,
  };
}
