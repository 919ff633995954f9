import { useCallback } from 'react';
import { transact } from '../db';
import type { Change, CommittedChange } from '../db';
import { useWorkspace } from './workspace';

/** A change as a component makes it: the workspace supplies the database and the author. */
export type WorkspaceChange = Omit<Change, 'author'>;

/** `transact` on the open workspace, as this installation's device (the one way components write). */
export function useTransact(): (change: WorkspaceChange) => Promise<CommittedChange> {
  const { database, identity } = useWorkspace();
  return useCallback((change: WorkspaceChange) => transact(database, { ...change, author: identity.deviceId }), [database, identity.deviceId]);
}
