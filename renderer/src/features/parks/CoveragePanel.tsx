import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { MultiPolygon, Polygon } from 'geojson';
import type { Feature, Geometry } from '../../../../shared/model';
import type { ParkCoverageResult } from '../../../../shared/analysis';
import { useWorkspace } from '../../lib/workspace';
import { useTransact } from '../../lib/use-transact';
import { formatNumber } from '../../lib/localize';
import type { CoverageOverlay } from '../../map/coverage-overlay';
import { analysisWorker } from './analysis-client';
import type { ExtraCandidate, RankedCandidate } from './analysis.worker';
import { representativePoint } from '../../../../shared/geo';
import { coverageOverlay, parksCollection, residentsCollection } from './coverage-inputs';
import { FilePicker } from '../../app/FilePicker';
import { failure, Outcome, type Failure } from '../errors';
import { useLanguage } from '../../lib/language';

export interface CoveragePanelProps {
  parks: readonly Feature[];
  residents: readonly Feature[];
  /** Water bodies: no park is proposed there. */
  water: ReadonlyArray<Polygon | MultiPolygon>;
  counties: readonly { adcode: number; name: string }[];
  countyOf(point: [number, number]): number | null;
  onOverlay(overlay: CoverageOverlay | null): void;
  /** Lets the planner draw a site on the map (null when cancelled). */
  drawArea(): Promise<Polygon | null>;
}

const parksLayerId = 'pocket-parks';
const completedStatuses = ['completed'];
const candidateSpacingMeters = 200;
const candidateSideMeters = 40;

// Each residents (and counted parks) array gets its own key, so the worker indexes the residents
// and measures each resident's nearest park once per change, not per radius step.
const collectionKeys = new WeakMap<readonly Feature[], string>();
let collectionKeyCounter = 0;
function collectionKey(features: readonly Feature[]): string {
  let key = collectionKeys.get(features);
  if (!key) {
    collectionKeyCounter += 1;
    key = `features-${collectionKeyCounter}`;
    collectionKeys.set(features, key);
  }
  return key;
}

