import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { oneMapErrorData, type OneMapErrorData } from '../../../../shared/errors';
import { ErrorNotice, failure, type Failure } from '../errors';
import type { BackupCounts, BackupEntry, BackupList } from '../../../../shared/ipc/backups';
import type { OneMapDatabase } from '../../db';
import { currentPlatform } from '../../platform';
import {
  commitRestore,
  discardRestore,
  downloadCurrentState,
  downloadStoredBackup,
  onBackupsChanged,
  prepareRestore,
  RESTORE_LABEL_PREFIX,
  writeBackup,
  type PreparedRestore,
  type RestoreSource,
} from './backup-service';
import type { BackupFileRefusal } from './backup-file';
import { countTexts, formatBackupSize, formatBackupTime } from './format';
import './backup.css';
import { useLanguage } from '../../lib/language';

type Work = 'backup' | 'inspect' | 'restore' | 'download' | 'delete';
type Message = { kind: 'ok'; text: string } | { kind: 'error'; text: string } | { kind: 'failed'; failure: Failure };

export interface BackupsPanelProps {
  database: OneMapDatabase;
  onClose(): void;
  /** After a restore: reload every view (the window by default). */
  onRestored?(): void;
}

/** 备份 / Backups: the stored backups, back up now, restore (with a confirmation), download, restore from a file. */
export function BackupsPanel({ database, onClose, onRestored = () => window.location.reload() }: BackupsPanelProps) {
  const language = useLanguage();
  const { t } = useTranslation();
  const [list, setList] = useState<BackupList | null>(null);
  const [listError, setListError] = useState<OneMapErrorData | null>(null);
  const [work, setWork] = useState<Work | null>(null);
  const [message, setMessage] = useState<Message | null>(null);
  const [pending, setPending] = useState<PreparedRestore | null>(null);
  const fileInput = useRef<HTMLInputElement>(null);

  const counts = useCallback(
    (value: BackupCounts) =>
      t('backup.counts', countTexts(t, value, language)),
    [t, language],
  );

  const refresh = useCallback(() => {
    currentPlatform()
      .api.listBackups()
      .then(
        (next) => {
          setList(next);
          setListError(null);
        },
        (error: unknown) => setListError(oneMapErrorData(error)),
      );
  }, []);

  useEffect(() => {
    refresh();
    return onBackupsChanged(refresh);
  }, [refresh]);

  const run = async (kind: Work, job: () => Promise<string | null>) => {
    setWork(kind);
    setMessage(null);
    try {
      const text = await job();
      if (text !== null) setMessage({ kind: 'ok', text });
    } catch (error) {
      setMessage({ kind: 'failed', failure: failure(error, (reason) => t('backup.failed', { reason })) });
    } finally {
      setWork(null);
      refresh();
    }
  };

  // The label of the copy a restore keeps first is written by backup-service.ts as `restore: <file>`.
  const labelText = (label: string) => (label.startsWith(RESTORE_LABEL_PREFIX) ? t('backup.labelRestore', { file: label.slice(RESTORE_LABEL_PREFIX.length) }) : label);

  const refusalText = (refusal: BackupFileRefusal) =>
    t('backup.refused', { file: refusal.fileName, cause: t(`backup.cause.${refusal.problem}`), detail: refusal.detail });

  const askRestore = (source: RestoreSource) =>
    run('inspect', async () => {
      const outcome = await prepareRestore(database, source);
      if (!outcome.ok) {
        setMessage({ kind: 'error', text: refusalText(outcome.refusal) });
        return null;
      }
      setPending(outcome.prepared);
      return null;
    });

  const cancelRestore = () => {
    if (pending) discardRestore(pending);
    setPending(null);
  };

  const confirmRestore = (prepared: PreparedRestore) =>
    run('restore', async () => {
      setPending(null);
      await commitRestore(database, prepared);
      onRestored();
      return null;
    });

  const close = () => {
    cancelRestore();
    onClose();
  };

  const location = list?.location ?? null;
  const busy = work !== null;

  return (
    <div className="dialog-backdrop">
      <section className="dialog backups-dialog" role="dialog" aria-modal="true" aria-label={t('backup.heading')}>
        <h2>{t('backup.heading')}</h2>
        {location && <p className="muted" data-testid="backup-location">{t(`backup.location.${location}`)}</p>}
        <div className="dialog-buttons backups-actions">
          {location !== 'unavailable' && (
            <button type="button" disabled={busy || location === null} onClick={() => void run('backup', async () => t('backup.backedUp', { size: formatBackupSize((await writeBackup(database, 'manual')).sizeBytes, language) }))}>
              {t('backup.backUpNow')}
            </button>
          )}
          <button type="button" disabled={busy} onClick={() => void run('download', async () => (await downloadCurrentState(database), t('backup.downloaded')))}>
            {t('backup.downloadCurrent')}
          </button>
          <button type="button" disabled={busy} onClick={() => fileInput.current?.click()}>
            {t('backup.restoreFromFile')}
          </button>
          <input
            ref={fileInput}
            type="file"
            accept=".gz,.json,application/gzip,application/json"
            aria-label={t('backup.restoreFromFile')}
            className="visually-hidden"
            onChange={(event) => {
              const file = event.target.files?.[0];
              event.target.value = '';
              if (file) void askRestore({ kind: 'file', file });
            }}
          />
        </div>

        <p role="status" data-testid="backup-status" className="backups-status">
          {work !== null ? t(`backup.working.${work}`) : message?.kind === 'ok' ? message.text : ''}
        </p>
        {message?.kind === 'error' && (
          <p role="alert" className="notice error backups-error" data-testid="backup-error">
            {message.text}
          </p>
        )}
        {message?.kind === 'failed' && (
          <ErrorNotice className="notice error backups-error" testId="backup-error" error={message.failure.error} frame={message.failure.frame} />
        )}

        {pending && (
          <div role="alertdialog" aria-label={t('backup.confirm.heading')} data-testid="backup-confirm" className="backups-confirm">
            <h3>{t('backup.confirm.heading')}</h3>
            <p>
              {t('backup.confirm.replace', {
                file: pending.fileName,
                time: formatBackupTime(pending.createdAt, language),
                backupCounts: counts(pending.counts),
                currentCounts: counts(pending.current),
              })}
            </p>
            <p className="muted">{t(location === 'unavailable' ? 'backup.confirm.noSafety' : 'backup.confirm.safety')}</p>
            <div className="dialog-buttons">
              <button type="button" onClick={() => void confirmRestore(pending)}>
                {t('backup.confirm.go')}
              </button>
              <button type="button" onClick={cancelRestore}>
                {t('backup.confirm.cancel')}
              </button>
            </div>
          </div>
        )}

        {listError !== null ? (
          <ErrorNotice className="notice error" error={listError} frame={(reason) => t('backup.listFailed', { reason })} />
        ) : list === null ? (
          <p className="muted">{t('backup.loading')}</p>
        ) : list.location === 'unavailable' ? null : list.backups.length === 0 && list.damaged.length === 0 ? (
          <p className="muted">{t('backup.empty')}</p>
        ) : (
          <table className="backups-table">
            <thead>
              <tr>
                <th className="left">{t('backup.columns.time')}</th>
                <th className="left">{t('backup.columns.reason')}</th>
                <th>{t('backup.columns.size')}</th>
                <th className="left">{t('backup.columns.content')}</th>
                <th>{t('backup.columns.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {list.backups.map((entry: BackupEntry) => (
                <tr key={entry.id} data-testid="backup-row" data-backup-id={entry.id} data-reason={entry.reason}>
                  <td className="left">{formatBackupTime(entry.createdAt, language)}</td>
                  <td className="left">
                    {t(`backup.reason.${entry.reason}`)}
                    {entry.label !== null && <div className="muted">{labelText(entry.label)}</div>}
                  </td>
                  <td>{formatBackupSize(entry.sizeBytes, language)}</td>
                  <td className="left" data-testid="backup-counts">
                    {counts(entry.counts)}
                  </td>
                  <td className="nowrap">
                    <button type="button" className="link" disabled={busy} onClick={() => void askRestore({ kind: 'stored', entry })}>
                      {t('backup.restore')}
                    </button>{' '}
                    <button type="button" className="link" disabled={busy} onClick={() => void run('download', async () => (await downloadStoredBackup(entry), t('backup.downloaded')))}>
                      {t('backup.download')}
                    </button>{' '}
                    <button type="button" className="link" disabled={busy} onClick={() => void run('delete', async () => (await currentPlatform().api.deleteBackup(entry.id), t('backup.deleted')))}>
                      {t('backup.delete')}
                    </button>
                  </td>
                </tr>
              ))}
              {list.damaged.map((entry) => (
                <tr key={entry.id} data-testid="backup-damaged">
                  <td className="left" colSpan={2}>
                    {entry.id}
                  </td>
                  <td>{formatBackupSize(entry.sizeBytes, language)}</td>
                  <td className="left">{t('backup.damaged', { problem: entry.problem })}</td>
                  <td>
                    <button type="button" className="link" disabled={busy} onClick={() => void run('delete', async () => (await currentPlatform().api.deleteBackup(entry.id), t('backup.deleted')))}>
                      {t('backup.delete')}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}

        <div className="dialog-buttons backups-close">
          <button type="button" onClick={close}>
            {t('backup.close')}
          </button>
        </div>
      </section>
    </div>
  );
}
