// Layer changes in the edit package (layer-changes.json) and the registers they decide.
import { describe, expect, it } from 'vitest';
import { decodeEditPackage, encodeEditPackage, EditPackageError, layerRegisters, type LayerChange, type ManifestInput } from '../../../shared/sync';

const manifest: ManifestInput = {
  packageId: 'pkg-1',
  createdAt: '2024-01-03T00:00:00.000Z',
  source: { device: 'device-a', userName: '张工', workspaceId: 'ws' },
  peer: null,
  range: { mode: 'all', since: null, journalFrom: 0, journalTo: 0, receivedFrom: 0, receivedTo: 0 },
  acks: {},
};

const change = (id: string, kind: LayerChange['kind'], time: string, zh = id): LayerChange => ({
  id,
  layerId: 'import-1',
  kind,
  ...(kind === 'rename' ? { name: { zh, en: zh } } : {}),
  author: 'device-a',
  device: 'device-a',
  time,
});

describe('layer changes', () => {
  it('travel in layer-changes.json, and only when there are any', async () => {
    const changes = [change('r1', 'rename', '2024-01-01T00:00:00.000Z'), change('d1', 'remove', '2024-01-02T00:00:00.000Z')];
    const decoded = await decodeEditPackage(await encodeEditPackage({ versions: [], features: [], layers: [], photos: [], layerChanges: changes }, manifest));
    expect(decoded.layerChanges).toEqual(changes);
    expect(decoded.manifest.content.files.map((file) => file.name)).toContain('layer-changes.json');
    const none = await decodeEditPackage(await encodeEditPackage({ versions: [], features: [], layers: [], photos: [] }, manifest));
    expect(none.manifest.content.files.map((file) => file.name)).not.toContain('layer-changes.json');
    expect(none.layerChanges).toEqual([]);
  });

  it('a rename without its name is refused as invalid content naming the file', async () => {
    const { name: _name, ...broken } = change('r1', 'rename', '2024-01-01T00:00:00.000Z');
    const error = await decodeEditPackage(await encodeEditPackage({ versions: [], features: [], layers: [], photos: [], layerChanges: [broken] }, manifest)).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(EditPackageError);
    expect((error as EditPackageError).code).toBe('invalid-content');
    expect((error as EditPackageError).message).toContain('layer-changes.json');
  });

  it('name and existence are the latest change of their kind (time, then id), in any order', () => {
    const changes = [
      change('r1', 'rename', '2024-01-01T00:00:00.000Z', '甲'),
      change('r2', 'rename', '2024-01-03T00:00:00.000Z', '乙'),
      change('r0', 'rename', '2024-01-03T00:00:00.000Z', '丙'),
      change('d1', 'remove', '2024-01-02T00:00:00.000Z'),
      change('s1', 'restore', '2024-01-04T00:00:00.000Z'),
    ];
    for (const order of [changes, [...changes].reverse(), [changes[3]!, changes[0]!, changes[4]!, changes[2]!, changes[1]!]]) {
      const { name, existence } = layerRegisters(order);
      expect(name?.name?.zh).toBe('乙');
      expect(existence?.id).toBe('s1');
    }
  });
});
