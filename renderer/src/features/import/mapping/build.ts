// The features to commit, built from the source features through a mapping.
import { geometryFitsLayerType, type GeoJsonFeature, type LayerDefinition, type PropertyValue } from '../../../../../shared/model';
import type { ImportFeature } from '../../../db/import';
import { convertValue, statusFromValue } from './convert';
import type { BuiltFeatures, ConversionProblem, FieldMapping, SkippedFeature } from './types';


/**
 * The features to commit: geometry kinds the layer cannot hold are skipped (and listed), every
 * mapped value converted; a value that does not convert is a problem (the import is refused).
 * At most `maxProblems` problems are kept; `problemCount` in the result counts all of them.
 */
export function buildImportFeatures(
  source: readonly GeoJsonFeature[],
  layer: LayerDefinition,
  mapping: FieldMapping,
  options: { maxProblems?: number; /** The index in the file of `source[0]` (a batch of a streamed file). */ indexOffset?: number } = {},
): BuiltFeatures & { problemCount: number } {
  const maxProblems = options.maxProblems ?? 100;
  const indexOffset = options.indexOffset ?? 0;
  const features: ImportFeature[] = [];
  const skipped: SkippedFeature[] = [];
  const problems: ConversionProblem[] = [];
  let problemCount = 0;
  const report = (problem: ConversionProblem) => {
    problemCount += 1;
    if (problems.length < maxProblems) problems.push(problem);
  };
  const fieldsByKey = new Map(layer.fields.map((field) => [field.key, field]));
  source.forEach((feature, position) => {
    const sourceIndex = indexOffset + position;
    if (!geometryFitsLayerType(feature.geometry.type, layer.geometryType)) {
      skipped.push({ sourceIndex, reason: 'geometry-kind', geometryType: feature.geometry.type });
      return;
    }
    const properties: Record<string, PropertyValue> = {};
    for (const [key, mappingSource] of Object.entries(mapping.fields)) {
      const field = fieldsByKey.get(key);
      if (field === undefined) continue;
      const raw = mappingSource.kind === 'column' ? (feature.properties?.[mappingSource.column] as PropertyValue | undefined) : mappingSource.kind === 'constant' ? mappingSource.value : undefined;
      const result = convertValue(field, raw);
      if (!result.ok) report({ sourceIndex, field: key, column: mappingSource.kind === 'column' ? mappingSource.column : '', value: raw, problem: result.problem });
      else if (result.value !== null) properties[key] = result.value;
    }
    for (const field of layer.fields) {
      if (field.required && !(field.key in mapping.fields)) report({ sourceIndex, field: field.key, column: '', value: undefined, problem: { code: 'required' } });
    }
    const imported: ImportFeature = { geometry: feature.geometry, properties, sourceIndex };
    if (mapping.idColumn !== null) {
      const raw = feature.properties?.[mapping.idColumn];
      const id = raw === null || raw === undefined ? '' : String(raw).trim();
      if (id === '') report({ sourceIndex, field: 'id', column: mapping.idColumn, value: raw as PropertyValue, problem: { code: 'empty-id' } });
      else imported.id = id;
    } else if (feature.id !== undefined && String(feature.id).trim() !== '') {
      imported.id = String(feature.id);
    }
    if (mapping.statusColumn !== null) {
      const raw = feature.properties?.[mapping.statusColumn] as PropertyValue | undefined;
      if (raw !== null && raw !== undefined && String(raw).trim() !== '') {
        const status = statusFromValue(layer, raw);
        if (status === undefined) report({ sourceIndex, field: 'status', column: mapping.statusColumn, value: raw, problem: { code: 'unknown-status' } });
        else imported.status = status;
      }
    }
    features.push(imported);
  });
  return { features, skipped, problems, problemCount };
}
