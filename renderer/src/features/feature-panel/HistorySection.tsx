import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { restoreVersion, type FeatureHistoryEntry } from '../../db';
import { useFeatureHistory } from '../../db/undo-hooks';
import { useWorkspace } from '../../app/workspace';
import type { Feature, LayerDefinition } from '../../../../shared/model';
import { localized } from '../../app/localize';
import { useValueFormat, type ValueFormat } from '../../app/value-format';

/** What changed between two versions, as "field: before → after" lines, every value as its field shows it. */
function differences(layer: LayerDefinition, before: Feature | null, after: Feature | null, format: ValueFormat, t: (key: string) => string): string[] {
  if (!before || !after) return [];
  const language = format.options.language;
  const lines: string[] = [];
  const line = (label: string, member: string, from: unknown, to: unknown) => lines.push(`${label}: ${format.member(layer, member, from)} → ${format.member(layer, member, to)}`);
  if (before.status !== after.status) line(localized(layer.status.label, language), 'status', before.status, after.status);
  if (before.county !== after.county) line(t('feature.county'), 'county', before.county, after.county);
  for (const field of layer.fields) {
    const from = before.properties[field.key];
    const to = after.properties[field.key];
    if (from !== to) line(localized(field.label, language), `properties.${field.key}`, from, to);
  }
  if (JSON.stringify(before.geometry) !== JSON.stringify(after.geometry)) lines.push(t('editing.history.geometry'));
  return lines;
}

/** Who changed the feature, when, before/after; any earlier version can be restored (journaled and undoable). */
export function HistorySection({ layer, featureId, language }: { layer: LayerDefinition; featureId: string; language: string }) {
  const { t } = useTranslation();
  const workspace = useWorkspace();
  const format = useValueFormat();
  const history = useFeatureHistory(workspace.database, layer.id, featureId);
  const [message, setMessage] = useState<string | null>(null);

  const restore = async (entry: FeatureHistoryEntry) => {
    setMessage(null);
    try {
      await restoreVersion(workspace.database, { layerId: layer.id, featureId, journalEntryId: entry.id, author: workspace.identity.deviceId });
      setMessage(t('history.restored'));
    } catch (error) {
      setMessage(t('history.failed', { reason: error instanceof Error ? error.message : String(error) }));
    }
  };

  return (
    <details className="history">
      <summary>{t('history.heading', { count: history?.length ?? 0 })}</summary>
      {history && history.length === 0 && <p className="muted">{t('history.empty')}</p>}
      <ol className="history-list" reversed>
        {[...(history ?? [])].reverse().map((entry, index) => (
          <li key={entry.id} data-testid="history-entry">
            <div className="history-head">
              <strong>{t(`history.operation.${entry.operation}`)}</strong>
              {entry.cause !== 'edit' && <span className="muted"> · {t(`history.cause.${entry.cause}`)}</span>}
              <span className="muted"> · {new Date(entry.time).toLocaleString(language === 'en' ? 'en-US' : 'zh-CN')}</span>
            </div>
            <div className="muted">
              {t('history.by', { author: entry.author.slice(0, 8), device: entry.device.slice(0, 8) })}
              {entry.note ? ` · ${entry.note}` : ''}
            </div>
            <ul className="history-diff">
              {differences(layer, entry.before, entry.after, format, t).map((line) => (
                <li key={line}>{line}</li>
              ))}
            </ul>
            {index > 0 && entry.after && (
              <button type="button" className="link" onClick={() => void restore(entry)}>
                {t('history.restore')}
              </button>
            )}
          </li>
        ))}
      </ol>
      {message && <p role="status">{message}</p>}
    </details>
  );
}
