// The views through QGIS's own PostgreSQL provider (python3-qgis), where it is installed: the
// test prerequisites do not install QGIS (170 packages), so elsewhere this test is skipped.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createReader, dropReader, readOnlyConnectionString } from '../../../server/db/readers';
import { testDatabase } from '../harness/database';
import { seedHengshui, type SeededCounts } from './seed-hengshui';

const PYTHON = '/usr/bin/python3';
const hasQgis = existsSync('/usr/lib/python3/dist-packages/qgis/core/__init__.py');
const run = promisify(execFile);

// Opens a layer as QGIS's "Add PostgreSQL layer" does, with the key column the Browser offers first.
const SCRIPT = String.raw`
import json, sys
from qgis.core import QgsApplication, QgsVectorLayer, QgsProviderRegistry
app = QgsApplication([], False)
app.initQgis()
connection, table, label_field = sys.argv[1], sys.argv[2], sys.argv[3]
tables = QgsProviderRegistry.instance().providerMetadata('postgres').createConnection(connection, {}).tables('layers')
key = next(t.primaryKeyColumns()[0] for t in tables if t.tableName() == table)
layer = QgsVectorLayer(connection + ' key=' + key + ' table="layers"."' + table + '" (geom)', table, 'postgres')
labels = sorted({str(f[label_field]) for f in layer.getFeatures()}) if layer.isValid() else []
print(json.dumps({'key': key, 'valid': layer.isValid(), 'crs': layer.crs().authid(), 'wkbType': int(layer.wkbType()),
                  'count': layer.featureCount(), 'labels': labels}, ensure_ascii=False))
`;

let db: Awaited<ReturnType<typeof testDatabase>>;
let seeded: SeededCounts;
const reader = { name: `qgis_qgis_${randomBytes(4).toString('hex')}`, password: 'qgis-2021' };

describe.skipIf(!hasQgis)('QGIS provider', () => {
  beforeAll(async () => {
    db = await testDatabase();
    seeded = await seedHengshui(db.pool);
    await createReader(db.pool, { ...reader, counties: [131102] });
  });

  afterAll(async () => {
    await dropReader(db.pool, reader.name);
    await db.drop();
  });

  it('opens a layer view with key id, EPSG:4490, MultiPoint and the reader’s county only', async () => {
    const connection = readOnlyConnectionString({ host: db.cluster.host, port: db.cluster.port, database: db.name, ...reader });
    const { stdout } = await run(PYTHON, ['-c', SCRIPT, connection, 'wells', 'status_label'], {
      env: { ...process.env, QT_QPA_PLATFORM: 'offscreen' },
      timeout: 60_000,
    });
    const result = JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as Record<string, unknown>;
    expect(result).toMatchObject({ key: 'id', valid: true, crs: 'EPSG:4490', wkbType: 4, count: seeded.total('wells', 131102) });
    expect(result.labels).toContain('已登记');
  });
});
