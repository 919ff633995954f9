import { useEffect, useState } from 'react';
import { createPortal } from 'react-dom';
import { useTranslation } from 'react-i18next';
import type { OneMapDatabase } from '../../db';
import { dailyBackupCheck, takeRestoredNotice } from './backup-service';
import { countTexts } from './format';
import { startDailyBackups } from './scheduler';
import { BackupsPanel } from './BackupsPanel';
import { Banner } from '../../app/Banner';
import './backup.css';
import { useLanguage } from '../../lib/language';

/**
 * The header's 备份 / Backups button with its dialog, the daily backup schedule while the app is
 * open, and the one-time notice after a restore reloaded the window.
 */
export function BackupsControl({ database }: { database: OneMapDatabase }) {
  const language = useLanguage();
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const [restored, setRestored] = useState(takeRestoredNotice);

  useEffect(
    () =>
      startDailyBackups({
        check: () => dailyBackupCheck(database),
        onError: (error) => console.warn('[backup] the daily backup failed; it is tried again within the hour:', error),
      }),
    [database],
  );

  return (
    <>
      {restored && (
        <Banner>
          <span className="backup-notice" role="status" data-testid="backup-restored">
            {t('backup.restoredNotice', {
              file: restored.fileName,
              counts: t('backup.counts', countTexts(t, restored.counts, language)),
            })}
            <button type="button" onClick={() => setRestored(null)}>
              {t('backup.dismiss')}
            </button>
          </span>
        </Banner>
      )}
      <button type="button" className="backups-button" onClick={() => setOpen(true)}>
        {t('backup.open')}
      </button>
      {/* In document.body, not in the header: the dialog takes none of the header's styles. */}
      {open && createPortal(<BackupsPanel database={database} onClose={() => setOpen(false)} />, document.body)}
    </>
  );
}
