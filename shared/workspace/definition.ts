import { z } from 'zod';
import { localizedTextSchema } from '../model/localized-text';
import { countyAdcodeSchema, slugSchema } from '../model/identifiers';
import { multiPolygonGeometrySchema, polygonGeometrySchema } from '../model/geometry';

/** WGS84 degrees [west, south, east, north]. */
export const extentSchema = z
  .tuple([z.number().min(-180).max(180), z.number().min(-90).max(90), z.number().min(-180).max(180), z.number().min(-90).max(90)])
  .refine(([west, south, east, north]) => west < east && south < north, 'west < east and south < north');
export type Extent = z.infer<typeof extentSchema>;

/** One county-level division of a workspace: its code, names, outline and where its label goes. */
export const countyBoundarySchema = z.strictObject({
  type: z.literal('Feature'),
  properties: z.strictObject({
    adcode: countyAdcodeSchema,
    name: z.string().min(1),
    nameEn: z.string().min(1),
    labelPoint: z.tuple([z.number(), z.number()]),
  }),
  geometry: z.union([polygonGeometrySchema, multiPolygonGeometrySchema]),
});
export type CountyBoundary = z.infer<typeof countyBoundarySchema>;

export const countyBoundariesSchema = z.strictObject({
  type: z.literal('FeatureCollection'),
  features: z.array(countyBoundarySchema).min(1),
});
export type CountyBoundaries = z.infer<typeof countyBoundariesSchema>;

/** The basemap files a workspace ships with, by role, served at /geodata/ (names are data, not code). */
export const bundledBasemapSchema = z.strictObject({
  kind: z.literal('bundled'),
  files: z.strictObject({
    counties: z.string().min(1),
    city: z.string().min(1),
    lakes: z.string().min(1),
    rivers: z.string().min(1),
    seats: z.string().min(1),
    attribution: z.string().min(1),
  }),
});

/** No bundled basemap: the map draws the workspace's own boundaries (and any offline package). */
export const boundariesBasemapSchema = z.strictObject({ kind: z.literal('boundaries') });

export const workspaceBasemapSchema = z.discriminatedUnion('kind', [bundledBasemapSchema, boundariesBasemapSchema]);
export type WorkspaceBasemap = z.infer<typeof workspaceBasemapSchema>;

/**
 * A local workspace as the registry keeps it: its name, its store's database, extent and basemap.
 * `counties` is held for a workspace made from a boundary file; a bundled basemap carries its own.
 */
export const workspaceDefinitionSchema = z.strictObject({
  id: slugSchema,
  name: localizedTextSchema,
  database: z.string().min(1),
  extent: extentSchema,
  basemap: workspaceBasemapSchema,
  counties: countyBoundariesSchema.optional(),
  /** The date progress is computed for while demo data is shown; absent: today. */
  asOf: z.string().optional(),
  createdAt: z.string(),
});
export type WorkspaceDefinition = z.infer<typeof workspaceDefinitionSchema>;

