// The workbench's data as the print worker takes it: the basemap and the visible layers in the
// map's colours, the legend, the targets of the chosen set with their features (as the dashboards
// read them), the sources.
import type { TFunction } from 'i18next';
import type { Geometry } from 'geojson';
import { isInTargetScope } from '../../../../shared/analysis';
import type { Feature, LayerDefinition, Target } from '../../../../shared/model';
// Named modules, not the shared/print barrel (which brings the PDF and .docx writers).
import { geometryBounds } from '../../../../shared/print/geometry';
import type { BulletinTargetInput } from '../../../../shared/print/bulletin';
import type { LegendEntry, MapPageTexts, PrintBasemap, PrintLayer } from '../../../../shared/print/map-page';
import { attributionTexts, type BasemapData } from '../../map/basemap-data';
import { countyPalette } from '../../map/basemap-style';
import type { PrintViewInfo } from '../../map/map-export';
import { statusColors, symbolFamilyOf } from '../../map/planning-layers';
import { localized } from '../../lib/localize';
import type { WorkbenchData } from '../../lib/workbench-data';
import { coreTargetIds } from '../dashboard';
import { legendEntries } from '../map-export';

export function printBasemap(basemap: BasemapData, colors: PrintViewInfo['colors'], language: string): PrintBasemap {
  return {
    counties: basemap.counties.features.map((county, index) => ({
      adcode: county.properties.adcode,
      name: localized({ zh: county.properties.name, en: county.properties.nameEn }, language),
      labelPoint: county.properties.labelPoint,
      geometry: county.geometry,
      fill: countyPalette[index % countyPalette.length]!,
    })),
    city: basemap.city.features.map((feature) => feature.geometry),
    lakes: basemap.lakes.features.map((feature) => feature.geometry),
    rivers: basemap.rivers.features.map((feature) => feature.geometry),
    seats: basemap.seats.features.map((seat) => ({ coordinates: seat.geometry.coordinates as [number, number], kind: seat.properties.kind })),
    colors,
  };
}

/** [west, south, east, north] of the city (the bulletin's maps show all of it). */
export function cityExtent(basemap: BasemapData): [number, number, number, number] {
  const parts = (basemap.city.features.length > 0 ? basemap.city.features : basemap.counties.features).map((feature) => geometryBounds(feature.geometry as Geometry));
  return [Math.min(...parts.map((box) => box[0])), Math.min(...parts.map((box) => box[1])), Math.max(...parts.map((box) => box[2])), Math.max(...parts.map((box) => box[3]))];
}

export function printLayer(definition: LayerDefinition, features: readonly Feature[]): PrintLayer {
  return {
    id: definition.id,
    geometryType: definition.geometryType,
    colors: Object.fromEntries(statusColors(definition)),
    stroke: symbolFamilyOf(definition).stroke,
    features: features.map((feature) => ({ geometry: feature.geometry as Geometry, status: feature.status })),
  };
}

/** The layers the map shows, bottom first, with the features their filters show. */
export function visibleLayers(data: WorkbenchData): LayerDefinition[] {
  return data.orderedLayers.filter((layer) => data.settings[layer.id]?.visible);
}

export function legendFor(layers: readonly { definition: LayerDefinition; statuses: readonly string[] | null }[], colors: PrintViewInfo['colors'], language: string, t: TFunction): LegendEntry[] {
  return legendEntries(layers, language, {
    colors,
    texts: { basemapHeading: t('mapExport.basemap'), city: t('legend.city'), county: t('legend.county'), lake: t('legend.lake'), river: t('legend.river'), seat: t('legend.seat') },
  });
}

export function mapTexts(t: TFunction, title: string, date: string, sources: readonly string[]): MapPageTexts {
  // Templates the worker fills (it has no i18next): the placeholders pass through as themselves.
  return {
    title,
    legendHeading: t('mapExport.legend'),
    legendMore: t('mapExport.legendMore', { count: '{{count}}' }),
    scale: t('mapExport.scale', { denominator: '{{denominator}}' }),
    north: t('mapExport.north'),
    dateLine: t('mapExport.date', { date }),
    sourcesLine: t('mapExport.sources', { sources: sources.join(t('mapExport.sourceSeparator')) }),
    creditLine: t('mapExport.credit', { crs: 'WGS84 / Web Mercator' }),
    watermark: '示例数据 / Demo data',
  };
}

export function sourceLines(basemap: BasemapData, demo: boolean, language: string, t: TFunction): string[] {
  return [...attributionTexts(basemap.attribution, language), t(demo ? 'mapExport.planningSourceDemo' : 'mapExport.planningSource')];
}

/** The set's targets as the bulletin and atlas read them: every feature of the layer (as the dashboard), core ones marked. */
export function targetInputs(targets: readonly Target[], data: WorkbenchData, language: string): BulletinTargetInput[] {
  const shipped = targets.some((target) => coreTargetIds.includes(target.id));
  return targets.flatMap((target) => {
    const layer = data.layers.find((candidate) => candidate.id === target.layerId);
    if (!layer) return [];
    return [{ target, layer, features: data.featuresByLayer.get(layer.id) ?? [], title: localized(target.title, language), unit: localized(target.unit, language), core: shipped ? coreTargetIds.includes(target.id) : true }];
  });
}

/** A core target's map: its layer with only the features in its scope. */
export function targetMapLayer(input: BulletinTargetInput): PrintLayer {
  return printLayer(input.layer, input.features.filter((feature) => isInTargetScope(input.target, feature)));
}

/** Templates (`{{…}}` kept) of a locale subtree, for the worker; the UI language's, else zh-CN's. */
export function templates<T>(resource: (language: string) => unknown, language: string): T {
  return ({ ...(resource('zh-CN') as object), ...(resource(language) as object) }) as T;
}
