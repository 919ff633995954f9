import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { LayerDefinition, Target, TargetSet } from '../../../../shared/model';
import type { TaskTableProblem, TaskTableResult } from '../../../../shared/io/task-table';
import { FilePicker } from '../../app/FilePicker';
import { oneMapErrorData } from '../../../../shared/errors';
import { useErrorText } from '../errors';
import { formatNumber, localized } from '../../lib/localize';
import { useLanguage } from '../../lib/language';

export interface TaskTableImportProps {
  set: TargetSet;
  layers: readonly LayerDefinition[];
  counties: readonly { adcode: number; name: string }[];
  targets: readonly Target[];
  /** Writes the targets as one change (all or nothing). */
  onCommit(targets: Target[]): Promise<void>;
  onClose(): void;
}

type State =
  | { kind: 'choosing' }
  | { kind: 'reading'; fileName: string }
  | { kind: 'read'; fileName: string; encoding: string | null; result: TaskTableResult }
  | { kind: 'refused'; fileName: string; code: string; reason: string }
  | { kind: 'committed'; count: number };

/** Imports a 任务分解表 into the set: read, preview (or the problems, by row and column), then one change. */
export function TaskTableImport({ set, layers, counties, targets, onCommit, onClose }: TaskTableImportProps) {
  const { t } = useTranslation();
  const language = useLanguage();
  const [state, setState] = useState<State>({ kind: 'choosing' });
  const [committing, setCommitting] = useState(false);
  const [commitProblem, setCommitProblem] = useState<string | null>(null);
  const errorText = useErrorText();

  const read = async (file: File | undefined) => {
    if (file === undefined) return;
    setState({ kind: 'reading', fileName: file.name });
    // Loaded when a table is chosen: the Excel reader stays out of the window's start-up bundle.
    const { parseTaskTable, readTableRows, TaskTableReadError } = await import('../../../../shared/io/task-table');
    try {
      const { rows, encoding } = await readTableRows(new Uint8Array(await file.arrayBuffer()), file.name);
      const result = parseTaskTable(rows, { set, layers, counties, targets, source: file.name });
      setState({ kind: 'read', fileName: file.name, encoding, result });
    } catch (error) {
      if (!(error instanceof TaskTableReadError)) throw error;
      setState({ kind: 'refused', fileName: file.name, code: error.code, reason: error.reason });
    }
  };
  const commit = async (result: Extract<TaskTableResult, { ok: true }>) => {
    setCommitting(true);
    setCommitProblem(null);
    try {
      await onCommit(result.targets.map(({ target }) => target));
      setState({ kind: 'committed', count: result.targets.length });
    } catch (error) {
      setCommitProblem(errorText(oneMapErrorData(error)));
    } finally {
      setCommitting(false);
    }
  };
  const layerName = (layerId: string) => {
    const layer = layers.find((candidate) => candidate.id === layerId);
    return layer === undefined ? layerId : localized(layer.name, language);
  };
  const where = (problem: TaskTableProblem) =>
    problem.columnLetter === null ? t('targets.table.atRow', { row: problem.row }) : t('targets.table.atCell', { row: problem.row, column: problem.columnLetter, header: problem.header ?? '' });

  return (
    <section className="task-table-import" aria-label={t('targets.import.title')} data-covers-map>
      <h3>{t('targets.import.title', { set: localized(set.title, language) })}</h3>
      <p className="muted">{t('targets.import.hint')}</p>
      {state.kind !== 'committed' && <FilePicker label={t('targets.import.file')} accept=".xlsx,.csv,.txt" onChange={(event) => void read(event.target.files?.[0])} />}
      {state.kind === 'reading' && <p>{t('targets.import.reading', { file: state.fileName })}</p>}
      {state.kind === 'refused' && (
        <p role="alert" className="error">
          {t(`targets.table.read.${state.code}`, { file: state.fileName })}
          {state.reason !== state.fileName && <span className="muted"> ({state.reason})</span>}
        </p>
      )}
      {state.kind === 'read' && !state.result.ok && (
        <div role="alert" className="error" data-testid="task-table-problems">
          <p>{t('targets.import.refused', { file: state.fileName, count: state.result.problems.length })}</p>
          <ul>
            {state.result.problems.map((problem, index) => (
              <li key={index}>
                {where(problem)}
                {t(`targets.table.${problem.code}`, problem.values)}
              </li>
            ))}
          </ul>
        </div>
      )}
      {state.kind === 'read' && state.result.ok && (
        <>
          <p data-testid="task-table-summary">
            {t(state.result.shape === 'per-target' ? 'targets.import.perTarget' : 'targets.import.perCounty', { count: state.result.targets.length, row: state.result.headerRow })}
            {state.encoding === 'gbk' && ` ${t('targets.import.gbk')}`}
          </p>
          <table className="task-table-preview" data-testid="task-table-preview">
            <thead>
              <tr>
                <th scope="col">{t('targets.import.row')}</th>
                <th scope="col">{t('targets.field.titleZh')}</th>
                <th scope="col">{t('targets.field.layer')}</th>
                <th scope="col">{t('targets.field.quantity')}</th>
                <th scope="col">{t('targets.field.deadline')}</th>
                <th scope="col">{t('targets.import.kind')}</th>
              </tr>
            </thead>
            <tbody>
              {state.result.targets.map(({ target, isNew, row }) => (
                <tr key={target.id}>
                  <td>{row}</td>
                  <td>{localized(target.title, language)}</td>
                  <td>{layerName(target.layerId)}</td>
                  <td>
                    {target.quantity === null ? '—' : formatNumber(target.quantity, language)} {localized(target.unit, language)}
                    {target.countySplit?.kind === 'table' && ` · ${t('targets.import.counties', { count: target.countySplit.rows.length })}`}
                  </td>
                  <td>{target.deadline}</td>
                  <td>{isNew ? t('targets.import.new') : t('targets.import.updated')}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {commitProblem !== null && (
            <p role="alert" className="error">
              {t('targets.import.commitFailed', { reason: commitProblem })}
            </p>
          )}
        </>
      )}
      {state.kind === 'committed' && <p role="status">{t('targets.import.done', { count: state.count })}</p>}
      <div className="actions">
        {state.kind === 'read' && state.result.ok && (
          <button type="button" disabled={committing} onClick={() => void commit(state.result as Extract<TaskTableResult, { ok: true }>)}>
            {t('targets.import.commit', { count: state.result.targets.length })}
          </button>
        )}
        <button type="button" onClick={onClose}>
          {state.kind === 'committed' ? t('targets.close') : t('targets.cancel')}
        </button>
      </div>
    </section>
  );
}
