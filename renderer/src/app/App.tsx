import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { loadBasemapData, BasemapLoadError, type BasemapData } from '../map/basemap-data';
import { currentPlatform } from '../platform';
import { useLanguage } from '../lib/language';
import { openWorkspace, WorkspaceProvider, type Workspace } from '../lib/workspace';
import { oneMapErrorData, type OneMapErrorData } from '../../../shared/errors';
import { ErrorNotice } from '../features/errors';
import { useWorkbench, WorkbenchStoreProvider } from '../lib/workbench-store';
import { BackupsControl, StoreLossNotice } from '../features/backup';
import { changeLanguage } from './i18n';
import { bannerSlotId } from './Banner';
import { Workbench } from './Workbench';

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

function MapExportButton() {
  const { t } = useTranslation();
  const open = useWorkbench((state) => state.setMapExportOpen);
  return (
    <button type="button" className="map-export-button" onClick={() => open(true)}>
      {t('mapExport.button')}
    </button>
  );
}

/** The header, the notices while the basemap and the store open, then the workbench. */
function Shell() {
  const { t } = useTranslation();
  const language = useLanguage();
  const [basemap, setBasemap] = useState<Loaded<BasemapData>>({ kind: 'loading' });
  const [workspace, setWorkspace] = useState<Loaded<Workspace>>({ kind: 'loading' });
  const platform = currentPlatform();

  useEffect(() => {
    loadBasemapData().then(
      (value) => setBasemap({ kind: 'ready', value }),
      (error: unknown) =>
        setBasemap({
          kind: 'failed',
          error: oneMapErrorData(error),
          frame: (reason) => t('map.loadFailed', { file: error instanceof BasemapLoadError ? error.file : '', reason }),
        }),
    );
    openWorkspace().then(
      (value) => setWorkspace({ kind: 'ready', value }),
      (error: unknown) => setWorkspace({ kind: 'failed', error: oneMapErrorData(error), frame: (reason) => t('app.openFailed', { reason }) }),
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
        {workspace.kind === 'ready' && basemap.kind === 'ready' && <MapExportButton />}
        <span className="shell-badge" data-testid="shell-kind">
          {t(platform.kind === 'electron' ? 'app.shell.electron' : 'app.shell.web')}
        </span>
        <button type="button" className="language-switch" onClick={() => void changeLanguage(language === 'en' ? 'zh-CN' : 'en')} aria-label={t('app.language')}>
          {t('app.switchTo')}
        </button>
      </header>
      <div className="app-banners" id={bannerSlotId} />
      {basemap.kind === 'failed' || workspace.kind === 'failed' ? (
        <LoadFailure load={basemap.kind === 'failed' ? basemap : workspace} />
      ) : basemap.kind === 'loading' || workspace.kind === 'loading' ? (
        <p className="notice">{basemap.kind === 'loading' ? t('map.loading') : t('app.opening')}</p>
      ) : (
        <WorkspaceProvider value={workspace.value}>
          {workspace.value.storeLoss !== null && <StoreLossNotice database={workspace.value.database} loss={workspace.value.storeLoss} />}
          <Workbench basemap={basemap.value} />
        </WorkspaceProvider>
      )}
    </div>
  );
}
