// The edit package file (`.onemap`): a zip holding
//   manifest.json   format, version, source device, time, journal range, counts, and the content
//                   checksum: SHA-256 of every other file, then SHA-256 over that list
//   versions.json   the journal entries (versions) of every feature the package touches — each
//                   feature's whole history, so a package can be applied alone, in any order
//   features.json   the exporter's current value of those features
//   layers.json     the definitions of their layers
//   photos.json     the photos those versions attach, and their bytes in photos/<id>, thumbs/<id>
//   layer-changes.json  (only when there are any) layers renamed, deleted, restored (layers.ts);
//   target-changes.json (only when there are any) targets and target sets put or removed (targets.ts);
//                   a reader that does not know it passes over it
// Reading checks, in this order and before anything is used: zip magic (not-a-package), end of
// the archive present (truncated), archive readable (damaged), manifest ours (not-a-package),
// format version (newer-format), every file against its checksum and the list against the
// manifest's (checksum-mismatch), then the content's schema and history (invalid-content).
import { unzipSync, zipSync, type Zippable } from 'fflate';
import { z } from 'zod';
import {
  featureSchema,
  journalEntrySchema,
  layerDefinitionSchema,
  timestampSchema,
  type Feature,
  type LayerDefinition,
} from '../model';
import { EditPackageError } from './errors';
import type { SyncVersion } from './fields';
import { decodeUtf8, encodeUtf8, sha256Hex } from './platform';
import { parseLayerChanges, type LayerChange } from './layers';
import { parseTargetChanges, type TargetChange } from './targets';

export const EDIT_PACKAGE_FORMAT = 'onemap-edit-package';
export const EDIT_PACKAGE_FORMAT_VERSION = 1;
export const EDIT_PACKAGE_EXTENSION = '.onemap';
export const EDIT_PACKAGE_MEDIA_TYPE = 'application/vnd.onemap.edit-package+zip';

export type ExportMode = 'peer' | 'since' | 'all';

export interface PackageFile {
  name: string;
  bytes: number;
  sha256: string;
}

export interface EditPackageManifest {
  format: typeof EDIT_PACKAGE_FORMAT;
  formatVersion: number;
  packageId: string;
  createdAt: string;
  source: { device: string; userName: string | null; workspaceId: string | null };
  /** The device the package was made for (mode "peer"), else null. */
  peer: string | null;
  range: {
    mode: ExportMode;
    /** Mode "since": versions from this time on. */
    since: string | null;
    /** The exporter's journal sequences the package covers (after `from`, up to and including `to`). */
    journalFrom: number;
    journalTo: number;
    /** Likewise for versions it had received from other devices (relayed). */
    receivedFrom: number;
    receivedTo: number;
  };
  /**
   * What the exporter holds of other devices' journals, by device id: every entry up to these
   * positions (it got them in packages covering the whole range). A device that imports this
   * package learns from it what the exporter still lacks of its own edits, and sends it again.
   */
  acks: Record<string, SyncPosition>;
  counts: { versions: number; features: number; layers: number; photos: number };
  content: { algorithm: 'SHA-256'; sha256: string; files: PackageFile[] };
}

/** A position in a device's journal (its own entries) and in its log of received versions. */
export interface SyncPosition {
  journal: number;
  received: number;
}

export interface PackageFeature {
  layerId: string;
  featureId: string;
  /** The exporter's current value; null when deleted there. */
  feature: Feature | null;
}

export interface PackagePhoto {
  id: string;
  layerId: string;
  featureId: string;
  fileName: string;
  mediaType: string;
  byteSize: number;
  createdAt: string;
  bytes: Uint8Array;
  thumbnail: { mediaType: string; bytes: Uint8Array } | null;
}

export interface EditPackageContent {
  versions: SyncVersion[];
  features: PackageFeature[];
  layers: LayerDefinition[];
  photos: PackagePhoto[];
  /** Layer renames, deletes and restores (absent or empty: none). */
  layerChanges?: LayerChange[];
  /** Targets and target sets put or removed (absent or empty: none). */
  targetChanges?: TargetChange[];
}

export interface DecodedEditPackage extends EditPackageContent {
  manifest: EditPackageManifest;
}

export type ManifestInput = Omit<EditPackageManifest, 'format' | 'formatVersion' | 'counts' | 'content'>;

const photoMetaSchema = z.strictObject({
  id: z.string().min(1),
  layerId: z.string().min(1),
  featureId: z.string().min(1),
  fileName: z.string().min(1).max(500),
  mediaType: z.string().min(1).max(200),
  byteSize: z.int().min(0),
  createdAt: timestampSchema,
  thumbnailMediaType: z.string().max(200).nullable(),
});
type PhotoMeta = z.infer<typeof photoMetaSchema>;

