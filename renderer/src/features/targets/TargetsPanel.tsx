import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { defaultTargetSet, targetSetIdOf, type Target } from '../../../../shared/model';
import { formatNumber, localized } from '../../lib/localize';
import { useLanguage } from '../../lib/language';
import { useTransact } from '../../lib/use-transact';
import { useWorkbenchData } from '../../lib/workbench-data';
import { useDefinitionsReadOnly } from '../../lib/hub-roles';
import { useChosenTargetSet } from './chosen-set';
import { TargetSetPicker } from './TargetSetPicker';
import { TargetForm } from './TargetForm';
import { TaskTableImport } from './TaskTableImport';
import { newTargetId } from './target-draft';
import './targets.css';

type Mode = { kind: 'list' } | { kind: 'add' } | { kind: 'edit'; target: Target } | { kind: 'import' };

/** 目标管理: the target sets by year, and the chosen set's targets — add, edit, remove, import from a 任务分解表. Every change is one undoable `transact`. */
export function TargetsPanel() {
  const { t } = useTranslation();
  const language = useLanguage();
  const { layers, targets, counties } = useWorkbenchData();
  const { sets, set, choose } = useChosenTargetSet();
  const write = useTransact();
  const [mode, setMode] = useState<Mode>({ kind: 'list' });
  const [year, setYear] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  // In a hub workspace only planners and admins change definitions (the hub refuses others).
  const readOnly = useDefinitionsReadOnly();
  const ofSet = set === null ? [] : targets.filter((target) => targetSetIdOf(target) === set.id);
  const setIds = new Set(sets.map((candidate) => candidate.id));
  const layerName = (layerId: string) => {
    const layer = layers.find((candidate) => candidate.id === layerId);
    return layer === undefined ? layerId : localized(layer.name, language);
  };

  const createSet = async (event: FormEvent) => {
    event.preventDefault();
    const value = Number(year);
    if (!Number.isInteger(value) || value < 1990 || value > 2100) return setProblem(t('targets.yearInvalid'));
    if (sets.some((candidate) => candidate.year === value)) return setProblem(t('targets.yearExists', { year: value }));
    const created = defaultTargetSet(value);
    try {
      await write({ operations: [{ kind: 'put-target-set', layerId: `target-set:${created.id}`, set: created }] });
      setProblem(null);
      setYear('');
      choose(created.id);
    } catch {
      setProblem(t('targets.saveFailed'));
    }
  };
  const remove = async (target: Target) => {
    try {
      await write({ operations: [{ kind: 'remove-target', layerId: target.layerId, targetId: target.id }] });
    } catch {
      setProblem(t('targets.saveFailed'));
    }
  };
  const save = async (target: Target) => {
    await write({ operations: [{ kind: 'put-target', layerId: target.layerId, target }] });
    setMode({ kind: 'list' });
  };
  const importTargets = async (imported: Target[]) => {
    await write({ operations: imported.map((target) => ({ kind: 'put-target' as const, layerId: target.layerId, target })) });
  };

  return (
    <section className="targets-panel" aria-label={t('targets.heading')}>
      <h2>{t('targets.heading')}</h2>
      <TargetSetPicker />
      {readOnly && (
        <p className="muted" data-testid="targets-hub">
          {t('targets.hubReadOnly')}
        </p>
      )}
      {!readOnly && (
        <form className="new-set" onSubmit={(event) => void createSet(event)}>
          <label className="field">
            <span>{t('targets.newSetYear')}</span>
            <input aria-label={t('targets.newSetYear')} type="number" inputMode="numeric" value={year} placeholder={String((sets.at(-1)?.year ?? new Date().getFullYear()) + 1)} onChange={(event) => setYear(event.target.value)} />
          </label>
          <button type="submit">{t('targets.newSet')}</button>
        </form>
      )}
      {problem !== null && (
        <p role="alert" className="error">
          {problem}
        </p>
      )}
      {set !== null && mode.kind === 'list' && (
        <>
          <p className="muted" data-testid="targets-count">
            {t('targets.count', { count: ofSet.length, set: localized(set.title, language) })}
          </p>
          {!readOnly && (
            <div className="actions">
              <button type="button" onClick={() => setMode({ kind: 'add' })}>
                {t('targets.add')}
              </button>
              <button type="button" onClick={() => setMode({ kind: 'import' })}>
                {t('targets.importTable')}
              </button>
            </div>
          )}
          <ul className="target-list">
            {ofSet.map((target) => (
              <li key={target.id} data-target-id={target.id}>
                <strong>{localized(target.title, language)}</strong>
                <blockquote lang="zh-CN">「{target.quote.text}」</blockquote>
                <p className="muted">
                  {target.quantity === null ? t('targets.noQuantity') : `${formatNumber(target.quantity, language)} ${localized(target.unit, language)}`} · {layerName(target.layerId)} · {t(`targets.metric.${target.metric.kind}`)} ·{' '}
                  {t('targets.due', { date: target.deadline })}
                  {target.countySplit?.kind === 'table' && ` · ${t('targets.import.counties', { count: target.countySplit.rows.length })}`}
                </p>
                {!readOnly && (
                  <div className="actions">
                    <button type="button" onClick={() => setMode({ kind: 'edit', target })}>
                      {t('targets.edit')}
                    </button>
                    <button type="button" onClick={() => void remove(target)}>
                      {t('targets.remove')}
                    </button>
                  </div>
                )}
              </li>
            ))}
          </ul>
        </>
      )}
      {set !== null && (mode.kind === 'add' || mode.kind === 'edit') && (
        <TargetForm
          set={set}
          layers={layers}
          counties={counties}
          {...(mode.kind === 'edit' ? { target: mode.target } : {})}
          newId={newTargetId(set.id, new Set(targets.map((target) => target.id)))}
          setIds={setIds}
          onSave={save}
          onCancel={() => setMode({ kind: 'list' })}
        />
      )}
      {set !== null && mode.kind === 'import' && (
        <TaskTableImport set={set} layers={layers} counties={counties} targets={targets} onCommit={importTargets} onClose={() => setMode({ kind: 'list' })} />
      )}
    </section>
  );
}
