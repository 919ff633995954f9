// The fields sync merges independently, and what each version (journal entry) wrote.
//
// A feature is a set of fields: `exists`, `geometry`, `status`, `county`, `demo`, `createdAt`,
// one `properties.<key>` per property, and one `photo:<attachmentId>` per photo (attached or not).
// A version *writes* the fields whose value it changed — the difference between the entry's
// `before` and `after` snapshots, i.e. between what its author saw and what they saved — plus the
// fields a conflict resolution explicitly decided (`decides`). Merging is per field.
import type { Feature, JournalEntry, PropertyValue } from '../model';

/** A journal entry as it travels between devices: its parents are always present. */
export type SyncVersion = JournalEntry & { parents: string[] };

/** What a feature *is*, without the local bookkeeping (revision, update time). */
export type FeatureContent = Pick<Feature, 'geometry' | 'properties' | 'status' | 'county' | 'demo' | 'createdAt'>;

export const EXISTS = 'exists';
export const CORE_FIELDS = ['geometry', 'status', 'county', 'demo', 'createdAt'] as const;
export type CoreField = (typeof CORE_FIELDS)[number];
const PROPERTY_PREFIX = 'properties.';
const PHOTO_PREFIX = 'photo:';

export const propertyField = (key: string): string => `${PROPERTY_PREFIX}${key}`;
export const photoField = (attachmentId: string): string => `${PHOTO_PREFIX}${attachmentId}`;
export const isPropertyField = (field: string): boolean => field.startsWith(PROPERTY_PREFIX);
export const isPhotoField = (field: string): boolean => field.startsWith(PHOTO_PREFIX);
export const propertyKeyOf = (field: string): string => field.slice(PROPERTY_PREFIX.length);
export const photoIdOf = (field: string): string => field.slice(PHOTO_PREFIX.length);

/** A field's value and its canonical text (equal values ⇔ equal keys). `undefined` = an absent property. */
export interface FieldValue {
  key: string;
  value: unknown;
}

const ABSENT_KEY = '~absent';

/** JSON with object keys sorted, so equal values give equal text. */
export function canonicalJson(value: unknown): string {
  if (value === undefined) return ABSENT_KEY;
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (typeof value === 'object' && value !== null) {
    const record = value as Record<string, unknown>;
    return Object.fromEntries(
      Object.keys(record)
        .sort()
        .map((key) => [key, sortKeys(record[key])]),
    );
  }
  return value;
}

export const fieldValue = (value: unknown): FieldValue => ({ key: canonicalJson(value), value });

export function featureContent(feature: FeatureContent): FeatureContent {
  return {
    geometry: feature.geometry,
    properties: feature.properties,
    status: feature.status,
    county: feature.county,
    demo: feature.demo,
    createdAt: feature.createdAt,
  };
}

/** Canonical text of a feature's content (null when deleted); equal content ⇔ equal text. */
export function contentKey(content: FeatureContent | null): string {
  return content === null ? 'null' : canonicalJson(featureContent(content));
}

/** Every field of a content (a deleted feature only has `exists: false`). */
export function contentFields(content: FeatureContent | null): Map<string, FieldValue> {
  const fields = new Map<string, FieldValue>();
  fields.set(EXISTS, fieldValue(content !== null));
  if (content === null) return fields;
  for (const field of CORE_FIELDS) fields.set(field, fieldValue(content[field]));
  for (const [key, value] of Object.entries(content.properties)) fields.set(propertyField(key), fieldValue(value));
  return fields;
}

/** Reads one field of a content; `undefined` for an absent property (or any field of a deleted feature). */
export function readField(content: FeatureContent | null, field: string): unknown {
  if (field === EXISTS) return content !== null;
  if (content === null) return undefined;
  if (isPropertyField(field)) return content.properties[propertyKeyOf(field)];
  return content[field as CoreField];
}

/**
 * A content built from field values: `exists` decides null; the core fields are required (a
 * feature that exists has them all); `properties.*` with an absent value are left out.
 */
export function contentFromFields(read: (field: string) => FieldValue | undefined, propertyFields: Iterable<string>): FeatureContent | null {
  if (read(EXISTS)?.value !== true) return null;
  const core: Record<string, unknown> = {};
  for (const field of CORE_FIELDS) {
    const found = read(field);
    if (found === undefined) throw new Error(`sync: no value for "${field}"`);
    core[field] = found.value;
  }
  const properties: Record<string, PropertyValue> = {};
  for (const field of [...propertyFields].filter(isPropertyField).sort()) {
    const found = read(field);
    if (found !== undefined && found.value !== undefined) properties[propertyKeyOf(field)] = found.value as PropertyValue;
  }
  return { ...(core as Omit<FeatureContent, 'properties'>), properties };
}

/**
 * Decided photo fields travel as `photo:<id>=1` (attached) or `photo:<id>=0` (removed): a
 * resolution's feature entry carries no photo state of its own.
 */
export function decidedPhoto(attachmentId: string, attached: boolean): string {
  return `${photoField(attachmentId)}=${attached ? 1 : 0}`;
}

/** The fields a version wrote, with the values it wrote. */
export function versionWrites(version: JournalEntry): Map<string, FieldValue> {
  const writes = new Map<string, FieldValue>();
  if (version.operation === 'attach' || version.operation === 'detach') {
    const attachmentId = version.attachment?.id ?? '';
    writes.set(photoField(attachmentId), fieldValue(version.operation === 'attach'));
  } else if (version.after === null) {
    writes.set(EXISTS, fieldValue(false));
  } else {
    const after = contentFields(version.after);
    const before = version.before === null ? null : contentFields(version.before);
    for (const [field, value] of after) {
      if (before === null || before.get(field)?.key !== value.key) writes.set(field, value);
    }
    if (before !== null) {
      // A property removed by the edit is written as absent.
      for (const field of before.keys()) if (!after.has(field)) writes.set(field, fieldValue(undefined));
    }
  }
  for (const decided of version.decides ?? []) {
    const photo = /^(photo:.+)=([01])$/.exec(decided);
    if (photo !== null) writes.set(photo[1] as string, fieldValue(photo[2] === '1'));
    else writes.set(decided, fieldValue(readField(version.after, decided)));
  }
  return writes;
}
