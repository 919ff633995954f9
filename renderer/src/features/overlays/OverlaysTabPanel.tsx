import { useTranslation } from 'react-i18next';
import { useWorkbenchData } from '../../lib/workbench-data';
import { useLayerFeatures } from '../../lib/layer-features';
import { OverlaysPanel } from './OverlaysPanel';

const overlayLayers = ['wells', 'farmland', 'villages'];

export function OverlaysTabPanel() {
  const data = useWorkbenchData();
  // A large layer the overlays read is read only while this tab is open.
  const { features: featuresByLayer, loading } = useLayerFeatures(overlayLayers);
  const { t } = useTranslation();
  if (loading) return <p className="notice" role="status">{t('app.loadingLayers')}</p>;
  return (
    <OverlaysPanel
      layers={data.layers}
      targets={data.targets}
      featuresByLayer={featuresByLayer}
      counties={data.counties}
      onPickFeature={(layerId, featureId) => {
        const feature = featuresByLayer.get(layerId)?.find((candidate) => candidate.id === featureId);
        if (feature) data.pick(feature);
      }}
    />
  );
}
