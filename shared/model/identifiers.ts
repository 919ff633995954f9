import { z } from 'zod';

/** Layer and target ids: lowercase words joined by hyphens, e.g. `pocket-parks`. */
export const slugSchema = z.string().regex(/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/, 'lowercase words joined by hyphens');

/** Field keys are camelCase so they read naturally in code and in GeoJSON properties. */
export const fieldKeySchema = z.string().regex(/^[a-z][a-zA-Z0-9]*$/, 'camelCase field key');

/** A 6-digit Chinese administrative division code of a county-level unit, e.g. 131102. */
export const countyAdcodeSchema = z.int().min(100000).max(999999);
export type CountyAdcode = z.infer<typeof countyAdcodeSchema>;

/**
 * Properties every feature may carry besides the layer's own fields. In GeoJSON they sit
 * in `properties`; in a {@link Feature} they are top-level members.
 */
export const RESERVED_PROPERTY_KEYS = ['status', 'county', 'demo'] as const;
