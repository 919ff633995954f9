import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Feature, LayerDefinition } from '../../../../shared/model';
import { useWorkspace } from '../../lib/workspace';
import { useTransact } from '../../lib/use-transact';
import { codedFields, countByCodedValue, matchesFieldFilters, noCodedValue, type CodedField } from '../../lib/layer-state';
import { formatNumber, localized } from '../../lib/localize';
import { statusChangeOperation } from '../feature-panel';
import { CodedFieldFilter } from '../coded-filter';
import { defaultBulkStatus, movable } from './bulk-selection';
import { oneMapErrorData, type OneMapErrorData } from '../../../../shared/errors';
import { useErrorText } from '../errors';
import { useLanguage } from '../../lib/language';

export interface BulkStatusDialogProps {
  layer: LayerDefinition;
  /** The features selected: those shown under the current filters, or those in a drawn area. */
  features: readonly Feature[];
  selectedBy: 'filter' | 'area';
  onClose(): void;
}

type Outcome =
  | { kind: 'idle' }
  | { kind: 'saving' }
  | { kind: 'done'; count: number; status: string; byType: string }
  | { kind: 'failed'; error: OneMapErrorData };

/** One status for many features at once, committed as one change (one journal group): all or nothing. */
export function BulkStatusDialog({ layer, features, selectedBy, onClose }: BulkStatusDialogProps) {
  const language = useLanguage();
  const { t } = useTranslation();
  const errorText = useErrorText();
  const workspace = useWorkspace();
  const transact = useTransact();
  const states = layer.status.states;
  const fields = codedFields(layer);
  // The dialog's own narrowing by type (e.g. only 非农业取水井 of the wells in a drawn area).
  const [kept, setKept] = useState<Record<string, readonly string[]>>({});
  const selection = features.filter((feature) => matchesFieldFilters(feature, kept));
  const [statusChosen, setStatusChosen] = useState<string | null>(null);
  const movableCount = (value: string) => selection.filter((feature) => movable(layer, feature, value)).length;
  const status = statusChosen !== null && movableCount(statusChosen) > 0 ? statusChosen : defaultBulkStatus(layer, selection);
  const [date, setDate] = useState(workspace.asOf);
  const [note, setNote] = useState('');
  const [outcome, setOutcome] = useState<Outcome>({ kind: 'idle' });
  const eligible = status ? selection.filter((feature) => movable(layer, feature, status)) : [];
  const statusLabel = (value: string) => localized(states.find((state) => state.value === value)?.label ?? { zh: value, en: value }, language);
  const byType = (field: CodedField | undefined, of: readonly Feature[]) =>
    field
      ? countByCodedValue(of, field)
          .map(({ value, count }) => {
            const label = value === noCodedValue ? t('codedFilter.noValue') : localized(field.values.find((option) => option.value === value)?.label ?? { zh: value, en: value }, language);
            return t('bulkDialog.typeCount', { type: label, count: formatNumber(count, language) });
          })
          .join(t('bulkDialog.separator'))
      : '';
  const done = outcome.kind === 'done';

  const apply = async (event: React.FormEvent) => {
    event.preventDefault();
    if (eligible.length === 0 || !date || done) return;
    setOutcome({ kind: 'saving' });
    try {
      await transact({
        operations: eligible.map((feature) => statusChangeOperation(layer, feature.id, status, date, note)),
        ...(note.trim() ? { note: note.trim() } : {}),
      });
      setOutcome({ kind: 'done', count: eligible.length, status, byType: byType(fields[0], eligible) });
    } catch (error) {
      setOutcome({ kind: 'failed', error: oneMapErrorData(error) });
    }
  };

  return (
    <div className="dialog-backdrop">
      <form className="dialog" role="dialog" aria-modal="true" aria-label={t('bulk.heading')} onSubmit={(event) => void apply(event)}>
        <h2>{t('bulk.heading')}</h2>
        <p>{t(selectedBy === 'area' ? 'bulk.scopeArea' : 'bulk.scope', { layer: localized(layer.name, language), count: features.length })}</p>
        <fieldset className="bulk-fields" disabled={done || outcome.kind === 'saving'}>
          <CodedFieldFilter
            fields={fields}
            countOf={(field) => countByCodedValue(features, field)}
            filters={kept}
            label={t('bulkDialog.byType')}
            onChange={setKept}
          />
          <label className="field">
            <span>{t('bulk.newStatus')}</span>
            <select value={status} onChange={(event) => setStatusChosen(event.target.value)}>
              {status === '' && <option value="">{t('bulkDialog.noStatus')}</option>}
              {states.map((state) => (
                <option key={state.value} value={state.value} disabled={movableCount(state.value) === 0}>
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
        </fieldset>
        {!done && (
          <p className="muted" data-testid="bulk-summary">
            {status === ''
              ? t('bulkDialog.nothingMovable', { count: formatNumber(selection.length, language) })
              : t('bulkDialog.willUpdate', {
                  count: formatNumber(eligible.length, language),
                  status: statusLabel(status),
                  skipped: formatNumber(features.length - eligible.length, language),
                })}
            {eligible.length > 0 && fields[0] && ` ${t('bulkDialog.ofWhich', { field: localized(fields[0].label, language), types: byType(fields[0], eligible) })}`}
          </p>
        )}
        <p role="status">
          {outcome.kind === 'done' &&
            t('bulkDialog.done', { count: formatNumber(outcome.count, language), status: statusLabel(outcome.status) }) +
              (outcome.byType ? ` ${t('bulkDialog.doneByType', { types: outcome.byType })}` : '')}
          {outcome.kind === 'failed' && t('bulk.failed', { reason: errorText(outcome.error) })}
        </p>
        <div className="dialog-buttons">
          {done ? (
            <button type="button" onClick={onClose}>
              {t('bulkDialog.close')}
            </button>
          ) : (
            <>
              <button type="submit" disabled={eligible.length === 0 || outcome.kind === 'saving'}>
                {t('bulk.apply', { count: eligible.length })}
              </button>
              <button type="button" onClick={onClose}>
                {t('bulk.cancel')}
              </button>
            </>
          )}
        </div>
      </form>
    </div>
  );
}
