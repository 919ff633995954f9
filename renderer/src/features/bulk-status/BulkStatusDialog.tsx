import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { canTransition, type Feature, type LayerDefinition } from '../../../../shared/model';
import { transact } from '../../db';
import { useWorkspace } from '../../app/workspace';
import { formatNumber, localized } from '../../app/localize';
import { statusChangeOperation } from '../feature-panel/status-change';

export interface BulkStatusDialogProps {
  layer: LayerDefinition;
  /** The features selected: those shown under the current filters, or those in a drawn area. */
  features: readonly Feature[];
  selectedBy: 'filter' | 'area';
  language: string;
  onClose(): void;
}

type Outcome = { kind: 'idle' } | { kind: 'saving' } | { kind: 'done'; count: number } | { kind: 'failed'; reason: string };

/** One status for many features at once, committed as one change (one journal group): all or nothing. */
export function BulkStatusDialog({ layer, features, selectedBy, language, onClose }: BulkStatusDialogProps) {
  const { t } = useTranslation();
  const workspace = useWorkspace();
  const states = layer.status.states;
  const [status, setStatus] = useState(states[states.length - 1]?.value ?? '');
  const [date, setDate] = useState(workspace.asOf);
  const [note, setNote] = useState('');
  const [outcome, setOutcome] = useState<Outcome>({ kind: 'idle' });
  const eligible = features.filter((feature) => feature.status !== status && canTransition(layer, feature.status, status));

  const apply = async (event: React.FormEvent) => {
    event.preventDefault();
    if (eligible.length === 0 || !date) return;
    setOutcome({ kind: 'saving' });
    try {
      await transact(workspace.database, {
        author: workspace.identity.deviceId,
        operations: eligible.map((feature) => statusChangeOperation(layer, feature.id, status, date)),
        ...(note.trim() ? { note: note.trim() } : {}),
      });
      setOutcome({ kind: 'done', count: eligible.length });
    } catch (error) {
      setOutcome({ kind: 'failed', reason: error instanceof Error ? error.message : String(error) });
    }
  };

  return (
    <div className="dialog-backdrop">
      <form className="dialog" role="dialog" aria-modal="true" aria-label={t('bulk.heading')} onSubmit={(event) => void apply(event)}>
        <h2>{t('bulk.heading')}</h2>
        <p>{t(selectedBy === 'area' ? 'bulk.scopeArea' : 'bulk.scope', { layer: localized(layer.name, language), count: features.length })}</p>
        <label className="field">
          <span>{t('bulk.newStatus')}</span>
          <select value={status} onChange={(event) => setStatus(event.target.value)}>
            {states.map((state) => (
              <option key={state.value} value={state.value}>
                {localized(state.label, language)}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>{t('bulk.date')}</span>
          <input type="date" required value={date} onChange={(event) => setDate(event.target.value)} />
        </label>
        <label className="field">
          <span>{t('bulk.note')}</span>
          <input type="text" value={note} onChange={(event) => setNote(event.target.value)} />
        </label>
        <p className="muted">
          {t('bulk.eligible', { count: formatNumber(eligible.length, language), skipped: formatNumber(features.length - eligible.length, language) })}
        </p>
        <p role="status">
          {outcome.kind === 'done' && t('bulk.done', { count: outcome.count })}
          {outcome.kind === 'failed' && t('bulk.failed', { reason: outcome.reason })}
        </p>
        <div className="dialog-buttons">
          <button type="submit" disabled={eligible.length === 0 || outcome.kind === 'saving' || outcome.kind === 'done'}>
            {t('bulk.apply', { count: eligible.length })}
          </button>
          <button type="button" onClick={onClose}>
            {t('bulk.cancel')}
          </button>
        </div>
      </form>
    </div>
  );
}
