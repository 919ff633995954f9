// The layer views as GDAL (and so QGIS) sees them: counts, CGCS2000, typed fields, Chinese labels,
// and views that follow the layer definitions.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createReader, dropReader, readOnlyConnectionString } from '../../../server/db/readers';
import { testDatabase } from '../harness/database';
import { featureCount, fieldTypes, ogrinfo } from './gdal';
import { seedHengshui, type SeededCounts } from './seed-hengshui';

let db: Awaited<ReturnType<typeof testDatabase>>;
let seeded: SeededCounts;
let connection: string;
const reader = { name: `qgis_all_${randomBytes(4).toString('hex')}`, password: 'office pass \'1\\' };

beforeAll(async () => {
  db = await testDatabase();
  seeded = await seedHengshui(db.pool);
  await createReader(db.pool, { ...reader, counties: 'all' });
  connection = readOnlyConnectionString({ host: db.cluster.host, port: db.cluster.port, database: db.name, ...reader });
});

afterAll(async () => {
  await dropReader(db.pool, reader.name);
  await db.drop();
});

describe('layer views through ogrinfo', () => {
  it('lists a layer with its count, CGCS2000 and typed fields', async () => {
    const output = await ogrinfo(connection, ['-so', 'layers.wells']);
    expect(featureCount(output)).toBe(seeded.total('wells'));
    expect(seeded.total('wells')).toBeGreaterThan(200);
    expect(output).toMatch(/^Geometry: Multi Point$/m);
    expect(output).toContain('ID["EPSG",4490]');
    expect(output).toContain('China Geodetic Coordinate System 2000');
    const fields = fieldTypes(output);
    expect(Object.fromEntries(fields)).toMatchObject({
      id: 'String',
      wellClass: 'String',
      wellClass_label: 'String',
      depthM: 'Real',
      plannedDate: 'Date',
      status: 'String',
      status_label: 'String',
      county: 'Integer',
      county_name: 'String',
      demo: 'Integer(Boolean)',
      version: 'Integer64',
      updated_at: 'DateTime',
    });
    // Every field of the definition has its column, in the definition's order.
    const wellKeys = ['featureCode', 'name', 'wellClass', 'useType', 'depthM', 'aquifer', 'substituteSource', 'plannedDate'];
    expect([...fields.keys()].filter((key) => wellKeys.includes(key))).toEqual(wellKeys);
  });

  it('gives polygon layers MultiPolygon and integer fields Integer64', async () => {
    const output = await ogrinfo(connection, ['-so', 'layers.pocket_parks']);
    expect(featureCount(output)).toBe(seeded.total('pocket-parks'));
    expect(output).toMatch(/^Geometry: Multi Polygon$/m);
    expect(fieldTypes(output).get('planYear')).toBe('Integer64');
  });

  it('round-trips a Chinese enum label through ogrinfo -sql', async () => {
    const expected = await db.pool.query<{ n: number }>(
      `SELECT count(*)::integer AS n FROM hub.features
       WHERE layer_id = 'wells' AND properties ->> 'wellClass' = 'agricultural'`,
    );
    expect(expected.rows[0]?.n).toBeGreaterThan(50);
    const output = await ogrinfo(connection, [
      '-sql',
      `SELECT id, "wellClass", "wellClass_label", county_name, status_label FROM layers.wells WHERE "wellClass_label" = '农业灌溉取水井'`,
    ]);
    expect(featureCount(output)).toBe(expected.rows[0]?.n);
    expect(output).toContain('wellClass_label (String) = 农业灌溉取水井');
    expect(output).not.toContain('wellClass (String) = non-agricultural');
    expect(output).toMatch(/county_name \(String\) = (桃城区|冀州区|枣强县|武邑县|武强县|饶阳县|安平县|故城县|景县|阜城县|深州市)/);
    expect(output).toMatch(/status_label \(String\) = \p{Script=Han}+/u);
  });

  it('shows the county boundaries', async () => {
    const output = await ogrinfo(connection, ['-so', 'layers.counties']);
    expect(featureCount(output)).toBe(11);
    expect(output).toMatch(/^Geometry: Multi Polygon$/m);
    expect(output).toContain('ID["EPSG",4490]');
    const names = await ogrinfo(connection, ['-sql', 'SELECT name_zh FROM layers.counties WHERE adcode = 131102']);
    expect(names).toContain('name_zh (String) = 桃城区');
  });
});

