import { describe, expect, test, vi } from 'vitest';
import { ImportError, importFile, importGeoJsonStream, type GeoJsonStreamOptions } from '../../../shared/io';
import type { GeoJsonFeature } from '../../../shared/io/types';
import { transform } from '../../../shared/crs';
import { jsonTextAsAscii, yieldToEventLoop } from '../../../shared/io/platform';

const encoder = new TextEncoder();

/** The bytes in chunks of `size` (the last one shorter), as a stream reader would hand them over. */
async function* chunked(bytes: Uint8Array, size: number): AsyncGenerator<Uint8Array> {
  for (let at = 0; at < bytes.length; at += size) yield bytes.slice(at, at + size);
}

async function streamAll(bytes: Uint8Array, chunkSize: number, options: GeoJsonStreamOptions = {}) {
  const features: GeoJsonFeature[] = [];
  const batches: number[] = [];
  const summary = await importGeoJsonStream('wells.geojson', chunked(bytes, chunkSize), (batch, done) => {
    features.push(...batch);
    batches.push(done);
  }, options);
  return { summary, features, batches };
}

async function streamError(bytes: Uint8Array, chunkSize = 64, options: GeoJsonStreamOptions = {}): Promise<ImportError> {
  try {
    await streamAll(bytes, chunkSize, options);
  } catch (error) {
    if (error instanceof ImportError) return error;
    throw error;
  }
  throw new Error('expected an ImportError');
}

/** Wells in CGCS2000 GK zone 39 with the zone prefix, with Chinese names and awkward strings. */
function gkCollection(count: number, extra: Record<string, unknown> = {}): string {
  const features = Array.from({ length: count }, (_, index) => {
    const [x, y] = transform([115.5 + (index % 97) * 0.005, 37.5 + Math.floor(index / 97) * 0.004], 'EPSG:4326', 'EPSG:4527');
    return {
      type: 'Feature',
      id: `W${index}`,
      properties: { 名称: `机井${index}号`, tricky: index % 3 === 0 ? 'a "quoted" } ] { [ \\ back\\"slash, 逗号' : null, depth: index * 1.5 },
      geometry: { type: 'Point', coordinates: [x, y] },
    };
  });
  return JSON.stringify({ type: 'FeatureCollection', name: '机井', ...extra, features });
}

