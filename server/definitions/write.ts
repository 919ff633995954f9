// Writing a layer definition, a target set or a target (docs/HUB-API.md "Definitions"): one
// transaction each. Optimistic: the writer names the version it saw (`baseVersion`, 0 for none);
// another version on the hub is a 409 `version-conflict` carrying the hub's record, and nothing is
// written. Idempotent: the change id is claimed in hub.applied_changes with the answer, so the same
// request sent again gets the stored answer. The triggers of migration 5 write the history; the one
// of migration 2 regenerates the QGIS views when a layer changes.
import type { Pool, PoolClient } from 'pg';
import { canonicalJson } from '../../shared/sync';
import {
  definitionChangeProblems,
  definitionProblems,
  targetIssues,
  targetSetIdOf,
  type LayerDefinition,
  type PropertyValue,
  type Target,
  type TargetSet,
} from '../../shared/model';
import type { HubUser } from '../auth/user';
import { HubError } from '../errors';
import { inTransaction } from '../db/transaction';
import { claimChange, requestHash, storeAnswer } from '../push/idempotency';
import { DEFINITION_TABLES, lockDefinition, readDefinitions, recordOf, type DefinitionKind, type DefinitionRow } from './records';

export interface DefinitionWrite {
  kind: DefinitionKind;
  id: string;
  changeId: string;
  baseVersion: number;
  device?: string | undefined;
  /** The new value; null deletes. */
  value: LayerDefinition | TargetSet | Target | null;
}

const NAMES: Record<DefinitionKind, string> = { layer: 'layer', 'target-set': 'target set', target: 'target' };
/** Where the value sits in the request body (for the field a 400 names). */
const BODY_FIELDS: Record<DefinitionKind, string> = { layer: 'definition', 'target-set': 'set', target: 'target' };
const ANSWER_KEYS: Record<DefinitionKind, string> = { layer: 'layer', 'target-set': 'targetSet', target: 'target' };

/** Only planners and admins define layers and targets. */
export function checkDefinitionRole(user: HubUser, kind: DefinitionKind): void {
  if (user.role === 'planner' || user.role === 'admin') return;
  throw new HubError(403, 'forbidden-role', `role "${user.role}" may not change ${NAMES[kind]}s: planners and admins only`, { role: user.role });
}

const invalid = (kind: DefinitionKind, path: string, message: string, details: Record<string, unknown> = {}): HubError => {
  const field = ['body', BODY_FIELDS[kind], ...path.split('.').filter((part) => part !== '')].join('/');
  return new HubError(400, 'invalid-request', `${field} ${message}`, { field, ...details });
};

async function liveFeatures(client: PoolClient, layerId: string): Promise<{ status: string; properties: Record<string, PropertyValue> }[]> {
  return (await client.query<{ status: string; properties: Record<string, PropertyValue> }>('SELECT status, properties FROM hub.features WHERE layer_id = $1 AND NOT deleted', [layerId])).rows;
}

/** Throws the 400 (or 409) that refuses the write, naming the field; returns when it may be made. */
async function validate(client: PoolClient, write: DefinitionWrite, row: DefinitionRow | null): Promise<void> {
  const { kind, value } = write;
  const live = row !== null && !row.deleted;
  if (value === null) {
    if (kind !== 'target-set' || !live) return;
    const left = await client.query<{ n: number }>('SELECT count(*)::int AS n FROM hub.targets WHERE set_id = $1 AND NOT deleted', [write.id]);
    const count = left.rows[0]?.n ?? 0;
    if (count > 0) throw new HubError(409, 'set-not-empty', `target set "${write.id}" still has ${count} targets: remove them first`, { count });
    return;
  }
  if (value.id !== write.id) throw invalid(kind, 'id', `is "${value.id}", not "${write.id}" as in the address`);
  if (kind === 'layer') {
    const after = value as LayerDefinition;
    // The change's feature entries (pushed after it) give features the defaults of fields made
    // required, so only the app checks that; everything else is checked against the hub's features.
    const problems = live
      ? definitionChangeProblems({ before: row.definition as LayerDefinition, after, features: await liveFeatures(client, write.id) }).filter((problem) => problem.code !== 'required-without-default')
      : definitionProblems(after);
    const first = problems[0];
    if (first !== undefined) throw invalid(kind, first.path, first.message, { problem: first.code, problems: problems.slice(0, 10) });
    return;
  }
  if (kind === 'target-set') {
    const set = value as TargetSet;
    const sameYear = await client.query<{ id: string }>("SELECT id FROM hub.target_sets WHERE NOT deleted AND id <> $1 AND (definition->>'year')::int = $2 LIMIT 1", [write.id, set.year]);
    const other = sameYear.rows[0];
    if (other !== undefined) throw invalid(kind, 'year', `: the set "${other.id}" is already for ${set.year}`);
    return;
  }
  const layers = (await readDefinitions(client, 'layer')).filter((layer) => !layer.deleted).map((layer) => layer.definition as LayerDefinition);
  const sets = await client.query<{ id: string }>(
    `SELECT id FROM hub.target_sets WHERE NOT deleted UNION SELECT set_id FROM hub.targets WHERE NOT deleted`);
  const { issues } = targetIssues(value, layers, new Set(sets.rows.map((set) => set.id)));
  const issue = issues[0];
  if (issue !== undefined) throw invalid(kind, issue.path, issue.message, { issues: issues.slice(0, 10) });
}

