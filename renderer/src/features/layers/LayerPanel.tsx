import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { featureCodeOf, type Feature, type LayerDefinition } from '../../../../shared/model';
import { TallySnapshot } from '../../../../shared/analysis/layer-tally';
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
  featuresByLayer: ReadonlyMap<string, Feature[]>;
  /** Each layer's counts: the panel's numbers come from these, not from a pass over the features. */
  talliesByLayer: ReadonlyMap<string, TallySnapshot>;
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

const maximumSearchResults = 20;
const emptyTally = new TallySnapshot([], [], 0);

export function LayerPanel(props: LayerPanelProps) {
  const language = useLanguage();
  const { layers, settings, featuresByLayer, talliesByLayer, counties, county } = props;
  const { t } = useTranslation();
  const [query, setQuery] = useState('');

  const results = useMemo(() => {
    const needle = query.trim().toLowerCase();
    if (needle.length < 2) return [];
    const found: Feature[] = [];
    for (const layer of layers) {
      for (const feature of featuresByLayer.get(layer.id) ?? []) {
        const name = feature.properties.name;
        const code = featureCodeOf(layer, feature);
        if (feature.id.toLowerCase().includes(needle) || code.toLowerCase().includes(needle) || (typeof name === 'string' && name.toLowerCase().includes(needle))) {
          found.push(feature);
          if (found.length >= maximumSearchResults) return found;
        }
      }
    }
    return found;
  }, [query, layers, featuresByLayer]);

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
          <p className="muted">{results.length === 0 ? t('layers.noResults') : t('layers.results', { count: results.length })}</p>
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
          const tally = talliesByLayer.get(layer.id) ?? emptyTally;
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
                <LayerMenu layer={layer} featureCount={total} />
              </div>
              <p className="muted" data-testid={`layer-count-${layer.id}`}>
                {total === 0 ? t('layers.empty') : t('layers.shown', { shown: formatNumber(shownCount, language), total: formatNumber(total, language) })}
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
              {all.length > 0 && props.onExport && (
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
