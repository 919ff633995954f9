// The status line of a draw/edit on the map: what to do (role="status"), why the last step was
// refused (role="alert"), and Finish / Cancel buttons for a touch screen (Enter and Esc do the same).
import { useTranslation } from 'react-i18next';
import { useEditingState } from './editing-state';
import './editing-status.css';

export function EditingStatusLine({ onFinish, onCancel }: { onFinish(): void; onCancel(): void }) {
  const { t } = useTranslation();
  const { session, problem } = useEditingState();
  if (!session) return null;
  const hint = session.kind === 'edit' ? t('editing.hint.edit') : t(`editing.hint.${session.drawKind}`);
  return (
    <div className="editing-status" data-testid="editing-status">
      <p role="status" className="editing-hint">
        {hint}
      </p>
      {problem && (
        <p role="alert" className="editing-problem" data-testid="editing-problem">
          {t(`editing.problem.${problem.code}`)}
        </p>
      )}
      <div className="editing-buttons">
        {!(session.kind === 'draw' && session.drawKind === 'point') && (
          <button type="button" onClick={onFinish}>
            {t('editing.finish')}
          </button>
        )}
        <button type="button" onClick={onCancel}>
          {t('editing.cancel')}
        </button>
      </div>
    </div>
  );
}
