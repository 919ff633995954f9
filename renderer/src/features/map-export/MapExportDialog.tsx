import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { MapRender, MapRenderRequest } from '../../map/map-export';
import { OneMapError, oneMapErrorData, type OneMapErrorData } from '../../../../shared/errors';
import { ErrorNotice } from '../errors';
import { ExportCancelled, startPdfPage, saveDownload, localDate, type ExportJob } from '../export';
import { composePage, loadPageFont, pageTexts, type PageContent } from './compose';
import {
  dpiChoices,
  legendEntries,
  mapFileName,
  pageLayout,
  pagePoints,
  paperIds,
  representativeFraction,
  scaleBar,
  type LegendLayer,
  type PaperId,
} from './layout';
import { withPngDpi } from './png-dpi';
import { localized } from '../../lib/localize';
import { useLanguage } from '../../lib/language';
import { useWorkspace } from '../../lib/workspace';

export interface MapExportDialogProps {
  /** Draws the current view off-screen at a page's size (MapViewHandle.renderForExport). */
  renderMap(request: MapRenderRequest, signal: AbortSignal): Promise<MapRender>;
  /** Visible planning layers, top of the drawing order first, with their status filters. */
  layers: readonly LegendLayer[];
  /** A visible layer holds demo features: the page carries the watermark. */
  demoVisible: boolean;
  /** Source lines of the basemap (geodata/attribution.json). */
  attribution: readonly string[];
  onClose(): void;
}

type Phase = 'map' | 'compose' | 'pdf';
type Run = { kind: 'idle' } | { kind: 'running'; phase: Phase } | { kind: 'done'; fileName: string } | { kind: 'failed'; error: OneMapErrorData } | { kind: 'cancelled' };

const cssDpi = 96;

