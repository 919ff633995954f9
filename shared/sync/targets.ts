// Target and target-set changes between devices: every put and remove of a target or a set
// travels in every edit package (`target-changes.json`, all the exporter knows: they are few and
// small, and importing one twice changes nothing). Each target and each set is one register,
// decided the same way on every device whatever order the changes arrive in: the latest change
// (by time, then id) — the whole definition, or its removal.
import { z } from 'zod';
import { targetSchema, targetSetSchema, timestampSchema, type Target, type TargetSet } from '../model';

export const targetChangeSchema = z.strictObject({
  /** Its author's `layerJournal` record id. */
  id: z.string().min(1),
  kind: z.enum(['target', 'set']),
  /** The target's or the set's id. */
  key: z.string().min(1),
  /** The definition after the change; null: removed. */
  target: targetSchema.nullable().optional(),
  set: targetSetSchema.nullable().optional(),
  author: z.string().min(1),
  authorName: z.string().optional(),
  device: z.string().min(1),
  time: timestampSchema,
});

export interface TargetChange {
  id: string;
  kind: 'target' | 'set';
  key: string;
  target?: Target | null;
  set?: TargetSet | null;
  author: string;
  authorName?: string;
  device: string;
  time: string;
}

const later = (left: TargetChange, right: TargetChange): boolean => (left.time !== right.time ? left.time > right.time : left.id > right.id);

/** The latest change of each target and set (`<kind>:<key>` → change), as every device decides it. */
export function targetRegisters(changes: Iterable<TargetChange>): Map<string, TargetChange> {
  const registers = new Map<string, TargetChange>();
  for (const change of changes) {
    const key = `${change.kind}:${change.key}`;
    const current = registers.get(key);
    if (current === undefined || later(change, current)) registers.set(key, change);
  }
  return registers;
}

/** Checks the content of `target-changes.json`; returns the issue's path and message, or the changes. */
export function parseTargetChanges(json: unknown): { changes: TargetChange[] } | { path: (string | number)[]; message: string } {
  const parsed = z.array(targetChangeSchema).safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { path: (issue?.path ?? []).map((part) => (typeof part === 'symbol' ? String(part) : part)), message: issue?.message ?? 'invalid' };
  }
  for (const [index, change] of parsed.data.entries()) {
    const value = change.kind === 'target' ? change.target : change.set;
    if (value === undefined) return { path: [index, change.kind], message: `a ${change.kind} change needs its ${change.kind} (null: removed)` };
    if (value !== null && value.id !== change.key) return { path: [index, change.kind, 'id'], message: `not ${change.key}` };
  }
  return { changes: parsed.data as TargetChange[] };
}
