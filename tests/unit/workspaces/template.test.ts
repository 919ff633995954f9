import 'fake-indexeddb/auto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync, strToU8 } from 'fflate';
import { afterEach, describe, expect, it } from 'vitest';
import { hengshuiLayers, hengshuiTargets2021 } from '../../../seeds';
import {
  decodeTemplate,
  encodeTemplate,
  targetsForCounties,
  TEMPLATE_FORMAT,
  TEMPLATE_VERSION,
  WorkspaceError,
  type CountyBoundaries,
  type WorkspaceTemplate,
} from '../../../shared/workspace';
import type { GeoJsonFeature } from '../../../shared/model';
import { createLocalWorkspace, listLocalWorkspaces, openOneMapDatabase, readLayerFeatures, listTargets, listLayers, WORKSPACE_REGISTRY_NAME } from '../../../renderer/src/db';
import Dexie from 'dexie';

const root = join(import.meta.dirname, '../../..');
const geodataCounties = JSON.parse(readFileSync(join(root, 'geodata/hengshui-counties.geojson'), 'utf8')) as { features: { properties: Record<string, unknown>; geometry: unknown }[] };
const counties = {
  type: 'FeatureCollection',
  features: geodataCounties.features.map((county) => ({
    type: 'Feature',
    properties: { adcode: county.properties.adcode, name: county.properties.name, nameEn: county.properties.nameEn, labelPoint: county.properties.labelPoint },
    geometry: county.geometry,
  })),
} as CountyBoundaries;
const parks = (JSON.parse(readFileSync(join(root, 'seeds/demo/pocket-parks.geojson'), 'utf8')) as { features: GeoJsonFeature[] }).features;

function hengshuiTemplate(withData: boolean): WorkspaceTemplate {
  return {
    format: TEMPLATE_FORMAT,
    version: TEMPLATE_VERSION,
    createdAt: '2026-12-07T00:00:00.000Z',
    workspace: { name: { zh: '衡水市', en: 'Hengshui' }, extent: [115.1, 37.0, 116.7, 38.5], counties },
    layers: [...hengshuiLayers],
    targets: [...hengshuiTargets2021],
    ...(withData ? { features: { 'pocket-parks': parks } } : {}),
  };
}

function refusal(bytes: Uint8Array): WorkspaceError {
  try {
    decodeTemplate(bytes, 'city.onemap-template');
  } catch (error) {
    expect(error).toBeInstanceOf(WorkspaceError);
    return error as WorkspaceError;
  }
  throw new Error('expected a refusal');
}

const gz = (value: unknown) => gzipSync(strToU8(JSON.stringify(value)));

afterEach(async () => {
  for (const name of await Dexie.getDatabaseNames()) await Dexie.delete(name);
});

describe('workspace templates', () => {
  it('round-trips definitions, targets, boundaries and features exactly', () => {
    for (const withData of [false, true]) {
      const template = hengshuiTemplate(withData);
      expect(decodeTemplate(encodeTemplate(template), 'hengshui.onemap-template')).toEqual(template);
    }
  });

  it('starts another workspace from a template: the new store holds the same layers, targets and features', async () => {
    const template = decodeTemplate(encodeTemplate(hengshuiTemplate(true)), 'hengshui.onemap-template');
    const created = await createLocalWorkspace({
      definition: { id: 'ws-test', name: { zh: '衡水市（副本）', en: 'Hengshui copy' }, extent: template.workspace.extent, basemap: { kind: 'boundaries' }, counties: template.workspace.counties },
      layers: template.layers,
      targets: template.targets,
      features: template.features!,
    });
    expect(created.database).toBe('onemap-ws-ws-test');
    expect((await listLocalWorkspaces()).map((workspace) => workspace.id)).toEqual(['ws-test']);
    const database = await openOneMapDatabase(created.database);
    expect(await listLayers(database)).toEqual(expect.arrayContaining(template.layers));
    expect((await listTargets(database)).length).toBe(template.targets.length);
    expect((await readLayerFeatures(database, 'pocket-parks')).map((feature) => feature.id).sort()).toEqual(parks.map((park) => String(park.id)).sort());
    database.close();
  });

  it('creates nothing when the store refuses the content (a feature of a layer not defined), and nothing when the name is taken', async () => {
    const content = {
      definition: { id: 'ws-bad', name: { zh: '乙市', en: 'Yi' }, extent: [115.1, 37.0, 116.7, 38.5] as [number, number, number, number], basemap: { kind: 'boundaries' as const }, counties },
      layers: [...hengshuiLayers],
      targets: [],
      features: { 'no-such-layer': parks },
    };
    await expect(createLocalWorkspace(content)).rejects.toThrow(/no layer definition/);
    expect(await listLocalWorkspaces()).toEqual([]);
    expect((await Dexie.getDatabaseNames()).filter((name) => name !== WORKSPACE_REGISTRY_NAME)).toEqual([]);
    await expect(createLocalWorkspace({ ...content, features: {}, reservedNames: ['乙市'] })).rejects.toMatchObject({ code: 'workspace.name-taken' });
    expect(await listLocalWorkspaces()).toEqual([]);
  });

  it('refuses a damaged file, a newer format and a template whose targets or features name what it lacks', () => {
    expect(refusal(new Uint8Array([1, 2, 3])).code).toBe('workspace.template-invalid');
    expect(refusal(gz({ ...hengshuiTemplate(false), version: TEMPLATE_VERSION + 1 })).details).toMatchObject({ value: TEMPLATE_VERSION + 1 });
    const noWells = { ...hengshuiTemplate(false), layers: hengshuiLayers.filter((layer) => layer.id !== 'wells') };
    expect(String(refusal(gz(noWells)).details.technical)).toMatch(/measures layer "wells"/);
    const strayFeatures = { ...hengshuiTemplate(false), features: { rivers: parks } };
    expect(String(refusal(gz(strayFeatures)).details.technical)).toMatch(/layer "rivers"/);
    const badTarget = { ...hengshuiTemplate(false), targets: [{ ...hengshuiTargets2021[0], quantity: -3 }] };
    expect(String(refusal(gz(badTarget)).details.technical)).toMatch(/^targets\.0\.quantity/);
  });

  it('drops another city\'s per-county split when targets move to a workspace without those counties', () => {
    const split = { ...hengshuiTargets2021[0]!, countySplit: { kind: 'table' as const, rows: [{ county: 131102, quantity: 100 }] } };
    const each = { ...hengshuiTargets2021[1]!, countySplit: { kind: 'each' as const, quantity: 2 } };
    const moved = targetsForCounties([split, each], new Set([990101]));
    expect(moved[0]!.countySplit).toBeUndefined();
    const { countySplit: _dropped, ...withoutSplit } = split;
    expect(moved[0]).toEqual(withoutSplit);
    expect(moved[1]).toEqual(each);
    expect(targetsForCounties([split], new Set([131102, 131121]))).toEqual([split]);
  });
});
