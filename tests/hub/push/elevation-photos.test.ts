// Migration 003 through the push: a GPS point with elevation is stored (GeoJSON whole, PostGIS
// flat), and attaching or detaching a photo leaves a history row with who, device and note.
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { change, entry, push, pushHub, seed, uniqueId, type PushHub } from './fixture';

let hub: PushHub;
beforeAll(async () => {
  hub = await pushHub();
});
afterAll(async () => {
  await hub?.close();
});

const jpeg = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 9, 8, 7, 6, 0xff, 0xd9]);
const hash = createHash('sha256').update(jpeg).digest('hex');
const photo = (featureId: string, operation: 'attach' | 'detach') =>
  entry(featureId, operation, null, null, {
    attachment: { id: 'P-elev', fileName: 'well.jpg', mediaType: 'image/jpeg', byteSize: jpeg.length, hasThumbnail: false, createdAt: '2026-12-06T08:00:00.000Z' },
  });

describe('elevation and photo history', () => {
  it('stores a point with elevation: the GeoJSON keeps it, the PostGIS column is 2D', async () => {
    const featureId = uniqueId('W');
    const withElevation = { ...seed, geometry: { type: 'Point' as const, coordinates: [115.7, 37.74, 21.5] as [number, number, number] } };
    const answer = await push(hub, 'surveyor', change([entry(featureId, 'create', null, withElevation)]));
    expect(answer.status).toBe(200);
    expect(answer.body.status).toBe('applied');
    const row = await hub.db.pool.query('SELECT geometry, ST_AsText(geom) AS wkt, ST_NDims(geom) AS dims FROM hub.features WHERE id = $1', [featureId]);
    expect(row.rows[0]).toEqual({ geometry: { type: 'Point', coordinates: [115.7, 37.74, 21.5] }, wkt: 'POINT(115.7 37.74)', dims: 2 });
  });

  it('writes a history row for a photo attached and one for it detached', async () => {
    const featureId = uniqueId('W');
    const put = await hub.app.inject({ method: 'PUT', url: `/v1/attachments/${hash}`, headers: { ...hub.as('surveyor'), 'content-type': 'image/jpeg' }, payload: jpeg });
    expect(put.statusCode).toBeLessThan(300);
    const attached = await push(hub, 'surveyor', change([entry(featureId, 'create', null, seed), photo(featureId, 'attach')], { attachments: [{ attachmentId: 'P-elev', sha256: hash }] }));
    expect(attached.body.status).toBe('applied');
    const detached = await push(hub, 'surveyor', change([photo(featureId, 'detach')]));
    expect(detached.status).toBe(200);
    const history = await hub.db.pool.query(
      `SELECT operation, user_name, device, note, before->>'sha256' AS before, after->>'sha256' AS after
         FROM hub.history WHERE feature_id = $1 AND operation IN ('attach', 'detach') ORDER BY id`, [featureId]);
    expect(history.rows).toEqual([
      { operation: 'attach', user_name: 'surveyor', device: 'tablet-a', note: '外业核查', before: null, after: hash },
      { operation: 'detach', user_name: 'surveyor', device: 'tablet-a', note: '外业核查', before: hash, after: null },
    ]);
  });
});