const packageFileSchema = z.strictObject({ name: z.string().min(1), bytes: z.int().min(0), sha256: z.string().regex(/^[0-9a-f]{64}$/) });
const manifestHeadSchema = z.looseObject({ format: z.literal(EDIT_PACKAGE_FORMAT), formatVersion: z.int().min(1) });
const manifestSchema = z.strictObject({
  format: z.literal(EDIT_PACKAGE_FORMAT),
  formatVersion: z.int().min(1),
  packageId: z.string().min(1),
  createdAt: timestampSchema,
  source: z.strictObject({ device: z.string().min(1), userName: z.string().nullable(), workspaceId: z.string().nullable() }),
  peer: z.string().nullable(),
  range: z.strictObject({
    mode: z.enum(['peer', 'since', 'all']),
    since: timestampSchema.nullable(),
    journalFrom: z.int().min(0),
    journalTo: z.int().min(0),
    receivedFrom: z.int().min(0),
    receivedTo: z.int().min(0),
  }),
  acks: z.record(z.string().min(1), z.strictObject({ journal: z.int().min(0), received: z.int().min(0) })),
  counts: z.strictObject({ versions: z.int().min(0), features: z.int().min(0), layers: z.int().min(0), photos: z.int().min(0) }),
  content: z.strictObject({ algorithm: z.literal('SHA-256'), sha256: z.string().regex(/^[0-9a-f]{64}$/), files: z.array(packageFileSchema) }),
});
const packageFeatureSchema = z.strictObject({ layerId: z.string().min(1), featureId: z.string().min(1), feature: featureSchema.nullable() });

const MANIFEST = 'manifest.json';
const VERSIONS = 'versions.json';
const FEATURES = 'features.json';
const LAYERS = 'layers.json';
const PHOTOS = 'photos.json';
const LAYER_CHANGES = 'layer-changes.json';
const TARGET_CHANGES = 'target-changes.json';
const photoPath = (id: string): string => `photos/${encodeURIComponent(id)}`;
const thumbnailPath = (id: string): string => `thumbs/${encodeURIComponent(id)}`;

const json = (value: unknown): Uint8Array => encodeUtf8(JSON.stringify(value));

/** SHA-256 over the file list (names, sizes, per-file hashes). */
const listDigest = (files: readonly PackageFile[]): Promise<string> => sha256Hex(encodeUtf8(JSON.stringify(files.map((file) => [file.name, file.bytes, file.sha256]))));

/** Writes a package. JSON is deflated; photos are stored as they are (JPEGs do not shrink). */
export async function encodeEditPackage(content: EditPackageContent, manifest: ManifestInput): Promise<Uint8Array> {
  const entries: [name: string, bytes: Uint8Array, compress: boolean][] = [
    [VERSIONS, json(content.versions), true],
    [FEATURES, json(content.features), true],
    [LAYERS, json(content.layers), true],
  ];
  const photoMeta: PhotoMeta[] = content.photos.map((photo) => ({
    id: photo.id,
    layerId: photo.layerId,
    featureId: photo.featureId,
    fileName: photo.fileName,
    mediaType: photo.mediaType,
    byteSize: photo.byteSize,
    createdAt: photo.createdAt,
    thumbnailMediaType: photo.thumbnail === null ? null : photo.thumbnail.mediaType,
  }));
  entries.push([PHOTOS, json(photoMeta), true]);
  if (content.layerChanges !== undefined && content.layerChanges.length > 0) entries.push([LAYER_CHANGES, json(content.layerChanges), true]);
  if (content.targetChanges !== undefined && content.targetChanges.length > 0) entries.push([TARGET_CHANGES, json(content.targetChanges), true]);
  for (const photo of content.photos) {
    entries.push([photoPath(photo.id), photo.bytes, false]);
    if (photo.thumbnail !== null) entries.push([thumbnailPath(photo.id), photo.thumbnail.bytes, false]);
  }
  const files: PackageFile[] = [];
  for (const [name, bytes] of entries) files.push({ name, bytes: bytes.length, sha256: await sha256Hex(bytes) });
  const full: EditPackageManifest = {
    format: EDIT_PACKAGE_FORMAT,
    formatVersion: EDIT_PACKAGE_FORMAT_VERSION,
    ...manifest,
    counts: { versions: content.versions.length, features: content.features.length, layers: content.layers.length, photos: content.photos.length },
    content: { algorithm: 'SHA-256', sha256: await listDigest(files), files },
  };
  const zippable: Zippable = { [MANIFEST]: [json(full), { level: 6 }] };
  for (const [name, bytes, compress] of entries) zippable[name] = [bytes, { level: compress ? 6 : 0 }];
  return zipSync(zippable, { mtime: new Date('2000-01-01T00:00:00Z') });
}

