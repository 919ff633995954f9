import { proxy } from 'comlink';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { targetSetIdOf } from '../../../../shared/model';
// Named modules, not the shared/print barrel (which brings the PDF and .docx writers).
import { bulletinModel } from '../../../../shared/print/bulletin';
import { mapPageLayout, paperSizes, type Orientation, type PaperSize } from '../../../../shared/print/paper';
import { paperView } from '../../../../shared/print/projection';
import type { AtlasTexts, PdfMetadata } from '../../../../shared/print';
import type { BulletinTexts } from '../../../../shared/print/bulletin-document';
import { oneMapErrorData, type OneMapErrorData } from '../../../../shared/errors';
import { useMapController } from '../../map/map-controller';
import { localized } from '../../lib/localize';
import { useLanguage } from '../../lib/language';
import { useWorkbenchData } from '../../lib/workbench-data';
import { useWorkspace } from '../../lib/workspace';
import { ErrorNotice } from '../errors';
import { localDate, saveDownload } from '../export';
import { mapFileName } from '../map-export';
import { TargetSetPicker, useChosenTargetSet } from '../targets';
import { startPrintJob, PrintCancelled, type PrintJob } from './print-client';
import { cityExtent, legendFor, mapTexts, printBasemap, printLayer, sourceLines, targetInputs, targetMapLayer, templates, visibleLayers } from './print-input';

type Kind = 'map' | 'atlas' | 'bulletin';
type Formats = 'pdf' | 'docx' | 'both';
type Run =
  | { kind: 'idle' }
  | { kind: 'running'; phase: 'prepare' | 'raster' | 'pages' | 'docx'; done: number; total: number }
  | { kind: 'done'; files: string[] }
  | { kind: 'failed'; error: OneMapErrorData }
  | { kind: 'cancelled' };

const pngOf = (canvas: HTMLCanvasElement) =>
  new Promise<Uint8Array>((resolve, reject) => canvas.toBlob((blob) => (blob ? blob.arrayBuffer().then((buffer) => resolve(new Uint8Array(buffer)), reject) : reject(new Error('canvas.toBlob gave no image'))), 'image/png'));