/** The current map as a PNG or PDF page: title, legend, scale bar, north arrow, date, sources, demo watermark. */
export function MapExportDialog({ renderMap, layers, demoVisible, attribution, onClose }: MapExportDialogProps) {
  const language = useLanguage();
  const { t } = useTranslation();
  const today = localDate();
  const workspace = localized(useWorkspace().definition.name, language);
  const [title, setTitle] = useState(() => t('mapExport.defaultTitle', { date: today, workspace }));
  const [paper, setPaper] = useState<PaperId>('a4-landscape');
  const [dpi, setDpi] = useState(150);
  const [format, setFormat] = useState<'png' | 'pdf'>('png');
  const [run, setRun] = useState<Run>({ kind: 'idle' });
  // A thematic map (e.g. the wells progress map) draws only the layers chosen for it.
  const [left, setLeft] = useState<ReadonlySet<string>>(new Set());
  const chosen = layers.filter((layer) => !left.has(layer.definition.id));
  const abort = useRef<AbortController | null>(null);
  const pdfJob = useRef<ExportJob<Uint8Array> | null>(null);

  const cancel = () => {
    abort.current?.abort();
    pdfJob.current?.cancel();
  };
  useEffect(() => () => cancel(), []);

  const start = async (event: React.FormEvent) => {
    event.preventDefault();
    if (abort.current) return;
    const controller = new AbortController();
    abort.current = controller;
    const created = new Date();
    const date = localDate(created);
    try {
      setRun({ kind: 'running', phase: 'map' });
      const layout = pageLayout(paper, dpi);
      const rendered = await renderMap(
        { widthPx: layout.map.width, heightPx: layout.map.height, pixelRatio: dpi / cssDpi, planningLayerIds: chosen.map((layer) => layer.definition.id) },
        controller.signal,
      );
      if (controller.signal.aborted) throw new ExportCancelled();
      setRun({ kind: 'running', phase: 'compose' });
      const bar = scaleBar(rendered.metresPerPixel, layout.map.width * 0.22);
      const sources = [...attribution, t(demoVisible ? 'mapExport.planningSourceDemo' : 'mapExport.planningSource')];
      const content: Omit<PageContent, 'layout' | 'map'> = {
        title: title.trim() || t('mapExport.defaultTitle', { date, workspace }),
        legendHeading: t('mapExport.legend'),
        // Only what the page shows: each chosen layer with the statuses actually drawn (filters and extent applied).
        legend: legendEntries(
          chosen.map((layer) => ({
            definition: layer.definition,
            statuses: (layer.statuses ?? layer.definition.status.states.map((state) => state.value)).filter((status) => rendered.drawnStatuses[layer.definition.id]?.includes(status)),
          })),
          language,
          {
          colors: rendered.colors,
          texts: {
            basemapHeading: t('mapExport.basemap'),
            city: t('legend.city'),
            county: t('legend.county'),
            lake: t('legend.lake'),
            river: t('legend.river'),
            seat: t('legend.seat'),
          },
          },
        ),
        legendMore: (count) => t('mapExport.legendMore', { count }),
        scaleBar: bar,
        scaleText: t('mapExport.scale', { denominator: representativeFraction(rendered.metresPerPixel, dpi).toLocaleString('en-US') }),
        bearing: rendered.bearing,
        northLetter: t('mapExport.north'),
        dateLine: t('mapExport.date', { date }),
        sourcesLine: t('mapExport.sources', { sources: sources.join(t('mapExport.sourceSeparator')) }),
        creditLine: t('mapExport.credit', { crs: 'WGS84 / Web Mercator' }),
        demo: demoVisible,
      };
      await loadPageFont(pageTexts(content));
      const page = composePage({ ...content, layout, map: rendered.canvas });
      const blob = await new Promise<Blob>((resolve, reject) => page.toBlob((value) => (value ? resolve(value) : reject(new OneMapError('map-render-too-large', { technical: 'canvas.toBlob gave no image' }))), 'image/png'));
      const png = withPngDpi(new Uint8Array(await blob.arrayBuffer()), dpi);
      if (controller.signal.aborted) throw new ExportCancelled();
      const fileName = mapFileName(content.title, date, format);
      if (format === 'png') {
        saveDownload(fileName, png, 'image/png');
      } else {
        setRun({ kind: 'running', phase: 'pdf' });
        const points = pagePoints(paper);
        const job = startPdfPage({
          image: png,
          imageType: 'png',
          widthPoints: points.width,
          heightPoints: points.height,
          title: content.title,
          subject: t('mapExport.subject'),
          keywords: demoVisible ? ['OneMap', t('app.demoData')] : ['OneMap'],
          language,
          created: created.getTime(),
        });
        pdfJob.current = job;
        const pdf = await job.promise;
        saveDownload(fileName, pdf, 'application/pdf');
      }
      setRun({ kind: 'done', fileName });
    } catch (error) {
      const cancelled = controller.signal.aborted || error instanceof ExportCancelled || (error instanceof Error && error.name === 'MapRenderCancelled');
      setRun(cancelled ? { kind: 'cancelled' } : { kind: 'failed', error: oneMapErrorData(error) });
    } finally {
      abort.current = null;
      pdfJob.current = null;
    }
  };

  const running = run.kind === 'running';
  return (
    <div className="dialog-backdrop">
      <form className="dialog map-export-dialog" role="dialog" aria-modal="true" aria-label={t('mapExport.heading')} onSubmit={(event) => void start(event)}>
        <h2>{t('mapExport.heading')}</h2>
        <label className="field">
          <span>{t('mapExport.title')}</span>
          <input type="text" value={title} disabled={running} onChange={(event) => setTitle(event.target.value)} />
        </label>
        <label className="field">
          <span>{t('mapExport.paper')}</span>
          <select value={paper} disabled={running} onChange={(event) => setPaper(event.target.value as PaperId)}>
            {paperIds.map((id) => (
              <option key={id} value={id}>
                {t(`mapExport.papers.${id}`)}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>{t('mapExport.resolution')}</span>
          <select value={dpi} disabled={running} onChange={(event) => setDpi(Number(event.target.value))}>
            {dpiChoices.map((choice) => (
              <option key={choice} value={choice}>
                {t('mapExport.dpi', { dpi: choice })}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>{t('mapExport.format')}</span>
          <select value={format} disabled={running} onChange={(event) => setFormat(event.target.value as 'png' | 'pdf')}>
            <option value="png">{t('mapExport.png')}</option>
            <option value="pdf">{t('mapExport.pdf')}</option>
          </select>
        </label>
        {layers.length > 0 && (
          <fieldset className="map-export-layers" disabled={running}>
            <legend>{t('mapExport.layers')}</legend>
            {layers.map(({ definition }) => (
              <label key={definition.id} className="status-option">
                <input
                  type="checkbox"
                  checked={!left.has(definition.id)}
                  onChange={(event) =>
                    setLeft((current) => {
                      const next = new Set(current);
                      if (event.target.checked) next.delete(definition.id);
                      else next.add(definition.id);
                      return next;
                    })
                  }
                />
                {localized(definition.name, language)}
              </label>
            ))}
          </fieldset>
        )}
        <p className="muted">{t(demoVisible ? 'mapExport.demoNote' : 'mapExport.contentNote')}</p>
        {format === 'pdf' && <p className="muted">{t('mapExport.pdfNote')}</p>}
        {run.kind === 'running' && (
          <div className="export-progress">
            <progress aria-label={t('mapExport.progressLabel')} />
            <p role="status" data-testid="map-export-progress">
              {t(`mapExport.phase.${run.phase}`)}
            </p>
          </div>
        )}
        {run.kind === 'done' && <p role="status">{t('mapExport.done', { file: run.fileName })}</p>}
        {run.kind === 'cancelled' && <p role="status">{t('mapExport.cancelled')}</p>}
        {run.kind === 'failed' && <ErrorNotice error={run.error} frame={(reason) => t('mapExport.failed', { reason })} />}
        <div className="dialog-buttons">
          <button type="submit" disabled={running}>
            {t('mapExport.start')}
          </button>
          {running ? (
            <button type="button" onClick={cancel}>
              {t('mapExport.cancel')}
            </button>
          ) : (
            <button type="button" onClick={onClose}>
              {t('mapExport.close')}
            </button>
          )}
        </div>
      </form>
    </div>
  );
}
