import { z } from 'zod';
import { geometrySchema } from './geometry';
import { countyAdcodeSchema, fieldKeySchema, slugSchema } from './identifiers';
import { timestampSchema } from './calendar-date';

/** A property value as stored: JSON scalars only (dates are `YYYY-MM-DD` strings). */
export const propertyValueSchema = z.union([z.string(), z.number(), z.boolean(), z.null()]);
export type PropertyValue = z.infer<typeof propertyValueSchema>;

export const featureIdSchema = z.string().min(1).max(200);

/**
 * One feature of a layer, as the store keeps it. `properties` holds the layer's field values
 * only; status, county and the demo flag are members of their own so that indexes and
 * dashboards never depend on a layer's field names.
 */
export const featureSchema = z.strictObject({
  id: featureIdSchema,
  layerId: slugSchema,
  geometry: geometrySchema,
  properties: z.record(fieldKeySchema, propertyValueSchema),
  status: z.string().min(1),
  /** The county the feature lies in, or null when it lies outside every county. */
  county: countyAdcodeSchema.nullable(),
  /** True for generated demo data (shown as 示例数据). */
  demo: z.boolean(),
  createdAt: timestampSchema,
  updatedAt: timestampSchema,
  /** Starts at 1 and grows by one with every committed change. */
  revision: z.int().min(1),
});
export type Feature = z.infer<typeof featureSchema>;

/** What the pure analysis functions need of a feature. */
export type FeatureFacts = Pick<Feature, 'id' | 'layerId' | 'geometry' | 'properties' | 'status' | 'county'>;
