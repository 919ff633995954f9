// A workspace template: what a province hands each city to start from — the layer definitions,
// the target sets, the boundaries and, optionally, the features. One gzip-compressed JSON file;
// everything is checked on the way in (shapes with the model's schemas, then the cross-references)
// before a workspace is made from it.
import { gunzipSync, gzipSync, strFromU8, strToU8 } from 'fflate';
import { z } from 'zod';
import { layerDefinitionListSchema, type LayerDefinition } from '../model/layer-definition';
import { targetListSchema, type Target } from '../model/target';
import { localizedTextSchema } from '../model/localized-text';
import { geometrySchema } from '../model/geometry';
import type { GeoJsonFeature } from '../model/geojson-feature';
import { countyBoundariesSchema, extentSchema, type CountyBoundaries, type Extent } from './definition';
import { WorkspaceError } from './errors';

export const TEMPLATE_FORMAT = 'onemap-workspace-template';
export const TEMPLATE_VERSION = 1;
export const TEMPLATE_EXTENSION = '.onemap-template';

const templateFeatureSchema = z.strictObject({
  type: z.literal('Feature'),
  id: z.union([z.string(), z.number()]),
  properties: z.record(z.string(), z.unknown()).nullable(),
  geometry: geometrySchema,
});

const templateSchema = z.strictObject({
  format: z.literal(TEMPLATE_FORMAT),
  version: z.literal(TEMPLATE_VERSION),
  createdAt: z.string(),
  workspace: z.strictObject({ name: localizedTextSchema, extent: extentSchema, counties: countyBoundariesSchema }),
  layers: z.array(z.unknown()),
  targets: z.array(z.unknown()),
  /** Features by layer id, when the template carries data. */
  features: z.record(z.string(), z.array(templateFeatureSchema)).optional(),
});

export interface WorkspaceTemplate {
  format: typeof TEMPLATE_FORMAT;
  version: typeof TEMPLATE_VERSION;
  createdAt: string;
  workspace: { name: { zh: string; en: string }; extent: Extent; counties: CountyBoundaries };
  layers: LayerDefinition[];
  targets: Target[];
  features?: Record<string, GeoJsonFeature[]>;
}

export function encodeTemplate(template: WorkspaceTemplate): Uint8Array {
  return gzipSync(strToU8(JSON.stringify(template)), { level: 6, mtime: 0 });
}

function invalid(file: string, technical: string): WorkspaceError {
  return new WorkspaceError('workspace.template-invalid', { file, technical });
}

function issueText(error: z.ZodError): string {
  const issue = error.issues[0];
  return issue ? `${issue.path.join('.') || '(root)'}: ${issue.message}` : error.message;
}

/** Reads a template file; a file that is not one, is damaged, from a newer OneMap or inconsistent is refused, naming why. */
export function decodeTemplate(bytes: Uint8Array, file: string): WorkspaceTemplate {
  let json: unknown;
  try {
    json = JSON.parse(strFromU8(gunzipSync(bytes)));
  } catch (error) {
    throw invalid(file, error instanceof Error ? error.message : String(error));
  }
  const head = json as { format?: unknown; version?: unknown } | null;
  if (head?.format === TEMPLATE_FORMAT && typeof head.version === 'number' && head.version > TEMPLATE_VERSION) {
    throw new WorkspaceError('workspace.template-version', { file, value: head.version });
  }
  const shape = templateSchema.safeParse(json);
  if (!shape.success) throw invalid(file, issueText(shape.error));
  const layers = layerDefinitionListSchema.safeParse(shape.data.layers);
  if (!layers.success) throw invalid(file, `layers.${issueText(layers.error)}`);
  const targets = targetListSchema.safeParse(shape.data.targets);
  if (!targets.success) throw invalid(file, `targets.${issueText(targets.error)}`);
  const layerIds = new Set(layers.data.map((layer) => layer.id));
  const adcodes = new Set(shape.data.workspace.counties.features.map((county) => county.properties.adcode));
  for (const target of targets.data) {
    if (!layerIds.has(target.layerId)) throw invalid(file, `target "${target.id}" measures layer "${target.layerId}", which the template does not define`);
    const outside = target.countySplit?.kind === 'table' ? target.countySplit.rows.find((row) => !adcodes.has(row.county)) : undefined;
    if (outside) throw invalid(file, `target "${target.id}" splits by county ${outside.county}, which is not among the boundaries`);
  }
  for (const layerId of Object.keys(shape.data.features ?? {})) {
    if (!layerIds.has(layerId)) throw invalid(file, `features of layer "${layerId}", which the template does not define`);
  }
  return {
    format: TEMPLATE_FORMAT,
    version: TEMPLATE_VERSION,
    createdAt: shape.data.createdAt,
    workspace: shape.data.workspace,
    layers: layers.data,
    targets: targets.data,
    ...(shape.data.features ? { features: shape.data.features as Record<string, GeoJsonFeature[]> } : {}),
  };
}

/**
 * Targets taken into another city's workspace: a per-county table naming counties it does not
 * have is dropped (the target keeps its city-wide quantity), since another city's county split
 * means nothing there.
 */
export function targetsForCounties(targets: readonly Target[], adcodes: ReadonlySet<number>): Target[] {
  return targets.map((target) => {
    if (target.countySplit?.kind !== 'table' || target.countySplit.rows.every((row) => adcodes.has(row.county))) return target;
    const { countySplit: _dropped, ...rest } = target;
    return rest as Target;
  });
}
