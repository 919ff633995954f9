// The import wizard: choose a file → what was detected (format, encoding, CRS, count, warnings),
// with override options → preview on the map and in a table → target layer and field mapping (or a
// new layer) → one all-or-nothing commit with progress and Cancel → a report. Reading and committing
// run in the import worker; the store is written only by `importFeatures` (one transact change).
import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { OneMapErrorData } from '../../../../shared/errors';
import { ErrorNotice } from '../errors/ErrorNotice';
import { crsInfo, supportedCrs } from '../../../../shared/crs';
import type { ImportProgress, ImportResult, ImportWarning } from '../../../../shared/io';
import type { Geometry, LayerDefinition } from '../../../../shared/model';
import type { ImportCommitProgress, ImportCommitReport, ImportProblem } from '../../db';
import { useWorkspace } from '../../lib/workspace';
import { formatNumber, localized } from '../../lib/localize';
import { ImportWorkerClient, type CountyArea, type ReadOptions, type ReadResult } from './worker/import-client';
import {
  autoMapFields,
  dominantGeometryType,
  inferNewLayer,
  recallMapping,
  rememberMapping,
  unmappedColumns,
  type ConversionProblem,
  type FieldMapping,
  type SkippedFeature,
} from './mapping';
import { MappingTable } from './MappingTable';
import { NewLayerEditor } from './NewLayerEditor';
import { layoutFromFailure, TableLayoutForm } from './TableLayoutForm';
import { backupBeforeImportHook } from './backup-hook';
import './import-wizard.css';

export interface ImportWizardMap {
  setImportPreview(collection: ImportResult['features'] | null): void;
  zoomToGeometry(geometry: Geometry): void;
}

export interface ImportWizardProps {
  layers: readonly LayerDefinition[];
  language: string;
  map: ImportWizardMap | null;
  counties: readonly CountyArea[];
  /** A file dropped on the map, read at once. */
  initialFile?: File | null;
  onClose(): void;
}

type Stage =
  | { kind: 'choose' }
  | { kind: 'reading'; file: File; progress: ImportProgress | null }
  | { kind: 'read-failed'; file: File; error: OneMapErrorData; found?: Readonly<Record<string, unknown>> }
  | { kind: 'read'; file: File; result: ReadResult }
  | { kind: 'committing'; file: File; result: ReadResult; progress: ImportCommitProgress | null; started: number }
  | { kind: 'done'; file: File; result: ReadResult; report: ImportCommitReport; skipped: SkippedFeature[]; elapsedMs: number; layerName: string };

type Problem = { kind: 'conversion'; problems: ConversionProblem[]; count: number } | { kind: 'validation'; problems: ImportProblem[]; count: number; zh: string; en: string };
type Outcome = null | { kind: 'cancelled' } | { kind: 'failed'; zh: string; en: string } | { kind: 'error'; error: OneMapErrorData } | Problem;

const PREVIEW_ROWS = 10;
const MAX_WARNINGS_SHOWN = 20;
const MAX_PROBLEMS_SHOWN = 20;

function storage(): Storage | null {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
}

function geometryCounts(result: ReadResult): [string, number][] {
  return Object.entries(result.geometryCounts).filter((entry): entry is [string, number] => (entry[1] ?? 0) > 0);
}

function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  return String(value);
}