const ZIP_MAGIC = [0x50, 0x4b, 0x03, 0x04];
const EOCD_SIGNATURE = 0x06054b50;

/** Position of the zip's end-of-central-directory record, or -1 when the archive's end is missing. */
function endOfCentralDirectory(bytes: Uint8Array): number {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const lowest = Math.max(0, bytes.length - 22 - 0xffff);
  for (let position = bytes.length - 22; position >= lowest; position -= 1) {
    if (view.getUint32(position, true) !== EOCD_SIGNATURE) continue;
    const commentLength = view.getUint16(position + 20, true);
    if (position + 22 + commentLength !== bytes.length) continue;
    const directorySize = view.getUint32(position + 12, true);
    const directoryOffset = view.getUint32(position + 16, true);
    if (directoryOffset + directorySize > position) return -1;
    return position;
  }
  return -1;
}

function parseJson(file: string, bytes: Uint8Array): unknown {
  try {
    return JSON.parse(decodeUtf8(bytes)) as unknown;
  } catch (error) {
    throw new EditPackageError('invalid-content', { file, reason: `not JSON: ${error instanceof Error ? error.message : String(error)}` });
  }
}

function invalid(file: string, path: (string | number)[], message: string): EditPackageError {
  return new EditPackageError('invalid-content', { file, reason: `${path.join('.') || file}: ${message}` });
}

/**
 * Reads and checks a package completely; throws {@link EditPackageError} with the first reason
 * it is refused. Nothing here touches a store.
 */
