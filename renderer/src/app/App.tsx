import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { MapView, type FeatureReference, type MapViewHandle } from '../map/MapView';
import { attributionTexts, loadBasemapData, BasemapLoadError, type BasemapData } from '../map/basemap-data';
import type { PlanningLayerChanges, PlanningLayerView } from '../map/planning-layers';
import { useLanguage } from '../lib/language';
import { localized } from '../lib/localize';
import type { Feature } from '../../../shared/model';
import { watchLayer } from '../db';
import { useLayers, useTargets } from '../db/hooks';
import { useFeaturesOfLayers } from '../db/workspace-hooks';
import { changeLanguage } from './i18n';
import { CountyList } from './CountyList';
import { UndoControls } from './UndoControls';
import { ValueFormatProvider } from './value-format';
import { Legend } from './Legend';
import { bannerSlotId } from './Banner';
import { currentPlatform } from '../platform';
import { openWorkspace, storeErrorText, WorkspaceOpenError, WorkspaceProvider, useWorkspace, type Workspace } from '../lib/workspace';
import { defaultLayerOrder, defaultLayerSettings, featuresShown, type LayerSettings } from './layer-state';
import { LayerPanel } from '../features/layers';
import { FeaturePanel } from '../features/feature-panel';
import { BulkStatusDialog } from '../features/bulk-status';
import { Dashboard } from '../features/dashboard';
import { featuresWithinArea, pointInPolygon } from '../../../shared/geo';
import { CoveragePanel } from '../features/parks';
import { SyncLauncher } from '../features/sync';
import { OverlaysPanel } from '../features/overlays';
import { ImportLauncher } from '../features/import/ImportLauncher';
import { BasemapSwitcher } from '../features/basemaps';
import { useBasemapPackages } from '../features/basemaps';
import { BackupsControl, StoreLossNotice } from '../features/backup';
import type { CoverageOverlay } from '../map/coverage-overlay';
import { LayerExportDialog } from '../features/export';
import { MapExportDialog } from '../features/map-export';
import { NewFeature, type NewFeatureHandle } from '../features/editing';
import { GeometryEditingProvider, type GeometryEditing } from '../features/editing';
import { GpsControl } from '../features/gps';

type Loaded<T> = { kind: 'loading' } | { kind: 'ready'; value: T } | { kind: 'failed'; message: string };