export function ImportWizard({ layers, language, map, counties, initialFile = null, onClose }: ImportWizardProps) {
  const { t } = useTranslation();
  const { database, identity } = useWorkspace();
  const client = useMemo(() => new ImportWorkerClient(), []);
  const [stage, setStage] = useState<Stage>(() => (initialFile ? { kind: 'reading', file: initialFile, progress: null } : { kind: 'choose' }));
  const [options, setOptions] = useState<ReadOptions>({});
  const [targetKind, setTargetKind] = useState<'existing' | 'new'>('new');
  const [layerId, setLayerId] = useState<string>('');
  const [mapping, setMapping] = useState<FieldMapping | null>(null);
  const [remembered, setRemembered] = useState(false);
  const [newLayer, setNewLayer] = useState<{ layer: LayerDefinition; mapping: FieldMapping } | null>(null);
  const [outcome, setOutcome] = useState<Outcome>(null);
  const [dragging, setDragging] = useState(false);
  const fileInput = useRef<HTMLInputElement>(null);
  const text = (message: { zh: string; en: string }) => (language === 'en' ? message.en : message.zh);
  const number = (value: number) => formatNumber(value, language);

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
    const outcome = await client.read(file, readOptions, (progress) =>
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

  const fieldLabel = (key: string) => {
    const field = targetLayer?.fields.find((candidate) => candidate.key === key);
    if (field) return localized(field.label, language);
    if (key === 'id') return t('importWizard.mapping.idColumn');
    if (key === 'status') return t('importWizard.mapping.statusColumn');
    return key;
  };

  const warningWhere = (warning: ImportWarning): string => {
    const parts: string[] = [];
    if (warning.file) parts.push(t('importWizard.where.file', { file: warning.file }));
    if (warning.row !== undefined) parts.push(t('importWizard.where.row', { row: warning.row }));
    if (warning.featureIndex !== undefined) parts.push(t('importWizard.where.feature', { feature: warning.featureIndex + 1 }));
    return parts.length === 0 ? '' : t('importWizard.warningLocation', { where: parts.join(language === 'en' ? ', ' : '，') });
  };

  const progressText = (progress: ImportProgress | ImportCommitProgress | null): string => {
    if (progress === null) return t('importWizard.phase.read');
    const phase = t(`importWizard.phase.${progress.phase}`);
    if (progress.phase === 'write') return t('importWizard.progressWriting', { total: number(progress.total ?? 0) });
    if (progress.total === undefined) return t('importWizard.progressUnknown', { phase, done: number(progress.done) });
    return t(progress.phase === 'read' ? 'importWizard.progressBytes' : 'importWizard.progressCount', { phase, done: number(progress.done), total: number(progress.total) });
  };

  const progressBar = (progress: ImportProgress | ImportCommitProgress | null) => (
    <div
      className="import-progress"
      data-testid="import-progress"
      data-phase={progress?.phase ?? 'read'}
      // Into a new layer: features already written to the staged chunks (the tests wait for it).
      data-stored={progress !== null && 'stored' in progress ? (progress.stored ?? 0) : 0}
    >
      {progress && progress.phase !== 'write' && progress.total !== undefined ? (
        <progress max={Math.max(progress.total, 1)} value={progress.done} aria-label={progressText(progress)} />
      ) : (
        <progress aria-label={progressText(progress)} />
      )}
      <span role="status">{progressText(progress)}</span>
      <button type="button" onClick={cancel}>
        {t('importWizard.cancel')}
      </button>
    </div>
  );

  // The one hidden file input behind every "choose file" button (only one stage shows it at a time).
  const hiddenFileInput = (
    <input
      ref={fileInput}
      type="file"
      hidden
      aria-label={t('importWizard.chooseFile')}
      accept=".geojson,.json,.csv,.txt,.tsv,.xlsx,.xlsm,.zip,.kml,.kmz,.gpkg"
      onChange={(event) => {
        onFiles(event.target.files);
        event.target.value = '';
      }}
    />
  );

  const rereadWith = (file: File, next: ReadOptions) => {
    setOptions(next);
    void read(file, next);
  };

  // A table whose coordinate columns were not found: choose the header row and the columns here.
  const tableLayoutAfterFailure = (failed: Extract<Stage, { kind: 'read-failed' }>) => {
    const layout = layoutFromFailure(failed.error.code, failed.found);
    return layout && <TableLayoutForm layout={layout} options={options} disabled={false} onApply={(next) => rereadWith(failed.file, next)} />;
  };

  const renderOutcome = () => {
    if (outcome === null) return null;
    if (outcome.kind === 'cancelled')
      return (
        <p role="status" className="import-notice" data-testid="import-outcome">
          {t('importWizard.cancelled')}
        </p>
      );
    if (outcome.kind === 'error')
      return <ErrorNotice className="import-notice error" testId="import-outcome" error={outcome.error} lead={t('importWizard.failedLead')} trail={t('importWizard.nothingWritten')} />;
    if (outcome.kind === 'failed')
      return (
        <p role="alert" className="import-notice error" data-testid="import-outcome">
          {t('importWizard.failed', { message: text(outcome) })} {t('importWizard.nothingWritten')}
        </p>
      );
    const lines =
      outcome.kind === 'conversion'
        ? outcome.problems.map((problem) =>
            t('importWizard.problemLine', {
              feature: problem.sourceIndex + 1,
              field: fieldLabel(problem.field),
              column: problem.column ? t('importWizard.problemColumn', { column: problem.column, value: cellText(problem.value) }) : '',
              problem: t(`importWizard.problem.${problem.problem.code}`, problem.problem),
            }),
          )
        : outcome.problems.map((problem) =>
            t('importWizard.problemLine', { feature: (problem.sourceIndex ?? problem.featureIndex) + 1, field: fieldLabel(problem.field), column: '', problem: problem.message }),
          );
    return (
      <div role="alert" className="import-notice error" data-testid="import-outcome">
        <p>{t('importWizard.problemsHeading', { count: outcome.count })}</p>
        <ul>
          {lines.slice(0, MAX_PROBLEMS_SHOWN).map((line, index) => (
            <li key={index}>{line}</li>
          ))}
        </ul>
        {outcome.count > Math.min(lines.length, MAX_PROBLEMS_SHOWN) && <p className="muted">{t('importWizard.problemMore', { count: outcome.count - Math.min(lines.length, MAX_PROBLEMS_SHOWN) })}</p>}
      </div>
    );
  };

  const chooser = (
    <div
      className={`import-drop${dragging ? ' dragging' : ''}`}
      onDragOver={(event) => {
        event.preventDefault();
        setDragging(true);
      }}
      onDragLeave={() => setDragging(false)}
      onDrop={(event) => {
        event.preventDefault();
        setDragging(false);
        onFiles(event.dataTransfer.files);
      }}
    >
      <span>{t('importWizard.dropHere')}</span>{' '}
      <button type="button" onClick={() => fileInput.current?.click()}>
        {t('importWizard.chooseFile')}
      </button>
      {hiddenFileInput}
      <p className="muted">{t('importWizard.supported')}</p>
    </div>
  );

  const renderRead = (file: File, result: ReadResult, busy: boolean) => {
    const columns = result.fields;
    const rows = result.features.features.slice(0, PREVIEW_ROWS);
    const counts = geometryCounts(result);
    const fitting = targetLayer ? counts.reduce((sum, [type, count]) => sum + (fitsLayer(type as Geometry['type'], targetLayer.geometryType) ? count : 0), 0) : 0;
    const missingRequired =
      targetKind === 'existing' && targetLayer && targetMapping
        ? targetLayer.fields.filter((field) => {
            if (!field.required) return false;
            const source = targetMapping.fields[field.key];
            return !source || source.kind === 'none' || (source.kind === 'constant' && (source.value === null || source.value === ''));
          })
        : [];
    const dominant = dominantGeometryType(result.features.features);
    return (
      <>
        <section className="import-detected" data-testid="import-detected">
          <h3>{t('importWizard.detected.heading')}</h3>
          <dl>
            <dt>{t('importWizard.detected.file')}</dt>
            <dd data-testid="import-file">{file.name}</dd>
            <dt>{t('importWizard.detected.format')}</dt>
            <dd data-testid="import-format">{t(`importWizard.format.${result.format}`)}</dd>
            <dt>{t('importWizard.detected.encoding')}</dt>
            <dd data-testid="import-encoding">{result.encoding ? result.encoding.toUpperCase() : t('importWizard.detected.none')}</dd>
            <dt>{t('importWizard.detected.crs')}</dt>
            <dd data-testid="import-crs">
              {result.sourceCrs} {crsName(result.sourceCrs, language)}
            </dd>
            <dt>{t('importWizard.detected.axisOrder')}</dt>
            <dd>{t(result.sourceAxisOrder === 'yx' ? 'importWizard.detected.axisYX' : 'importWizard.detected.axisXY')}</dd>
            <dt>{t('importWizard.detected.count')}</dt>
            <dd data-testid="import-count">{number(result.featureCount)}</dd>
            <dt>{t('importWizard.detected.geometry')}</dt>
            <dd>{counts.map(([type, count]) => `${t(`importWizard.geometryType.${type}`)} ${number(count)}`).join(language === 'en' ? ', ' : '，')}</dd>
            {result.layerName && (
              <>
                <dt>{t('importWizard.detected.layerName')}</dt>
                <dd>{result.layerName}</dd>
              </>
            )}
          </dl>
          {result.warnings.length > 0 && (
            <details className="import-warnings" open data-testid="import-warnings">
              <summary>{t('importWizard.warnings', { count: result.warnings.length })}</summary>
              <ul>
                {result.warnings.slice(0, MAX_WARNINGS_SHOWN).map((warning, index) => (
                  <li key={index} data-code={warning.code}>
                    {text(warning)}
                    {warningWhere(warning)}
                  </li>
                ))}
              </ul>
              {result.warnings.length > MAX_WARNINGS_SHOWN && <p className="muted">{t('importWizard.moreWarnings', { count: result.warnings.length - MAX_WARNINGS_SHOWN })}</p>}
            </details>
          )}
          {result.table && (
            <TableLayoutForm
              layout={result.table}
              options={options}
              disabled={busy}
              onApply={(next) => rereadWith(file, next)}
            />
          )}
          <ReadOptionsForm format={result.format} options={options} language={language} disabled={busy} onChange={setOptions} onApply={() => void read(file, options)} />
        </section>

        <section className="import-preview">
          <p className="muted">{t('importWizard.preview', { count: rows.length, total: number(result.featureCount) })}</p>
          {result.sampled && (
            <p className="muted" data-testid="import-sampled">
              {t('importWizard.sampled', { count: number(result.features.features.length), total: number(result.featureCount) })}
            </p>
          )}
          {columns.length === 0 ? (
            <p className="muted">{t('importWizard.noFields')}</p>
          ) : (
            <div className="import-table-wrap">
              <table className="import-table" data-testid="import-preview-table">
                <thead>
                  <tr>
                    <th>#</th>
                    {columns.map((column) => (
                      <th key={column}>{column}</th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {rows.map((feature, index) => (
                    <tr key={index}>
                      <td>{index + 1}</td>
                      {columns.map((column) => (
                        <td key={column}>{cellText(feature.properties?.[column])}</td>
                      ))}
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </section>

        <section className="import-target">
          <h3>{t('importWizard.target.heading')}</h3>
          <div className="import-target-kind" role="radiogroup" aria-label={t('importWizard.target.heading')}>
            <label>
              <input type="radio" name="import-target" checked={targetKind === 'existing'} disabled={busy} onChange={() => setTargetKind('existing')} />
              {t('importWizard.target.existing')}
            </label>
            <label>
              <input type="radio" name="import-target" checked={targetKind === 'new'} disabled={busy} onChange={() => setTargetKind('new')} />
              {t('importWizard.target.new')}
            </label>
          </div>
          {targetKind === 'existing' ? (
            <>
              <label className="field">
                <span>{t('importWizard.target.chooseLayer')}</span>
                <select value={layerId} disabled={busy} onChange={(event) => chooseLayer(event.target.value, result, file)}>
                  <option value="">—</option>
                  {layers.map((layer) => (
                    <option key={layer.id} value={layer.id}>
                      {localized(layer.name, language)}（{t(`importWizard.geometryType.${layer.geometryType}`)}）
                    </option>
                  ))}
                </select>
              </label>
              {targetLayer && fitting === 0 && <p className="import-notice error">{t('importWizard.target.noneFit', { type: t(`importWizard.geometryType.${targetLayer.geometryType}`) })}</p>}
              {targetLayer && fitting > 0 && fitting < result.featureCount && (
                <p className="import-notice">
                  {t('importWizard.target.geometryMismatch', { count: result.featureCount - fitting, type: t(`importWizard.geometryType.${targetLayer.geometryType}`) })}
                </p>
              )}
              {targetLayer && mapping && (
                <>
                  <h4>{t('importWizard.mapping.heading')}</h4>
                  {remembered && <p className="muted">{t('importWizard.mapping.remembered')}</p>}
                  <fieldset disabled={busy} className="import-fieldset">
                    <MappingTable layer={targetLayer} columns={columns} mapping={mapping} language={language} onChange={setMapping} />
                  </fieldset>
                  {unmappedColumns(columns, mapping).length > 0 && <p className="muted">{t('importWizard.mapping.unmapped', { columns: unmappedColumns(columns, mapping).join('、') })}</p>}
                  {missingRequired.length > 0 && (
                    <p className="import-notice error" data-testid="import-required-missing">
                      {t('importWizard.mapping.requiredMissing', { fields: missingRequired.map((field) => localized(field.label, language)).join('、') })}
                    </p>
                  )}
                </>
              )}
            </>
          ) : (
            newLayer && (
              <fieldset disabled={busy} className="import-fieldset">
                <NewLayerEditor layer={newLayer.layer} mapping={newLayer.mapping} onChange={(layer) => setNewLayer({ ...newLayer, layer })} />
                {dominant === null && <p className="import-notice error">{t('importWizard.target.noneFit', { type: '—' })}</p>}
              </fieldset>
            )
          )}
        </section>

        {renderOutcome()}
        {busy ? (
          progressBar(stage.kind === 'committing' ? stage.progress : null)
        ) : (
          <div className="dialog-buttons">
            <button type="button" onClick={() => fileInput.current?.click()}>
              {t('importWizard.chooseAnother')}
            </button>
            <button
              type="button"
              className="primary"
              disabled={!targetLayer || !targetMapping || fitting === 0 || missingRequired.length > 0 || (targetKind === 'new' && targetLayer.name.zh.trim() === '')}
              onClick={() => void commit(file, result)}
            >
              {t('importWizard.commit', { count: fitting })}
            </button>
          </div>
        )}
      </>
    );
  };

  const renderDone = (done: Extract<Stage, { kind: 'done' }>) => {
    const byType = new Map<string, number>();
    for (const skipped of done.skipped) byType.set(skipped.geometryType, (byType.get(skipped.geometryType) ?? 0) + 1);
    const bbox = done.report.bbox;
    return (
      <section className="import-report" data-testid="import-report">
        <h3>{t('importWizard.report.heading')}</h3>
        {done.report.createdLayer && <p>{t('importWizard.report.createdLayer', { layer: done.layerName })}</p>}
        <p data-testid="import-added">{t('importWizard.report.added', { count: done.report.added, layer: done.layerName })}</p>
        {done.skipped.length === 0 ? (
          <p className="muted">{t('importWizard.report.skippedNone')}</p>
        ) : (
          <>
            <p data-testid="import-skipped">{t('importWizard.report.skipped', { count: done.skipped.length })}</p>
            <ul>
              {[...byType].map(([type, count]) => (
                <li key={type}>{t('importWizard.report.skippedGeometry', { count, type: t(`importWizard.geometryType.${type}`) })}</li>
              ))}
            </ul>
          </>
        )}
        {done.result.warnings.length > 0 && (
          <details className="import-warnings">
            <summary>{t('importWizard.warnings', { count: done.result.warnings.length })}</summary>
            <ul>
              {done.result.warnings.slice(0, MAX_WARNINGS_SHOWN).map((warning, index) => (
                <li key={index}>
                  {text(warning)}
                  {warningWhere(warning)}
                </li>
              ))}
            </ul>
          </details>
        )}
        <p className="muted" data-testid="import-time">
          {t('importWizard.report.time', {
            seconds: formatNumber(done.elapsedMs / 1000, language, 1),
            validate: formatNumber(done.report.validateMs / 1000, language, 1),
            write: formatNumber(done.report.writeMs / 1000, language, 1),
          })}
        </p>
        <div className="dialog-buttons">
          {bbox && (
            <button
              type="button"
              onClick={() =>
                map?.zoomToGeometry({
                  type: 'Polygon',
                  coordinates: [[[bbox[0], bbox[1]], [bbox[2], bbox[1]], [bbox[2], bbox[3]], [bbox[0], bbox[3]], [bbox[0], bbox[1]]]],
                })
              }
            >
              {t('importWizard.report.zoom')}
            </button>
          )}
          <button type="button" onClick={() => setStage({ kind: 'choose' })}>
            {t('importWizard.report.another')}
          </button>
          <button type="button" className="primary" onClick={onClose}>
            {t('importWizard.close')}
          </button>
        </div>
      </section>
    );
  };

  const busy = stage.kind === 'reading' || stage.kind === 'committing';
  return (
    <div className="import-wizard" data-covers-map="" role="dialog" aria-modal="false" aria-label={t('importWizard.heading')} data-testid="import-wizard">
      <header>
        <h2>{t('importWizard.heading')}</h2>
        <button type="button" className="import-close" onClick={onClose} disabled={busy} aria-label={t('importWizard.close')}>
          ×
        </button>
      </header>
      <div className="import-body">
        {stage.kind === 'choose' && (
          <>
            {chooser}
            {renderOutcome()}
          </>
        )}
        {stage.kind === 'reading' && (
          <>
            <p>{t('importWizard.reading', { file: stage.file.name })}</p>
            {progressBar(stage.progress)}
          </>
        )}
        {stage.kind === 'read-failed' && (
          <>
            <ErrorNotice
              className="import-notice error"
              testId="import-read-error"
              error={stage.error}
              lead={t('importWizard.readFailed', { file: stage.file.name })}
              trail={t('importWizard.nothingWritten')}
            />
            {tableLayoutAfterFailure(stage)}
            {chooser}
          </>
        )}
        {(stage.kind === 'read' || stage.kind === 'committing') && renderRead(stage.file, stage.result, stage.kind === 'committing')}
        {stage.kind === 'done' && renderDone(stage)}
        {stage.kind !== 'choose' && stage.kind !== 'read-failed' && hiddenFileInput}
      </div>
    </div>
  );
}

function fitsLayer(kind: Geometry['type'], layerType: LayerDefinition['geometryType']): boolean {
  return kind === layerType || kind === `Multi${layerType}`;
}

function crsName(code: string, language: string): string {
  try {
    return localized(crsInfo(code).name, language);
  } catch {
    return '';
  }
}

function ReadOptionsForm({
  format,
  options,
  language,
  disabled,
  onChange,
  onApply,
}: {
  format: ImportResult['format'];
  options: ReadOptions;
  language: string;
  disabled: boolean;
  onChange(options: ReadOptions): void;
  onApply(): void;
}) {
  const { t } = useTranslation();
  const textual = format === 'csv' || format === 'geojson' || format === 'kml' || format === 'shapefile';
  const set = <K extends keyof ReadOptions>(key: K, value: ReadOptions[K] | undefined) => {
    const next = { ...options };
    if (value === undefined || value === '') delete next[key];
    else next[key] = value;
    onChange(next);
  };
  return (
    <details className="import-options" data-testid="import-options">
      <summary>{t('importWizard.options.heading')}</summary>
      <fieldset disabled={disabled} className="import-fieldset">
        <label className="field">
          <span>{t('importWizard.options.crs')}</span>
          <select value={options.crs ?? ''} onChange={(event) => set('crs', event.target.value || undefined)}>
            <option value="">{t('importWizard.options.crsAuto')}</option>
            {supportedCrs.map((code) => (
              <option key={code} value={code}>
                {code} {crsName(code, language)}
              </option>
            ))}
          </select>
        </label>
        {textual && (
          <label className="field">
            <span>{t('importWizard.options.encoding')}</span>
            <select value={options.encoding ?? ''} onChange={(event) => set('encoding', event.target.value || undefined)}>
              <option value="">{t('importWizard.options.encodingAuto')}</option>
              <option value="utf-8">UTF-8</option>
              <option value="gbk">GBK</option>
            </select>
          </label>
        )}
        {format === 'xlsx' && (
          <label className="field">
            <span>{t('importWizard.options.sheet')}</span>
            <input type="text" value={options.sheet === undefined ? '' : String(options.sheet)} onChange={(event) => set('sheet', /^\d+$/.test(event.target.value) ? Number(event.target.value) : event.target.value)} />
          </label>
        )}
        <button type="button" onClick={onApply}>
          {t('importWizard.options.reread')}
        </button>
      </fieldset>
    </details>
  );
}
