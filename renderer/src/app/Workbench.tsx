// The workbench: the sidebar (its tabs registered by the features, app/sidebar-tabs.tsx), the map
// and the dialogs. UI state lives in the workbench store (lib/workbench-store.tsx), the loaded data
// in the workbench data context (lib/workbench-data.tsx), the map behind useMapController().
import { lazy, Suspense, useCallback, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { pointInPolygon } from '../../../shared/geo';
import type { Feature } from '../../../shared/model';
import { readLayerFeatures, watchLayer } from '../db';
import { useLayers, useTargets } from '../db/hooks';
import { useLayersContent } from '../db/workspace-hooks';
import { attributionTexts, type BasemapData } from '../map/basemap-data';
import { createMapController, MapControllerProvider } from '../map/map-controller';
import { MapView, type MapViewHandle } from '../map/MapView';
import type { PlanningLayerChanges, PlanningLayerView } from '../map/planning-layers';
import { tiledLayerThreshold } from '../map/planning-tiles';
import { useLanguage } from '../lib/language';
import { codedFields, defaultLayerOrder, defaultLayerSettings, featuresShown } from '../lib/layer-state';
import { localized } from '../lib/localize';
import { WorkbenchDataProvider, type WorkbenchData } from '../lib/workbench-data';
import { useWorkbench } from '../lib/workbench-store';
import { useWorkspace } from '../lib/workspace';
import { BasemapSwitcher, useBasemapPackages } from '../features/basemaps';
import { NewFeature, type NewFeatureHandle } from '../features/editing';
import { GpsControl } from '../features/gps';
import { ImportLauncher } from '../features/import';
import { SyncLauncher } from '../features/sync';
import { afterMapDrawn } from '../lib/first-draw';
import type { SidebarTab } from '../lib/sidebar-tab';
import { preloadSidebarTabs, sidebarTabs } from './sidebar-tabs';
import { UndoControls } from './UndoControls';
import { ValueFormatProvider } from './value-format';

type CountyGeometry = Parameters<typeof pointInPolygon>[1];

// Opened on demand, so their code is not in the start-up bundle (nor is a sidebar tab's but the
// first: lib/sidebar-tab.ts).
const loadBulkStatus = () => import('../features/bulk-status');
const loadExport = () => import('../features/export');
const loadFeaturePanel = () => import('../features/feature-panel');
const loadMapExport = () => import('../features/map-export');
const BulkStatusDialog = lazy(() => loadBulkStatus().then((module) => ({ default: module.BulkStatusDialog })));
const LayerExportLoader = lazy(() => loadExport().then((module) => ({ default: module.LayerExportLoader })));
const FeaturePanel = lazy(() => loadFeaturePanel().then((module) => ({ default: module.FeaturePanel })));
const MapExportDialog = lazy(() => loadMapExport().then((module) => ({ default: module.MapExportDialog })));

// All of that code loads once the map has drawn: a tab or dialog then opens at once, and a window
// whose app came from a team hub keeps working when the hub goes away.
void afterMapDrawn().then(() => Promise.all([preloadSidebarTabs(), loadBulkStatus(), loadExport(), loadFeaturePanel(), loadMapExport()]));

/** The open tab's panel; `data-tab` says its code is in (not the loading line): tests wait for it. */
function TabPanel({ tab }: { tab: SidebarTab }) {
  const { t } = useTranslation();
  return (
    <div className="tab-panel" role="tabpanel" aria-label={t(tab.labelKey)} data-tab={tab.id}>
      <tab.Panel />
    </div>
  );
}

export function Workbench({ basemap }: { basemap: BasemapData }) {
  const { t } = useTranslation();
  const language = useLanguage();
  const { database } = useWorkspace();
  const basemapPackages = useBasemapPackages();
  const layers = useLayers(database);
  const targets = useTargets(database);
  const followed = useMemo(() => (layers ?? []).map((layer) => ({ id: layer.id, codedKeys: codedFields(layer).map((field) => field.key) })), [layers]);
  const content = useLayersContent(database, followed);
  const featuresByLayer = content?.features;
  // The basemap is loaded once per window, so the controller's county lookup never changes.
  const [map] = useState(() =>
    createMapController((point) => basemap.counties.features.find((county) => pointInPolygon(point, county.geometry as CountyGeometry))?.properties.adcode ?? null),
  );
  const attachMap = useCallback((handle: MapViewHandle | null) => map.attach(handle), [map]);
  const tabId = useWorkbench((state) => state.tab);
  const setTab = useWorkbench((state) => state.setTab);
  const county = useWorkbench((state) => state.county);
  const selected = useWorkbench((state) => state.selected);
  const select = useWorkbench((state) => state.select);
  const selectAndShow = useWorkbench((state) => state.selectAndShow);
  const settingsChosen = useWorkbench((state) => state.settingsChosen);
  const orderChosen = useWorkbench((state) => state.orderChosen);
  const setOrder = useWorkbench((state) => state.setOrder);
  const coverage = useWorkbench((state) => state.coverage);
  const mapExportOpen = useWorkbench((state) => state.mapExportOpen);
  const setMapExportOpen = useWorkbench((state) => state.setMapExportOpen);
  const exportLayerId = useWorkbench((state) => state.exportLayerId);
  const setExportLayerId = useWorkbench((state) => state.setExportLayerId);
  const bulk = useWorkbench((state) => state.bulk);
  const setBulk = useWorkbench((state) => state.setBulk);
  const activeTab = sidebarTabs.find((tab) => tab.id === tabId) ?? sidebarTabs[0]!;

  // What the user set in the layer panel, over defaults for every layer the store has.
  const settings = useMemo(
    () => Object.fromEntries((layers ?? []).map((layer) => [layer.id, settingsChosen[layer.id] ?? defaultLayerSettings(layer.id)])),
    [layers, settingsChosen],
  );
  const order = useMemo(() => {
    const known = (layers ?? []).map((layer) => layer.id);
    const chosen = (orderChosen ?? []).filter((id) => known.includes(id));
    return [...chosen, ...defaultLayerOrder(layers ?? []).filter((id) => !chosen.includes(id))];
  }, [layers, orderChosen]);
  const counties = useMemo(
    () =>
      [...basemap.counties.features]
        .sort((a, b) => a.properties.adcode - b.properties.adcode)
        .map((feature) => ({ adcode: feature.properties.adcode, name: localized({ zh: feature.properties.name, en: feature.properties.nameEn }, language) })),
    [basemap, language],
  );
  const countyName = useCallback((adcode: number) => counties.find((c) => c.adcode === adcode)?.name ?? String(adcode), [counties]);
  // "Add at my position" (GPS) opens the new-feature form for a point there.
  const newFeatureRef = useRef<NewFeatureHandle>(null);

  const orderedLayers = useMemo(
    () => order.map((id) => layers?.find((layer) => layer.id === id)).filter((layer): layer is NonNullable<typeof layer> => Boolean(layer)),
    [order, layers],
  );
  const mapLayers = activeTab.mapLayers;
  const planningViews: PlanningLayerView[] = useMemo(
    () =>
      orderedLayers
        .filter((layer) => settings[layer.id])
        .map((definition) => {
          const layerSettings = settings[definition.id]!;
          return {
            definition,
            visible: layerSettings.visible && (!mapLayers || mapLayers.includes(definition.id)),
            opacity: layerSettings.opacity,
            counties: county === null ? null : [county],
            statuses: layerSettings.statuses,
            ...(layerSettings.fieldFilters ? { fieldFilters: layerSettings.fieldFilters } : {}),
          };
        }),
    [orderedLayers, settings, county, mapLayers],
  );

  const subscribePlanningLayer = useCallback(
    (layerId: string, listener: (changes: PlanningLayerChanges) => void) =>
      watchLayer(
        database,
        layerId,
        (changes) =>
          listener(
            changes.kind === 'large-reset'
              ? { kind: 'reset', features: null, atLeast: changes.atLeast, database: database.name }
              : changes.kind === 'reset'
                ? { kind: 'reset', features: changes.snapshot.features, database: database.name }
                : { kind: 'changes', upserted: changes.upserted, removed: changes.removed },
          ),
        undefined,
        // A layer drawn from tiles is read by the tile worker chunk by chunk, never whole here.
        { skipReadAbove: tiledLayerThreshold },
      ),
    [database],
  );

  const pick = useCallback(
    (feature: Feature) => {
      selectAndShow({ layerId: feature.layerId, featureId: feature.id });
      map.zoomToGeometry(feature.geometry);
    },
    [map, selectAndShow],
  );
  const moveLayer = (layerId: string, direction: 'up' | 'down') => {
    const index = order.indexOf(layerId);
    // The panel lists the top of the drawing order first: "up" draws later.
    const swapWith = direction === 'up' ? index + 1 : index - 1;
    if (index < 0 || swapWith < 0 || swapWith >= order.length) return setOrder(order);
    const next = [...order];
    [next[index], next[swapWith]] = [next[swapWith]!, next[index]!];
    setOrder(next);
  };

  const demoVisible = orderedLayers.some((layer) => settings[layer.id]?.visible && content?.tallies.get(layer.id)?.hasDemo === true);
  const selectedLayer = selected ? layers?.find((layer) => layer.id === selected.layerId) : undefined;
  const bulkLayer = bulk ? layers?.find((layer) => layer.id === bulk.layerId) : undefined;
  const exportLayer = exportLayerId ? layers?.find((layer) => layer.id === exportLayerId) : undefined;
  const loadFeatures = async (layerId: string): Promise<Feature[]> =>
    content?.large.has(layerId) ? await readLayerFeatures(database, layerId) : (featuresByLayer?.get(layerId) ?? []);
  const loadShownFeatures = async (layerId: string) => featuresShown(await loadFeatures(layerId), settings[layerId] ?? defaultLayerSettings(layerId), county);
  const data: WorkbenchData | null =
    layers && targets && content
      ? {
          basemap,
          layers,
          targets,
          featuresByLayer: content.features,
          talliesByLayer: content.tallies,
          largeLayers: content.large,
          searchLargeLayer: content.searchLarge,
          loadFeatures,
          orderedLayers,
          settings,
          counties,
          countyName,
          pick,
          loadShownFeatures,
          moveLayer,
        }
      : null;

  return (
    <ValueFormatProvider countyName={countyName}>
      <MapControllerProvider controller={map}>
        <aside className="sidebar">
          <UndoControls />
          <ImportLauncher
            layers={layers ?? []}
            map={map.handle}
            counties={basemap.counties.features.map((feature) => ({ adcode: feature.properties.adcode, geometry: feature.geometry as CountyGeometry }))}
          />
          <SyncLauncher />
          <div role="tablist" className="tabs">
            {sidebarTabs.map((tab) => (
              <button key={tab.id} type="button" role="tab" aria-selected={activeTab.id === tab.id} onClick={() => setTab(tab.id)}>
                {t(tab.labelKey)}
              </button>
            ))}
          </div>
          {data ? (
            <WorkbenchDataProvider value={data}>
              <Suspense fallback={<p className="notice" role="status">{t('app.loadingPanel')}</p>}>
                <TabPanel tab={activeTab} />
              </Suspense>
            </WorkbenchDataProvider>
          ) : (
            <p className="notice">{t('app.opening')}</p>
          )}
        </aside>
        <main className="main">
          <MapView
            ref={attachMap}
            data={basemap}
            planningViews={layers === undefined ? undefined : planningViews}
            subscribePlanningLayer={subscribePlanningLayer}
            selected={selected}
            onSelectFeature={select}
            coverageOverlay={activeTab.showsCoverage ? coverage : null}
            basemapSelection={basemapPackages.selection}
          />
          <BasemapSwitcher state={basemapPackages} />
          <NewFeature ref={newFeatureRef} layers={[...orderedLayers].reverse()} countyName={countyName} onCreated={({ layerId, featureId }) => selectAndShow({ layerId, featureId })} />
          <GpsControl
            layers={orderedLayers}
            onAddAtPosition={(layerId, [lon, lat]) => newFeatureRef.current?.startNewFeature(layerId, { type: 'Point', coordinates: [lon, lat] })}
          />
          {demoVisible && (
            <div className="demo-watermark" role="note" title={t('app.demoNotice')}>
              {t('app.demoData')}
            </div>
          )}
          {selected && selectedLayer && (
            <Suspense fallback={null}>
              <FeaturePanel key={`${selected.layerId}/${selected.featureId}`} layer={selectedLayer} featureId={selected.featureId} countyName={countyName} onClose={() => select(null)} />
            </Suspense>
          )}
        </main>
        <Suspense fallback={null}>
          {exportLayer && data && (
            <WorkbenchDataProvider value={data}>
              <LayerExportLoader layer={exportLayer} settings={settings[exportLayer.id] ?? defaultLayerSettings(exportLayer.id)} county={county} onClose={() => setExportLayerId(null)} />
            </WorkbenchDataProvider>
          )}
          {mapExportOpen && (
            <MapExportDialog
              renderMap={map.renderForExport}
              layers={[...planningViews].reverse().filter((view) => view.visible)}
              demoVisible={demoVisible}
              attribution={attributionTexts(basemap.attribution, language)}
              onClose={() => setMapExportOpen(false)}
            />
          )}
          {bulk && bulkLayer && <BulkStatusDialog layer={bulkLayer} features={bulk.features} selectedBy={bulk.selectedBy} onClose={() => setBulk(null)} />}
        </Suspense>
      </MapControllerProvider>
    </ValueFormatProvider>
  );
}
