import { useCallback, useEffect, useState } from 'react';
import { listLocalWorkspaces, setCurrentLocalWorkspace } from '../../db';
import type { WorkspaceDefinition } from '../../../../shared/workspace';
import { defaultWorkspace, useSwitchWorkspace } from '../../lib/workspace';
import { writeHubPointer } from '../../lib/hub-workspace';

/** The default workspace and the ones made on this computer, and the switch to one of them. */
export function useWorkspaceList(): { workspaces: WorkspaceDefinition[] | null; switchTo(id: string): Promise<void> } {
  const [workspaces, setWorkspaces] = useState<WorkspaceDefinition[] | null>(null);
  const switchWorkspace = useSwitchWorkspace();
  useEffect(() => {
    let live = true;
    void listLocalWorkspaces().then((local) => live && setWorkspaces([defaultWorkspace, ...local]));
    return () => {
      live = false;
    };
  }, []);
  const switchTo = useCallback(
    async (id: string) => {
      await setCurrentLocalWorkspace(id === defaultWorkspace.id ? null : id);
      // A local workspace chosen: the next start opens it, not the hub (signing in returns there).
      writeHubPointer(null);
      switchWorkspace(null);
    },
    [switchWorkspace],
  );
  return { workspaces, switchTo };
}
