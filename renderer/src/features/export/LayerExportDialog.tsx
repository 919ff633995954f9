import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ExportEncoding, ExportFormat, ExportWarning } from '../../../../shared/io';
import type { ExportNaming } from '../../../../shared/io/layer-labels';
import type { Feature, LayerDefinition } from '../../../../shared/model';
import { formatNumber, localized } from '../../lib/localize';
import { ExportCancelled, startLayerExport, type ExportJob, type ExportProgress, type LayerExportOutcome } from './export-client';
import { saveDownload } from './download';
import { oneMapErrorData, type OneMapErrorData } from '../../../../shared/errors';
import { ErrorNotice } from '../errors';
import {
  crsChoices,
  dominantGkZone,
  exportFileName,
  formatAccepts,
  formatTakesCrs,
  formatTakesEncoding,
  gkZoneCode,
  layerExportFormats,
  localDate,
  mimeTypes,
} from './layer-export';
import { useLanguage } from '../../lib/language';

export interface LayerExportDialogProps {
  layer: LayerDefinition;
  /** Every feature of the layer. */
  features: readonly Feature[];
  /** The features the layer panel's filters show. */
  shown: readonly Feature[];
  onClose(): void;
}

type Run =
  | { kind: 'idle' }
  | { kind: 'running'; progress: ExportProgress }
  | { kind: 'done'; fileName: string; count: number; warnings: ExportWarning[] }
  | { kind: 'failed'; error: OneMapErrorData }
  | { kind: 'cancelled' };

