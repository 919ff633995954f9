import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { loadWorkspaceBasemap, BasemapLoadError, type BasemapData } from '../map/basemap-data';
import { loadBasemapLabelFont } from '../map/label-font';
import { openWorkspace, resolveWorkspaceDefinition, SwitchWorkspaceProvider, WorkspaceProvider, type Workspace } from '../lib/workspace';
import { HubSyncProvider } from '../lib/hub-sync';
import { hubPlatform } from '../lib/hub-platform';
import { startupHubTarget, type HubTarget } from '../lib/hub-workspace';
import { oneMapErrorData, type OneMapErrorData } from '../../../shared/errors';
import { ErrorNotice } from '../features/errors';
import { useWorkbench, WorkbenchStoreProvider } from '../lib/workbench-store';
import { StoreLossNotice } from '../features/backup';
import { bannerSlotId } from './Banner';
import { Workbench } from './Workbench';
import { AppHeader } from './AppHeader';

type Loaded<T> = { kind: 'loading' } | { kind: 'ready'; value: T } | { kind: 'failed'; error: OneMapErrorData; frame: (reason: string) => string };

function LoadFailure({ load }: { load: Loaded<unknown> }) {
  return load.kind === 'failed' ? <ErrorNotice className="notice error" error={load.error} frame={load.frame} /> : null;
}

export function App() {
  return (
    <WorkbenchStoreProvider>
      <Shell />
    </WorkbenchStoreProvider>
  );
}

/** The header, the notices while the basemap and the store open, then the workbench. */
function Shell() {
  const { t } = useTranslation();
  const [basemap, setBasemap] = useState<Loaded<BasemapData>>({ kind: 'loading' });
  const [workspace, setWorkspace] = useState<Loaded<Workspace>>({ kind: 'loading' });
  const select = useWorkbench((state) => state.select);
  const setCounty = useWorkbench((state) => state.setCounty);
  const opened = useRef<Workspace | null>(null);

  // The local workspace chosen last (or the default), or a hub's after signing in there
  // (lib/hub-sync.tsx); one at a time. Its basemap (bundled files or its own boundaries) loads
  // alongside the store.
  const openInto = useCallback(
    async (hub: HubTarget | null) => {
      performance.mark('onemap:workspace-switch-start');
      const definition = await resolveWorkspaceDefinition(hub);
      const basemapLoad = loadWorkspaceBasemap(definition).then(
        (value) => {
          performance.mark('onemap:basemap-loaded');
          // The map waits for its labels' font: load it while the store opens.
          void loadBasemapLabelFont(value);
          setBasemap({ kind: 'ready', value });
        },
        (error: unknown) =>
          setBasemap({
            kind: 'failed',
            error: oneMapErrorData(error),
            frame: (reason) => t('map.loadFailed', { file: error instanceof BasemapLoadError ? error.file : '', reason }),
          }),
      );
      const workspaceOpen = openWorkspace(hub, definition).then(
        (value) => {
          opened.current = value;
          setWorkspace({ kind: 'ready', value });
        },
        (error: unknown) => setWorkspace({ kind: 'failed', error: oneMapErrorData(error), frame: (reason) => t('app.openFailed', { reason }) }),
      );
      await Promise.all([basemapLoad, workspaceOpen]);
    },
    [t],
  );
  const switchWorkspace = useCallback(
    (hub: HubTarget | null) => {
      opened.current?.database.close();
      opened.current = null;
      select(null);
      setCounty(null);
      setBasemap({ kind: 'loading' });
      setWorkspace({ kind: 'loading' });
      void openInto(hub);
    },
    [openInto, select, setCounty],
  );

  useEffect(() => {
    void startupHubTarget(hubPlatform()).then(openInto);
    // Runs once: later workspaces open through switchWorkspace.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  const ready = workspace.kind === 'ready' ? workspace.value : null;
  const shell = (
    <div className="app">
      <AppHeader workspace={ready} basemapReady={basemap.kind === 'ready'} />
      <div className="app-banners" id={bannerSlotId} />
      {basemap.kind === 'failed' || workspace.kind === 'failed' ? (
        <LoadFailure load={basemap.kind === 'failed' ? basemap : workspace} />
      ) : basemap.kind === 'loading' || workspace.kind === 'loading' ? (
        <p className="notice">{basemap.kind === 'loading' ? t('map.loading') : t('app.opening')}</p>
      ) : (
        <>
          {workspace.value.storeLoss !== null && <StoreLossNotice database={workspace.value.database} loss={workspace.value.storeLoss} />}
          <Workbench basemap={basemap.value} />
        </>
      )}
    </div>
  );
  // Keyed by the store: switching workspaces starts the workbench and the sync controller afresh.
  return (
    <SwitchWorkspaceProvider value={switchWorkspace}>
      {ready ? (
        <WorkspaceProvider value={ready} key={ready.database.name}>
          <HubSyncProvider>{shell}</HubSyncProvider>
        </WorkspaceProvider>
      ) : (
        shell
      )}
    </SwitchWorkspaceProvider>
  );
}