describe('importGeoJsonStream', () => {
  test('gives the same features and report as importFile, whatever the chunk size', async () => {
    const bytes = encoder.encode(gkCollection(1200));
    const whole = await importFile('wells.geojson', bytes);
    for (const chunkSize of [1, 7, 333, 65_536, bytes.length]) {
      const { summary, features } = await streamAll(bytes, chunkSize, { batchSize: 100, sampleSize: 250 });
      expect(features, `chunk size ${chunkSize}`).toEqual(whole.features.features);
      expect(summary.sourceCrs).toBe('EPSG:4527');
      expect(summary.featureCount).toBe(1200);
      expect(summary.layerName).toBe('机井');
      expect(summary.fields).toEqual(whole.fields);
      expect(summary.warnings).toEqual(whole.warnings);
    }
  });

  test('hands over the sample first, then batches of batchSize, in file order', async () => {
    const bytes = encoder.encode(gkCollection(1000));
    const { batches, features } = await streamAll(bytes, 4096, { batchSize: 300, sampleSize: 100 });
    expect(batches).toEqual([100, 400, 700, 1000]);
    expect(features.map((feature) => feature.id)).toEqual(Array.from({ length: 1000 }, (_, index) => `W${index}`));
  });

  test('reads the old crs member before the features; a BOM is skipped', async () => {
    const [x, y] = transform([115.7, 37.7], 'EPSG:4326', 'EPSG:4527');
    const text = JSON.stringify({
      type: 'FeatureCollection',
      crs: { type: 'name', properties: { name: 'urn:ogc:def:crs:EPSG::4527' } },
      features: [{ type: 'Feature', properties: {}, geometry: { type: 'Point', coordinates: [x - 39_000_000, y] } }],
    });
    // Without the zone prefix the values alone would be ambiguous; the crs member decides.
    const bytes = new Uint8Array([0xef, 0xbb, 0xbf, ...encoder.encode(text.replace(String(x - 39_000_000), String(x)))]);
    const { summary, features } = await streamAll(bytes, 5);
    expect(summary.sourceCrs).toBe('EPSG:4527');
    const [lon, lat] = (features[0]!.geometry as { coordinates: number[] }).coordinates;
    expect(lon).toBeCloseTo(115.7, 7);
    expect(lat).toBeCloseTo(37.7, 7);
  });

  test('a crs member after the features is used while they are still in the sample, refused once features were read in another CRS', async () => {
    const text = gkCollection(30).replace(/}$/, ',"crs":{"type":"name","properties":{"name":"EPSG:4527"}}}');
    const { summary } = await streamAll(encoder.encode(text), 64, { sampleSize: 100 });
    expect(summary.sourceCrs).toBe('EPSG:4527');
    const error = await streamError(encoder.encode(text), 64, { sampleSize: 10, batchSize: 10 });
    expect(error.code).toBe('crs-mismatch');
    expect(error.message).toMatch(/after its features|之后/);
  });

  test('a truncated file names the feature it ends in', async () => {
    const text = gkCollection(50);
    const cut = text.indexOf('"W42"') + 10;
    const error = await streamError(encoder.encode(text.slice(0, cut)));
    expect(error.code).toBe('invalid-geojson');
    expect(error.location.featureIndex).toBe(42);
  });

  test('bad input: not GeoJSON, a non-feature element, broken JSON, empty, UTF-16, another encoding', async () => {
    expect((await streamError(encoder.encode('[1,2,3]'))).code).toBe('invalid-geojson');
    expect((await streamError(encoder.encode('{"type":"Feature","properties":{},"geometry":null}'))).code).toBe('invalid-geojson');
    const notFeature = await streamError(encoder.encode('{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":null}, 7]}'));
    expect([notFeature.code, notFeature.location.featureIndex]).toEqual(['invalid-geojson', 1]);
    const broken = await streamError(encoder.encode('{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"a":tru},"geometry":null}]}'));
    expect([broken.code, broken.location.featureIndex]).toEqual(['invalid-json', 0]);
    expect((await streamError(new Uint8Array(0))).code).toBe('empty-file');
    expect((await streamError(new Uint8Array([0xff, 0xfe, 0x7b, 0x00]))).code).toBe('undecodable-text');
    expect((await streamError(encoder.encode(gkCollection(2)), 64, { encoding: 'gbk' })).code).toBe('undecodable-text');
    expect((await streamError(encoder.encode(gkCollection(2) + ' {}'))).code).toBe('invalid-geojson');
  });

  test('NaN as Python writes it is refused with the feature index, as importFile does', async () => {
    const text = '{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":{"type":"Point","coordinates":[115.7,37.7]}},{"type":"Feature","properties":{},"geometry":{"type":"Point","coordinates":[NaN, 37.7]}}]}';
    const streamed = await streamError(encoder.encode(text), 3);
    let whole: ImportError | undefined;
    await importFile('wells.geojson', encoder.encode(text)).catch((error: ImportError) => (whole = error));
    expect(streamed.code).toBe(whole!.code);
    expect(streamed.location.featureIndex).toBe(1);
  });

  test('cancel stops the stream with "cancelled" and no further batch', async () => {
    const controller = new AbortController();
    const bytes = encoder.encode(gkCollection(2000));
    const seen: number[] = [];
    const run = importGeoJsonStream(
      'wells.geojson',
      chunked(bytes, 1024),
      (_batch, done) => {
        seen.push(done);
        if (done >= 400) controller.abort();
      },
      { batchSize: 200, sampleSize: 200, signal: controller.signal },
    );
    await expect(run).rejects.toMatchObject({ code: 'cancelled' });
    expect(seen).toEqual([200, 400]);
  });
});

