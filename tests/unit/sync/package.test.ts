// The edit package file: a round trip, and each way a file is refused — with its own code and
// its own message — before anything in it is used.
import { unzipSync, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import {
  decodeEditPackage,
  EDIT_PACKAGE_FORMAT_VERSION,
  EditPackageError,
  encodeEditPackage,
  type EditPackageContent,
  type ManifestInput,
  type SyncVersion,
} from '../../../shared/sync';

const feature = (name: string, revision: number) => ({
  id: 'W-1',
  layerId: 'wells',
  geometry: { type: 'Point' as const, coordinates: [115.5, 37.5] as [number, number] },
  properties: { name },
  status: 'registered',
  county: null,
  demo: false,
  createdAt: '2024-01-01T00:00:00.000Z',
  updatedAt: '2024-01-02T00:00:00.000Z',
  revision,
});

const version: SyncVersion = {
  id: 'v1',
  changeId: 'c1',
  layerId: 'wells',
  featureId: 'W-1',
  operation: 'update',
  before: feature('old', 1),
  after: feature('new', 2),
  author: '张工',
  authorName: '张工',
  device: 'device-a',
  time: '2024-01-02T00:00:00.000Z',
  parents: [],
};

const photoBytes = new Uint8Array(Array.from({ length: 3000 }, (_, index) => (index * 31) % 256));

const content: EditPackageContent = {
  versions: [
    version,
    {
      id: 'v2',
      changeId: 'c2',
      layerId: 'wells',
      featureId: 'W-1',
      operation: 'attach',
      before: null,
      after: null,
      attachment: { id: 'p1', fileName: '现场.jpg', mediaType: 'image/jpeg', byteSize: photoBytes.length, hasThumbnail: true, createdAt: '2024-01-02T00:00:00.000Z' },
      author: '张工',
      device: 'device-a',
      time: '2024-01-02T00:00:00.000Z',
      parents: ['v1'],
    },
  ],
  features: [{ layerId: 'wells', featureId: 'W-1', feature: feature('new', 2) }],
  layers: [],
  photos: [
    {
      id: 'p1',
      layerId: 'wells',
      featureId: 'W-1',
      fileName: '现场.jpg',
      mediaType: 'image/jpeg',
      byteSize: photoBytes.length,
      createdAt: '2024-01-02T00:00:00.000Z',
      bytes: photoBytes,
      thumbnail: { mediaType: 'image/jpeg', bytes: new Uint8Array([1, 2, 3]) },
    },
  ],
};

const manifest: ManifestInput = {
  packageId: 'pkg-1',
  createdAt: '2024-01-03T00:00:00.000Z',
  source: { device: 'device-a', userName: '张工', workspaceId: 'ws' },
  peer: 'device-b',
  range: { mode: 'peer', since: null, journalFrom: 0, journalTo: 2, receivedFrom: 0, receivedTo: 0 },
  acks: { 'device-b': { journal: 5, received: 0 } },
};

async function refusal(bytes: Uint8Array): Promise<EditPackageError> {
  try {
    await decodeEditPackage(bytes);
  } catch (error) {
    if (error instanceof EditPackageError) return error;
    throw error;
  }
  throw new Error('the package was accepted');
}

/** Re-zips a package after `edit` changed its files (the manifest is kept as it was unless edited). */
function rezip(bytes: Uint8Array, edit: (files: Record<string, Uint8Array>) => void): Uint8Array {
  const files = unzipSync(bytes);
  edit(files);
  return zipSync(files);
}

describe('edit package file', () => {
  it('round-trips versions, features, photos and the manifest', async () => {
    const bytes = await encodeEditPackage(content, manifest);
    const decoded = await decodeEditPackage(bytes);
    expect(decoded.versions).toEqual(content.versions);
    expect(decoded.features).toEqual(content.features);
    expect(decoded.photos[0]?.bytes).toEqual(photoBytes);
    expect(decoded.photos[0]?.thumbnail?.bytes).toEqual(new Uint8Array([1, 2, 3]));
    expect(decoded.manifest).toMatchObject({ format: 'onemap-edit-package', formatVersion: EDIT_PACKAGE_FORMAT_VERSION, ...manifest, counts: { versions: 2, features: 1, layers: 0, photos: 1 } });
    expect(decoded.manifest.content.files.map((file) => file.name)).toEqual(['versions.json', 'features.json', 'layers.json', 'photos.json', 'photos/p1', 'thumbs/p1']);
  });

  it('refuses a truncated file (cut anywhere) as truncated', async () => {
    const bytes = await encodeEditPackage(content, manifest);
    for (const length of [2, 30, Math.floor(bytes.length / 2), bytes.length - 23, bytes.length - 1]) {
      const error = await refusal(bytes.slice(0, length));
      expect(error.code, `cut at ${length} of ${bytes.length}`).toBe('truncated');
    }
  });

  it('refuses changed content as checksum-mismatch, naming the file', async () => {
    const bytes = await encodeEditPackage(content, manifest);
    const changedVersions = rezip(bytes, (files) => {
      files['versions.json'] = new TextEncoder().encode(new TextDecoder().decode(files['versions.json']).replace('"new"', '"NEW"'));
    });
    expect(await refusal(changedVersions)).toMatchObject({ code: 'checksum-mismatch', details: { file: 'versions.json' } });

    // One byte of a photo flipped in place (stored, not deflated): the zip still reads.
    const flipped = bytes.slice();
    const at = findSubarray(flipped, photoBytes.subarray(1000, 1040)) + 5;
    flipped[at] = (flipped[at] as number) ^ 0xff;
    expect(await refusal(flipped)).toMatchObject({ code: 'checksum-mismatch', details: { file: 'photos/p1' } });

    const extra = rezip(bytes, (files) => {
      files['photos/sneaked-in'] = new Uint8Array([1]);
    });
    expect(await refusal(extra)).toMatchObject({ code: 'checksum-mismatch', details: { file: 'photos/sneaked-in' } });

    const missing = rezip(bytes, (files) => {
      delete files['thumbs/p1'];
    });
    expect(await refusal(missing)).toMatchObject({ code: 'checksum-mismatch', details: { file: 'thumbs/p1' } });
  });

  it('refuses a package from a newer format version as newer-format, before checking its content', async () => {
    const bytes = await encodeEditPackage(content, manifest);
    const newer = rezip(bytes, (files) => {
      const parsed = JSON.parse(new TextDecoder().decode(files['manifest.json'])) as Record<string, unknown>;
      files['manifest.json'] = new TextEncoder().encode(JSON.stringify({ ...parsed, formatVersion: EDIT_PACKAGE_FORMAT_VERSION + 1, somethingNew: true }));
      files['versions.json'] = new TextEncoder().encode('[{"a new layout":1}]');
    });
    const error = await refusal(newer);
    expect(error).toMatchObject({ code: 'newer-format', details: { formatVersion: EDIT_PACKAGE_FORMAT_VERSION + 1, supportedVersion: EDIT_PACKAGE_FORMAT_VERSION } });
    expect(error.messages.zh).toContain('更新版本');
    expect(error.messages.en).toContain('newer OneMap');
  });

  it('refuses other files as not-a-package', async () => {
    expect((await refusal(new TextEncoder().encode('{"format":"onemap-backup"}'))).code).toBe('not-a-package');
    expect((await refusal(new Uint8Array(0))).code).toBe('not-a-package');
    expect((await refusal(zipSync({ 'doc.kml': new Uint8Array([1, 2]) }))).code).toBe('not-a-package');
    expect((await refusal(zipSync({ 'manifest.json': new TextEncoder().encode('{"format":"other"}') }))).code).toBe('not-a-package');
  });

  it('refuses content that is well-formed but wrong as invalid-content (history must be complete)', async () => {
    const orphan = { ...content, versions: [{ ...version, id: 'v9', parents: ['not-in-package'] }] };
    const error = await refusal(await encodeEditPackage(orphan, manifest));
    expect(error).toMatchObject({ code: 'invalid-content', details: { file: 'versions.json' } });
    expect(error.message).toContain('not-in-package');
  });

  it('gives each refusal its own message, in both languages', async () => {
    const bytes = await encodeEditPackage(content, manifest);
    const truncated = await refusal(bytes.slice(0, bytes.length - 10));
    const checksum = await refusal(rezip(bytes, (files) => void (files['features.json'] = new TextEncoder().encode('[]'))));
    const newer = await refusal(
      rezip(bytes, (files) => {
        const parsed = JSON.parse(new TextDecoder().decode(files['manifest.json'])) as Record<string, unknown>;
        files['manifest.json'] = new TextEncoder().encode(JSON.stringify({ ...parsed, formatVersion: 7 }));
      }),
    );
    const codes = [truncated, checksum, newer].map((error) => error.code);
    expect(codes).toEqual(['truncated', 'checksum-mismatch', 'newer-format']);
    for (const language of ['zh', 'en'] as const) {
      const messages = new Set([truncated, checksum, newer].map((error) => error.messages[language]));
      expect(messages.size).toBe(3);
    }
  });
});

function findSubarray(haystack: Uint8Array, needle: Uint8Array): number {
  outer: for (let start = 0; start <= haystack.length - needle.length; start += 1) {
    for (let index = 0; index < needle.length; index += 1) if (haystack[start + index] !== needle[index]) continue outer;
    return start;
  }
  throw new Error('not found');
}
