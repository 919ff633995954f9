// 我的位置 / My position: start and stop the position source (this device's Geolocation, or a GNSS
// receiver over a serial port), the fix on the map with its accuracy circle, its age and accuracy,
// "follow" (the map stays centred on each new fix until the user pans), and "add at my position"
// (the new-feature form for a point at the fix, in the chosen point layer).
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { nmeaRejectReasons } from '../../../../shared/geo/nmea';
import { DEFAULT_UERE_METERS, type NmeaStreamStats } from '../../../../shared/geo/nmea-fix-reader';
import type { LayerDefinition } from '../../../../shared/model';
import { useMapController } from '../../map/map-controller';
import { localized } from '../../lib/localize';
import { currentPlatform } from '../../platform';
import { baudRates, defaultBaudRate, serialSupported } from './gnss-receiver';
import { fixAgeSeconds, formatAccuracy, isStale, type PositionFix, type PositionSourceKind } from './position-fix';
import { useGps, type GpsProblem } from './use-gps';
import './gps.css';
import { useLanguage } from '../../lib/language';

export interface GpsControlProps {
  /** The workspace's layers; "add at my position" offers the point layers. */
  layers: readonly LayerDefinition[];
  /** Opens the new-feature form for a point at `position` ([lon, lat], WGS84) in `layerId`. */
  onAddAtPosition(layerId: string, position: [number, number]): void;
}

const preferredLayer = 'wells';

export function GpsControl({ layers, onAddAtPosition }: GpsControlProps) {
  const map = useMapController();
  const language = useLanguage();
  const { t } = useTranslation();
  const desktop = currentPlatform().kind === 'electron';
  const serial = serialSupported();
  // The desktop shell has no device geolocation (offline by design): a receiver is its source.
  const { state, startDevice, startGnss, stop, setSource } = useGps(desktop && serial ? 'gnss' : 'device');
  const [open, setOpen] = useState(false);
  const [follow, setFollow] = useState(false);
  const [baudRate, setBaudRate] = useState(defaultBaudRate);
  const [now, setNow] = useState(() => Date.now());
  const pointLayers = useMemo(() => layers.filter((layer) => layer.geometryType === 'Point'), [layers]);
  const [layerId, setLayerId] = useState<string | null>(null);
  const chosenLayer = pointLayers.find((layer) => layer.id === layerId) ?? pointLayers.find((layer) => layer.id === preferredLayer) ?? pointLayers[0];

  const { fix, running } = state;
  const stale = fix ? isStale(fix, now) : false;

  // The age of the fix moves on every second while there is one (a fresh fix reads as 0 s meanwhile).
  useEffect(() => {
    if (!fix) return;
    const timer = window.setInterval(() => setNow(Date.now()), 1000);
    return () => window.clearInterval(timer);
  }, [fix]);

  useEffect(() => {
    map.setGpsFix(fix ? { lon: fix.lon, lat: fix.lat, accuracyM: fix.accuracyM, stale } : null);
  }, [map, fix, stale]);

  // Stopping (or a source failing) ends follow mode; leaving the workbench clears the map.
  const following = follow && (running || state.connecting);
  useEffect(() => {
    if (!running && !state.connecting) map.followGps(false);
  }, [map, running, state.connecting]);
  useEffect(
    () => () => {
      map.followGps(false);
      map.setGpsFix(null);
    },
    [map],
  );

  const toggleFollow = () => {
    const next = !following;
    setFollow(next);
    map.followGps(next, () => setFollow(false));
  };

  const start = () => {
    setFollow(false);
    if (state.source === 'gnss') void startGnss(baudRate);
    else startDevice();
  };

  return (
    <section className="gps-control" data-testid="gps-control" aria-label={t('gps.title')}>
      <div className="gps-row">
        <button type="button" className="gps-toggle" aria-expanded={open} onClick={() => setOpen(!open)}>
          {t('gps.title')}
        </button>
        {(open || running) && (
          <button type="button" className={running ? 'gps-stop' : 'gps-start'} disabled={state.connecting} onClick={running ? stop : start}>
            {running ? t('gps.stop') : t('gps.start')}
          </button>
        )}
      </div>
      {(open || running || state.problem) && (
        <div className="gps-body">
          {!running && !state.connecting && (
            <fieldset className="gps-source">
              <legend>{t('gps.source.label')}</legend>
              {(['device', 'gnss'] as const).map((kind: PositionSourceKind) => (
                <label key={kind}>
                  <input type="radio" name="gps-source" value={kind} checked={state.source === kind} disabled={kind === 'gnss' && !serial} onChange={() => setSource(kind)} />
                  {t(`gps.source.${kind}`)}
                </label>
              ))}
              {state.source === 'gnss' && (
                <label className="gps-baud">
                  {t('gps.baudRate')}
                  <select value={baudRate} onChange={(event) => setBaudRate(Number(event.target.value))}>
                    {baudRates.map((rate) => (
                      <option key={rate} value={rate}>
                        {rate}
                      </option>
                    ))}
                  </select>
                </label>
              )}
              {state.source === 'device' && desktop && <p className="gps-hint">{t('gps.problem.deniedDesktop')}</p>}
              {!serial && <p className="gps-hint">{t('gps.serialUnsupported')}</p>}
            </fieldset>
          )}
          {state.connecting && <p className="gps-status">{t('gps.connecting')}</p>}
          {running && !fix && !state.problem && <p className="gps-status">{t('gps.waiting')}</p>}
          {fix && <FixStatus fix={fix} now={now} stale={stale} />}
          {state.problem && (
            <p className="gps-problem" role="alert" data-testid="gps-problem" data-problem={state.problem}>
              {problemText(t, state.problem, desktop)}
              {state.problemDetail && <small> ({state.problemDetail})</small>}
            </p>
          )}
          {state.stats && <NmeaStats stats={state.stats} usbId={state.usbId} />}
          {running && (
            <label className="gps-follow">
              <input type="checkbox" checked={following} onChange={toggleFollow} />
              {t('gps.follow')}
            </label>
          )}
          {running && pointLayers.length > 0 && chosenLayer && (
            <div className="gps-add">
              <select aria-label={t('gps.addLayer')} value={chosenLayer.id} onChange={(event) => setLayerId(event.target.value)}>
                {pointLayers.map((layer) => (
                  <option key={layer.id} value={layer.id}>
                    {localized(layer.name, language)}
                  </option>
                ))}
              </select>
              <button
                type="button"
                disabled={!fix || stale}
                title={!fix ? t('gps.noFixToAdd') : stale ? t('gps.staleNoAdd') : undefined}
                onClick={() => fix && !stale && onAddAtPosition(chosenLayer.id, [fix.lon, fix.lat])}
              >
                {t('gps.addAt')}
              </button>
            </div>
          )}
        </div>
      )}
    </section>
  );
}

