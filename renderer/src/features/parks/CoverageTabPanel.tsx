import { useMemo } from 'react';
import { useMapController } from '../../map/map-controller';
import { useTranslation } from 'react-i18next';
import { useWorkbenchData } from '../../lib/workbench-data';
import { useLayerFeatures } from '../../lib/layer-features';
import { useWorkbench } from '../../lib/workbench-store';
import { CoveragePanel } from './CoveragePanel';

const coverageLayers = ['pocket-parks', 'residential-blocks'];

export function CoverageTabPanel() {
  const { basemap, counties } = useWorkbenchData();
  // A large parks or residents layer is read only while this tab is open.
  const { features: featuresByLayer, loading } = useLayerFeatures(coverageLayers);
  const { t } = useTranslation();
  const map = useMapController();
  const setCoverage = useWorkbench((state) => state.setCoverage);
  const water = useMemo(() => basemap.lakes.features.map((lake) => lake.geometry), [basemap]);
  if (loading) return <p className="notice" role="status">{t('app.loadingLayers')}</p>;
  return (
    <CoveragePanel
      parks={featuresByLayer.get('pocket-parks') ?? []}
      residents={featuresByLayer.get('residential-blocks') ?? []}
      water={water}
      counties={counties}
      countyOf={map.countyOf}
      onOverlay={setCoverage}
      drawArea={map.drawArea}
    />
  );
}
