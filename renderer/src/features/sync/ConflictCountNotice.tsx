import { useTranslation } from 'react-i18next';
import { useSyncConflicts } from '../../db/sync-hooks';
import { useWorkspace } from '../../lib/workspace';

/** "N edit conflicts to review" — for the dashboards; nothing when there is none. */
export function ConflictCountNotice() {
  const { t } = useTranslation();
  const { database } = useWorkspace();
  const conflicts = useSyncConflicts(database);
  if (!conflicts || conflicts.length === 0) return null;
  return (
    <p className="notice sync-conflict-notice" role="status" data-testid="sync-conflict-count">
      {t('sync.dashboardNotice', { count: conflicts.length })}
    </p>
  );
}
