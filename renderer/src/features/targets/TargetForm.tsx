import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { targetFieldName, targetIssues, type LayerDefinition, type Target, type TargetMetricKind, type TargetSet, type ValidationIssue } from '../../../../shared/model';
import { localized } from '../../lib/localize';
import { useLanguage } from '../../lib/language';
import { draftOf, emptyDraft, targetFromDraft, type TargetDraft } from './target-draft';
import { issueText } from './issue-text';

export interface TargetFormProps {
  set: TargetSet;
  layers: readonly LayerDefinition[];
  counties: readonly { adcode: number; name: string }[];
  /** The target edited; absent: a new one with `newId`. */
  target?: Target;
  newId: string;
  /** Set ids a target may name. */
  setIds: ReadonlySet<string>;
  onSave(target: Target): Promise<void>;
  onCancel(): void;
}

const METRICS: TargetMetricKind[] = ['count', 'area-mu', 'length-km', 'sum'];

/** Adds or edits one target; the model's validation says, field by field, what to fix before anything is written. */
export function TargetForm({ set, layers, counties, target, newId, setIds, onSave, onCancel }: TargetFormProps) {
  const { t } = useTranslation();
  const language = useLanguage();
  const [draft, setDraft] = useState<TargetDraft>(() => (target === undefined ? emptyDraft(set, layers[0]) : draftOf(target)));
  const [issues, setIssues] = useState<ValidationIssue[]>([]);
  const [saving, setSaving] = useState(false);
  const layer = layers.find((candidate) => candidate.id === draft.layerId);
  const change = (patch: Partial<TargetDraft>) => setDraft((current) => ({ ...current, ...patch }));
  const scopeField = layer?.fields.find((field) => field.key === draft.scopeField);
  const numericFields = layer?.fields.filter((field) => field.type === 'number' || field.type === 'integer') ?? [];
  const scopeFields = layer?.fields.filter((field) => field.type === 'enum' || field.type === 'integer' || field.type === 'boolean' || field.type === 'string') ?? [];

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const candidate = targetFromDraft(draft, target?.id ?? newId, target?.setId ?? set.id, layer, target);
    const checked = targetIssues(candidate, layers, setIds);
    setIssues(checked.issues);
    if (checked.target === null) return;
    setSaving(true);
    try {
      await onSave(checked.target);
    } catch (error) {
      // The store refused it (transact validates too): its problems, field by field.
      const problems = (error as { problems?: { issues: ValidationIssue[] }[] }).problems;
      setIssues(problems?.flatMap((problem) => problem.issues) ?? [{ path: 'target', message: t('targets.saveFailed') }]);
    } finally {
      setSaving(false);
    }
  };
  const text = (key: keyof TargetDraft, label: string, extra: { type?: string; required?: boolean; placeholder?: string } = {}) => (
    <label className="field">
      <span>{label}</span>
      <input aria-label={label} type={extra.type ?? 'text'} value={draft[key] as string} placeholder={extra.placeholder} onChange={(event) => change({ [key]: event.target.value } as Partial<TargetDraft>)} />
    </label>
  );

  return (
    <form className="target-form" onSubmit={(event) => void submit(event)} aria-label={target === undefined ? t('targets.addTitle') : t('targets.editTitle')} noValidate>
      <h3>{target === undefined ? t('targets.addTitle') : t('targets.editTitle')}</h3>
      {text('titleZh', t('targets.field.titleZh'))}
      {text('titleEn', t('targets.field.titleEn'), { placeholder: t('targets.sameAsChinese') })}
      <label className="field">
        <span>{t('targets.field.quote')}</span>
        <textarea aria-label={t('targets.field.quote')} value={draft.quoteText} rows={2} onChange={(event) => change({ quoteText: event.target.value })} />
      </label>
      {text('source', t('targets.field.source'), { placeholder: t('targets.sourcePlaceholder') })}
      <div className="field-row">
        {text('quantity', t('targets.field.quantity'), { type: 'number' })}
        <label className="field">
          <span>{t('targets.field.qualifier')}</span>
          <select aria-label={t('targets.field.qualifier')} value={draft.qualifier} onChange={(event) => change({ qualifier: event.target.value as TargetDraft['qualifier'] })}>
            <option value="">{t('targets.qualifier.exact')}</option>
            <option value="at-least">{t('targets.qualifier.atLeast')}</option>
            <option value="about">{t('targets.qualifier.about')}</option>
          </select>
        </label>
        {text('unitZh', t('targets.field.unit'))}
      </div>
      <div className="field-row">
        {text('startDate', t('targets.field.startDate'), { type: 'date' })}
        {text('deadline', t('targets.field.deadline'), { type: 'date' })}
      </div>
      <label className="field">
        <span>{t('targets.field.layer')}</span>
        <select
          aria-label={t('targets.field.layer')}
          value={draft.layerId}
          onChange={(event) => {
            const next = layers.find((candidate) => candidate.id === event.target.value);
            change({ layerId: event.target.value, doneStatuses: next?.schedule?.doneStatuses ?? [], scopeField: '', scopeValues: [], scopeText: '', sumField: '' });
          }}
        >
          {layers.map((candidate) => (
            <option key={candidate.id} value={candidate.id}>
              {localized(candidate.name, language)}
            </option>
          ))}
        </select>
      </label>
      <div className="field-row">
        <label className="field">
          <span>{t('targets.field.metric')}</span>
          <select aria-label={t('targets.field.metric')} value={draft.metricKind} onChange={(event) => change({ metricKind: event.target.value as TargetMetricKind })}>
            {METRICS.map((kind) => (
              <option key={kind} value={kind}>
                {t(`targets.metric.${kind}`)}
              </option>
            ))}
          </select>
        </label>
        {draft.metricKind === 'sum' && (
          <label className="field">
            <span>{t('targets.field.sumField')}</span>
            <select aria-label={t('targets.field.sumField')} value={draft.sumField} onChange={(event) => change({ sumField: event.target.value })}>
              <option value="">—</option>
              {numericFields.map((field) => (
                <option key={field.key} value={field.key}>
                  {localized(field.label, language)}
                </option>
              ))}
            </select>
          </label>
        )}
      </div>
      <fieldset className="field">
        <legend>{t('targets.field.doneStatuses')}</legend>
        {layer?.status.states.map((state) => (
          <label key={state.value} className="check">
            <input
              type="checkbox"
              checked={draft.doneStatuses.includes(state.value)}
              onChange={(event) => change({ doneStatuses: event.target.checked ? [...draft.doneStatuses, state.value] : draft.doneStatuses.filter((value) => value !== state.value) })}
            />
            {localized(state.label, language)}
          </label>
        ))}
      </fieldset>
      <fieldset className="field">
        <legend>{t('targets.field.scope')}</legend>
        <select aria-label={t('targets.scopeField')} value={draft.scopeField} onChange={(event) => change({ scopeField: event.target.value, scopeValues: [], scopeText: '' })}>
          <option value="">{t('targets.scopeNone')}</option>
          {scopeFields.map((field) => (
            <option key={field.key} value={field.key}>
              {localized(field.label, language)}
            </option>
          ))}
        </select>
        {scopeField?.type === 'enum'
          ? scopeField.values.map((option) => (
              <label key={option.value} className="check">
                <input
                  type="checkbox"
                  checked={draft.scopeValues.includes(option.value)}
                  onChange={(event) => change({ scopeValues: event.target.checked ? [...draft.scopeValues, option.value] : draft.scopeValues.filter((value) => value !== option.value) })}
                />
                {localized(option.label, language)}
              </label>
            ))
          : scopeField !== undefined && (
              <input aria-label={t('targets.scopeValues')} placeholder={scopeField.type === 'boolean' ? t('targets.scopeBoolean') : t('targets.scopeValuesHint')} value={draft.scopeText} onChange={(event) => change({ scopeText: event.target.value })} />
            )}
      </fieldset>
      <fieldset className="field">
        <legend>
          <label className="check">
            <input type="checkbox" checked={draft.split} onChange={(event) => change({ split: event.target.checked })} />
            {t('targets.field.countySplit')}
          </label>
        </legend>
        {draft.split && (
          <div className="county-split">
            {counties.map((county) => (
              <label key={county.adcode} className="field">
                <span>{county.name}</span>
                <input aria-label={county.name} type="number" min={0} value={draft.splitRows[String(county.adcode)] ?? ''} onChange={(event) => change({ splitRows: { ...draft.splitRows, [String(county.adcode)]: event.target.value } })} />
              </label>
            ))}
          </div>
        )}
      </fieldset>
      {issues.length > 0 && (
        <ul className="target-issues" role="alert" data-testid="target-issues">
          {issues.map((issue, index) => (
            <li key={index}>
              <strong>{localized(targetFieldName(issue.path), language)}</strong>
              {t('targets.issue.separator')}
              {issueText(issue.message, t)}
            </li>
          ))}
        </ul>
      )}
      <div className="actions">
        <button type="submit" disabled={saving}>
          {t('targets.save')}
        </button>
        <button type="button" onClick={onCancel}>
          {t('targets.cancel')}
        </button>
      </div>
    </form>
  );
}
