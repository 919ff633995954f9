import { useState } from 'react';
import { createPortal } from 'react-dom';
import { useTranslation } from 'react-i18next';
import type { OneMapDatabase, StoreLossReport } from '../../db';
import { formatNumber } from '../../lib/localize';
import { BackupsPanel } from './BackupsPanel';
import { Banner } from '../../app/Banner';
import { useLanguage } from '../../lib/language';

/**
 * Shown at start-up when the store's data vanished since the last start (the browser emptied it:
 * db/store-loss.ts). Says so plainly, with what was expected and what is there, and opens the
 * backups dialog to restore; it never restores by itself.
 */
export function StoreLossNotice({ database, loss }: { database: OneMapDatabase; loss: StoreLossReport }) {
  const language = useLanguage();
  const { t } = useTranslation();
  const [dismissed, setDismissed] = useState(false);
  const [restoring, setRestoring] = useState(false);
  if (dismissed) return null;
  return (
    <Banner>
      <div className="store-loss notice error" role="alert" data-testid="store-loss">
        <p>
          {t('backup.storeLoss.message')}{' '}
          {loss.expectedSequence !== null &&
            t('backup.storeLoss.journal', { expected: formatNumber(loss.expectedSequence, language), found: formatNumber(loss.foundSequence, language) })}{' '}
          {loss.browserMessage !== null && t('backup.storeLoss.browser', { message: loss.browserMessage || '—' })}
        </p>
        <button type="button" onClick={() => setRestoring(true)}>
          {t('backup.storeLoss.restore')}
        </button>
        <button type="button" onClick={() => setDismissed(true)}>
          {t('backup.dismiss')}
        </button>
        {restoring && createPortal(<BackupsPanel database={database} onClose={() => setRestoring(false)} />, document.body)}
      </div>
    </Banner>
  );
}
