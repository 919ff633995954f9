import { useMemo, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { ProgressSummarySpec } from '../../../../shared/analysis';
import type { Feature, LayerDefinition, Target } from '../../../../shared/model';
import { useProgressViews } from './progress-client';
import { TargetCard, rowsShown } from './TargetCard';
import { ConflictCountNotice } from '../sync';

export interface DashboardProps {
  targets: readonly Target[];
  layers: readonly LayerDefinition[];
  /** The workspace's store, read by the progress worker (the cards never hold a layer's features). */
  databaseName: string;
  counties: readonly { adcode: number; name: string }[];
  asOf: string;
  onPick(feature: Feature): void;
  /** The heading (the chosen set's) and what goes under it (the set picker). */
  heading?: string;
  picker?: ReactNode;
  /** The previous year's targets: their unfinished features on a card's layer carry into it. */
  previousTargets?: readonly Target[];
  previousYear?: number;
}

/** The product's core targets, shown first and open; the rest follow, folded. */
export const coreTargetIds = ['wells-non-agricultural-2021', 'pocket-parks-2021', 'village-sewage-2021', 'high-standard-farmland-2021'];

export function Dashboard({ targets, layers, databaseName, counties, asOf, onPick, heading, picker, previousTargets = [], previousYear }: DashboardProps) {
  const { t } = useTranslation();
  const shipped = coreTargetIds.map((id) => targets.find((target) => target.id === id)).filter((target): target is Target => target !== undefined);
  // Another year's set has no core targets: all of its targets come first, the first one open.
  const core = shipped.length > 0 ? shipped : targets;
  const others = shipped.length > 0 ? targets.filter((target) => !coreTargetIds.includes(target.id)) : [];
  // One progress summary per layer with a card, built and kept up to date in the progress worker.
  const specs = useMemo(() => {
    const adcodes = counties.map((county) => county.adcode);
    return layers.flatMap((layer): ProgressSummarySpec[] => {
      const onLayer = targets.filter((target) => target.layerId === layer.id);
      return onLayer.length === 0 ? [] : [{ layer, targets: onLayer, previousTargets, counties: adcodes, asOf, rowsShown }];
    });
  }, [layers, targets, previousTargets, counties, asOf]);
  const views = useProgressViews(databaseName, specs);
  const card = (target: Target, expanded: boolean) => {
    const layer = layers.find((candidate) => candidate.id === target.layerId);
    if (!layer) return null;
    return (
      <TargetCard
        key={target.id}
        target={target}
        layer={layer}
        view={views?.get(target.id)}
        counties={counties}
        {...(previousYear === undefined ? {} : { previousYear })}
        expanded={expanded}
        onPick={onPick}
      />
    );
  };
  return (
    <section className="dashboard" aria-label={heading ?? t('progress.heading')}>
      <h2>{heading ?? t('progress.heading')}</h2>
      {picker}
      <ConflictCountNotice />
      {core.map((target) => card(target, target.id === (shipped.length > 0 ? coreTargetIds[0] : core[0]?.id)))}
      {others.length > 0 && <h2>{t('progress.showAll')}</h2>}
      {others.map((target) => card(target, false))}
    </section>
  );
}