export async function decodeEditPackage(bytes: Uint8Array): Promise<DecodedEditPackage> {
  const prefix = ZIP_MAGIC.slice(0, Math.min(4, bytes.length));
  if (bytes.length === 0 || !prefix.every((byte, index) => bytes[index] === byte)) throw new EditPackageError('not-a-package', { reason: 'no zip signature' });
  if (bytes.length < 22 || endOfCentralDirectory(bytes) < 0) throw new EditPackageError('truncated', { reason: `the archive's end is missing (${bytes.length} bytes)` });
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(bytes);
  } catch (error) {
    throw new EditPackageError('damaged', { reason: error instanceof Error ? error.message : String(error) });
  }
  const manifestBytes = files[MANIFEST];
  if (manifestBytes === undefined) throw new EditPackageError('not-a-package', { reason: 'no manifest.json' });
  let manifestJson: unknown;
  try {
    manifestJson = JSON.parse(decodeUtf8(manifestBytes)) as unknown;
  } catch {
    throw new EditPackageError('damaged', { file: MANIFEST, reason: 'manifest.json is not JSON' });
  }
  const head = manifestHeadSchema.safeParse(manifestJson);
  if (!head.success) throw new EditPackageError('not-a-package', { file: MANIFEST, reason: 'not an edit package manifest' });
  if (head.data.formatVersion > EDIT_PACKAGE_FORMAT_VERSION) {
    throw new EditPackageError('newer-format', {
      formatVersion: head.data.formatVersion,
      supportedVersion: EDIT_PACKAGE_FORMAT_VERSION,
      reason: `format ${head.data.formatVersion}, this reads up to ${EDIT_PACKAGE_FORMAT_VERSION}`,
    });
  }
  const parsedManifest = manifestSchema.safeParse(manifestJson);
  if (!parsedManifest.success) {
    const issue = parsedManifest.error.issues[0];
    throw new EditPackageError('damaged', { file: MANIFEST, reason: `${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}` });
  }
  const manifest = parsedManifest.data as EditPackageManifest;

  // Integrity: every listed file present with its size and hash, nothing unlisted, the list's own hash.
  const listed = new Set<string>();
  for (const file of manifest.content.files) {
    listed.add(file.name);
    const content = files[file.name];
    if (content === undefined) throw new EditPackageError('checksum-mismatch', { file: file.name, reason: 'a listed file is missing' });
    if (content.length !== file.bytes || (await sha256Hex(content)) !== file.sha256) {
      throw new EditPackageError('checksum-mismatch', { file: file.name, reason: `SHA-256 or size differs (${content.length} bytes, ${file.bytes} listed)` });
    }
  }
  for (const name of Object.keys(files)) {
    if (name !== MANIFEST && !listed.has(name) && !name.endsWith('/')) throw new EditPackageError('checksum-mismatch', { file: name, reason: 'a file not covered by the checksum' });
  }
  if ((await listDigest(manifest.content.files)) !== manifest.content.sha256) {
    throw new EditPackageError('checksum-mismatch', { file: MANIFEST, reason: 'the content checksum differs' });
  }
  for (const name of [VERSIONS, FEATURES, LAYERS, PHOTOS]) if (!listed.has(name)) throw new EditPackageError('invalid-content', { file: name, reason: 'missing' });

  // Content.
  const versionsJson = parseJson(VERSIONS, files[VERSIONS] as Uint8Array);
  if (!Array.isArray(versionsJson)) throw invalid(VERSIONS, [], 'not a list');
  const versions: SyncVersion[] = [];
  versionsJson.forEach((raw, index) => {
    const result = journalEntrySchema.safeParse(raw);
    if (!result.success) {
      const issue = result.error.issues[0];
      throw invalid(VERSIONS, [index, ...(issue?.path ?? []).map((part) => (typeof part === 'symbol' ? String(part) : part))], issue?.message ?? 'invalid');
    }
    if (result.data.parents === undefined || result.data.applies !== undefined) throw invalid(VERSIONS, [index, 'parents'], 'a version needs its parents');
    versions.push(result.data as SyncVersion);
  });
  const ids = new Set<string>();
  const featureOf = new Map<string, string>();
  for (const version of versions) {
    if (ids.has(version.id)) throw invalid(VERSIONS, [version.id], 'listed twice');
    ids.add(version.id);
    featureOf.set(version.id, `${version.layerId}/${version.featureId}`);
  }
  for (const version of versions) {
    for (const parent of version.parents) {
      if (featureOf.get(parent) !== `${version.layerId}/${version.featureId}`) {
        throw invalid(VERSIONS, [version.id, 'parents'], `parent ${parent} is not a version of ${version.layerId}/${version.featureId} in the package`);
      }
    }
  }
  const featuresJson = parseJson(FEATURES, files[FEATURES] as Uint8Array);
  const features = z.array(packageFeatureSchema).safeParse(featuresJson);
  if (!features.success) throw invalid(FEATURES, features.error.issues[0]?.path.map(String) ?? [], features.error.issues[0]?.message ?? 'invalid');
  const layersJson = parseJson(LAYERS, files[LAYERS] as Uint8Array);
  const layers = z.array(layerDefinitionSchema).safeParse(layersJson);
  if (!layers.success) throw invalid(LAYERS, layers.error.issues[0]?.path.map(String) ?? [], layers.error.issues[0]?.message ?? 'invalid');
  const photosJson = parseJson(PHOTOS, files[PHOTOS] as Uint8Array);
  const photoMeta = z.array(photoMetaSchema).safeParse(photosJson);
  if (!photoMeta.success) throw invalid(PHOTOS, photoMeta.error.issues[0]?.path.map(String) ?? [], photoMeta.error.issues[0]?.message ?? 'invalid');
  const photos: PackagePhoto[] = photoMeta.data.map((meta) => {
    const photoBytes = files[photoPath(meta.id)];
    if (photoBytes === undefined) throw invalid(PHOTOS, [meta.id], 'its bytes are missing');
    if (photoBytes.length !== meta.byteSize) throw invalid(photoPath(meta.id), [], `${photoBytes.length} bytes, ${meta.byteSize} expected`);
    const thumbnailBytes = files[thumbnailPath(meta.id)];
    if ((meta.thumbnailMediaType === null) !== (thumbnailBytes === undefined)) throw invalid(PHOTOS, [meta.id], 'thumbnail and its media type do not match');
    return {
      id: meta.id,
      layerId: meta.layerId,
      featureId: meta.featureId,
      fileName: meta.fileName,
      mediaType: meta.mediaType,
      byteSize: meta.byteSize,
      createdAt: meta.createdAt,
      bytes: photoBytes,
      thumbnail: meta.thumbnailMediaType === null || thumbnailBytes === undefined ? null : { mediaType: meta.thumbnailMediaType, bytes: thumbnailBytes },
    };
  });
  let layerChanges: LayerChange[] = [];
  if (listed.has(LAYER_CHANGES)) {
    const parsed = parseLayerChanges(parseJson(LAYER_CHANGES, files[LAYER_CHANGES] as Uint8Array));
    if (!('changes' in parsed)) throw invalid(LAYER_CHANGES, parsed.path, parsed.message);
    layerChanges = parsed.changes;
  }
  let targetChanges: TargetChange[] = [];
  if (listed.has(TARGET_CHANGES)) {
    const parsed = parseTargetChanges(parseJson(TARGET_CHANGES, files[TARGET_CHANGES] as Uint8Array));
    if (!('changes' in parsed)) throw invalid(TARGET_CHANGES, parsed.path, parsed.message);
    targetChanges = parsed.changes;
  }
  return { manifest, versions, features: features.data, layers: layers.data as LayerDefinition[], photos, layerChanges, targetChanges };
}
