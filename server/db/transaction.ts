// One transaction with retries: PostgreSQL may abort a transaction that is fine in itself when it
// collides with another (serialization failure 40001, deadlock 40P01); running it again is safe
// because nothing of the aborted attempt was written.
import type { Pool, PoolClient } from 'pg';

const RETRYABLE = new Set(['40001', '40P01']);

export async function inTransaction<T>(pool: Pool, work: (client: PoolClient) => Promise<T>, attempts = 5): Promise<T> {
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
      await client.query('BEGIN');
      const result = await work(client);
      await client.query('COMMIT');
      return result;
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
