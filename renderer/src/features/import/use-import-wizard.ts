// The import wizard's state and its work: reading a file in the import worker, choosing the target
// layer and mapping, committing (one all-or-nothing change) and cancelling. The components only show it.
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { OneMapErrorData } from '../../../../shared/errors';
import type { ImportProgress, ImportResult } from '../../../../shared/io';
import type { Geometry, LayerDefinition } from '../../../../shared/model';
import type { ImportCommitProgress, ImportCommitReport, ImportProblem } from '../../db';
import { useLanguage } from '../../lib/language';
import { localized } from '../../lib/localize';
import { useWorkspace } from '../../lib/workspace';
import { ImportWorkerClient, type CountyArea, type ReadOptions, type ReadResult } from './worker/import-client';
import { autoMapFields, inferNewLayer, recallMapping, rememberMapping, type ConversionProblem, type FieldMapping, type SkippedFeature } from './mapping';
import { backupBeforeImportHook } from './backup-hook';

export interface ImportWizardMap {
  setImportPreview(collection: ImportResult['features'] | null): void;
  zoomToGeometry(geometry: Geometry): void;
}

export type Stage =
  | { kind: 'choose' }
  | { kind: 'reading'; file: File; progress: ImportProgress | null }
  | { kind: 'read-failed'; file: File; error: OneMapErrorData; found?: Readonly<Record<string, unknown>> }
  | { kind: 'read'; file: File; result: ReadResult }
  | { kind: 'committing'; file: File; result: ReadResult; progress: ImportCommitProgress | null; started: number }
  | { kind: 'done'; file: File; result: ReadResult; report: ImportCommitReport; skipped: SkippedFeature[]; elapsedMs: number; layerName: string };

type Problem = { kind: 'conversion'; problems: ConversionProblem[]; count: number } | { kind: 'validation'; problems: ImportProblem[]; count: number; zh: string; en: string };
export type Outcome = null | { kind: 'cancelled' } | { kind: 'failed'; zh: string; en: string } | { kind: 'error'; error: OneMapErrorData } | Problem;

export interface ImportWizardInput {
  layers: readonly LayerDefinition[];
  map: ImportWizardMap | null;
  counties: readonly CountyArea[];
  /** A file dropped on the map, read at once. */
  initialFile: File | null;
}

function storage(): Storage | null {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
}