export function CoveragePanel({ parks, residents, water, counties, countyOf, onOverlay, drawArea }: CoveragePanelProps) {
  const language = useLanguage();
  const { t } = useTranslation();
  const workspace = useWorkspace();
  const transact = useTransact();
  const [radius, setRadius] = useState(300);
  const [includeExisting, setIncludeExisting] = useState(true);
  const [includePlanned, setIncludePlanned] = useState(true);
  const [k, setK] = useState(40);
  const [result, setResult] = useState<ParkCoverageResult | null>(null);
  const [candidates, setCandidates] = useState<RankedCandidate[] | null>(null);
  const [adoptMessage, setAdoptMessage] = useState<string | Failure | null>(null);
  const [extra, setExtra] = useState<ExtraCandidate[]>([]);
  const [includeGrid, setIncludeGrid] = useState(true);
  const [importMessage, setImportMessage] = useState<string | Failure | null>(null);
  const sentKey = useRef<string | null>(null);
  const sentParksKey = useRef<string | null>(null);
  const coverageRequest = useRef(0);
  const candidateRequest = useRef(0);

  const countedParks = useMemo(
    () =>
      parks.filter((park) => {
        const done = completedStatuses.includes(park.status);
        return (done && includeExisting) || (!done && includePlanned);
      }),
    [parks, includeExisting, includePlanned],
  );
  const key = collectionKey(residents);
  const residentsFor = () => {
    if (sentKey.current === key) return null;
    sentKey.current = key;
    return residentsCollection(residents);
  };
  const parksKey = collectionKey(countedParks);
  const parksFor = () => {
    if (sentParksKey.current === parksKey) return null;
    sentParksKey.current = parksKey;
    return parksCollection(countedParks);
  };

  // Coverage for every radius step, in the worker: nearest parks measured once per residents and
  // parks, then a step is a pass over those distances; stale answers are dropped.
  useEffect(() => {
    const request = ++coverageRequest.current;
    void analysisWorker()
      .coverage(key, residentsFor(), parksKey, parksFor(), radius)
      .then((answer) => {
        if (request === coverageRequest.current) setResult(answer);
      });
    // residentsFor and parksFor read refs only.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key, parksKey, radius]);

  // Candidates: heavier (a grid and a greedy ranking), so after the slider rests for a moment.
  useEffect(() => {
    const request = ++candidateRequest.current;
    const timer = window.setTimeout(() => {
      const exclusions = [...countedParks.map((park) => park.geometry as Polygon), ...water];
      void analysisWorker()
        .rankGridCandidates(key, residentsFor(), parksCollection(countedParks), exclusions, radius, {
          k,
          spacingMeters: candidateSpacingMeters,
          sideMeters: candidateSideMeters,
          includeGrid,
          extra,
        })
        .then((ranked) => {
          if (request === candidateRequest.current) setCandidates(ranked);
        });
    }, 250);
    return () => window.clearTimeout(timer);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key, countedParks, radius, k, water, includeGrid, extra]);

  const drawCandidate = async () => {
    const area = await drawArea();
    if (!area) return;
    setExtra((current) => [
      ...current,
      { id: `drawn-${current.length + 1}`, source: 'drawn', geometry: area, center: representativePoint(area as Geometry) as [number, number] },
    ]);
  };

  const importCandidates = async (files: FileList | null) => {
    const file = files?.[0];
    if (!file) return;
    setImportMessage(null);
    // The importers (and their parsers) load only when a file is imported.
    const { importFile } = await import('../../../../shared/io');
    try {
      const result = await importFile(file.name, new Uint8Array(await file.arrayBuffer()), { workspaceBounds: workspace.definition.extent });
      const sites = result.features.features.flatMap((feature, index): ExtraCandidate[] => {
        const geometry = feature.geometry;
        if (!geometry || (geometry.type !== 'Point' && geometry.type !== 'Polygon')) return [];
        return [{ id: `imported-${file.name}-${index + 1}`, source: 'imported', geometry, center: representativePoint(geometry as Geometry) as [number, number] }];
      });
      setExtra((current) => [...current.filter((candidate) => candidate.source !== 'imported'), ...sites]);
      setImportMessage(t('coverage.imported', { count: sites.length, file: file.name, crs: result.sourceCrs }));
    } catch (error) {
      setImportMessage(
        failure(error, (reason) => t('coverage.importFailed', { file: file.name, reason })),
      );
    }
  };

  useEffect(() => {
    onOverlay(coverageOverlay(radius, countedParks, residents, result, candidates ?? []));
  }, [onOverlay, radius, countedParks, residents, result, candidates]);
  useEffect(() => () => onOverlay(null), [onOverlay]);

  const adopt = async (candidate: RankedCandidate) => {
    setAdoptMessage(null);
    try {
      await transact({
        note: t('coverage.adoptedName', { rank: candidate.rank }),
        operations: [
          {
            kind: 'create',
            layerId: parksLayerId,
            feature: {
              geometry: candidate.geometry as Geometry,
              properties: { name: t('coverage.adoptedName', { rank: candidate.rank }), planYear: Number(workspace.asOf.slice(0, 4)) },
              status: 'planned',
              county: countyOf(candidate.center),
              demo: false,
            },
          },
        ],
      });
      setAdoptMessage(t('coverage.adopted'));
    } catch (error) {
      setAdoptMessage(failure(error, (reason) => t('coverage.adoptFailed', { reason })));
    }
  };

  const countyName = (group: string | number | null) => counties.find((county) => county.adcode === group)?.name ?? String(group ?? '—');
  const demo = residents.some((resident) => resident.demo) || parks.some((park) => park.demo);

  return (
    <section className="coverage-panel" aria-label={t('coverage.heading')}>
      <h2>
        {t('coverage.heading')} {demo && <span className="demo-badge">{t('coverage.demo')}</span>}
      </h2>
      <label className="field">
        <span>
          {t('coverage.radius')}: <strong data-testid="coverage-radius">{radius}</strong>
        </span>
        <input type="range" min={50} max={2000} step={50} value={radius} aria-label={t('coverage.radius')} onChange={(event) => setRadius(Number(event.target.value))} />
      </label>
      <div className="presets" role="group" aria-label={t('coverage.radiusPresets')}>
        {[300, 500, 1000].map((preset) => (
          <button key={preset} type="button" aria-pressed={radius === preset} onClick={() => setRadius(preset)}>
            {t(`coverage.preset${preset}`)}
          </button>
        ))}
      </div>
      <fieldset className="status-filter">
        <legend>{t('coverage.parks')}</legend>
        <label className="status-option">
          <input type="checkbox" checked={includeExisting} onChange={(event) => setIncludeExisting(event.target.checked)} /> {t('coverage.existing')}
        </label>
        <label className="status-option">
          <input type="checkbox" checked={includePlanned} onChange={(event) => setIncludePlanned(event.target.checked)} /> {t('coverage.planned')}
        </label>
      </fieldset>

      {result ? (
        <div className="coverage-summary">
          <p className="headline">
            {t('coverage.covered')} <strong data-testid="covered-population">{formatNumber(result.coveredPopulation, language)}</strong> /{' '}
            {formatNumber(result.totalPopulation, language)}
            <span className="percent" data-testid="covered-percent">
              {formatNumber(result.coveredPercent ?? 0, language, 1)}%
            </span>
          </p>
          <div className="progress-bar" role="progressbar" aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.round(result.coveredPercent ?? 0)} aria-label={t('coverage.percent')}>
            <span style={{ width: `${result.coveredPercent ?? 0}%` }} />
          </div>
          <p className="legend-inline">
            <span className="key dot covered" /> {t('coverage.legendCovered')} <span className="key dot uncovered" /> {t('coverage.legendUncovered')}
          </p>
          <details>
            <summary>{t('coverage.byCounty')}</summary>
            <table className="county-table">
              <thead>
                <tr>
                  <th scope="col">{t('coverage.countyColumn')}</th>
                  <th scope="col">{t('coverage.coveredColumn')}</th>
                  <th scope="col">{t('coverage.totalColumn')}</th>
                  <th scope="col">{t('coverage.percentColumn')}</th>
                </tr>
              </thead>
              <tbody>
                {result.groups.map((group) => (
                  <tr key={String(group.group)}>
                    <th scope="row">{countyName(group.group)}</th>
                    <td>{formatNumber(group.coveredPopulation, language)}</td>
                    <td>{formatNumber(group.totalPopulation, language)}</td>
                    <td>{group.coveredPercent === null ? '—' : `${formatNumber(group.coveredPercent, language, 1)}%`}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </details>
        </div>
      ) : (
        <p className="muted">{t('coverage.computing')}</p>
      )}

      <h3>{t('coverage.candidates')}</h3>
      <label className="field inline">
        <span>{t('coverage.k')}</span>
        <input type="number" min={1} max={200} value={k} onChange={(event) => setK(Math.max(1, Math.min(200, Number(event.target.value) || 1)))} />
      </label>
      <p className="muted">{t('coverage.method')}</p>
      <div className="candidate-sources">
        <label className="status-option">
          <input type="checkbox" checked={includeGrid} onChange={(event) => setIncludeGrid(event.target.checked)} /> {t('coverage.includeGrid')}
        </label>
        <button type="button" className="link" onClick={() => void drawCandidate()}>
          {t('coverage.drawCandidate')}
        </button>
        <FilePicker label={t('coverage.importCandidates')} accept=".geojson,.json,.csv,.xlsx,.kml,.kmz,.zip" onChange={(event) => void importCandidates(event.target.files)} />
        {extra.length > 0 && (
          <p className="muted">
            {t('coverage.extraCount', { drawn: extra.filter((c) => c.source === 'drawn').length, imported: extra.filter((c) => c.source === 'imported').length })}{' '}
            <button type="button" className="link" onClick={() => setExtra([])}>
              {t('coverage.clearExtra')}
            </button>
          </p>
        )}
        {importMessage && <Outcome value={importMessage} />}
      </div>
      {adoptMessage && <Outcome value={adoptMessage} />}
      {candidates === null ? (
        <p className="muted">{t('coverage.computing')}</p>
      ) : candidates.length === 0 ? (
        <p className="muted">{t('coverage.noCandidates')}</p>
      ) : (
        <table className="candidate-table">
          <thead>
            <tr>
              <th scope="col">{t('coverage.rank')}</th>
              <th scope="col">{t('coverage.gain')}</th>
              <th scope="col">{t('coverage.cumulative')}</th>
              <th scope="col" />
            </tr>
          </thead>
          <tbody>
            {candidates.map((candidate) => (
              <tr key={candidate.id} data-rank={candidate.rank}>
                <td>
                  {candidate.rank}
                  {candidate.source !== 'grid' && <span className="muted"> {t(`coverage.source.${candidate.source}`)}</span>}
                </td>
                <td data-testid="candidate-gain">{formatNumber(candidate.marginalGain, language)}</td>
                <td>{formatNumber(candidate.cumulativeCovered, language)}</td>
                <td>
                  <button type="button" className="link" onClick={() => void adopt(candidate)}>
                    {t('coverage.adopt')}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
