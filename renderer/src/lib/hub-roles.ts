// Who may change definitions (layer definitions, target sets, targets) in the open workspace: anyone
// in a local workspace; in a hub workspace planners and admins (the hub refuses surveyors), so a
// surveyor's editors stay read-only with a notice.
import { useHubSession } from '../db';
import { useWorkspace } from './workspace';

/** True when the open workspace's definitions are read-only for this user (a surveyor, or a hub session not yet known). */
export function useDefinitionsReadOnly(): boolean {
  const { database, hub } = useWorkspace();
  const session = useHubSession(database);
  if (hub === null) return false;
  const role = session?.user.role;
  return role !== 'planner' && role !== 'admin';
}