export function App() {
  const { t } = useTranslation();
  const language = useLanguage();
  const [basemap, setBasemap] = useState<Loaded<BasemapData>>({ kind: 'loading' });
  const [workspace, setWorkspace] = useState<Loaded<Workspace>>({ kind: 'loading' });
  const [mapExportOpen, setMapExportOpen] = useState(false);
  const platform = currentPlatform();

  useEffect(() => {
    loadBasemapData().then(
      (value) => setBasemap({ kind: 'ready', value }),
      (error: unknown) =>
        setBasemap({
          kind: 'failed',
          message: t('map.loadFailed', {
            file: error instanceof BasemapLoadError ? error.file : '',
            reason: error instanceof BasemapLoadError ? error.reason : String(error),
          }),
        }),
    );
    openWorkspace().then(
      (value) => setWorkspace({ kind: 'ready', value }),
      (error: unknown) =>
        setWorkspace({
          kind: 'failed',
          message: t('app.openFailed', { reason: error instanceof WorkspaceOpenError ? error.message : storeErrorText(error, language) }),
        }),
    );
    // Runs once: the basemap and the store are opened for the life of the window.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  return (
    <div className="app">
      <header className="app-header">
        <h1>
          {t('app.title')} <small>{t('app.subtitle')}</small>
        </h1>
        {workspace.kind === 'ready' && (
          <>
            <span className="as-of">
              {t('app.asOf')} {workspace.value.asOf}
            </span>
            <span className="persistence" data-testid="persistence" title={t('app.persistenceHint')}>
              {t(`app.persistence.${workspace.value.persistence}`)}
            </span>
            <BackupsControl database={workspace.value.database} />
          </>
        )}
        {workspace.kind === 'ready' && basemap.kind === 'ready' && (
          <button type="button" className="map-export-button" onClick={() => setMapExportOpen(true)}>
            {t('mapExport.button')}
          </button>
        )}
        <span className="shell-badge" data-testid="shell-kind">
          {t(platform.kind === 'electron' ? 'app.shell.electron' : 'app.shell.web')}
        </span>
        <button type="button" className="language-switch" onClick={() => void changeLanguage(language === 'en' ? 'zh-CN' : 'en')} aria-label={t('app.language')}>
          {t('app.switchTo')}
        </button>
      </header>
      <div className="app-banners" id={bannerSlotId} />
      {basemap.kind === 'failed' || workspace.kind === 'failed' ? (
        <p className="notice error" role="alert">
          {basemap.kind === 'failed' ? basemap.message : workspace.kind === 'failed' ? workspace.message : ''}
        </p>
      ) : basemap.kind === 'loading' || workspace.kind === 'loading' ? (
        <p className="notice">{basemap.kind === 'loading' ? t('map.loading') : t('app.opening')}</p>
      ) : (
        <WorkspaceProvider value={workspace.value}>
          {workspace.value.storeLoss !== null && <StoreLossNotice database={workspace.value.database} loss={workspace.value.storeLoss} />}
          <Workbench basemap={basemap.value} mapExportOpen={mapExportOpen} onMapExportClose={() => setMapExportOpen(false)} />
        </WorkspaceProvider>
      )}
    </div>
  );
}

type Tab = 'layers' | 'progress' | 'coverage' | 'overlays' | 'counties';

function Workbench({
  basemap,
  mapExportOpen = false,
  onMapExportClose,
}: {
  basemap: BasemapData;
  mapExportOpen?: boolean;
  onMapExportClose?: () => void;
}) {
  const { t } = useTranslation();
  const language = useLanguage();
  const workspace = useWorkspace();
  const { database } = workspace;
  const mapRef = useRef<MapViewHandle>(null);
  const basemapPackages = useBasemapPackages();
  const layers = useLayers(database);
  const targets = useTargets(database);
  const layerIds = useMemo(() => (layers ?? []).map((layer) => layer.id), [layers]);
  const featuresByLayer = useFeaturesOfLayers(database, layerIds);
  const [tab, setTab] = useState<Tab>('progress');
  const [settingsChosen, setSettingsChosen] = useState<Record<string, LayerSettings>>({});
  const [orderChosen, setOrderChosen] = useState<string[] | null>(null);
  const [county, setCounty] = useState<number | null>(null);
  const [selected, setSelected] = useState<FeatureReference | null>(null);
  const [coverage, setCoverage] = useState<CoverageOverlay | null>(null);
  const [bulk, setBulk] = useState<{ layerId: string; features: Feature[]; selectedBy: 'filter' | 'area' } | null>(null);
  const [exportLayerId, setExportLayerId] = useState<string | null>(null);

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
  const setSettings = (layerId: string, next: LayerSettings) => setSettingsChosen((current) => ({ ...current, [layerId]: next }));

  const counties = useMemo(
    () =>
      [...basemap.counties.features]
        .sort((a, b) => a.properties.adcode - b.properties.adcode)
        .map((feature) => ({ adcode: feature.properties.adcode, name: localized({ zh: feature.properties.name, en: feature.properties.nameEn }, language) })),
    [basemap, language],
  );
  const countyOf = useCallback(
    (point: [number, number]) =>
      basemap.counties.features.find((county) => pointInPolygon(point, county.geometry as Parameters<typeof pointInPolygon>[1]))?.properties.adcode ?? null,
    [basemap],
  );
  const water = useMemo(() => basemap.lakes.features.map((lake) => lake.geometry), [basemap]);
  const drawArea = useCallback(async () => (await mapRef.current?.drawArea()) ?? null, []);
  const countyName = useCallback((adcode: number) => counties.find((c) => c.adcode === adcode)?.name ?? String(adcode), [counties]);
  // Geometry editing on the map (features/editing). "Add at my position" calls
  // newFeatureRef.current?.startNewFeature(layerId, { type: 'Point', coordinates: [lon, lat] }).
  const newFeatureRef = useRef<NewFeatureHandle>(null);
  const geometryEditing = useMemo<GeometryEditing>(
    () => ({
      drawGeometry: async (kind) => (await mapRef.current?.drawGeometry(kind)) ?? null,
      editGeometry: async (geometry, target) => (await mapRef.current?.editGeometry(geometry, target)) ?? null,
      cancelGeometryEditing: () => mapRef.current?.cancelGeometryEditing(),
      countyOf,
    }),
    [countyOf],
  );

  const orderedLayers = useMemo(
    () => order.map((id) => layers?.find((layer) => layer.id === id)).filter((layer): layer is NonNullable<typeof layer> => Boolean(layer)),
    [order, layers],
  );
  const planningViews: PlanningLayerView[] = useMemo(
    () =>
      orderedLayers
        .filter((layer) => settings[layer.id])
        .map((definition) => {
          const layerSettings = settings[definition.id]!;
          return {
            definition,
            // The coverage view shows the parks and its own drawing of the residents, nothing else.
            visible: layerSettings.visible && (tab !== 'coverage' || definition.id === 'pocket-parks'),
            opacity: layerSettings.opacity,
            counties: county === null ? null : [county],
            statuses: layerSettings.statuses,
            ...(layerSettings.fieldFilters ? { fieldFilters: layerSettings.fieldFilters } : {}),
          };
        }),
    [orderedLayers, settings, county, tab],
  );

  const subscribePlanningLayer = useCallback(
    (layerId: string, listener: (changes: PlanningLayerChanges) => void) =>
      watchLayer(database, layerId, (changes) =>
        listener(changes.kind === 'reset' ? { kind: 'reset', features: changes.snapshot.features } : { kind: 'changes', upserted: changes.upserted, removed: changes.removed }),
      ),
    [database],
  );

  const pick = useCallback((feature: Feature) => {
    setSelected({ layerId: feature.layerId, featureId: feature.id });
    setSettingsChosen((current) => {
      const layerSettings = current[feature.layerId] ?? defaultLayerSettings(feature.layerId);
      return layerSettings.visible ? current : { ...current, [feature.layerId]: { ...layerSettings, visible: true } };
    });
    mapRef.current?.zoomToGeometry(feature.geometry);
  }, []);

  const moveLayer = (layerId: string, direction: 'up' | 'down') =>
    setOrderChosen(() => {
      const current = order;
      const index = current.indexOf(layerId);
      // The panel lists the top of the drawing order first: "up" draws later.
      const swapWith = direction === 'up' ? index + 1 : index - 1;
      if (index < 0 || swapWith < 0 || swapWith >= current.length) return current;
      const next = [...current];
      [next[index], next[swapWith]] = [next[swapWith]!, next[index]!];
      return next;
    });

  const demoVisible = orderedLayers.some(
    (layer) => settings[layer.id]?.visible && (featuresByLayer?.get(layer.id) ?? []).some((feature) => feature.demo),
  );
  const selectedLayer = selected ? layers?.find((layer) => layer.id === selected.layerId) : undefined;
  const bulkLayer = bulk ? layers?.find((layer) => layer.id === bulk.layerId) : undefined;
  const shownFeatures = (layerId: string) => featuresShown(featuresByLayer?.get(layerId) ?? [], settings[layerId] ?? defaultLayerSettings(layerId), county);
  const selectArea = async (layerId: string) => {
    const area = await mapRef.current?.drawArea();
    if (area) setBulk({ layerId, features: featuresWithinArea(shownFeatures(layerId), area), selectedBy: 'area' });
  };

  return (
    <ValueFormatProvider countyName={countyName}>
    <GeometryEditingProvider value={geometryEditing}>
      <aside className="sidebar">
        <UndoControls />
        <ImportLauncher
          layers={layers ?? []}
          language={language}
          map={() => mapRef.current}
          counties={basemap.counties.features.map((feature) => ({ adcode: feature.properties.adcode, geometry: feature.geometry as Parameters<typeof pointInPolygon>[1] }))}
        />
        <SyncLauncher map={() => mapRef.current} />
        <div role="tablist" className="tabs">
          {(['progress', 'layers', 'coverage', 'overlays', 'counties'] as const).map((name) => (
            <button key={name} type="button" role="tab" aria-selected={tab === name} onClick={() => setTab(name)}>
              {t(`tabs.${name}`)}
            </button>
          ))}
        </div>
        {!layers || !targets || !featuresByLayer ? (
          <p className="notice">{t('app.opening')}</p>
        ) : tab === 'progress' ? (
          <Dashboard
            targets={targets}
            layers={layers}
            featuresByLayer={featuresByLayer}
            counties={counties}
            asOf={workspace.asOf}
            onPick={pick}
          />
        ) : tab === 'coverage' ? (
          <CoveragePanel
            parks={featuresByLayer.get('pocket-parks') ?? []}
            residents={featuresByLayer.get('residential-blocks') ?? []}
            water={water}
            counties={counties}
            countyOf={countyOf}
            onOverlay={setCoverage}
            drawArea={drawArea}
          />
        ) : tab === 'overlays' ? (
          <OverlaysPanel
            layers={layers}
            targets={targets}
            featuresByLayer={featuresByLayer}
            counties={counties}
            onPickFeature={(layerId, featureId) => {
              const feature = featuresByLayer.get(layerId)?.find((candidate) => candidate.id === featureId);
              if (feature) pick(feature);
            }}
          />
        ) : tab === 'layers' ? (
          <LayerPanel
            layers={[...orderedLayers].reverse()}
            settings={settings}
            featuresByLayer={featuresByLayer}
            counties={counties}
            county={county}
            onSettingsChange={setSettings}
            onMove={moveLayer}
            onCountyChange={(next) => {
              setCounty(next);
              mapRef.current?.zoomTo(next);
            }}
            onPick={pick}
            onBulkUpdate={(layerId) => setBulk({ layerId, features: shownFeatures(layerId), selectedBy: 'filter' })}
            onSelectArea={(layerId) => void selectArea(layerId)}
            onExport={setExportLayerId}
          />
        ) : (
          <>
            <CountyList
              counties={basemap.counties}
              focused={county}
              onFocus={(adcode) => {
                setCounty(adcode);
                mapRef.current?.zoomTo(adcode);
              }}
            />
            <Legend />
          </>
        )}
      </aside>
      <main className="main">
        <MapView
          ref={mapRef}
          data={basemap}
          planningViews={planningViews}
          subscribePlanningLayer={subscribePlanningLayer}
          selected={selected}
          onSelectFeature={setSelected}
          coverageOverlay={tab === 'coverage' ? coverage : null}
          basemapSelection={basemapPackages.selection}
        />
        <BasemapSwitcher state={basemapPackages} />
        <NewFeature
          ref={newFeatureRef}
          layers={[...orderedLayers].reverse()}
          countyName={countyName}
          onCreated={({ layerId, featureId }) => {
            setSelected({ layerId, featureId });
            setSettingsChosen((current) => {
              const layerSettings = current[layerId] ?? defaultLayerSettings(layerId);
              return layerSettings.visible ? current : { ...current, [layerId]: { ...layerSettings, visible: true } };
            });
          }}
        />
        <GpsControl
          map={mapRef}
          layers={orderedLayers}
          onAddAtPosition={(layerId, [lon, lat]) => newFeatureRef.current?.startNewFeature(layerId, { type: 'Point', coordinates: [lon, lat] })}
        />
        {demoVisible && (
          <div className="demo-watermark" role="note" title={t('app.demoNotice')}>
            {t('app.demoData')}
          </div>
        )}
        {selected && selectedLayer && (
          <FeaturePanel
            key={`${selected.layerId}/${selected.featureId}`}
            layer={selectedLayer}
            featureId={selected.featureId}
            countyName={countyName}
            onClose={() => setSelected(null)}
          />
        )}
      </main>
      {exportLayerId && layers?.find((layer) => layer.id === exportLayerId) && (
        <LayerExportDialog
          layer={layers.find((layer) => layer.id === exportLayerId)!}
          features={featuresByLayer?.get(exportLayerId) ?? []}
          shown={shownFeatures(exportLayerId)}
          onClose={() => setExportLayerId(null)}
        />
      )}
      {mapExportOpen && (
        <MapExportDialog
          renderMap={(request, signal) => mapRef.current?.renderForExport(request, signal) ?? Promise.reject(new Error('the map is not ready'))}
          layers={[...planningViews].reverse().filter((view) => view.visible)}
          demoVisible={demoVisible}
          attribution={attributionTexts(basemap.attribution, language)}
          onClose={() => onMapExportClose?.()}
        />
      )}
      {bulk && bulkLayer && (
        <BulkStatusDialog layer={bulkLayer} features={bulk.features} selectedBy={bulk.selectedBy} onClose={() => setBulk(null)} />
      )}
    </GeometryEditingProvider>
    </ValueFormatProvider>
  );
}
