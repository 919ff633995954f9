import { useTranslation } from 'react-i18next';
import { useHubPendingFeatureKeys } from '../../db';
import { useWorkspace } from '../../lib/workspace';

/** "尚未上传到团队库" on a feature with a change the hub does not have yet (hub workspaces only). */
export function NotOnHubMark({ layerId, featureId }: { layerId: string; featureId: string }) {
  const { hub } = useWorkspace();
  // The local workspace has no outbox: its journal is never scanned for one.
  return hub === null ? null : <PendingMark layerId={layerId} featureId={featureId} />;
}

function PendingMark({ layerId, featureId }: { layerId: string; featureId: string }) {
  const { t } = useTranslation();
  const { database } = useWorkspace();
  const pending = useHubPendingFeatureKeys(database);
  if (!pending?.has(`${layerId}\u0000${featureId}`)) return null;
  return (
    <p className="hub-pending" data-testid="hub-pending-mark">
      {t('hub.pending')}
    </p>
  );
}
