// Which target set (year) the dashboards and the 目标管理 view show: one choice per workspace,
// remembered in localStorage (it names no secret) and shared by every component that reads it.
import { useMemo, useSyncExternalStore } from 'react';
import { listTargetSets, type TargetSet } from '../../../../shared/model';
import { useStoredTargetSets } from '../../db/hooks';
import { useWorkbenchData } from '../../lib/workbench-data';
import { useWorkspace } from '../../lib/workspace';

const keyOf = (databaseName: string): string => `onemap:target-set:${databaseName}`;
const listeners = new Set<() => void>();

function readChoice(databaseName: string): string | null {
  try {
    return localStorage.getItem(keyOf(databaseName));
  } catch {
    return null; // storage refused (private mode): the default set
  }
}

export function writeChoice(databaseName: string, setId: string): void {
  try {
    localStorage.setItem(keyOf(databaseName), setId);
  } catch {
    // Not remembered; still chosen for this window below.
  }
  for (const listener of listeners) listener();
}

const subscribe = (listener: () => void): (() => void) => {
  listeners.add(listener);
  window.addEventListener('storage', listener);
  return () => {
    listeners.delete(listener);
    window.removeEventListener('storage', listener);
  };
};

export interface ChosenTargetSet {
  /** Every set of the workspace, by year. */
  sets: TargetSet[];
  /** The chosen one: remembered, else the set of the workspace's date's year, else the latest; null when there is none. */
  set: TargetSet | null;
  choose(setId: string): void;
}

export function useChosenTargetSet(): ChosenTargetSet {
  const { database, asOf } = useWorkspace();
  const { targets } = useWorkbenchData();
  const stored = useStoredTargetSets(database);
  const choice = useSyncExternalStore(subscribe, () => readChoice(database.name));
  return useMemo(() => {
    const sets = listTargetSets(stored ?? [], targets);
    const year = Number(asOf.slice(0, 4));
    const set = sets.find((candidate) => candidate.id === choice) ?? sets.find((candidate) => candidate.year === year) ?? sets.at(-1) ?? null;
    return { sets, set, choose: (setId: string) => writeChoice(database.name, setId) };
  }, [stored, targets, choice, asOf, database.name]);
}
