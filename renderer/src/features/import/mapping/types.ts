// The mapping's data: where each layer field's value comes from, and what a build leaves out or refuses.
import type { FieldProblem, Geometry, PropertyValue } from '../../../../../shared/model';
import type { ImportFeature } from '../../../db/import';

/** Where a layer field's value comes from. */
export type FieldSource = { kind: 'column'; column: string } | { kind: 'constant'; value: PropertyValue } | { kind: 'none' };

export interface FieldMapping {
  /** By layer field key. */
  fields: Record<string, FieldSource>;
  /** The column holding feature ids; null → the file's own ids (GeoJSON id, `onemap_id`), else new ids. */
  idColumn: string | null;
  /** The column holding the status (value or label of a state); null → the layer's initial status. */
  statusColumn: string | null;
}

/** Why a source feature was left out of the import (it is not an error: the report lists them). */
export interface SkippedFeature {
  /** 0-based index in the file's features. */
  sourceIndex: number;
  reason: 'geometry-kind';
  geometryType: Geometry['type'];
}

/** A value that does not fit its field: the whole import is refused, naming each of these. */
export interface ConversionProblem {
  sourceIndex: number;
  field: string;
  /** The column the value came from ('' for a fixed value or the status/id). */
  column: string;
  value: PropertyValue | undefined;
  problem: FieldProblem | { code: 'unknown-status' } | { code: 'empty-id' };
}

export interface BuiltFeatures {
  features: ImportFeature[];
  skipped: SkippedFeature[];
  problems: ConversionProblem[];
}
