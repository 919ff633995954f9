import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { oneMapErrorData } from '../../../../shared/errors';
import { useErrorText } from '../errors';
import type { LayerDefinition } from '../../../../shared/model';
import { useFeature } from '../../db/hooks';
import { useWorkspace } from '../../lib/workspace';
import { useTransact } from '../../lib/use-transact';
import { localized } from '../../lib/localize';
import { useValueFormat } from '../../app/value-format';
import { nextStatuses, statusChangeOperation } from './status-change';
import { PhotoSection } from './PhotoSection';
import { AttributeForm } from './AttributeForm';
import { HistorySection } from './HistorySection';
import { HubHistorySection } from './HubHistorySection';
import { FeatureActions } from '../editing';
import { NotOnHubMark } from '../hub';
import { useLanguage } from '../../lib/language';

export interface FeaturePanelProps {
  layer: LayerDefinition;
  featureId: string;
  countyName(adcode: number): string;
  onClose(): void;
}

type SaveState = { kind: 'idle' } | { kind: 'saving' } | { kind: 'saved' } | { kind: 'failed'; reason: string };

export function FeaturePanel({ layer, featureId, countyName, onClose }: FeaturePanelProps) {
  const language = useLanguage();
  const { t } = useTranslation();
  const errorText = useErrorText();
  const workspace = useWorkspace();
  const transact = useTransact();
  const format = useValueFormat();
  const feature = useFeature(workspace.database, layer.id, featureId);
  const [status, setStatus] = useState('');
  const [date, setDate] = useState(workspace.asOf);
  const [note, setNote] = useState('');
  const [save, setSave] = useState<SaveState>({ kind: 'idle' });
  const [editing, setEditing] = useState(false);
  const [deleted, setDeleted] = useState(false);

  if (feature === undefined) return null;
  const heading = (
    <div className="panel-heading">
      <h2>{t('feature.heading')}</h2>
      <button type="button" className="icon" aria-label={t('feature.close')} onClick={onClose}>
        ×
      </button>
    </div>
  );
  if (feature === null) {
    return (
      <aside className="feature-panel" aria-label={t('feature.heading')}>
        {heading}
        <p role="status" data-testid="feature-missing">
          {deleted ? t('editing.delete.deleted') : t('feature.missing')}
        </p>
      </aside>
    );
  }

  const options = nextStatuses(layer, feature.status);
  const chosen = options.includes(status) ? status : (options[0] ?? '');
  const statusLabel = (value: string) => {
    const state = layer.status.states.find((candidate) => candidate.value === value);
    return state ? localized(state.label, language) : value;
  };

  const submit = async (event: React.FormEvent) => {
    event.preventDefault();
    if (!chosen) return;
    if (!date) {
      setSave({ kind: 'failed', reason: t('feature.dateRequired') });
      return;
    }
    setSave({ kind: 'saving' });
    try {
      await transact({
        operations: [statusChangeOperation(layer, feature.id, chosen, date, note)],
        ...(note.trim() ? { note: note.trim() } : {}),
      });
      // Only now, after IndexedDB reported the commit, is the edit "saved".
      setSave({ kind: 'saved' });
      setNote('');
    } catch (error) {
      const reason = errorText(oneMapErrorData(error));
      setSave({ kind: 'failed', reason });
    }
  };

  return (
    <aside className="feature-panel" aria-label={t('feature.heading')} data-feature-id={feature.id}>
      {heading}
      {feature.demo && <p className="demo-badge block">{t('app.demoData')}</p>}
      <NotOnHubMark layerId={layer.id} featureId={feature.id} />
      <FeatureActions layer={layer} feature={feature} onDeleted={() => setDeleted(true)} />
      {editing ? (
        <AttributeForm layer={layer} feature={feature} onDone={() => setEditing(false)} />
      ) : (
      <>
      <button type="button" className="link" onClick={() => setEditing(true)}>
        {t('form.edit')}
      </button>
      <dl className="attributes">
        <dt>{t('feature.id')}</dt>
        <dd data-testid="feature-code">{format.code(layer, feature)}</dd>
        <dt>{t('feature.layer')}</dt>
        <dd>{localized(layer.name, language)}</dd>
        <dt>{localized(layer.status.label, language)}</dt>
        <dd data-testid="feature-status">{statusLabel(feature.status)}</dd>
        <dt>{t('feature.county')}</dt>
        <dd>{feature.county === null ? t('feature.outside') : countyName(feature.county)}</dd>
        {layer.fields.filter((field) => field.key !== layer.featureCode?.field).map((field) => (
          <div key={field.key} className="attribute">
            <dt>{localized(field.label, language)}</dt>
            <dd>{format.field(field, feature.properties[field.key])}</dd>
          </div>
        ))}
        <dt>{t('feature.revision')}</dt>
        <dd>{feature.revision}</dd>
        <dt>{t('feature.updated')}</dt>
        <dd>{format.timestamp(feature.updatedAt)}</dd>
      </dl>
      </>
      )}

      <form className="status-form" onSubmit={(event) => void submit(event)}>
        <h3>{t('feature.changeStatus')}</h3>
        {options.length === 0 ? (
          <p className="muted">{t('feature.noTransition')}</p>
        ) : (
          <>
            <label className="field">
              <span>{t('feature.newStatus')}</span>
              <select value={chosen} onChange={(event) => setStatus(event.target.value)}>
                {options.map((value) => (
                  <option key={value} value={value}>
                    {statusLabel(value)}
                  </option>
                ))}
              </select>
            </label>
            <label className="field">
              <span>{t('feature.date')}</span>
              <input type="date" required value={date} onChange={(event) => setDate(event.target.value)} />
            </label>
            <label className="field">
              <span>{t('feature.note')}</span>
              <input type="text" value={note} onChange={(event) => setNote(event.target.value)} />
            </label>
            <button type="submit" disabled={save.kind === 'saving'}>
              {t('feature.save')}
            </button>
          </>
        )}
        <p className="save-state" role="status" data-testid="save-state">
          {save.kind === 'saving' && t('feature.saving')}
          {save.kind === 'saved' && t('feature.saved')}
          {save.kind === 'failed' && t('feature.failed', { reason: save.reason })}
        </p>
      </form>
      <PhotoSection layerId={layer.id} featureId={feature.id} />
      <HistorySection layer={layer} featureId={feature.id} />
      <HubHistorySection layer={layer} featureId={feature.id} />
    </aside>
  );
}
