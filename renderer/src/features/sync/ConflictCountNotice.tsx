import { useTranslation } from 'react-i18next';
import { useSyncConflicts } from '../../db/sync-hooks';
import { useWorkspace } from '../../lib/workspace';
import { useHubConflicts } from '../../db';

/** "N edit conflicts to review" — for the dashboards; nothing when there is none. */
export function ConflictCountNotice() {
  const { t } = useTranslation();
  const { database } = useWorkspace();
  const conflicts = useSyncConflicts(database);
  const hubConflicts = useHubConflicts(database);
  // Conflicts from edit packages and from the team hub wait in the same review queue.
  const count = (conflicts?.length ?? 0) + (hubConflicts?.length ?? 0);
  if (count === 0) return null;
  return (
    <p className="notice sync-conflict-notice" role="status" data-testid="sync-conflict-count">
      {t('sync.dashboardNotice', { count })}
    </p>
  );
}