/** Export one layer — what the filters show, or all of it — as a file, in a worker with progress and Cancel. */
export function LayerExportDialog({ layer, features, shown, onClose }: LayerExportDialogProps) {
  const language = useLanguage();
  const { t } = useTranslation();
  const filtered = shown.length < features.length;
  const [scope, setScope] = useState<'shown' | 'all'>('shown');
  const [format, setFormat] = useState<ExportFormat>('shapefile');
  const zone = useMemo(() => dominantGkZone(features) ?? 39, [features]);
  const [crs, setCrs] = useState(() => gkZoneCode(zone));
  const [encoding, setEncoding] = useState<ExportEncoding>('utf-8');
  const [naming, setNaming] = useState<ExportNaming>('labels');
  const [run, setRun] = useState<Run>({ kind: 'idle' });
  const job = useRef<ExportJob<LayerExportOutcome> | null>(null);
  const layerName = localized(layer.name, language);
  const selected = scope === 'shown' ? shown : features;

  // Closing the dialog (or the app switching it away) cancels a running export.
  useEffect(() => () => job.current?.cancel(), []);

  const start = async (event: React.FormEvent) => {
    event.preventDefault();
    if (selected.length === 0 || job.current) return;
    const date = localDate();
    const demo = selected.some((feature) => feature.demo);
    const fileName = exportFileName({
      layerName,
      format,
      date,
      demo,
      demoTag: t('app.demoData'),
      filtered: scope === 'shown' && filtered,
      filteredTag: t('layerExport.filteredTag'),
      encoding: formatTakesEncoding(format) ? encoding : undefined,
    });
    setRun({ kind: 'running', progress: { phase: 'prepare', done: 0, total: selected.length } });
    const current = startLayerExport(
      selected,
      layer,
      format,
      {
        name: layer.id,
        ...(formatTakesCrs(format) ? { crs } : {}),
        ...(formatTakesEncoding(format) ? { encoding } : {}),
      },
      naming,
      (progress) => setRun((previous) => (previous.kind === 'running' ? { kind: 'running', progress } : previous)),
    );
    job.current = current;
    try {
      const outcome = await current.promise;
      if (!outcome.ok) {
        setRun({ kind: 'failed', error: outcome.error });
        return;
      }
      saveDownload(fileName, outcome.bytes, mimeTypes[format]);
      setRun({ kind: 'done', fileName, count: selected.length, warnings: outcome.warnings });
    } catch (error) {
      setRun(error instanceof ExportCancelled ? { kind: 'cancelled' } : { kind: 'failed', error: oneMapErrorData(error) });
    } finally {
      if (job.current === current) job.current = null;
    }
  };

  const running = run.kind === 'running';
  return (
    <div className="dialog-backdrop">
      <form className="dialog layer-export-dialog" role="dialog" aria-modal="true" aria-label={t('layerExport.heading')} onSubmit={(event) => void start(event)}>
        <h2>
          {t('layerExport.heading')} · {layerName}
        </h2>
        <fieldset disabled={running}>
          <legend>{t('layerExport.scope')}</legend>
          <label className="status-option">
            <input type="radio" name="scope" checked={scope === 'shown'} onChange={() => setScope('shown')} />
            {t('layerExport.scopeShown', { count: formatNumber(shown.length, language) })}
          </label>
          <label className="status-option">
            <input type="radio" name="scope" checked={scope === 'all'} onChange={() => setScope('all')} />
            {t('layerExport.scopeAll', { count: formatNumber(features.length, language) })}
          </label>
        </fieldset>
        <label className="field">
          <span>{t('layerExport.format')}</span>
          <select value={format} disabled={running} onChange={(event) => setFormat(event.target.value as ExportFormat)}>
            {layerExportFormats.map((candidate) => (
              <option key={candidate} value={candidate} disabled={!formatAccepts(candidate, layer.geometryType)}>
                {t(`layerExport.formats.${candidate}`)}
                {formatAccepts(candidate, layer.geometryType) ? '' : ` — ${t('layerExport.pointsOnly')}`}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>{t('layerExport.crs')}</span>
          <select value={formatTakesCrs(format) ? crs : crsChoices()[0]!.code} disabled={running || !formatTakesCrs(format)} onChange={(event) => setCrs(event.target.value)}>
            {crsChoices().map((choice) => (
              <option key={choice.code} value={choice.code}>
                {choice.zone === null
                  ? t('layerExport.wgs84')
                  : t(choice.zone === zone ? 'layerExport.gkZoneData' : 'layerExport.gkZone', { zone: choice.zone, meridian: choice.zone * 3, code: choice.code })}
              </option>
            ))}
          </select>
        </label>
        {!formatTakesCrs(format) && <p className="muted">{t('layerExport.wgs84Only')}</p>}
        {formatTakesEncoding(format) && (
          <label className="field">
            <span>{t('layerExport.encoding')}</span>
            <select value={encoding} disabled={running} onChange={(event) => setEncoding(event.target.value as ExportEncoding)}>
              <option value="utf-8">{t(format === 'shapefile' ? 'layerExport.utf8Shapefile' : 'layerExport.utf8Csv')}</option>
              <option value="gbk">{t('layerExport.gbk')}</option>
            </select>
          </label>
        )}
        <label className="field">
          <span>{t('layerExport.naming')}</span>
          <select value={naming} disabled={running} onChange={(event) => setNaming(event.target.value as ExportNaming)}>
            <option value="labels">{t('layerExport.namingLabels')}</option>
            <option value="codes">{t('layerExport.namingCodes')}</option>
          </select>
        </label>
        <p className="muted">{t(naming === 'labels' ? 'layerExport.columnsLabels' : 'layerExport.columns')}</p>

        {run.kind === 'running' && (
          <div className="export-progress">
            <progress max={Math.max(1, run.progress.total)} value={run.progress.done} aria-label={t('layerExport.progressLabel')} />
            <p role="status" data-testid="export-progress">
              {t(run.progress.phase === 'write' ? 'layerExport.writing' : 'layerExport.preparing', {
                done: formatNumber(run.progress.done, language),
                total: formatNumber(run.progress.total, language),
                format: t(`layerExport.formats.${format}`),
              })}
            </p>
          </div>
        )}
        {run.kind === 'done' && (
          <div role="status">
            <p>{t('layerExport.done', { count: formatNumber(run.count, language), file: run.fileName })}</p>
            {run.warnings.length > 0 && (
              <ul className="export-warnings">
                {run.warnings.map((warning, index) => (
                  <li key={index}>{localized(warning, language)}</li>
                ))}
              </ul>
            )}
          </div>
        )}
        {run.kind === 'cancelled' && <p role="status">{t('layerExport.cancelled')}</p>}
        {run.kind === 'failed' && <ErrorNotice error={run.error} frame={(reason) => t('layerExport.failed', { reason })} />}

        <div className="dialog-buttons">
          <button type="submit" disabled={running || selected.length === 0}>
            {t('layerExport.start', { count: formatNumber(selected.length, language) })}
          </button>
          {running ? (
            <button type="button" onClick={() => job.current?.cancel()}>
              {t('layerExport.cancel')}
            </button>
          ) : (
            <button type="button" onClick={onClose}>
              {t('layerExport.close')}
            </button>
          )}
        </div>
      </form>
    </div>
  );
}
