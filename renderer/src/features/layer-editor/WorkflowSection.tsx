// The layer editor's status workflow: the states (zh/en, the date field each one records), the
// initial state, and the allowed changes as a grid of checkboxes (row: from, column: to).
import { useTranslation } from 'react-i18next';
import { newStateDraft, withoutState, type LayerDraft, type StateDraft } from './draft';
import { TextPair } from './FieldsSection';

export function WorkflowSection({ draft, onChange }: { draft: LayerDraft; onChange(next: LayerDraft): void }) {
  const { t } = useTranslation();
  const setState = (index: number, patch: Partial<StateDraft>) => onChange({ ...draft, states: draft.states.map((state, at) => (at === index ? { ...state, ...patch } : state)) });
  const nameOf = (state: StateDraft, index: number) => state.zh.trim() || state.en.trim() || t('layerEditor.state', { index: index + 1 });
  const dateFields = draft.fields.map((field, index) => ({ field, index })).filter(({ field }) => field.type === 'date');
  const allowed = (from: number, to: number) => draft.transitions.some((transition) => transition.from === from && transition.to === to);
  const toggle = (from: number, to: number) =>
    onChange({ ...draft, transitions: allowed(from, to) ? draft.transitions.filter((transition) => transition.from !== from || transition.to !== to) : [...draft.transitions, { from, to }] });
  return (
    <fieldset className="layer-editor-section">
      <legend>{t('layerEditor.workflow')}</legend>
      <TextPair value={draft.statusLabel} labels={[t('layerEditor.statusLabelZh'), t('layerEditor.statusLabelEn')]} idPrefix="layer-status-label" onChange={(statusLabel) => onChange({ ...draft, statusLabel })} />
      {draft.states.map((state, index) => (
        <div key={index} className="layer-editor-item" data-state-index={index}>
          <div className="layer-editor-item-head">
            <strong>{t('layerEditor.state', { index: index + 1 })}</strong>
            <button type="button" className="link" aria-label={t('layerEditor.removeState', { name: nameOf(state, index) })} onClick={() => onChange(withoutState(draft, index))}>
              ✕
            </button>
          </div>
          <TextPair value={state} labels={[t('layerEditor.stateZh'), t('layerEditor.stateEn')]} idPrefix={`layer-state-${index}`} onChange={(next) => setState(index, next)} />
          <label>
            <span>{t('layerEditor.dateField')}</span>
            <select id={`layer-state-${index}-date`} value={state.dateField} onChange={(event) => setState(index, { dateField: Number(event.target.value) })}>
              <option value={-1}>{t('layerEditor.noDate')}</option>
              {dateFields.map(({ field, index: at }) => (
                <option key={at} value={at}>
                  {field.zh.trim() || field.en.trim() || t('layerEditor.field', { index: at + 1 })}
                </option>
              ))}
            </select>
          </label>
        </div>
      ))}
      <button type="button" onClick={() => onChange({ ...draft, states: [...draft.states, newStateDraft()] })}>
        + {t('layerEditor.addState')}
      </button>
      <label>
        <span>{t('layerEditor.initial')}</span>
        <select id="layer-initial-state" value={draft.initial} onChange={(event) => onChange({ ...draft, initial: Number(event.target.value) })}>
          {draft.states.map((state, index) => (
            <option key={index} value={index}>
              {nameOf(state, index)}
            </option>
          ))}
        </select>
      </label>
      <p className="layer-editor-transitions-title" id="layer-transitions-title">
        {t('layerEditor.transitions')}
        <small>{t('layerEditor.transitionsHint')}</small>
      </p>
      <table className="layer-editor-transitions" aria-labelledby="layer-transitions-title">
        <thead>
          <tr>
            <td />
            {draft.states.map((state, to) => (
              <th key={to} scope="col">
                {nameOf(state, to)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {draft.states.map((from, fromIndex) => (
            <tr key={fromIndex}>
              <th scope="row">{nameOf(from, fromIndex)}</th>
              {draft.states.map((to, toIndex) => (
                <td key={toIndex}>
                  {fromIndex !== toIndex && (
                    <input
                      type="checkbox"
                      aria-label={t('layerEditor.transition', { from: nameOf(from, fromIndex), to: nameOf(to, toIndex) })}
                      checked={allowed(fromIndex, toIndex)}
                      onChange={() => toggle(fromIndex, toIndex)}
                    />
                  )}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </fieldset>
  );
}