export function useImportWizard({ layers, map, counties, initialFile }: ImportWizardInput) {
  const { t } = useTranslation();
  const language = useLanguage();
  const { database, identity, definition } = useWorkspace();
  const client = useMemo(() => new ImportWorkerClient(), []);
  const [stage, setStage] = useState<Stage>(() => (initialFile ? { kind: 'reading', file: initialFile, progress: null } : { kind: 'choose' }));
  const [options, setOptions] = useState<ReadOptions>({});
  const [targetKind, setTargetKind] = useState<'existing' | 'new'>('new');
  const [layerId, setLayerId] = useState<string>('');
  const [mapping, setMapping] = useState<FieldMapping | null>(null);
  const [remembered, setRemembered] = useState(false);
  const [newLayer, setNewLayer] = useState<{ layer: LayerDefinition; mapping: FieldMapping } | null>(null);
  const [outcome, setOutcome] = useState<Outcome>(null);

  useEffect(
    () => () => {
      client.dispose();
      map?.setImportPreview(null);
    },
    // The worker and the preview live as long as the wizard.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [client],
  );

  const read = (file: File, readOptions: ReadOptions) => {
    setOutcome(null);
    setStage({ kind: 'reading', file, progress: null });
    map?.setImportPreview(null);
    return load(file, readOptions);
  };

  /** Reads `file` in the worker; the stage must already be 'reading' this file. */
  const load = async (file: File, readOptions: ReadOptions) => {
    // The open workspace's extent decides a Gauss-Krüger zone the file does not name.
    const outcome = await client.read(file, { ...readOptions, workspaceBounds: definition.extent }, (progress) =>
      setStage((current) => (current.kind === 'reading' && current.file === file ? { ...current, progress } : current)),
    );
    if (!outcome.ok) {
      setStage((current) => (current.kind === 'reading' && current.file === file ? { kind: 'read-failed', file, error: outcome.error, ...(outcome.found ? { found: outcome.found } : {}) } : current));
      return;
    }
    const { result } = outcome;
    setStage((current) => (current.kind === 'reading' && current.file === file ? { kind: 'read', file, result } : current));
    map?.setImportPreview(result.features);
    const inferred = inferNewLayer({
      name: result.layerName ?? file.name.replace(/\.[^.]+$/, ''),
      columns: result.fields,
      features: result.features.features,
      existingLayerIds: layers.map((layer) => layer.id),
    });
    setNewLayer(inferred);
    // The layer this source went into last time, else a new layer.
    const recalled = layers
      .map((layer) => ({ layer, mapping: storage() ? recallMapping(storage()!, file.name, result.fields, layer) : null }))
      .find((candidate) => candidate.mapping !== null);
    if (recalled?.mapping) {
      setTargetKind('existing');
      setLayerId(recalled.layer.id);
      setMapping(recalled.mapping);
      setRemembered(true);
    } else {
      setTargetKind('new');
      setRemembered(false);
      setMapping(null);
    }
  };

  useEffect(() => {
    if (initialFile) void load(initialFile, {});
    // Only the file the wizard was opened with.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [initialFile]);

  const chooseLayer = (id: string, result: ReadResult, file: File) => {
    setLayerId(id);
    const layer = layers.find((candidate) => candidate.id === id);
    if (!layer) return setMapping(null);
    const recalled = storage() ? recallMapping(storage()!, file.name, result.fields, layer) : null;
    setRemembered(recalled !== null);
    setMapping(recalled ?? autoMapFields(result.fields, layer, result.features.features));
  };

  const cancel = () => {
    if (stage.kind === 'reading') {
      client.dispose(); // reading is pure: stopping the worker stops it at once
      setStage({ kind: 'choose' });
      setOutcome({ kind: 'cancelled' });
    } else if (stage.kind === 'committing') {
      void client.cancel();
    }
  };

  const targetLayer = targetKind === 'existing' ? layers.find((layer) => layer.id === layerId) : newLayer?.layer;
  const targetMapping = targetKind === 'existing' ? mapping : (newLayer?.mapping ?? null);

  const commit = async (file: File, result: ReadResult) => {
    if (!targetLayer || !targetMapping) return;
    setOutcome(null);
    const started = performance.now();
    setStage({ kind: 'committing', file, result, progress: null, started });
    const label = t('importWizard.note', { file: file.name });
    const outcome = await client.commit(
      {
        databaseName: database.name,
        author: identity.deviceId,
        target: targetKind === 'new' ? { kind: 'new', layer: targetLayer } : { kind: 'existing', layerId: targetLayer.id },
        mapping: targetMapping,
        counties,
        note: label,
      },
      (progress) => setStage((current) => (current.kind === 'committing' ? { ...current, progress } : current)),
      () => backupBeforeImportHook(database, label),
    );
    if (outcome.ok) {
      const store = storage();
      if (store) rememberMapping(store, file.name, result.fields, { layerId: outcome.report.layerId, mapping: targetMapping });
      map?.setImportPreview(null);
      setStage({ kind: 'done', file, result, report: outcome.report, skipped: outcome.skipped, elapsedMs: performance.now() - started, layerName: localized(targetLayer.name, language) });
      return;
    }
    setStage({ kind: 'read', file, result });
    if (outcome.kind === 'conversion') setOutcome({ kind: 'conversion', problems: outcome.problems, count: outcome.problemCount });
    else if (outcome.kind === 'validation') setOutcome({ kind: 'validation', problems: outcome.problems, count: outcome.problemCount, zh: outcome.zh, en: outcome.en });
    else if (outcome.kind === 'cancelled') setOutcome({ kind: 'cancelled' });
    else if (outcome.kind === 'error') setOutcome({ kind: 'error', error: outcome.error });
    else setOutcome({ kind: 'failed', zh: outcome.zh, en: outcome.en });
  };

  const onFiles = (files: FileList | null) => {
    const file = files?.[0];
    if (file) {
      setOptions({});
      void read(file, {});
    }
  };

  const rereadWith = (file: File, next: ReadOptions) => {
    setOptions(next);
    void read(file, next);
  };

  return {
    stage,
    setStage,
    options,
    setOptions,
    targetKind,
    setTargetKind,
    layerId,
    mapping,
    setMapping,
    remembered,
    newLayer,
    setNewLayer,
    outcome,
    targetLayer,
    targetMapping,
    read,
    chooseLayer,
    cancel,
    commit,
    onFiles,
    rereadWith,
  };
}

export type ImportWizardState = ReturnType<typeof useImportWizard>;
