import { describe, expect, it } from 'vitest';
import { canTransition, layerDefinitionListSchema, layerDefinitionSchema } from '../../../shared/model/layer-definition';
import { inspectionLayerInput } from './fixtures';

const issuesOf = (input: unknown) => {
  const result = layerDefinitionSchema.safeParse(input);
  return result.success ? [] : result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
};

describe('layerDefinitionSchema', () => {
  it('accepts a layer with every field type, a workflow and a schedule', () => {
    expect(issuesOf(inspectionLayerInput)).toEqual([]);
  });

  it('rejects duplicate and reserved field keys', () => {
    const duplicate = { ...inspectionLayerInput, fields: [...inspectionLayerInput.fields, inspectionLayerInput.fields[0]] };
    expect(issuesOf(duplicate).join()).toContain('duplicate field key "name"');
    const reserved = {
      ...inspectionLayerInput,
      fields: [...inspectionLayerInput.fields, { key: 'status', type: 'string', required: false, label: { zh: '状态', en: 'Status' } }],
    };
    expect(issuesOf(reserved).join()).toContain('"status" is reserved');
  });

  it('rejects a workflow naming unknown states or non-date fields', () => {
    const badTransition = { ...inspectionLayerInput, status: { ...inspectionLayerInput.status, transitions: [{ from: 'open', to: 'sealed' }] } };
    expect(issuesOf(badTransition).join()).toContain('unknown status "sealed"');
    const badInitial = { ...inspectionLayerInput, status: { ...inspectionLayerInput.status, initial: 'draft' } };
    expect(issuesOf(badInitial).join()).toContain('unknown status "draft"');
    const badDateField = {
      ...inspectionLayerInput,
      status: { ...inspectionLayerInput.status, states: [{ value: 'open', label: { zh: '开', en: 'Open' }, dateField: 'name' }, inspectionLayerInput.status.states[1]] },
    };
    expect(issuesOf(badDateField).join()).toContain('"name" must be a date field');
    const badSchedule = { ...inspectionLayerInput, schedule: { plannedDateField: 'visits', doneStatuses: ['gone'] } };
    expect(issuesOf(badSchedule)).toHaveLength(2);
  });

  it('rejects labels missing a language and unknown members', () => {
    expect(issuesOf({ ...inspectionLayerInput, name: { zh: '检查点' } }).length).toBeGreaterThan(0);
    expect(issuesOf({ ...inspectionLayerInput, colour: 'red' }).join()).toContain('colour');
  });

  it('rejects duplicate layer ids in a list', () => {
    const result = layerDefinitionListSchema.safeParse([inspectionLayerInput, inspectionLayerInput]);
    expect(result.success).toBe(false);
  });

  it('tells which status moves the workflow allows', () => {
    const layer = layerDefinitionSchema.parse(inspectionLayerInput);
    expect(canTransition(layer, 'open', 'closed')).toBe(true);
    expect(canTransition(layer, 'closed', 'open')).toBe(false);
  });
});
