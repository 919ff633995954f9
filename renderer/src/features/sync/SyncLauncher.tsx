import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Geometry } from '../../../../shared/model';
import { useSyncConflicts, useUserName } from '../../db/sync-hooks';
import { useWorkspace } from '../../lib/workspace';
import { SyncDialog, type SyncMap } from './SyncDialog';
import { UserNameForm } from './UserNameForm';
import './sync.css';

export interface SyncLauncherProps {
  /** The map's handle (a getter: the handle appears after the map is built). */
  map: () => SyncMap | null;
}

/**
 * The 交换编辑 / Exchange edits button (with the number of conflicts waiting), the user's name
 * asked once, and the conflict flags on the map.
 */
export function SyncLauncher({ map }: SyncLauncherProps) {
  const { t } = useTranslation();
  const { database } = useWorkspace();
  const userName = useUserName(database);
  const conflicts = useSyncConflicts(database);
  const [open, setOpen] = useState(false);
  const count = conflicts?.length ?? 0;
  const mapGetter = useRef(map);
  useEffect(() => {
    mapGetter.current = map;
  });

  // Flag every feature with a conflict waiting (again once the map is ready).
  useEffect(() => {
    if (!conflicts) return;
    const geometries = conflicts
      .map((conflict) => conflict.detail.mine.feature?.geometry ?? conflict.detail.theirs.feature?.geometry ?? null)
      .filter((geometry): geometry is Geometry => geometry !== null);
    let timer: ReturnType<typeof setTimeout> | undefined;
    const apply = () => {
      if (mapGetter.current()?.setConflictFlags(geometries) !== true) timer = setTimeout(apply, 500);
    };
    apply();
    return () => clearTimeout(timer);
  }, [conflicts]);

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
      {open && <SyncDialog map={map} onClose={() => setOpen(false)} />}
    </div>
  );
}
