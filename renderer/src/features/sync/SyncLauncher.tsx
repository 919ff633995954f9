import { lazy, Suspense, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Geometry } from '../../../../shared/model';
import { useSyncConflicts, useUserName } from '../../db/sync-hooks';
import { useWorkspace } from '../../lib/workspace';
import { useHubConflicts } from '../../db';
import { useMapController } from '../../map/map-controller';
import { afterMapDrawn } from '../../lib/first-draw';
import { UserNameForm } from './UserNameForm';
import './sync.css';

// Not in the start-up code: loaded after the map's first draw.
const loadDialog = () => import('./SyncDialog');
const SyncDialog = lazy(() => loadDialog().then((module) => ({ default: module.SyncDialog })));
void afterMapDrawn().then(loadDialog);

/**
 * The 交换编辑 / Exchange edits button (with the number of conflicts waiting), the user's name
 * asked once, and the conflict flags on the map.
 */
export function SyncLauncher() {
  const { t } = useTranslation();
  const { database } = useWorkspace();
  const userName = useUserName(database);
  const conflicts = useSyncConflicts(database);
  const [open, setOpen] = useState(false);
  const hubConflicts = useHubConflicts(database);
  const count = (conflicts?.length ?? 0) + (hubConflicts?.length ?? 0);
  const map = useMapController();

  // Flag every feature with a conflict waiting (again once the map is ready).
  useEffect(() => {
    if (!conflicts) return;
    const geometries = conflicts
      .map((conflict) => conflict.detail.mine.feature?.geometry ?? conflict.detail.theirs.feature?.geometry ?? null)
      .filter((geometry): geometry is Geometry => geometry !== null);
    let timer: ReturnType<typeof setTimeout> | undefined;
    const apply = () => {
      if (!map.setConflictFlags(geometries)) timer = setTimeout(apply, 500);
    };
    apply();
    return () => clearTimeout(timer);
  }, [conflicts, map]);

  return (
    <div className="sync-launch">
      <button type="button" title={t('sync.openHint')} onClick={() => setOpen(true)} disabled={open}>
        {t('sync.open')}
        {count > 0 && (
          <span className="sync-badge" aria-label={t('sync.conflictBadge', { count })}>
            {count}
          </span>
        )}
      </button>
      {userName === null && <UserNameForm />}
      {open && (
        <Suspense fallback={null}>
          <SyncDialog onClose={() => setOpen(false)} />
        </Suspense>
      )}
    </div>
  );
}
