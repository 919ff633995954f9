// One transaction with retries: PostgreSQL may abort a transaction that is fine in itself when it
// collides with another (serialization failure 40001, deadlock 40P01); running it again is safe
// because nothing of the aborted attempt was written.
import type { Pool, PoolClient, QueryResult } from 'pg';

const RETRYABLE = new Set(['40001', '40P01']);

export async function inTransaction<T>(pool: Pool, work: (client: PoolClient) => Promise<T>, attempts = 5): Promise<T> {
  return withRetries(pool, attempts, async (client) => {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  });
}

export interface BatchedWork<T> {
  value: T;
  /** A last statement without parameters, sent with COMMIT in one round trip. */
  last?: string;
  /** The value from the last statement's result, when it has one. */
  finish?: (result: QueryResult) => T;
}

/**
 * inTransaction with two round trips fewer, for the hot push path: `first` (statements without
 * parameters — values escaped by the caller) goes with BEGIN, and the work's `last` with COMMIT,
 * each as one simple query. A failing statement stops the rest of its query (the COMMIT too), so
 * the transaction still commits all or nothing.
 */
export async function inBatchedTransaction<T>(pool: Pool, first: string, work: (client: PoolClient, results: QueryResult[]) => Promise<BatchedWork<T>>, attempts = 5): Promise<T> {
  return withRetries(pool, attempts, async (client) => {
    const opened = (await client.query(`BEGIN; ${first}`)) as unknown as QueryResult[];
    const { value, last, finish } = await work(client, opened.slice(1));
    if (last === undefined) {
      await client.query('COMMIT');
      return value;
    }
    const closed = (await client.query(`${last}; COMMIT`)) as unknown as QueryResult[];
    return finish === undefined || closed[0] === undefined ? value : finish(closed[0]);
  });
}

async function withRetries<T>(pool: Pool, attempts: number, body: (client: PoolClient) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    const client = await pool.connect();
    let broken = false;
    // A checked-out client has no pool listener: without this, the server going away between two
    // queries (a crash, `pg_ctl -m immediate`) is an uncaught 'error' that ends the hub process.
    const onError = (): void => {
      broken = true;
    };
    client.on('error', onError);
    try {
      return await body(client);
    } catch (error) {
      // A connection that cannot even roll back (server gone) is not put back in the pool.
      await client.query('ROLLBACK').catch(() => {
        broken = true;
      });
      const code = (error as { code?: unknown }).code;
      if (attempt < attempts && typeof code === 'string' && RETRYABLE.has(code)) continue;
      throw error;
    } finally {
      client.off('error', onError);
      client.release(broken);
    }
  }
}
