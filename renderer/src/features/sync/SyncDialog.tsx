import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { EDIT_PACKAGE_EXTENSION } from '../../../../shared/sync';
import { exportEditPackage, importEditPackage } from '../../db';
import { ErrorNotice, failure, type Failure } from '../errors';
import { useSyncConflicts, useSyncPeers, useUserName } from '../../db/sync-hooks';
import { useWorkspace } from '../../lib/workspace';
import { countPhrase } from '../../lib/localize';
import { saveDownload } from '../export';
import { ConflictReview } from './ConflictReview';
import { HubConflictReview } from './HubConflictReview';
import { useHubConflicts } from '../../db';
import { UserNameForm } from './UserNameForm';
import { FilePicker } from '../../app/FilePicker';
import { useLanguage } from '../../lib/language';

type Status = { kind: 'idle' } | { kind: 'working' } | { kind: 'done'; text: string } | { kind: 'failed'; failure: Failure };

export function SyncDialog({ onClose }: { onClose(): void }) {
  const language = useLanguage();
  const { t } = useTranslation();
  const workspace = useWorkspace();
  const { database } = workspace;
  const userName = useUserName(database);
  const peers = useSyncPeers(database) ?? [];
  const conflicts = useSyncConflicts(database) ?? [];
  const hubConflicts = useHubConflicts(database) ?? [];
  // Opens on the queue when conflicts wait (also when they are read after the first render).
  const [chosenTab, setTab] = useState<'exchange' | 'queue' | null>(null);
  const tab = chosenTab ?? (conflicts.length + hubConflicts.length > 0 ? 'queue' : 'exchange');
  const [renaming, setRenaming] = useState(false);
  const [mode, setMode] = useState<'peer' | 'since' | 'all'>('all');
  const [peer, setPeer] = useState('');
  const [since, setSince] = useState(workspace.asOf);
  const [exportStatus, setExportStatus] = useState<Status>({ kind: 'idle' });
  const [importStatus, setImportStatus] = useState<Status>({ kind: 'idle' });
  const chosenPeer = peer || peers[0]?.deviceId || '';

  const runExport = async () => {
    setExportStatus({ kind: 'working' });
    try {
      const exported = await exportEditPackage(database, mode === 'peer' ? { peer: chosenPeer } : mode === 'since' ? { since: new Date(`${since}T00:00:00`) } : { all: true });
      const { counts } = exported.manifest;
      if (counts.versions === 0) {
        setExportStatus({ kind: 'done', text: t('sync.export.empty') });
        return;
      }
      saveDownload(exported.fileName, exported.bytes, 'application/zip');
      setExportStatus({ kind: 'done', text: t('sync.export.done', {
            file: exported.fileName,
            versions: counts.versions,
            features: counts.features,
            photos: counts.photos,
            versionsText: countPhrase(t, 'version', counts.versions, language),
            featuresText: countPhrase(t, 'feature', counts.features, language),
            photosText: countPhrase(t, 'photo', counts.photos, language),
          }) });
    } catch (error) {
      setExportStatus({ kind: 'failed', failure: failure(error, (message) => t('sync.export.failed', { message })) });
    }
  };

  const runImport = async (file: File) => {
    setImportStatus({ kind: 'working' });
    try {
      const report = await importEditPackage(database, new Uint8Array(await file.arrayBuffer()));
      const { renamed, removed, restored, heldBack } = report.layers;
      const layerText = [
        ...(renamed.length + removed.length + restored.length > 0 ? [t('layerSync.report', { renamed: renamed.length, removed: removed.length, restored: restored.length })] : []),
        ...heldBack.map((layer) => t('layerSync.heldBack', { layerId: layer.layerId, count: layer.features })),
      ].join(' ');
      const text =
        report.versions.received === 0 && layerText === ''
          ? t('sync.import.nothingNew')
          : t('sync.import.done', {
              name: report.source.userName ?? report.source.device.slice(0, 8),
              received: report.versions.received,
              duplicates: report.versions.duplicates,
              applied: report.applied,
              fields: report.fields,
              merged: report.merged,
              fieldsText: countPhrase(t, 'field', report.fields, language),
              receivedText: countPhrase(t, 'version', report.versions.received, language),
              appliedText: countPhrase(t, 'feature', report.applied, language),
            }) +
            (report.conflicts > 0
              ? t('sync.import.conflicts', {
                  conflicts: report.conflicts,
                  fields: report.conflictFields,
                  conflictsText: countPhrase(t, 'feature', report.conflicts, language),
                  fieldsText: countPhrase(t, 'field', report.conflictFields, language),
                })
              : t('sync.import.noConflicts')) +
            (layerText ? ` ${layerText}` : '');
      setImportStatus({ kind: 'done', text });
      if (report.conflicts > 0) setTab('queue');
    } catch (error) {
      setImportStatus({ kind: 'failed', failure: failure(error, (message) => t('sync.import.failed', { message })) });
    }
  };

  const statusLine = (status: Status, testId: string) =>
    status.kind === 'failed' ? (
      <ErrorNotice className="sync-status sync-error" testId={testId} error={status.failure.error} frame={status.failure.frame} />
    ) : (
      <p className="sync-status" role="status" data-testid={testId}>
        {status.kind === 'working' ? '…' : status.kind === 'done' ? status.text : ''}
      </p>
    );

  return (
    <div className="dialog-backdrop sync-dialog-backdrop">
      <div className="dialog sync-dialog" role="dialog" aria-modal="false" aria-label={t('sync.heading')}>
        <h2>{t('sync.heading')}</h2>
        {renaming || userName === null ? (
          <UserNameForm initial={userName ?? ''} onDone={() => setRenaming(false)} />
        ) : (
          <p className="muted">
            {t('sync.identity.you', { name: userName ?? t('sync.identity.unnamed'), device: workspace.identity.deviceId.slice(0, 8) })}{' '}
            <button type="button" onClick={() => setRenaming(true)}>
              {t('sync.identity.rename')}
            </button>
          </p>
        )}
        <div role="tablist" className="tabs">
          <button type="button" role="tab" aria-selected={tab === 'exchange'} onClick={() => setTab('exchange')}>
            {t('sync.tabs.exchange')}
          </button>
          <button type="button" role="tab" aria-selected={tab === 'queue'} onClick={() => setTab('queue')}>
            {t('sync.tabs.queue', { count: conflicts.length + hubConflicts.length })}
          </button>
        </div>
        {tab === 'exchange' ? (
          <>
            <section aria-label={t('sync.export.heading')}>
              <h3>{t('sync.export.heading')}</h3>
              <fieldset>
                <label>
                  <input type="radio" name="sync-mode" checked={mode === 'peer'} disabled={peers.length === 0} onChange={() => setMode('peer')} /> {t('sync.export.forPeer')}{' '}
                  {peers.length === 0 ? (
                    <span className="muted">（{t('sync.export.noPeers')}）</span>
                  ) : (
                    <select value={chosenPeer} onChange={(event) => setPeer(event.target.value)} disabled={mode !== 'peer'}>
                      {peers.map((candidate) => (
                        <option key={candidate.deviceId} value={candidate.deviceId}>
                          {candidate.userName ?? candidate.deviceId.slice(0, 8)}
                        </option>
                      ))}
                    </select>
                  )}
                </label>
                <label>
                  <input type="radio" name="sync-mode" checked={mode === 'since'} onChange={() => setMode('since')} /> {t('sync.export.since')}{' '}
                  <input type="date" value={since} onChange={(event) => setSince(event.target.value)} disabled={mode !== 'since'} />
                </label>
                <label>
                  <input type="radio" name="sync-mode" checked={mode === 'all'} onChange={() => setMode('all')} /> {t('sync.export.all')}
                </label>
              </fieldset>
              <button type="button" onClick={() => void runExport()} disabled={exportStatus.kind === 'working'}>
                {t('sync.export.button')}
              </button>
              {statusLine(exportStatus, 'sync-export-status')}
            </section>
            <section aria-label={t('sync.import.heading')}>
              <h3>{t('sync.import.heading')}</h3>
              <FilePicker
                label={t('sync.import.choose')}
                accept={`${EDIT_PACKAGE_EXTENSION},application/zip`}
                disabled={importStatus.kind === 'working'}
                onChange={(event) => {
                  const file = event.target.files?.[0];
                  event.target.value = '';
                  if (file) void runImport(file);
                }}
              />
              {statusLine(importStatus, 'sync-import-status')}
            </section>
          </>
        ) : (
          <>
            {hubConflicts.length > 0 && <HubConflictReview conflicts={hubConflicts} />}
            {(conflicts.length > 0 || hubConflicts.length === 0) && <ConflictReview conflicts={conflicts} />}
          </>
        )}
        <div className="dialog-buttons">
          <button type="button" onClick={onClose}>
            {t('sync.close')}
          </button>
        </div>
      </div>
    </div>
  );
}