async function store(client: PoolClient, write: DefinitionWrite, row: DefinitionRow | null, user: HubUser): Promise<void> {
  const table = DEFINITION_TABLES[write.kind];
  const value = write.value;
  if (value === null) {
    await client.query(`UPDATE ${table} SET deleted = true, version = version + 1, updated_at = now(), updated_by = $2 WHERE id = $1`, [write.id, user.name]);
    return;
  }
  const extra = write.kind === 'target' ? { set_id: targetSetIdOf(value as Target), layer_id: (value as Target).layerId } : {};
  const columns = ['definition', 'updated_by', ...Object.keys(extra)];
  const values = [JSON.stringify(value), user.name, ...Object.values(extra)];
  if (row === null) {
    await client.query(
      `INSERT INTO ${table} (id, ${columns.join(', ')}) VALUES ($1, ${columns.map((_, index) => `$${index + 2}`).join(', ')})`,
      [write.id, ...values],
    );
    return;
  }
  await client.query(
    `UPDATE ${table} SET ${columns.map((column, index) => `${column} = $${index + 2}`).join(', ')}, deleted = false, version = version + 1, updated_at = now() WHERE id = $1`,
    [write.id, ...values],
  );
}

/** Writes one definition (see the file comment) and answers `{ changeId, status, <record> }`. */
export async function writeDefinition(pool: Pool, user: HubUser, write: DefinitionWrite, body: unknown): Promise<unknown> {
  checkDefinitionRole(user, write.kind);
  const hash = requestHash({ kind: write.kind, id: write.id, body });
  return inTransaction(pool, async (client) => {
    await client.query(
      `SELECT set_config('onemap.change_id', $1, true), set_config('onemap.user_id', $2, true),
              set_config('onemap.user_name', $3, true), set_config('onemap.device', $4, true)`,
      [write.changeId, String(user.id), user.name, write.device ?? ''],
    );
    const claim = await claimChange(client, write.changeId, user.id, write.device ?? null, hash);
    if (claim.replay !== undefined) return claim.replay;
    const row = await lockDefinition(client, write.kind, write.id);
    const version = row === null ? 0 : Number(row.version);
    if (write.baseVersion !== version) {
      throw new HubError(409, 'version-conflict', `${NAMES[write.kind]} "${write.id}" is at version ${version} on the hub, not ${write.baseVersion}: someone changed it first`, {
        baseVersion: write.baseVersion,
        version,
        current: row === null ? null : recordOf(write.kind, row),
      });
    }
    if (write.value === null && row === null) throw new HubError(404, 'not-found', `no ${NAMES[write.kind]} "${write.id}" on the hub`);
    await validate(client, write, row);
    const unchanged = row !== null && (write.value === null ? row.deleted : !row.deleted && canonicalJson(row.definition) === canonicalJson(write.value));
    if (!unchanged) await store(client, write, row, user);
    const stored = await lockDefinition(client, write.kind, write.id);
    const result = { changeId: write.changeId, status: unchanged ? 'noop' : 'applied', [ANSWER_KEYS[write.kind]]: recordOf(write.kind, stored as DefinitionRow) };
    await storeAnswer(client, write.changeId, result);
    return result;
  });
}
