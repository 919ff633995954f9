import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useLanguage } from '../../lib/language';
import { localized } from '../../lib/localize';
import { useWorkbenchData } from '../../lib/workbench-data';
import { useWorkspace } from '../../lib/workspace';
import { NewWorkspaceForm } from './NewWorkspaceForm';
import { TemplateSection } from './TemplateSection';
import { useWorkspaceList } from './use-workspace-list';
import './workspaces.css';

/** 工作区: which city is open, the others on this computer, a new one from a boundary file, templates. */
export function WorkspacesPanel() {
  const { t } = useTranslation();
  const language = useLanguage();
  const { definition, hub } = useWorkspace();
  const { basemap } = useWorkbenchData();
  const { workspaces, switchTo } = useWorkspaceList();
  const [switching, setSwitching] = useState<string | null>(null);
  const names = (workspaces ?? []).map((workspace) => workspace.name.zh);
  const go = (id: string) => {
    setSwitching(id);
    void switchTo(id);
  };
  return (
    <section className="workspaces-panel" data-testid="workspaces-panel">
      <h2>{t('workspaces.heading')}</h2>
      <p data-testid="workspace-current">{t('workspaces.current', { name: localized(definition.name, language) })}</p>
      <p className="muted" data-testid="workspace-basemap-note">
        {basemap.boundariesOnly ? t('workspaces.boundariesOnly') : t('workspaces.bundled')}
      </p>
      {hub && <p className="muted">{t('workspaces.hubNote')}</p>}
      <h3>{t('workspaces.list')}</h3>
      <ul className="workspace-list" data-testid="workspace-list">
        {(workspaces ?? []).map((workspace) => {
          const open = hub === null && workspace.id === definition.id;
          return (
            <li key={workspace.id} data-workspace-id={workspace.id}>
              <span className="workspace-name">{localized(workspace.name, language)}</span>
              {workspace.counties && <span className="muted"> · {t('workspaces.counties', { count: workspace.counties.features.length })}</span>}
              {open ? (
                <span className="workspace-open"> · {t('workspaces.open')}</span>
              ) : (
                <button type="button" disabled={switching !== null} onClick={() => go(workspace.id)} aria-label={`${t('workspaces.switch')}：${localized(workspace.name, language)}`}>
                  {switching === workspace.id ? t('workspaces.switching') : t('workspaces.switch')}
                </button>
              )}
            </li>
          );
        })}
      </ul>
      <NewWorkspaceForm reservedNames={names} onCreated={go} />
      <TemplateSection reservedNames={names} onCreated={go} />
    </section>
  );
}
