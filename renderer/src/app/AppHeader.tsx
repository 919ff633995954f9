import { useTranslation } from 'react-i18next';
import { currentPlatform } from '../platform';
import { useLanguage } from '../lib/language';
import { localized } from '../lib/localize';
import type { Workspace } from '../lib/workspace';
import { useWorkbench } from '../lib/workbench-store';
import { HubIndicator } from '../features/hub';
import { BackupsControl } from '../features/backup';
import { changeLanguage } from './i18n';

function MapExportButton() {
  const { t } = useTranslation();
  const open = useWorkbench((state) => state.setMapExportOpen);
  return (
    <button type="button" className="map-export-button" onClick={() => open(true)}>
      {t('mapExport.button')}
    </button>
  );
}

/** The title bar: the workspace's name and date, storage, backups, the hub, map export, the shell and the language. */
export function AppHeader({ workspace, basemapReady }: { workspace: Workspace | null; basemapReady: boolean }) {
  const { t } = useTranslation();
  const language = useLanguage();
  const platform = currentPlatform();
  return (
    <header className="app-header">
      <h1>
        {t('app.title')} <small data-testid="workspace-name">{workspace ? t('app.subtitle', { workspace: localized(workspace.definition.name, language) }) : t('app.subtitleOpening')}</small>
      </h1>
      {workspace && (
        <>
          <span className="as-of">
            {t('app.asOf')} {workspace.asOf}
          </span>
          <span className="persistence" data-testid="persistence" title={t('app.persistenceHint')}>
            {t(`app.persistence.${workspace.persistence}`)}
          </span>
          <BackupsControl database={workspace.database} />
          <HubIndicator />
        </>
      )}
      {workspace && basemapReady && <MapExportButton />}
      <span className="shell-badge" data-testid="shell-kind">
        {t(platform.kind === 'electron' ? 'app.shell.electron' : 'app.shell.web')}
      </span>
      <button type="button" className="language-switch" onClick={() => void changeLanguage(language === 'en' ? 'zh-CN' : 'en')} aria-label={t('app.language')}>
        {t('app.switchTo')}
      </button>
    </header>
  );
}
