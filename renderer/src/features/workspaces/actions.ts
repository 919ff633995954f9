// What the workspaces panel does: make a workspace from read boundaries or a template, export the
// open one as a template, switch. Writes go to the new workspace's own database and the registry
// (db/workspaces.ts), never to the open workspace's store.
import { featureToGeoJson, type GeoJsonFeature } from '../../../../shared/model';
import {
  encodeTemplate,
  targetsForCounties,
  TEMPLATE_FORMAT,
  TEMPLATE_VERSION,
  TEMPLATE_EXTENSION,
  type CountyBoundaries,
  type WorkspaceDefinition,
  type WorkspaceTemplate,
  type WorkspaceBoundaries,
} from '../../../../shared/workspace';
import { createLocalWorkspace, listLayers, listTargets, newWorkspaceId, readLayerFeatures, type OneMapDatabase } from '../../db';
import type { BasemapData } from '../../map/basemap-data';

/** The counties of the open workspace as a template keeps them (the four properties a workspace needs). */
export function countiesOf(basemap: BasemapData): CountyBoundaries {
  return {
    type: 'FeatureCollection',
    features: basemap.counties.features.map((county) => ({
      type: 'Feature',
      properties: { adcode: county.properties.adcode, name: county.properties.name, nameEn: county.properties.nameEn, labelPoint: county.properties.labelPoint },
      geometry: county.geometry as CountyBoundaries['features'][number]['geometry'],
    })),
  };
}

export interface FromBoundariesRequest {
  name: { zh: string; en: string };
  boundaries: WorkspaceBoundaries;
  /** The open workspace's store, to copy its layer definitions and targets from; null: start empty. */
  copyFrom: OneMapDatabase | null;
  reservedNames: readonly string[];
}

export async function createFromBoundaries(request: FromBoundariesRequest): Promise<WorkspaceDefinition> {
  const layers = request.copyFrom ? await listLayers(request.copyFrom) : [];
  const adcodes = new Set(request.boundaries.counties.features.map((county) => county.properties.adcode));
  const targets = request.copyFrom ? targetsForCounties(await listTargets(request.copyFrom), adcodes) : [];
  return createLocalWorkspace({
    definition: { id: newWorkspaceId(), name: request.name, extent: request.boundaries.extent, basemap: { kind: 'boundaries' }, counties: request.boundaries.counties },
    layers,
    targets,
    reservedNames: request.reservedNames,
  });
}

export async function templateOf(database: OneMapDatabase, definition: WorkspaceDefinition, basemap: BasemapData, withData: boolean, now = new Date()): Promise<WorkspaceTemplate> {
  const layers = await listLayers(database);
  const targets = await listTargets(database);
  let features: Record<string, GeoJsonFeature[]> | undefined;
  if (withData) {
    features = {};
    for (const layer of layers) features[layer.id] = (await readLayerFeatures(database, layer.id)).map(featureToGeoJson);
  }
  return {
    format: TEMPLATE_FORMAT,
    version: TEMPLATE_VERSION,
    createdAt: now.toISOString(),
    workspace: { name: definition.name, extent: definition.extent, counties: definition.counties ?? countiesOf(basemap) },
    layers,
    targets,
    ...(features ? { features } : {}),
  };
}

/** `<name>-<date>.onemap-template`, the bytes gzip-compressed JSON. */
export function templateFile(template: WorkspaceTemplate, language: string): { fileName: string; bytes: Uint8Array } {
  const name = language === 'en' ? template.workspace.name.en : template.workspace.name.zh;
  return { fileName: `${name.replace(/[\\/:*?"<>|]/g, '_')}-${template.createdAt.slice(0, 10)}${TEMPLATE_EXTENSION}`, bytes: encodeTemplate(template) };
}

export function createFromTemplate(template: WorkspaceTemplate, name: { zh: string; en: string }, reservedNames: readonly string[]): Promise<WorkspaceDefinition> {
  return createLocalWorkspace({
    definition: { id: newWorkspaceId(), name, extent: template.workspace.extent, basemap: { kind: 'boundaries' }, counties: template.workspace.counties },
    layers: template.layers,
    targets: template.targets,
    ...(template.features ? { features: template.features } : {}),
    reservedNames,
  });
}

export function download(fileName: string, bytes: Uint8Array, type: string): void {
  const blob = new Blob([bytes as BlobPart], { type });
  const url = URL.createObjectURL(blob);
  const anchor = document.createElement('a');
  anchor.href = url;
  anchor.download = fileName;
  anchor.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