describe('values written by direct SQL', () => {
  it('gives NULL for a value of the wrong JSON type instead of failing the view', async () => {
    await db.pool.query(
      `INSERT INTO hub.features (layer_id, id, county, status, properties, geometry) VALUES
       ('wells', 'odd-1', 131102, 'registered',
        '{"depthM": "deep", "plannedDate": "2021-02-29", "name": 5, "wellClass": "unknown-class", "sealedDate": "2024-02-29"}',
        '{"type": "LineString", "coordinates": [[115.6, 37.7], [115.7, 37.8]]}')`,
    );
    const row = await db.pool.query(`SELECT * FROM layers.wells WHERE id = 'odd-1'`);
    expect(row.rows[0]).toMatchObject({
      depthM: null,
      plannedDate: null,
      name: null,
      wellClass: 'unknown-class',
      wellClass_label: null,
      geom: null,
      status_label: '已登记',
      county_name: '桃城区',
    });
    const sealed = await db.pool.query(`SELECT to_char("sealedDate", 'YYYY-MM-DD') AS d FROM layers.wells WHERE id = 'odd-1'`);
    expect(sealed.rows[0]?.d).toBe('2024-02-29');
    await db.pool.query(`UPDATE hub.features SET deleted = true WHERE layer_id = 'wells' AND id = 'odd-1'`);
  });

  it('casts each JSON type safely', async () => {
    const result = await db.pool.query(`SELECT
      hub.json_bigint('12') AS i, hub.json_bigint('1.5') AS i_frac, hub.json_bigint('1e30') AS i_big, hub.json_bigint('"7"') AS i_text,
      hub.json_double('2.5') AS d, hub.json_double('1e400') AS d_huge, hub.json_double('true') AS d_bool,
      hub.json_boolean('true') AS b, hub.json_boolean('"true"') AS b_text,
      hub.json_date('"2021-12-31"')::text AS dt, hub.json_date('"0000-01-01"') AS dt_zero, hub.json_date('"2021-13-01"') AS dt_month,
      hub.json_date('"2021-04-31"') AS dt_day, hub.json_date('20210101') AS dt_number,
      hub.json_text('"文字"') AS t, hub.json_text('{"a": 1}') AS t_object, hub.json_text('null') AS t_null`);
    expect(result.rows[0]).toEqual({
      i: '12', i_frac: null, i_big: null, i_text: null,
      d: 2.5, d_huge: null, d_bool: null,
      b: true, b_text: null,
      dt: '2021-12-31', dt_zero: null, dt_month: null, dt_day: null, dt_number: null,
      t: '文字', t_object: null, t_null: null,
    });
  });

  it('leaves deleted features out', async () => {
    const output = await ogrinfo(connection, ['-so', 'layers.wells']);
    expect(featureCount(output)).toBe(seeded.total('wells'));
  });
});

describe('views follow the layer definitions', () => {
  it('adds and removes a column when a field is added or removed', async () => {
    await db.pool.query(
      `UPDATE hub.layers SET definition = jsonb_set(definition, '{fields}', definition -> 'fields' || $1::jsonb)
       WHERE id = 'wells'`,
      [JSON.stringify([
        { key: 'pumpKw', type: 'number', required: false, label: { zh: '水泵功率', en: 'Pump power' } },
        { key: 'id', type: 'string', required: false, label: { zh: '原编号', en: 'Old id' } },
      ])],
    );
    await db.pool.query(
      `UPDATE hub.features SET properties = properties || '{"pumpKw": 7.5, "id": "W-1"}'
       WHERE layer_id = 'wells' AND id = (SELECT min(id) FROM hub.features WHERE layer_id = 'wells' AND NOT deleted)`,
    );
    const added = fieldTypes(await ogrinfo(connection, ['-so', 'layers.wells']));
    expect(added.get('pumpKw')).toBe('Real');
    expect(added.get('id_field')).toBe('String');
    const value = await ogrinfo(connection, ['-sql', `SELECT "pumpKw", id_field FROM layers.wells WHERE "pumpKw" IS NOT NULL`]);
    expect(featureCount(value)).toBe(1);
    expect(value).toContain('pumpKw (Real) = 7.5');
    expect(value).toContain('id_field (String) = W-1');

    await db.pool.query(
      `UPDATE hub.layers SET definition = jsonb_set(definition, '{fields}',
         (SELECT jsonb_agg(f) FROM jsonb_array_elements(definition -> 'fields') f WHERE f ->> 'key' NOT IN ('pumpKw', 'note')))
       WHERE id = 'wells'`,
    );
    const removed = fieldTypes(await ogrinfo(connection, ['-so', 'layers.wells']));
    expect(removed.has('pumpKw')).toBe(false);
    expect(removed.has('note')).toBe(false);
    expect(removed.get('depthM')).toBe('Real');
  });

  it('leaves an unchanged view alone and drops the view of a deleted layer', async () => {
    const oid = async (): Promise<string | null> =>
      (await db.pool.query<{ oid: string | null }>(`SELECT to_regclass('layers.farmland')::oid::text AS oid`)).rows[0]?.oid ?? null;
    const before = await oid();
    expect(before).not.toBeNull();
    await db.pool.query(`UPDATE hub.layers SET version = version + 1, updated_at = now() WHERE id = 'farmland'`);
    expect(await oid()).toBe(before);
    await db.pool.query(`UPDATE hub.layers SET deleted = true WHERE id = 'farmland'`);
    expect(await oid()).toBeNull();
    await db.pool.query(`UPDATE hub.layers SET deleted = false WHERE id = 'farmland'`);
    const output = await ogrinfo(connection, ['-so', 'layers.farmland']);
    expect(featureCount(output)).toBe(seeded.total('farmland'));
  });

  it('gives a new layer a view the reader can open', async () => {
    await db.pool.query(
      `INSERT INTO hub.layers (id, definition) SELECT 'counties', jsonb_set(definition, '{id}', '"counties"')
       FROM hub.layers WHERE id = 'rural-roads'`,
    );
    const output = await ogrinfo(connection, ['-so', 'layers.layer_counties']);
    expect(featureCount(output)).toBe(0);
    expect(output).toMatch(/^Geometry: Multi Line String$/m);
  });
});
