import { z } from 'zod';

/** WGS84 longitude/latitude (an optional third value is an elevation and is kept). */
export const positionSchema = z.union([
  z.tuple([z.number().min(-180).max(180), z.number().min(-90).max(90)]),
  z.tuple([z.number().min(-180).max(180), z.number().min(-90).max(90), z.number()]),
]);

const linearRingSchema = z
  .array(positionSchema)
  .min(4)
  .refine((ring) => {
    const first = ring[0];
    const last = ring[ring.length - 1];
    return first !== undefined && last !== undefined && first[0] === last[0] && first[1] === last[1];
  }, 'a linear ring must be closed (first position equals last)');

export const pointGeometrySchema = z.strictObject({ type: z.literal('Point'), coordinates: positionSchema });
export const multiPointGeometrySchema = z.strictObject({
  type: z.literal('MultiPoint'),
  coordinates: z.array(positionSchema).min(1),
});
export const lineStringGeometrySchema = z.strictObject({
  type: z.literal('LineString'),
  coordinates: z.array(positionSchema).min(2),
});
export const multiLineStringGeometrySchema = z.strictObject({
  type: z.literal('MultiLineString'),
  coordinates: z.array(z.array(positionSchema).min(2)).min(1),
});
export const polygonGeometrySchema = z.strictObject({
  type: z.literal('Polygon'),
  coordinates: z.array(linearRingSchema).min(1),
});
export const multiPolygonGeometrySchema = z.strictObject({
  type: z.literal('MultiPolygon'),
  coordinates: z.array(z.array(linearRingSchema).min(1)).min(1),
});

export const geometrySchema = z.discriminatedUnion('type', [
  pointGeometrySchema,
  multiPointGeometrySchema,
  lineStringGeometrySchema,
  multiLineStringGeometrySchema,
  polygonGeometrySchema,
  multiPolygonGeometrySchema,
]);

export type Position = z.infer<typeof positionSchema>;
export type Geometry = z.infer<typeof geometrySchema>;
export type GeometryKind = Geometry['type'];

/** The geometry kind a layer declares; its Multi* variant is accepted too. */
export const layerGeometryTypeSchema = z.enum(['Point', 'LineString', 'Polygon']);
export type LayerGeometryType = z.infer<typeof layerGeometryTypeSchema>;

const ACCEPTED_GEOMETRY_KINDS: Record<LayerGeometryType, readonly GeometryKind[]> = {
  Point: ['Point', 'MultiPoint'],
  LineString: ['LineString', 'MultiLineString'],
  Polygon: ['Polygon', 'MultiPolygon'],
};

export function geometryFitsLayerType(kind: GeometryKind, layerType: LayerGeometryType): boolean {
  return ACCEPTED_GEOMETRY_KINDS[layerType].includes(kind);
}
