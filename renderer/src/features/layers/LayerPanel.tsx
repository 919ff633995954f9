import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { featureCodeOf, type Feature, type LayerDefinition } from '../../../../shared/model';
import { TallySnapshot } from '../../../../shared/analysis/layer-tally';
import { joinSearchResults, maximumSearchResults, searchLayer, searchNeedle } from '../../../../shared/analysis/feature-search';
import { codedFields, countByCodedValue, countByCodedValueInTally, countShownInTally, featuresShown, type LayerSettings } from '../../lib/layer-state';
import { formatNumber, localized } from '../../lib/localize';
import { statusColors } from '../../map/planning-layers';
import { CodedFieldFilter } from '../coded-filter';
import { LayerMenu } from './LayerMenu';
import { useLanguage } from '../../lib/language';

export interface CountyOption {
  adcode: number;
  name: string;
}

export interface LayerPanelProps {
  /** Top of the drawing order first. */
  layers: readonly LayerDefinition[];
  settings: Readonly<Record<string, LayerSettings>>;
  /** Each small layer's features (a large layer's are never held by the window). */
  featuresByLayer: ReadonlyMap<string, Feature[]>;
  /** Each layer's counts: the panel's numbers come from these, not from a pass over the features. */
  talliesByLayer: ReadonlyMap<string, TallySnapshot>;
  /** The layers over the tiles threshold: counted and searched in a worker (a tally missing = still counting). */
  largeLayers?: ReadonlySet<string>;
  /** The first `limit` matches of a large layer for a needle. */
  searchLarge?(layer: LayerDefinition, needle: string, limit: number): Promise<Feature[]>;
  counties: readonly CountyOption[];
  county: number | null;
  onSettingsChange(layerId: string, settings: LayerSettings): void;
  onMove(layerId: string, direction: 'up' | 'down'): void;
  onCountyChange(county: number | null): void;
  onPick(feature: Feature): void;
  onBulkUpdate(layerId: string): void;
  onSelectArea(layerId: string): void;
  /** Opens the export dialog for a layer. */
  onExport?(layerId: string): void;
}

const emptyTally = new TallySnapshot([], [], 0);
const noLayers: ReadonlySet<string> = new Set();

/**
 * The search results over the layers in order (shared/analysis/feature-search.ts): small layers
 * searched here at once, large ones in the worker; null while a large layer's answer is pending.
 */
function useSearchResults(query: string, props: LayerPanelProps): Feature[] | null {
  const { layers, featuresByLayer, searchLarge } = props;
  const largeLayers = props.largeLayers ?? noLayers;
  const needle = searchNeedle(query);
  const candidates = needle === null ? [] : layers.filter((layer) => largeLayers.has(layer.id));
  const askedKey = candidates.map((layer) => layer.id).join('|');
  // Compared by ids: the panel's layer list is a new array at each render, its layers are not.
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const asked = useMemo(() => candidates, [askedKey]);
  const [answers, setAnswers] = useState<{ needle: string; asked: readonly LayerDefinition[]; found: ReadonlyMap<string, Feature[]> } | null>(null);
  useEffect(() => {
    if (needle === null || asked.length === 0 || !searchLarge) return;
    let current = true;
    void Promise.all(asked.map(async (layer) => [layer.id, await searchLarge(layer, needle, maximumSearchResults)] as const)).then((found) => {
      if (current) setAnswers({ needle, asked, found: new Map(found) });
    });
    return () => {
      current = false;
    };
  }, [needle, asked, searchLarge]);
  return useMemo(() => {
    if (needle === null) return [];
    const large = asked.length > 0 ? (answers?.needle === needle && answers.asked === asked ? answers.found : null) : null;
    if (asked.length > 0 && large === null) return null;
    const perLayer: Feature[][] = [];
    let count = 0;
    for (const layer of layers) {
      if (count >= maximumSearchResults) break;
      const found = largeLayers.has(layer.id) ? (large?.get(layer.id) ?? []) : searchLayer(layer, featuresByLayer.get(layer.id) ?? [], needle, maximumSearchResults - count);
      perLayer.push(found);
      count += found.length;
    }
    return joinSearchResults(perLayer, maximumSearchResults);
  }, [needle, asked, answers, layers, largeLayers, featuresByLayer]);
}

