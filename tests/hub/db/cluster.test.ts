// The local cluster on a folder of its own: a crash stop (`-m immediate`, as the fault tests do)
// and a start again keep every committed row; start() on a running cluster is a no-op; a
// cluster asked for another port than it runs on is refused.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalCluster } from '../../../server/db/cluster';
import { freePort } from '../harness/free-port';
import { isolatedCluster, testDatabase, type IsolatedCluster } from '../harness/database';

let own: IsolatedCluster;
beforeAll(async () => {
  own = await isolatedCluster();
});
afterAll(async () => {
  await own?.remove();
});

describe('the local cluster', () => {
  it('keeps committed rows across stop(immediate) and start()', async () => {
    const db = await testDatabase({ cluster: own.cluster });
    await db.pool.query(`INSERT INTO hub.layers (id, definition) VALUES ('wells', '{}')`);
    await db.pool.query(`INSERT INTO hub.features (layer_id, id, county, status, geometry)
      VALUES ('wells', 'w1', 131102, 'planned', '{"type":"Point","coordinates":[115.6,37.7]}')`);

    await own.cluster.stop('immediate');
    await expect(db.pool.query('SELECT 1')).rejects.toThrow();
    await own.cluster.start();
    await own.cluster.start();

    const { rows } = await db.pool.query('SELECT id, version FROM hub.features');
    expect(rows).toEqual([{ id: 'w1', version: '1' }]);
    const log = await db.pool.query('SELECT county, seq FROM hub.change_log');
    expect(log.rows).toEqual([{ county: 131102, seq: '1' }]);
    await db.drop();
  });

  it('attaches to a running cluster, and refuses another port', async () => {
    const attached = await startLocalCluster({ dataDir: own.cluster.dataDir, port: own.cluster.port, testing: true });
    expect(attached.wasRunning).toBe(true);
    const client = new pg.Client({ connectionString: attached.connectionString('postgres') });
    await client.connect();
    await client.end();
    const other = await freePort();
    await expect(startLocalCluster({ dataDir: own.cluster.dataDir, port: other, testing: true }))
      .rejects.toThrow(`already runs on port ${own.cluster.port}, not ${other}`);
  });
});