/** The 打印 tab: a vector map of the current view, the county atlas, or the progress bulletin, written in a worker. */
export function PrintPanel() {
  const { t, i18n } = useTranslation();
  const language = useLanguage();
  const data = useWorkbenchData();
  const map = useMapController();
  const { asOf: workspaceAsOf, definition } = useWorkspace();
  const workspace = localized(definition.name, language);
  const { set } = useChosenTargetSet();
  const [kind, setKind] = useState<Kind>('map');
  const [title, setTitle] = useState(() => t('mapExport.defaultTitle', { date: localDate(), workspace }).replace(/\s*—\s*\d{4}-\d{2}-\d{2}$/, ''));
  const [paper, setPaper] = useState<PaperSize>('a4');
  const [orientation, setOrientation] = useState<Orientation>('landscape');
  const [dpi, setDpi] = useState(150);
  const [chosenCounties, setChosenCounties] = useState<ReadonlySet<number> | null>(null);
  const [asOf, setAsOf] = useState(workspaceAsOf);
  const [issuer, setIssuer] = useState(() => t('print.defaultIssuer', { workspace }));
  const [formats, setFormats] = useState<Formats>('both');
  const [run, setRun] = useState<Run>({ kind: 'idle' });
  const job = useRef<PrintJob<unknown> | null>(null);
  const aborted = useRef<AbortController | null>(null);
  useEffect(() => () => job.current?.cancel(), []);
  const rasterBasemap = map.printView()?.rasterBasemap ?? false;
  const counties = chosenCounties ?? new Set(data.counties.map((county) => county.adcode));
  const running = run.kind === 'running';
  const resource = (key: string) => (lng: string) => i18n.getResource(lng, 'translation', key) as unknown;

  const cancel = () => {
    aborted.current?.abort();
    job.current?.cancel();
  };

  const start = async (event: React.FormEvent) => {
    event.preventDefault();
    if (running) return;
    const controller = new AbortController();
    aborted.current = controller;
    const created = new Date();
    const date = localDate(created);
    setRun({ kind: 'running', phase: 'prepare', done: 0, total: 0 });
    try {
      const view = map.printView();
      if (!view) throw new Error('the map is not ready');
      const basemap = printBasemap(data.basemap, view.colors, language);
      const shown = visibleLayers(data);
      // A large layer's features are read now, for this print only.
      const shownFeatures = new Map(await Promise.all(shown.map(async (layer) => [layer.id, await data.loadShownFeatures(layer.id)] as const)));
      const demo = shown.some((layer) => shownFeatures.get(layer.id)!.some((feature) => feature.demo));
      const sources = sourceLines(data.basemap, demo || kind === 'bulletin', language, t);
      const fontUrl = new URL('fonts/NotoSansSC-print.ttf', document.baseURI).href;
      // A progress message already on its way when Cancel terminated the worker must not bring the
      // panel back from 已取消 to a running job.
      const onProgress = (done: number, total: number) => {
        if (!controller.signal.aborted) setRun({ kind: 'running', phase: 'pages', done, total });
      };
      const setTargets = set === null ? data.targets : data.targets.filter((target) => targetSetIdOf(target) === set.id);
      const documentTitle = kind === 'map' ? title.trim() || workspace : kind === 'atlas' ? title.trim() || t('print.atlasTitle', { workspace }) : title.trim() || t('print.bulletinTitle', { workspace, set: set ? localized(set.title, language) : '' });
      const metadata: PdfMetadata = {
        title: documentTitle,
        subject: t(kind === 'map' ? 'print.subjectMap' : kind === 'atlas' ? 'print.subjectAtlas' : 'print.subjectBulletin'),
        keywords: demo ? ['OneMap', t('app.demoData')] : ['OneMap'],
        language,
        created: created.getTime(),
      };
      const legend = legendFor(
        [...shown].reverse().map((definition) => ({ definition, statuses: data.settings[definition.id]?.statuses ?? null })),
        view.colors,
        language,
        t,
      );
      const layers = shown.map((definition) => printLayer(definition, shownFeatures.get(definition.id)!));
      const texts = mapTexts(t, documentTitle, date, sources);
      const baseName = mapFileName(documentTitle, kind === 'bulletin' ? asOf : date, 'pdf').replace(/\.pdf$/, '');
      if (kind === 'map') {
        let raster: Uint8Array | undefined;
        if (view.rasterBasemap) {
          setRun({ kind: 'running', phase: 'raster', done: 0, total: 1 });
          const frame = mapPageLayout(paper, orientation).map;
          const pixels = { widthPx: Math.round((frame.width / 72) * dpi), heightPx: Math.round((frame.height / 72) * dpi) };
          const rendered = await map.renderForExport({ ...pixels, pixelRatio: dpi / 96, view: paperView(view, frame), rasterOnly: true }, controller.signal);
          raster = await pngOf(rendered.canvas);
        }
        const request = { paper, orientation, screen: view, layers, basemap, legend, texts, demo, ...(raster ? { raster } : {}) };
        const printing = startPrintJob(async (remote) => await remote.map(request, fontUrl, metadata, proxy(onProgress)));
        job.current = printing;
        saveDownload(`${baseName}.pdf`, await printing.promise, 'application/pdf');
        setRun({ kind: 'done', files: [`${baseName}.pdf`] });
      } else {
        const targetLayers = [...new Set(setTargets.map((target) => target.layerId))];
        const featuresByLayer = new Map(await Promise.all(targetLayers.map(async (layerId) => [layerId, await data.loadFeatures(layerId)] as const)));
        const inputs = targetInputs(setTargets, { ...data, featuresByLayer }, language);
        if (inputs.length === 0) throw new Error(t('print.noTargets'));
        if (kind === 'atlas') {
          const chosen = data.counties.map((county) => county.adcode).filter((adcode) => counties.has(adcode));
          if (chosen.length === 0) throw new Error(t('print.noCounty'));
          const request = { paper, orientation, layers, basemap, legend, texts, atlasTexts: templates<AtlasTexts>(resource('print.atlas'), language), counties: chosen, targets: inputs, asOf, language, demo };
          const printing = startPrintJob(async (remote) => await remote.atlas(request, fontUrl, metadata, proxy(onProgress)));
          job.current = printing;
          saveDownload(`${baseName}.pdf`, await printing.promise, 'application/pdf');
          setRun({ kind: 'done', files: [`${baseName}.pdf`] });
        } else {
          const model = bulletinModel({ targets: inputs, counties: data.counties, asOf });
          const maps = inputs.filter((input) => input.core).map((input) => ({ targetId: input.target.id, title: input.title, layer: targetMapLayer(input), legend: legendFor([{ definition: input.layer, statuses: null }], view.colors, language, t) }));
          const request = {
            title: documentTitle,
            asOf,
            issuer: issuer.trim(),
            language,
            texts: templates<BulletinTexts>(resource('print.bulletin'), language),
            sources,
            model,
            maps,
            basemap,
            extent: cityExtent(data.basemap),
            legendHeading: texts.legendHeading,
            legendMore: texts.legendMore,
          };
          const wanted = { pdf: formats !== 'docx', docx: formats !== 'pdf' };
          const printing = startPrintJob(async (remote) => await remote.bulletin(request, wanted, fontUrl, metadata, proxy(onProgress)));
          job.current = printing;
          const result = await printing.promise;
          const files: string[] = [];
          if (result.pdf) {
            saveDownload(`${baseName}.pdf`, result.pdf, 'application/pdf');
            files.push(`${baseName}.pdf`);
          }
          if (result.docx) {
            saveDownload(`${baseName}.docx`, result.docx, 'application/vnd.openxmlformats-officedocument.wordprocessingml.document');
            files.push(`${baseName}.docx`);
          }
          setRun({ kind: 'done', files });
        }
      }
    } catch (error) {
      const cancelled = controller.signal.aborted || error instanceof PrintCancelled || (error instanceof Error && error.name === 'MapRenderCancelled');
      setRun(cancelled ? { kind: 'cancelled' } : { kind: 'failed', error: oneMapErrorData(error) });
    } finally {
      job.current = null;
      aborted.current = null;
    }
  };

  const percent = run.kind === 'running' && run.total > 0 ? Math.round((run.done / run.total) * 100) : undefined;
  return (
    <section className="print-panel" aria-label={t('print.heading')}>
      <h2>{t('print.heading')}</h2>
      <p className="muted">{t('print.intro')}</p>
      <form onSubmit={(event) => void start(event)}>
        <fieldset disabled={running} className="print-options">
          <label className="field">
            <span>{t('print.kind')}</span>
            <select value={kind} onChange={(event) => setKind(event.target.value as Kind)} data-testid="print-kind">
              {(['map', 'atlas', 'bulletin'] as const).map((value) => (
                <option key={value} value={value}>
                  {t(`print.kinds.${value}`)}
                </option>
              ))}
            </select>
          </label>
          <label className="field">
            <span>{t('print.title')}</span>
            <input type="text" value={title} onChange={(event) => setTitle(event.target.value)} />
          </label>
          {kind !== 'bulletin' && (
            <>
              <label className="field">
                <span>{t('print.paper')}</span>
                <select value={paper} onChange={(event) => setPaper(event.target.value as PaperSize)}>
                  {paperSizes.map((size) => (
                    <option key={size} value={size}>
                      {t(`print.papers.${size}`)}
                    </option>
                  ))}
                </select>
              </label>
              <label className="field">
                <span>{t('print.orientation')}</span>
                <select value={orientation} onChange={(event) => setOrientation(event.target.value as Orientation)}>
                  {(['landscape', 'portrait'] as const).map((value) => (
                    <option key={value} value={value}>
                      {t(`print.orientations.${value}`)}
                    </option>
                  ))}
                </select>
              </label>
            </>
          )}
          {kind === 'map' && rasterBasemap && (
            <label className="field">
              <span>{t('print.rasterDpi')}</span>
              <select value={dpi} onChange={(event) => setDpi(Number(event.target.value))}>
                {[150, 300].map((value) => (
                  <option key={value} value={value}>
                    {t('print.dpi', { dpi: value })}
                  </option>
                ))}
              </select>
              <small className="muted">{t('print.rasterNote')}</small>
            </label>
          )}
          {kind !== 'map' && <TargetSetPicker />}
          {kind === 'atlas' && (
            <fieldset className="print-counties">
              <legend>{t('print.counties')}</legend>
              <label className="status-option">
                <input type="checkbox" checked={counties.size === data.counties.length} onChange={(event) => setChosenCounties(event.target.checked ? null : new Set())} />
                {t('print.allCounties')}
              </label>
              {data.counties.map((county) => (
                <label key={county.adcode} className="status-option">
                  <input
                    type="checkbox"
                    checked={counties.has(county.adcode)}
                    onChange={(event) => {
                      const next = new Set(counties);
                      if (event.target.checked) next.add(county.adcode);
                      else next.delete(county.adcode);
                      setChosenCounties(next);
                    }}
                  />
                  {county.name}
                </label>
              ))}
            </fieldset>
          )}
          {kind !== 'map' && (
            <label className="field">
              <span>{t('print.asOf')}</span>
              <input type="date" value={asOf} required onChange={(event) => setAsOf(event.target.value)} />
            </label>
          )}
          {kind === 'bulletin' && (
            <>
              <label className="field">
                <span>{t('print.issuer')}</span>
                <input type="text" value={issuer} onChange={(event) => setIssuer(event.target.value)} />
              </label>
              <label className="field">
                <span>{t('print.format')}</span>
                <select value={formats} onChange={(event) => setFormats(event.target.value as Formats)}>
                  {(['both', 'pdf', 'docx'] as const).map((value) => (
                    <option key={value} value={value}>
                      {t(`print.formats.${value}`)}
                    </option>
                  ))}
                </select>
              </label>
            </>
          )}
        </fieldset>
        {run.kind === 'running' && (
          <div className="export-progress">
            <progress aria-label={t('print.heading')} {...(percent === undefined ? {} : { value: percent, max: 100 })} />
            <p role="status" data-testid="print-progress">
              {t(`print.phase.${run.phase}`, { done: run.done, total: run.total })}
            </p>
          </div>
        )}
        {run.kind === 'done' && <p role="status">{t('print.done', { file: run.files.join('、') })}</p>}
        {run.kind === 'cancelled' && <p role="status">{t('print.cancelled')}</p>}
        {run.kind === 'failed' && <ErrorNotice error={run.error} frame={(reason) => t('print.failed', { reason })} />}
        <div className="dialog-buttons">
          <button type="submit" disabled={running}>
            {t('print.start')}
          </button>
          {running && (
            <button type="button" onClick={cancel}>
              {t('print.cancel')}
            </button>
          )}
        </div>
      </form>
    </section>
  );
}
