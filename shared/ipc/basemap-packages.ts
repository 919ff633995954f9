/**
 * Offline basemap packages over IPC: pick a .pmtiles/.mbtiles file (main shows the dialog, reads
 * the file's header in place and keeps its path in its own store), list, remove. The renderer only
 * ever sees a package id and the info in `shared/basemaps/package-info.ts`; tiles come through
 * `app://onemap/basemaps/<id>` (PMTiles by Range, MBTiles by `/<z>/<x>/<y>`).
 */
import { z } from 'zod';
import { basemapPackageErrorCodes, basemapPackageIdSchema, basemapPackageInfoSchema } from '../basemaps/package-info';
import type { BasemapPackageInfo } from '../basemaps/package-info';

export const addBasemapPackageResultSchema = z.discriminatedUnion('status', [
  z.strictObject({ status: z.literal('added'), package: basemapPackageInfoSchema }),
  z.strictObject({ status: z.literal('cancelled') }),
  /** The picked file is not a usable package: why (`code`, said by the UI), the file's name and the raw cause; nothing registered. */
  z.strictObject({ status: z.literal('refused'), code: z.enum(basemapPackageErrorCodes), fileName: z.string().max(500), reason: z.string().max(2000) }),
]);
export type AddBasemapPackageResult = z.output<typeof addBasemapPackageResultSchema>;

export const basemapPackageListSchema = z.array(basemapPackageInfoSchema).max(1000);
export type BasemapPackageList = BasemapPackageInfo[];

export const basemapPackagePayloadSchemas = {
  addBasemapPackage: {
    request: z.strictObject({}),
    response: addBasemapPackageResultSchema,
  },
  listBasemapPackages: {
    request: z.strictObject({}),
    response: basemapPackageListSchema,
  },
  removeBasemapPackage: {
    request: z.strictObject({ id: basemapPackageIdSchema }),
    response: z.void(),
  },
} as const;

export type { BasemapPackageInfo };