/** The bytes handed over in the given pieces (each cut is where one chunk ends and the next starts). */
async function* pieces(bytes: Uint8Array, cuts: number[]): AsyncGenerator<Uint8Array> {
  let from = 0;
  for (const cut of [...cuts, bytes.length]) {
    yield bytes.slice(from, cut);
    from = cut;
  }
}

async function streamPieces(bytes: Uint8Array, cuts: number[], options: GeoJsonStreamOptions = {}) {
  const features: GeoJsonFeature[] = [];
  const summary = await importGeoJsonStream('wells.geojson', pieces(bytes, cuts), (batch) => void features.push(...batch), options);
  return { summary, features };
}

/** WGS84 points, `count` of them, one per line; `edit` may replace feature texts (index → text). */
function pointLines(count: number, edit: Record<number, string> = {}): string {
  const features = Array.from(
    { length: count },
    (_, index) =>
      edit[index] ??
      JSON.stringify({ type: 'Feature', id: index, properties: { 名称: `测点${index}`, depth: index / 4 }, geometry: { type: 'Point', coordinates: [115.5 + index * 1e-4, 37.5] } }),
  );
  return `{"type":"FeatureCollection","features":[\n${features.join(',\n')}\n]}`;
}

describe('importGeoJsonStream: a chunk\'s features parsed together', () => {
  const bad = (index: number, text: string) => pointLines(300, { [index]: text });

  test('an error in the middle of a chunk\'s features names that feature, whole file or in chunks', async () => {
    const cases: [string, Uint8Array, string, number][] = [
      ['broken JSON', encoder.encode(bad(137, '{"type":"Feature","properties":{"a":tru},"geometry":null}')), 'invalid-json', 137],
      ['not a Feature', encoder.encode(bad(137, '{"type":"Fature","properties":{},"geometry":null}')), 'invalid-geojson', 137],
      ['NaN coordinate', encoder.encode(bad(137, '{"type":"Feature","properties":{},"geometry":{"type":"Point","coordinates":[NaN,37.5]}}')), 'non-finite-coordinate', 137],
      ['a number, not a feature', encoder.encode(bad(137, '7')), 'invalid-geojson', 137],
      ['an earlier error wins over a later non-feature', encoder.encode(pointLines(300, { 50: '{"type":"Feature","properties":{"a":},"geometry":null}', 137: '7' })), 'invalid-json', 50],
    ];
    const text = pointLines(300);
    const at = text.indexOf('测点137');
    const invalidUtf8 = encoder.encode(text);
    invalidUtf8.set([0xff], encoder.encode(text.slice(0, at)).length);
    cases.push(['bytes that are not UTF-8', invalidUtf8, 'undecodable-text', 137]);
    // Past the first 64 KB of one chunk: the features are parsed a run at a time.
    cases.push(['broken JSON in a later run', encoder.encode(pointLines(2000, { 1500: '{"type":"Feature","properties":{"a":tru},"geometry":null}' })), 'invalid-json', 1500]);
    cases.push(['a number in a later run', encoder.encode(pointLines(2000, { 1500: '7' })), 'invalid-geojson', 1500]);
    // NaN in feature 17 (kept as text: not an error) makes the guess fail, so the chunk is scanned and cut into runs.
    const nanProperty = '{"type":"Feature","properties":{"ratio":NaN},"geometry":{"type":"Point","coordinates":[115.5,37.5]}}';
    cases.push(['broken JSON in a later scanned run', encoder.encode(pointLines(2000, { 17: nanProperty, 1500: '{"type":"Feature","properties":{"a":tru},"geometry":null}' })), 'invalid-json', 1500]);
    for (const [name, bytes, code, featureIndex] of cases) {
      for (const chunkSize of [bytes.length, 4096, 97]) {
        const error = await streamError(bytes, chunkSize, { sampleSize: 1000 });
        expect([error.code, error.location.featureIndex], `${name}, chunk size ${chunkSize}`).toEqual([code, featureIndex]);
      }
    }
  });

  test('what only a feature-by-feature parse accepts gives the same result as before (NaN in a property, a stray comma)', async () => {
    const nan = (index: number) => `{"type":"Feature","id":${index},"properties":{"ratio":NaN,"v":-Infinity},"geometry":{"type":"Point","coordinates":[115.5,37.5]}}`;
    // NaN in the first features: the guess fails and the whole chunk is scanned, its features parsed a run (≤ 64 KB) at a time.
    const nanProperty = pointLines(2000, { 17: nan(17), 1717: nan(1717) });
    const whole = await importFile('wells.geojson', encoder.encode(nanProperty));
    const streamed = await streamAll(encoder.encode(nanProperty), nanProperty.length * 3);
    expect(streamed.features).toEqual(whole.features.features);
    expect(streamed.features[17]!.properties).toEqual({ ratio: 'NaN', v: '-Infinity' });
    expect(streamed.features[1717]!.properties).toEqual({ ratio: 'NaN', v: '-Infinity' });
    expect(streamed.features).toHaveLength(2000);
    // A doubled comma between features is skipped by the reader (each feature parsed alone).
    const doubled = pointLines(40).replace('},\n{', '},,\n{');
    expect((await streamAll(encoder.encode(doubled), doubled.length * 3)).features).toEqual((await streamAll(encoder.encode(pointLines(40)), 1 << 16)).features);
  });

  test('a feature split at every byte, inside multi-byte characters, escapes, strings that look like structure and objects in arrays', async () => {
    const tricky = JSON.stringify({
      type: 'Feature',
      id: 'T"1',
      properties: { 名称: '机井😀号', path: 'C:\\wells\\"new"\\', brackets: '}]},{"type":"Feature"', unicode: 'é€𝄞', nested: { a: [1, { b: '\\' }] } },
      geometry: { type: 'Point', coordinates: [115.7, 37.7] },
    }).replace('"é', '"\\u00e9');
    // Objects in arrays: a `},{` or `}]` that is not between two features (the guess of where a chunk's features end is wrong there).
    const nested = JSON.stringify({
      type: 'Feature',
      properties: { list: [{ a: 1 }, { b: [{ c: '},{' }] }], 名称: '集合' },
      geometry: { type: 'GeometryCollection', geometries: [{ type: 'Point', coordinates: [115.6, 37.6] }, { type: 'Point', coordinates: [115.61, 37.61] }] },
    });
    const text = pointLines(4, { 1: tricky, 2: nested });
    const bytes = encoder.encode(text);
    const expected = (await importFile('wells.geojson', bytes)).features.features;
    expect(expected.map((feature) => feature.id)).toEqual([0, 'T"1', undefined, 3]);
    expect(expected[2]!.geometry.type).toBe('MultiPoint');
    const start = encoder.encode(text.slice(0, text.indexOf(tricky))).length;
    const end = encoder.encode(text.slice(0, text.indexOf(nested) + nested.length)).length;
    for (let cut = start - 2; cut <= end + 2; cut += 1) {
      const { features, summary } = await streamPieces(bytes, [cut]);
      expect(features, `cut at byte ${cut}`).toEqual(expected);
      expect(summary.fields).toEqual(['名称', 'depth', 'path', 'brackets', 'unicode', 'nested', 'list']);
    }
    // Split three ways: the feature spans a whole chunk.
    for (let cut = start; cut < end; cut += 7) expect((await streamPieces(bytes, [cut, cut + 5])).features, `cuts at ${cut}, ${cut + 5}`).toEqual(expected);
  });
});