export function LayerPanel(props: LayerPanelProps) {
  const language = useLanguage();
  const { layers, settings, featuresByLayer, talliesByLayer, counties, county } = props;
  const { t } = useTranslation();
  const [query, setQuery] = useState('');

  const searched = useSearchResults(query, props);
  const results = searched ?? [];

  return (
    <section className="layer-panel" aria-label={t('layers.heading')}>
      <label className="field">
        <span>{t('layers.county')}</span>
        <select value={county ?? ''} onChange={(event) => props.onCountyChange(event.target.value === '' ? null : Number(event.target.value))}>
          <option value="">{t('layers.allCounties')}</option>
          {counties.map((option) => (
            <option key={option.adcode} value={option.adcode}>
              {option.name}
            </option>
          ))}
        </select>
      </label>

      <label className="field">
        <span>{t('layers.search')}</span>
        <input type="search" value={query} placeholder={t('layers.searchPlaceholder')} onChange={(event) => setQuery(event.target.value)} />
      </label>
      {query.trim().length >= 2 && (
        <div className="search-results" role="region" aria-label={t('layers.search')}>
          <p className="muted">{searched === null ? t('layers.searching') : results.length === 0 ? t('layers.noResults') : t('layers.results', { count: results.length })}</p>
          <ul>
            {results.map((feature) => (
              <li key={`${feature.layerId}/${feature.id}`}>
                <button type="button" onClick={() => props.onPick(feature)}>
                  {featureCodeOf(layers.find((layer) => layer.id === feature.layerId), feature)}
                  {typeof feature.properties.name === 'string' ? ` · ${feature.properties.name}` : ''}
                </button>
              </li>
            ))}
          </ul>
        </div>
      )}

      <h2>{t('layers.heading')}</h2>
      <ul className="layer-list">
        {layers.map((layer, index) => {
          const layerSettings = settings[layer.id];
          if (!layerSettings) return null;
          const all = featuresByLayer.get(layer.id) ?? [];
          const counted = talliesByLayer.get(layer.id);
          // A large layer's counts come from its worker: until they do, the panel says it is counting.
          const counting = counted === undefined && (props.largeLayers?.has(layer.id) ?? false);
          const tally = counted ?? emptyTally;
          const total = tally.total;
          // A field the tally does not tell apart (its definition changed a moment ago): count the features.
          const shownCount = countShownInTally(tally, layerSettings, county) ?? featuresShown(all, layerSettings, county).length;
          const name = localized(layer.name, language);
          const colors = new Map(statusColors(layer));
          const update = (patch: Partial<LayerSettings>) => props.onSettingsChange(layer.id, { ...layerSettings, ...patch });
          return (
            <li key={layer.id} className="layer-item" data-layer-id={layer.id}>
              <div className="layer-row">
                <label className="layer-name">
                  <input
                    type="checkbox"
                    checked={layerSettings.visible}
                    aria-label={t('layers.visible', { name })}
                    onChange={(event) => update({ visible: event.target.checked })}
                  />
                  {name}
                </label>
                {tally.hasDemo && <span className="demo-badge">{t('app.demoData')}</span>}
                <button type="button" className="icon" aria-label={t('layers.moveUp', { name })} disabled={index === 0} onClick={() => props.onMove(layer.id, 'up')}>
                  ↑
                </button>
                <button
                  type="button"
                  className="icon"
                  aria-label={t('layers.moveDown', { name })}
                  disabled={index === layers.length - 1}
                  onClick={() => props.onMove(layer.id, 'down')}
                >
                  ↓
                </button>
                <LayerMenu layer={layer} featureCount={counting ? null : total} />
              </div>
              <p className="muted" data-testid={`layer-count-${layer.id}`}>
                {counting ? t('layers.counting') : total === 0 ? t('layers.empty') : t('layers.shown', { shown: formatNumber(shownCount, language), total: formatNumber(total, language) })}
              </p>
              {total > 0 && (
              <>
              <label className="opacity">
                <span className="visually-hidden">{t('layers.opacity', { name })}</span>
                <input
                  type="range"
                  min={0}
                  max={1}
                  step={0.05}
                  value={layerSettings.opacity}
                  aria-label={t('layers.opacity', { name })}
                  onChange={(event) => update({ opacity: Number(event.target.value) })}
                />
              </label>
              <fieldset className="status-filter">
                <legend>{t('layers.statuses')}</legend>
                {layer.status.states.map((state) => {
                  const checked = layerSettings.statuses === null || layerSettings.statuses.includes(state.value);
                  const count = tally.count((group) => group.status === state.value && (county === null || group.county === county));
                  return (
                    <label key={state.value} className="status-option">
                      <input
                        type="checkbox"
                        checked={checked}
                        onChange={(event) => {
                          const current = layerSettings.statuses ?? layer.status.states.map((s) => s.value);
                          const next = event.target.checked ? [...current, state.value] : current.filter((value) => value !== state.value);
                          update({ statuses: next.length === layer.status.states.length ? null : next });
                        }}
                      />
                      <span className="status-swatch" style={{ background: colors.get(state.value) }} aria-hidden="true" />
                      {localized(state.label, language)} <span className="muted">{formatNumber(count, language)}</span>
                    </label>
                  );
                })}
              </fieldset>
              <CodedFieldFilter
                fields={codedFields(layer)}
                countOf={(field) => countByCodedValueInTally(tally, field, county) ?? countByCodedValue(all.filter((feature) => county === null || feature.county === county), field)}
                filters={layerSettings.fieldFilters ?? {}}
                label={t('codedFilter.group', { name })}
                onChange={(fieldFilters) => update({ fieldFilters })}
              />
              </>
              )}
              {total > 0 && props.onExport && (
                <button type="button" className="link" aria-label={t('layerExport.buttonLabel', { name })} onClick={() => props.onExport?.(layer.id)}>
                  {t('layerExport.button')}
                </button>
              )}
              {shownCount > 0 && (
                <div className="bulk-actions">
                  <button type="button" className="link" onClick={() => props.onBulkUpdate(layer.id)}>
                    {t('layers.bulkUpdate', { count: shownCount })}
                  </button>
                  <button type="button" className="link" onClick={() => props.onSelectArea(layer.id)}>
                    {t('layers.selectArea')}
                  </button>
                </div>
              )}
            </li>
          );
        })}
      </ul>
    </section>
  );
}
