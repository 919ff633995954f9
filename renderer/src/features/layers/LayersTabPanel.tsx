import { featuresWithinArea } from '../../../../shared/geo';
import { useMapController } from '../../map/map-controller';
import { useWorkbenchData } from '../../lib/workbench-data';
import { useWorkbench } from '../../lib/workbench-store';
import { LayerPanel } from './LayerPanel';

export function LayersPanel() {
  const data = useWorkbenchData();
  const map = useMapController();
  const county = useWorkbench((state) => state.county);
  const setCounty = useWorkbench((state) => state.setCounty);
  const setLayerSettings = useWorkbench((state) => state.setLayerSettings);
  const setBulk = useWorkbench((state) => state.setBulk);
  const setExportLayerId = useWorkbench((state) => state.setExportLayerId);
  const selectArea = async (layerId: string) => {
    const area = await map.drawArea();
    if (area) setBulk({ layerId, features: featuresWithinArea(await data.loadShownFeatures(layerId), area), selectedBy: 'area' });
  };
  return (
    <LayerPanel
      layers={[...data.orderedLayers].reverse()}
      settings={data.settings}
      featuresByLayer={data.featuresByLayer}
      talliesByLayer={data.talliesByLayer}
      largeLayers={data.largeLayers}
      searchLarge={data.searchLargeLayer}
      counties={data.counties}
      county={county}
      onSettingsChange={setLayerSettings}
      onMove={data.moveLayer}
      onCountyChange={(next) => {
        setCounty(next);
        map.zoomTo(next);
      }}
      onPick={data.pick}
      onBulkUpdate={(layerId) => void data.loadShownFeatures(layerId).then((features) => setBulk({ layerId, features, selectedBy: 'filter' }))}
      onSelectArea={(layerId) => void selectArea(layerId)}
      onExport={setExportLayerId}
    />
  );
}