describe('yieldToEventLoop', () => {
  test('yields through a MessageChannel, not a timer (browsers clamp nested timers to 4 ms; Node waits 1 ms)', async () => {
    const timer = vi.spyOn(globalThis, 'setTimeout');
    try {
      for (let round = 0; round < 50; round += 1) await yieldToEventLoop();
      expect(timer).not.toHaveBeenCalled();
    } finally {
      timer.mockRestore();
    }
    // A message posted before the yield (a Cancel sent to the worker) is handled before it resolves.
    const channel = new MessageChannel();
    let received = false;
    channel.port1.onmessage = () => {
      received = true;
      channel.port1.close();
    };
    channel.port2.postMessage('cancel');
    await yieldToEventLoop();
    expect(received).toBe(true);
  });
});

describe('jsonTextAsAscii (the browsers\' faster decoding of a run of features)', () => {
  const fatal = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  const reference = (bytes: Uint8Array): string | null => {
    try {
      return fatal.decode(bytes);
    } catch {
      return null;
    }
  };
  // eslint-disable-next-line no-control-regex
  const onlyAscii = (text: string) => /^[\u0000-\u007f]*$/.test(text);

  test('JSON parses to the same values as the decoded bytes; the text is ASCII', () => {
    let state = 7;
    const random = () => (state = (state * 1103515245 + 12345) % 2147483648) / 2147483648;
    const randomText = (length: number) =>
      String.fromCodePoint(
        ...Array.from({ length }, () => {
          const kind = random();
          const point = kind < 0.4 ? Math.floor(random() * 0x80) : kind < 0.6 ? 0x80 + Math.floor(random() * 0x780) : kind < 0.85 ? Math.floor(random() * 0x10000) : 0x10000 + Math.floor(random() * 0x100000);
          return point >= 0xd800 && point <= 0xdfff ? 0x41 : point;
        }),
      );
    const values = [{ 名称: '机井😀号', bom: '\uFEFF', edge: '\u0080\u07ff\u0800\uffff' + String.fromCodePoint(0x10000, 0x10ffff), quoted: 'a "b" \\ c\n' }];
    for (let round = 0; round < 300; round += 1) values.push({ [randomText(3)]: randomText(40), list: [randomText(5), { nested: randomText(8) }] } as never);
    const text = JSON.stringify(values);
    const ascii = jsonTextAsAscii(encoder.encode(text));
    expect(ascii).not.toBeNull();
    expect(onlyAscii(ascii!)).toBe(true);
    expect(JSON.parse(ascii!)).toEqual(values);
  });

  test('null for every byte sequence a fatal TextDecoder refuses, and for a character beyond ASCII escaped by a backslash', () => {
    const cases: number[][] = [];
    for (let first = 0; first < 256; first += 1) for (let second = 0; second < 256; second += 1) cases.push([first, second], [0x41, first, second]);
    for (let lead = 0xe0; lead <= 0xff; lead += 1) {
      for (let second = 0; second < 256; second += 1) cases.push([lead, second, 0x80], [lead, second, 0xbf], [lead, second, 0x41], [lead, second, 0x80, 0x80], [lead, second, 0xbf, 0xbf], [lead, second, 0x80, 0x41], [lead, second]);
    }
    for (const bytes of cases) {
      const input = new Uint8Array(bytes);
      const expected = reference(input);
      const ascii = jsonTextAsAscii(input);
      const label = bytes.map((byte) => byte.toString(16)).join(' ');
      if (expected === null) expect(ascii, label).toBeNull();
      // eslint-disable-next-line no-control-regex
      else if (!/["\\\u0000-\u001f]/.test(expected)) expect(JSON.parse(`"${ascii}"`), label).toBe(expected);
    }
    // "\测" is not JSON (an unknown escape); "\\u6d4b" would be: the rewrite must not turn one into the other.
    expect(jsonTextAsAscii(encoder.encode('["\\测"]'))).toBeNull();
    expect(jsonTextAsAscii(encoder.encode('["\\\\\\测"]'))).toBeNull();
    expect(() => JSON.parse('["\\测"]')).toThrow();
    // An escaped backslash before it is fine.
    expect(JSON.parse(jsonTextAsAscii(encoder.encode('["\\\\测"]'))!)).toEqual(['\\测']);
  });
});
