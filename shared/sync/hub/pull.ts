// Pulling from the hub (docs/HUB-API.md, `GET /v1/changes`): what changed in some counties since
// a cursor. The hub derives its validation and OpenAPI document from these schemas.
import { z } from 'zod';
import { countyAdcodeSchema, fieldKeySchema, slugSchema } from '../../model/identifiers';
import { featureIdSchema, propertyValueSchema } from '../../model/feature';
import { geometrySchema } from '../../model/geometry';
import { timestampSchema } from '../../model/calendar-date';
import { lastChangeSchema } from './history';

export const PULL_LIMIT_DEFAULT = 500;
export const PULL_LIMIT_MAX = 5000;

/**
 * The query string as sent (every value is text). `counties`: comma-separated adcodes; `0` stands
 * for "outside every county" (users with all counties only). `bbox`: minLon,minLat,maxLon,maxLat.
 */
export const pullQuerySchema = z.strictObject({
  counties: z
    .string()
    .regex(/^(0|[1-9]\d{5})(,(0|[1-9]\d{5}))*$/)
    .describe('comma-separated 6-digit county adcodes'),
  cursor: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,4000}$/)
    .describe('the cursor of an earlier answer')
    .optional(),
  limit: z
    .string()
    .regex(/^[1-9]\d{0,5}$/)
    .describe(`a whole number from 1 to ${PULL_LIMIT_MAX}`)
    .optional(),
  bbox: z
    .string()
    .regex(/^-?\d+(\.\d+)?(,-?\d+(\.\d+)?){3}$/)
    .describe('minLon,minLat,maxLon,maxLat')
    .optional(),
});
export type PullQuery = z.infer<typeof pullQuerySchema>;

/** A photo of a feature: download the bytes by hash (`GET /v1/attachments/:sha256`). */
export const pulledAttachmentSchema = z.strictObject({
  attachmentId: z.string().min(1),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  thumbnailSha256: z.string().regex(/^[0-9a-f]{64}$/).nullable(),
  fileName: z.string(),
  mediaType: z.string(),
  byteSize: z.int().min(0),
  createdAt: timestampSchema,
  /** False once detached: the app drops the photo. */
  attached: z.boolean(),
  version: z.int().min(1),
});
export type PulledAttachment = z.infer<typeof pulledAttachmentSchema>;

/** The feature as the hub holds it now (a deleted one is a tombstone: `deleted: true`). */
export const pulledFeatureSchema = z.strictObject({
  layerId: slugSchema,
  id: featureIdSchema,
  version: z.int().min(1),
  deleted: z.boolean(),
  county: countyAdcodeSchema.nullable(),
  status: z.string().min(1),
  properties: z.record(fieldKeySchema, propertyValueSchema),
  geometry: geometrySchema,
  demo: z.boolean(),
  createdAt: timestampSchema,
  updatedAt: timestampSchema,
  /** Field key (shared/sync/fields.ts) → the version that last wrote it. */
  fieldVersions: z.record(z.string(), z.int().min(1)),
  attachments: z.array(pulledAttachmentSchema),
  /** Who wrote this version (or attached or detached a photo since); absent only for rows older than the hub's schema 4. */
  lastChange: lastChangeSchema.optional(),
});
export type PulledFeature = z.infer<typeof pulledFeatureSchema>;

/**
 * The feature left `county` (moved to a county not pulled, or outside the puller's scope): the
 * puller drops its copy. No content is sent.
 */
export const movedOutFeatureSchema = z.strictObject({
  layerId: slugSchema,
  id: featureIdSchema,
  version: z.int().min(1),
  movedOut: z.literal(true),
  /** The county the feature left (0: outside every county). */
  county: z.int().min(0),
});
export type MovedOutFeature = z.infer<typeof movedOutFeatureSchema>;

export const pullResponseSchema = z.strictObject({
  features: z.array(z.union([pulledFeatureSchema, movedOutFeatureSchema])),
  /** Opaque: send it back as `cursor` for the next page. */
  cursor: z.string(),
  /** True when the page was full: pull again with the new cursor. */
  more: z.boolean(),
});
export type PullResponse = z.infer<typeof pullResponseSchema>;

export function isMovedOut(feature: PulledFeature | MovedOutFeature): feature is MovedOutFeature {
  return 'movedOut' in feature;
}
