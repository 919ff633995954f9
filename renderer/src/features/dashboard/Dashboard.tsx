import { useTranslation } from 'react-i18next';
import type { Feature, LayerDefinition, Target } from '../../../../shared/model';
import { TargetCard } from './TargetCard';
import { ConflictCountNotice } from '../sync';

export interface DashboardProps {
  targets: readonly Target[];
  layers: readonly LayerDefinition[];
  featuresByLayer: ReadonlyMap<string, Feature[]>;
  counties: readonly { adcode: number; name: string }[];
  asOf: string;
  onPick(feature: Feature): void;
}

/** The product's core targets, shown first and open; the rest follow, folded. */
const coreTargetIds = ['wells-non-agricultural-2021', 'pocket-parks-2021', 'village-sewage-2021', 'high-standard-farmland-2021'];

export function Dashboard({ targets, layers, featuresByLayer, counties, asOf, onPick }: DashboardProps) {
  const { t } = useTranslation();
  const core = coreTargetIds.map((id) => targets.find((target) => target.id === id)).filter((target): target is Target => target !== undefined);
  const others = targets.filter((target) => !coreTargetIds.includes(target.id));
  const card = (target: Target, expanded: boolean) => {
    const layer = layers.find((candidate) => candidate.id === target.layerId);
    if (!layer) return null;
    return (
      <TargetCard
        key={target.id}
        target={target}
        layer={layer}
        features={featuresByLayer.get(layer.id) ?? []}
        counties={counties}
        asOf={asOf}
       
        expanded={expanded}
        onPick={onPick}
      />
    );
  };
  return (
    <section className="dashboard" aria-label={t('progress.heading')}>
      <h2>{t('progress.heading')}</h2>
      <ConflictCountNotice />
      {core.map((target) => card(target, target.id === coreTargetIds[0]))}
      {others.length > 0 && <h2>{t('progress.showAll')}</h2>}
      {others.map((target) => card(target, false))}
    </section>
  );
}
