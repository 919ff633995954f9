// What committing an import is asked (`ImportFeaturesRequest`) and answers (`ImportCommitReport`,
// or `ImportValidationError` naming the features that do not fit); import.ts does the work.
import type { LayerDefinition, LocalizedText } from '../../../shared/model';
import type { BoundingBox } from './records';
import type { ChangeSignal, NewFeature } from './change/types';
import type { StagingOptions } from './staged-base';
import { StoreError } from './durability';

/** A feature to import: a {@link NewFeature} plus where it came from in the file (for error messages). */
export interface ImportFeature extends NewFeature {
  /** 0-based index of the feature in the source file (skipped features leave gaps). */
  sourceIndex?: number;
}

export type ImportTarget = { kind: 'existing'; layerId: string } | { kind: 'new'; layer: LayerDefinition };

export interface ImportCommitProgress {
  /**
   * `validate`: features read and validated (into a new layer: and staged as they come);
   * `write`: the rest written and, for a new layer, the switch-over; `done`.
   */
  phase: 'validate' | 'write' | 'done';
  /** Features done in this phase. */
  done: number;
  total?: number;
  /** Into a new layer, during `validate`: features already written to the staged chunks. */
  stored?: number;
}

/**
 * A new layer imported with at least this many features (or with a count not known in advance)
 * becomes a packed base (fast, bounded memory, one `layerJournal` record, but an edit package does
 * not carry its untouched features); a smaller one is journaled feature by feature like edits, so
 * that edit packages carry every feature to the other devices.
 */
export const PACKED_IMPORT_MIN_FEATURES = 10_000;

export interface ImportFeaturesRequest {
  /** Who imports (the journal records it). */
  author: string;
  target: ImportTarget;
  /**
   * The features, in batches: one array, or a sync or async iterable of arrays (a reader that
   * streams a big file). They are validated batch by batch as they come; nothing is written until
   * every batch has been read and validated.
   */
  features: readonly ImportFeature[] | Iterable<readonly ImportFeature[]> | AsyncIterable<readonly ImportFeature[]>;
  /** How many features will come (for progress), when known. */
  total?: number;
  note?: string;
  /** Cancel: seen between batches, before the write, and during it (the transaction is aborted); nothing is written. */
  signal?: ChangeSignal;
  onProgress?: (progress: ImportCommitProgress) => void;
  /** Runs after validation, right before the write (the backup before an import). */
  beforeWrite?: () => Promise<void>;
  /** The change's time (tests pin it). */
  time?: Date;
  /** Batch size for validation when `features` is one array (default 5,000). */
  batchSize?: number;
  /** The file name (or another short source description), kept in a new layer's journal record. */
  source?: string;
  /** Into a new layer: the staging's chunk size, buffer cap… (tests; defaults otherwise). */
  staging?: StagingOptions;
  /**
   * Into a new layer: write the features as the layer's packed base (true) or journal each one
   * (false). Default: packed from {@link PACKED_IMPORT_MIN_FEATURES} features, or when neither
   * `total` nor an array says how many come.
   */
  packed?: boolean;
}

export interface ImportCommitReport {
  changeId: string;
  layerId: string;
  createdLayer: boolean;
  added: number;
  /**
   * The ids of the features written, in input order. Into a new layer only when there were at
   * most the staging buffer's worth (100,000 by default; empty beyond — memory stays bounded).
   */
  featureIds: string[];
  /** Of the imported features (WGS84), for "zoom to imported"; null when none. */
  bbox: BoundingBox | null;
  validateMs: number;
  writeMs: number;
}

export interface ImportProblem {
  /** 0-based position among the features given to {@link importFeatures}. */
  featureIndex: number;
  /** The feature's position in its file, when the caller gave it. */
  sourceIndex?: number;
  featureId?: string;
  /** A field key, `geometry`, `status`, `id`, `layer`… */
  field: string;
  message: string;
}

/** Problems an {@link ImportValidationError} keeps at most. */
export const MAX_PROBLEMS = 100;

/** One or more features do not fit the layer: nothing was written. */
export class ImportValidationError extends StoreError {
  readonly messages: LocalizedText;

  constructor(
    readonly problems: ImportProblem[],
    /** All problems found (only the first {@link MAX_PROBLEMS} are kept). */
    readonly problemCount: number,
  ) {
    const first = problems[0];
    const where = (language: 'zh' | 'en') => {
      if (first === undefined) return '';
      const position = (first.sourceIndex ?? first.featureIndex) + 1;
      return language === 'zh' ? `第 ${position} 个要素，字段“${first.field}”：${first.message}` : `feature ${position}, field "${first.field}": ${first.message}`;
    };
    super('store.import-refused', `import refused, nothing written: ${problemCount} problem(s); ${where('en')}`, undefined, { count: problemCount });
    this.name = 'ImportValidationError';
    this.messages = {
      zh: `导入被拒绝，未写入任何数据：共 ${problemCount} 处问题。${where('zh')}`,
      en: `Import refused, nothing written: ${problemCount} problem(s). ${where('en')}`,
    };
  }
}
