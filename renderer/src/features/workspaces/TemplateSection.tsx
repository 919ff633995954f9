import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { oneMapErrorData, type OneMapErrorData } from '../../../../shared/errors';
import { decodeTemplate, TEMPLATE_EXTENSION } from '../../../../shared/workspace';
import { FilePicker } from '../../app/FilePicker';
import { ErrorNotice } from '../errors';
import { useLanguage } from '../../lib/language';
import { localized } from '../../lib/localize';
import { useWorkbenchData } from '../../lib/workbench-data';
import { useWorkspace } from '../../lib/workspace';
import { createFromTemplate, download, templateFile, templateOf } from './actions';

type Outcome = { kind: 'exported'; file: string } | { kind: 'failed'; key: string; error: OneMapErrorData } | null;

/** 工作区模板: export the open workspace (optionally with its features); start a new one from a template file. */
export function TemplateSection({ reservedNames, onCreated }: { reservedNames: readonly string[]; onCreated(id: string): void }) {
  const { t } = useTranslation();
  const language = useLanguage();
  const { database, definition } = useWorkspace();
  const { basemap } = useWorkbenchData();
  const [withData, setWithData] = useState(false);
  const [name, setName] = useState('');
  const [outcome, setOutcome] = useState<Outcome>(null);
  const [busy, setBusy] = useState(false);

  const exportTemplate = async () => {
    setOutcome(null);
    try {
      const { fileName, bytes } = templateFile(await templateOf(database, definition, basemap, withData), language);
      download(fileName, bytes, 'application/gzip');
      setOutcome({ kind: 'exported', file: fileName });
    } catch (error) {
      setOutcome({ kind: 'failed', key: 'workspaces.template.exportFailed', error: oneMapErrorData(error) });
    }
  };

  const importTemplate = async (file: File | undefined) => {
    if (!file) return;
    setOutcome(null);
    setBusy(true);
    try {
      const template = decodeTemplate(new Uint8Array(await file.arrayBuffer()), file.name);
      const zh = name.trim() || template.workspace.name.zh;
      const created = await createFromTemplate(template, { zh, en: name.trim() || template.workspace.name.en }, reservedNames);
      onCreated(created.id);
    } catch (error) {
      setOutcome({ kind: 'failed', key: 'workspaces.template.importFailed', error: oneMapErrorData(error) });
      setBusy(false);
    }
  };

  return (
    <section className="workspace-form" data-testid="workspace-template">
      <h3>{t('workspaces.template.heading')}</h3>
      <p className="muted">{t('workspaces.template.hint')}</p>
      <label className="checkbox">
        <input type="checkbox" checked={withData} onChange={(event) => setWithData(event.target.checked)} />
        <span>{t('workspaces.template.withData')}</span>
      </label>
      <button type="button" onClick={() => void exportTemplate()} title={localized(definition.name, language)}>
        {t('workspaces.template.export')}
      </button>
      <label>
        <span>{t('workspaces.template.name')}</span>
        <input value={name} onChange={(event) => setName(event.target.value)} />
      </label>
      <FilePicker label={t('workspaces.template.import')} accept={TEMPLATE_EXTENSION} disabled={busy} onChange={(event) => void importTemplate(event.target.files?.[0])} />
      {outcome?.kind === 'exported' && (
        <p className="notice" data-testid="workspace-template-outcome">
          {t('workspaces.template.exported', { file: outcome.file })}
        </p>
      )}
      {outcome?.kind === 'failed' && <ErrorNotice className="notice error" error={outcome.error} frame={(reason) => t(outcome.key, { reason })} testId="workspace-template-error" />}
    </section>
  );
}