function FixStatus({ fix, now, stale }: { fix: PositionFix; now: number; stale: boolean }) {
  const { t } = useTranslation();
  const age = fixAgeSeconds(fix, now);
  const accuracy =
    fix.accuracyM === null
      ? t('gps.accuracyUnknown')
      : fix.accuracyBasis === 'hdop'
        ? t('gps.accuracyEstimated', { value: formatAccuracy(fix.accuracyM), uere: DEFAULT_UERE_METERS })
        : fix.accuracyBasis === 'gst'
          ? t('gps.accuracyReceiver', { value: formatAccuracy(fix.accuracyM) })
          : t('gps.accuracy', { value: formatAccuracy(fix.accuracyM) });
  return (
    <div className={`gps-fix${stale ? ' stale' : ''}`} data-testid="gps-status" data-stale={stale}>
      <p>
        <strong data-testid="gps-accuracy">{accuracy}</strong>
      </p>
      <p>
        <span data-testid="gps-age">{stale ? t('gps.stale', { seconds: age }) : t('gps.age', { seconds: age })}</span>
        {' · '}
        <span data-testid="gps-source">{t(`gps.source.${fix.source}`)}</span>
        {fix.quality && <> · {t(`gps.quality.${fix.quality}`)}</>}
        {typeof fix.satellites === 'number' && <> · {t('gps.satellites', { count: fix.satellites })}</>}
      </p>
      <p className="gps-coordinates" data-testid="gps-coordinates">
        {fix.lon.toFixed(7)}, {fix.lat.toFixed(7)}
      </p>
    </div>
  );
}

function NmeaStats({ stats, usbId }: { stats: NmeaStreamStats; usbId: string | null }) {
  const { t } = useTranslation();
  const used = Object.values(stats.used).reduce((sum, count) => sum + count, 0);
  const dropped = nmeaRejectReasons.filter((reason) => reason !== 'ignored-type' && stats.rejected[reason] > 0);
  return (
    <p className="gps-nmea" data-testid="gps-nmea">
      {t('gps.nmea.used', { count: used })}
      {dropped.length > 0 && <> · {t('gps.nmea.dropped', { reasons: dropped.map((reason) => `${t(`gps.nmea.reason.${reason}`)} ${stats.rejected[reason]}`).join('，') })}</>}
      {usbId && <> · USB {usbId}</>}
      {stats.lastProblem && <small className="gps-nmea-last"> ({stats.lastProblem.detail})</small>}
    </p>
  );
}

function problemText(t: (key: string) => string, problem: GpsProblem, desktop: boolean): string {
  if (problem === 'denied' && desktop) return t('gps.problem.deniedDesktop');
  return t(`gps.problem.${problem}`);
}
