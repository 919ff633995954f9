import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Feature, LayerDefinition, Target } from '../../../../shared/model';
import { farmlandAreaByCounty, villagesBySewageStatus, wellsInsideFarmland, wellsNearVillages } from '../../../../shared/analysis';
import { formatNumber, localized } from '../../lib/localize';
import { OverlayTable } from './OverlayTable';
import { useLanguage } from '../../lib/language';

export interface OverlaysPanelProps {
  layers: readonly LayerDefinition[];
  targets: readonly Target[];
  featuresByLayer: ReadonlyMap<string, Feature[]>;
  counties: readonly { adcode: number; name: string }[];
  onPickFeature(layerId: string, featureId: string): void;
}

const farmlandTargetId = 'high-standard-farmland-2021';

/** The overlays of the other jobs: wells in farmland or near villages, farmland per county, villages' sewage per township. */
export function OverlaysPanel({ layers, targets, featuresByLayer, counties, onPickFeature }: OverlaysPanelProps) {
  const language = useLanguage();
  const { t } = useTranslation();
  const [distance, setDistance] = useState(500);
  // One table at a time in the drawer over the map.
  const [openTable, setOpenTable] = useState<string | null>(null);
  const drawer = (table: string) => ({ open: openTable === table, onOpenChange: (open: boolean) => setOpenTable(open ? table : null) });
  const wells = useMemo(() => featuresByLayer.get('wells') ?? [], [featuresByLayer]);
  const farmland = useMemo(() => featuresByLayer.get('farmland') ?? [], [featuresByLayer]);
  const villages = useMemo(() => featuresByLayer.get('villages') ?? [], [featuresByLayer]);
  const wellsLayer = layers.find((layer) => layer.id === 'wells');
  const villagesLayer = layers.find((layer) => layer.id === 'villages');
  const countyName = (adcode: number | null | 'total') =>
    adcode === 'total' ? t('overlays.total') : adcode === null ? '—' : (counties.find((county) => county.adcode === adcode)?.name ?? String(adcode));
  const statusName = (layer: LayerDefinition | undefined, value: string) =>
    layer ? localized(layer.status.states.find((state) => state.value === value)?.label ?? { zh: value, en: value }, language) : value;
  const enumName = (layer: LayerDefinition | undefined, key: string, value: string | null) => {
    const field = layer?.fields.find((candidate) => candidate.key === key);
    const option = field && field.type === 'enum' ? field.values.find((candidate) => candidate.value === value) : undefined;
    return option ? localized(option.label, language) : value;
  };

  const inFarmland = useMemo(() => wellsInsideFarmland(wells, farmland), [wells, farmland]);
  const nearVillages = useMemo(() => wellsNearVillages(wells, villages, distance), [wells, villages, distance]);
  const farmlandTarget = targets.find((target) => target.id === farmlandTargetId);
  const farmlandRows = useMemo(
    () => (farmlandTarget ? farmlandAreaByCounty(farmlandTarget, farmland, counties.map((county) => county.adcode)) : []),
    [farmlandTarget, farmland, counties],
  );
  const sewageStatuses = useMemo(() => villagesLayer?.status.states.map((state) => state.value) ?? [], [villagesLayer]);
  const sewageRows = useMemo(() => villagesBySewageStatus(villages, sewageStatuses), [villages, sewageStatuses]);
  const demo = [wells, farmland, villages].some((features) => features.some((feature) => feature.demo));
  const mu = (value: number | null) => (value === null ? null : formatNumber(value, language, 1));
  const percent = (value: number | null) => (value === null ? null : `${formatNumber(value, language, 1)}%`);

  return (
    <section className="overlays-panel" aria-label={t('overlays.heading')}>
      <h2>
        {t('overlays.heading')} {demo && <span className="demo-badge">{t('app.demoData')}</span>}
      </h2>

      <details open>
        <summary>{t('overlays.wellsInFarmland')}</summary>
        <OverlayTable
          name={t('overlays.wellsInFarmland')}
          {...drawer('inFarmland')}
          rows={inFarmland}
          rowKey={(row) => row.wellId}
          onRowClick={(row) => onPickFeature('wells', row.wellId)}
          columns={[
            { header: t('overlays.wellId'), value: (row) => row.wellId },
            { header: t('overlays.wellClass'), value: (row) => enumName(wellsLayer, 'wellClass', row.wellClass) },
            { header: t('overlays.status'), value: (row) => statusName(wellsLayer, row.wellStatus) },
            { header: t('overlays.county'), value: (row) => countyName(row.county) },
            { header: t('overlays.farmland'), value: (row) => row.farmlandName ?? row.farmlandId },
          ]}
        />
      </details>

      <details>
        <summary>{t('overlays.wellsNearVillages')}</summary>
        <label className="field inline">
          <span>{t('overlays.distance')}</span>
          <input type="number" min={0} max={5000} step={50} value={distance} onChange={(event) => setDistance(Math.max(0, Number(event.target.value) || 0))} />
        </label>
        <OverlayTable
          name={t('overlays.wellsNearVillages')}
          {...drawer('nearVillages')}
          rows={nearVillages}
          rowKey={(row) => row.wellId}
          onRowClick={(row) => onPickFeature('wells', row.wellId)}
          columns={[
            { header: t('overlays.wellId'), value: (row) => row.wellId },
            { header: t('overlays.wellClass'), value: (row) => enumName(wellsLayer, 'wellClass', row.wellClass) },
            { header: t('overlays.status'), value: (row) => statusName(wellsLayer, row.wellStatus) },
            { header: t('overlays.county'), value: (row) => countyName(row.county) },
            { header: t('overlays.village'), value: (row) => row.villageName ?? row.villageId },
            { header: t('overlays.distanceColumn'), value: (row) => Math.round(row.distanceMeters), numeric: true },
          ]}
        />
      </details>

      <details>
        <summary>{t('overlays.farmlandByCounty')}</summary>
        <OverlayTable
          name={t('overlays.farmlandByCounty')}
          {...drawer('farmland')}
          rows={farmlandRows}
          rowKey={(row) => String(row.county)}
          columns={[
            { header: t('overlays.county'), value: (row) => countyName(row.county) },
            { header: t('overlays.doneMu'), value: (row) => mu(row.doneMu), numeric: true },
            { header: t('overlays.mappedMu'), value: (row) => mu(row.mappedMu), numeric: true },
            { header: t('overlays.targetMu'), value: (row) => mu(row.targetMu), numeric: true },
            { header: t('overlays.donePercent'), value: (row) => percent(row.donePercentOfTarget), numeric: true },
          ]}
        />
      </details>

      <details>
        <summary>{t('overlays.sewageByTownship')}</summary>
        <OverlayTable
          name={t('overlays.sewageByTownship')}
          {...drawer('sewage')}
          rows={sewageRows}
          rowKey={(row, index) => `${row.county}-${row.townshipCode ?? index}`}
          columns={[
            { header: t('overlays.county'), value: (row) => countyName(row.county) },
            { header: t('overlays.township'), value: (row) => row.township },
            { header: t('overlays.villages'), value: (row) => row.villages, numeric: true },
            { header: t('overlays.sewageTargets'), value: (row) => row.sewageTargets2021, numeric: true },
            ...sewageStatuses.map((status) => ({ header: statusName(villagesLayer, status), value: (row: (typeof sewageRows)[number]) => row.byStatus[status] ?? 0, numeric: true })),
          ]}
        />
      </details>
    </section>
  );
}
