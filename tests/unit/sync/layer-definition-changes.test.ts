// A layer definition travels as a `define` layer change (shared/sync/layers.ts): the whole
// definition; every device takes the highest version (then the latest), whatever the order.
import { describe, expect, it } from 'vitest';
import type { LayerDefinition } from '../../../shared/model';
import { decodeEditPackage, encodeEditPackage, EditPackageError, layerRegisters, type LayerChange, type ManifestInput } from '../../../shared/sync';
import { testWellsLayer } from '../db/store-fixtures';

const manifest: ManifestInput = {
  packageId: 'pkg-1',
  createdAt: '2024-01-03T00:00:00.000Z',
  source: { device: 'device-a', userName: '张工', workspaceId: 'ws' },
  peer: null,
  range: { mode: 'all', since: null, journalFrom: 0, journalTo: 0, receivedFrom: 0, receivedTo: 0 },
  acks: {},
};

const define = (id: string, version: number, time: string, layer: LayerDefinition = testWellsLayer): LayerChange => ({
  id,
  layerId: layer.id,
  kind: 'define',
  layer: { ...layer, version },
  author: 'device-a',
  device: 'device-a',
  time,
});

describe('define layer changes', () => {
  it('travel with the whole definition', async () => {
    const changes = [define('d2', 2, '2024-01-01T00:00:00.000Z')];
    const decoded = await decodeEditPackage(await encodeEditPackage({ versions: [], features: [], layers: [], photos: [], layerChanges: changes }, manifest));
    expect(decoded.layerChanges).toEqual(changes);
  });

  it('without a definition are refused as invalid content', async () => {
    const { layer: _layer, ...broken } = define('d2', 2, '2024-01-01T00:00:00.000Z');
    const error = await decodeEditPackage(await encodeEditPackage({ versions: [], features: [], layers: [], photos: [], layerChanges: [broken] }, manifest)).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(EditPackageError);
    expect((error as EditPackageError).message).toContain('a define needs the layer');
  });

  it('decide the definition register by version, then by time, in any order', () => {
    const older = define('d3-early', 3, '2024-01-01T00:00:00.000Z');
    const newest = define('d3-late', 3, '2024-01-02T00:00:00.000Z');
    const lower = define('d2-latest', 2, '2024-02-01T00:00:00.000Z');
    for (const order of [[older, newest, lower], [lower, newest, older], [newest, lower, older]]) {
      const registers = layerRegisters(order);
      expect(registers.definition?.id).toBe('d3-late');
      expect(registers.existence).toBeNull();
      expect(registers.name).toBeNull();
    }
  });
});
