// Shared fixtures for the store tests: a small point layer, generated GeoJSON, a fresh
// fake-indexeddb database per test, and a dump of every table for before/after comparisons.
import type { GeoJsonFeature, LayerDefinition } from '../../../shared/model';
import { OneMapDatabase } from '../../../renderer/src/db';

const label = (text: string) => ({ zh: text, en: text });

export const testWellsLayer: LayerDefinition = {
  id: 'test-wells',
  name: label('Test wells'),
  geometryType: 'Point',
  displayField: 'name',
  fields: [
    { key: 'name', type: 'string', required: false, maxLength: 100, label: label('Name') },
    { key: 'depthM', type: 'number', required: false, min: 0, label: label('Depth') },
    { key: 'plannedDate', type: 'date', required: false, label: label('Planned') },
    { key: 'sealedDate', type: 'date', required: false, label: label('Sealed') },
  ],
  status: {
    label: label('Status'),
    states: [
      { value: 'registered', label: label('Registered') },
      { value: 'scheduled', label: label('Scheduled') },
      { value: 'sealed', label: label('Sealed'), dateField: 'sealedDate' },
    ],
    initial: 'registered',
    transitions: [
      { from: 'registered', to: 'scheduled' },
      { from: 'registered', to: 'sealed' },
      { from: 'scheduled', to: 'sealed' },
    ],
  },
  schedule: { plannedDateField: 'plannedDate', doneStatuses: ['sealed'] },
};

/** `count` wells on a jittered grid over Hengshui, ids `W-00001`…, deterministic. */
export function generatedWells(count: number, variant = 0): GeoJsonFeature[] {
  const side = Math.ceil(Math.sqrt(count));
  return Array.from({ length: count }, (_, index) => ({
    type: 'Feature' as const,
    id: `W-${String(index + 1).padStart(5, '0')}`,
    properties: {
      name: `Well ${index + 1}`,
      depthM: 100 + ((index * 37) % 300) + variant,
      status: index % 3 === 0 ? 'scheduled' : 'registered',
      county: 131102,
      demo: true,
    },
    geometry: {
      type: 'Point' as const,
      coordinates: [115.2 + ((index % side) / side) * 1.2 + ((index * 7919) % 100) / 1e6, 37.3 + (Math.floor(index / side) / side) * 0.9],
    },
  }));
}

let databaseCounter = 0;

export async function freshDatabase(): Promise<OneMapDatabase> {
  databaseCounter += 1;
  const database = new OneMapDatabase(`onemap-test-${process.pid}-${databaseCounter}-${Date.now()}`);
  await database.open();
  return database;
}

/** Every record of every table, in key order. */
export async function dumpStore(database: OneMapDatabase): Promise<Record<string, unknown[]>> {
  const dump: Record<string, unknown[]> = {};
  for (const table of database.tables) dump[table.name] = await table.toArray();
  return dump;
}

export const SEED_TIME = new Date('2021-06-30T00:00:00Z');
