// One answer per change id. The change's row in hub.applied_changes is INSERTed first, inside the
// change's own transaction: a second push of the same id waits on that row until the first
// commits (then gets its answer) or rolls back (then runs itself). The same id with other content
// is refused.
import { createHash } from 'node:crypto';
import { escapeLiteral, type PoolClient } from 'pg';
import { canonicalJson } from '../../shared/sync';
import { HubError } from './errors';

export const requestHash = (request: unknown): string => createHash('sha256').update(canonicalJson(request)).digest('hex');

export interface ClaimedChange {
  /** The stored answer of an earlier push of the same change: nothing is to be written. */
  replay?: unknown;
}

export async function claimChange(client: PoolClient, changeId: string, userId: number, device: string | null, hash: string): Promise<ClaimedChange> {
  const inserted = await client.query(
    `INSERT INTO hub.applied_changes (change_id, user_id, device, request_sha256, result)
     VALUES ($1, $2, $3, $4, 'null'::jsonb) ON CONFLICT (change_id) DO NOTHING RETURNING change_id`,
    [changeId, userId, device, hash],
  );
  if (inserted.rowCount === 1) return {};
  return { replay: await storedAnswer(client, changeId, hash) };
}

/**
 * The stored answer of a change whose claim found its row: read by a statement of its own, whose
 * snapshot sees the earlier push that the claim waited for.
 */
export async function storedAnswer(client: PoolClient, changeId: string, hash: string): Promise<unknown> {
  const stored = await client.query<{ request_sha256: string; result: unknown }>(
    'SELECT request_sha256, result FROM hub.applied_changes WHERE change_id = $1',
    [changeId],
  );
  const row = stored.rows[0];
  if (row === undefined) throw new Error(`hub: change ${changeId} is neither new nor stored`);
  if (row.request_sha256 !== hash) {
    throw new HubError(409, 'change-id-reused', `change id "${changeId}" was already used for a change with other content`, { changeId });
  }
  return row.result;
}

/** storeAnswer as one statement without parameters, to go with COMMIT; `wrap` ('…%s…') may put the answer literal into an SQL expression. */
export function storeAnswerSql(changeId: string, result: unknown, wrap = '%s'): string {
  const literal = `${escapeLiteral(JSON.stringify(result))}::jsonb`;
  const answer = wrap.replace('%s', () => literal);
  return `UPDATE hub.applied_changes SET result = ${answer} WHERE change_id = ${escapeLiteral(changeId)}`;
}

export async function storeAnswer(client: PoolClient, changeId: string, result: unknown): Promise<void> {
  await client.query('UPDATE hub.applied_changes SET result = $2::jsonb WHERE change_id = $1', [changeId, JSON.stringify(result)]);
}
