// The geometry editor (renderer/src/map/geometry-editor.ts) on a bare MapLibre page, driven with
// the mouse and the keyboard: draw, finish (Enter / double-click), cancel (Esc), refuse a crossing,
// snap to an existing feature, reshape and delete a vertex.
import { GeometryEditorPage, expect, startGeometryEditorHarness, test, type HarnessServer } from './helpers/geometry-editor-harness';

// A small map: the page renders with software WebGL on the test machines.
test.use({ viewport: { width: 960, height: 600 } });

let server: HarnessServer;
test.beforeAll(async () => {
  server = await startGeometryEditorHarness();
});
test.afterAll(async () => {
  await server?.stop();
});

type Pixel = { x: number; y: number };
const at = (x: number, y: number): Pixel => ({ x, y });

async function openEditor(page: GeometryEditorPage['page']): Promise<GeometryEditorPage> {
  const editor = new GeometryEditorPage(page);
  await editor.open(server.url);
  return editor;
}

function ringOf(geometry: unknown): number[][] {
  expect((geometry as { type: string }).type).toBe('Polygon');
  return (geometry as { coordinates: number[][][] }).coordinates[0]!;
}

/** The same vertices, whatever the ring's start and direction (results follow the right-hand rule). */
function expectSameVertices(ring: number[][], expected: number[][]): void {
  expect(ring).toHaveLength(expected.length + 1);
  expect(ring[ring.length - 1]).toEqual(ring[0]);
  for (const position of expected) {
    const nearest = Math.min(...ring.map((vertex) => Math.hypot(vertex[0]! - position[0]!, vertex[1]! - position[1]!)));
    expect(nearest, `vertex ${position.join(', ')}`).toBeLessThan(1e-7);
  }
}

test('draws a polygon: clicks then Enter, and clicks then a double-click', async ({ page, pageProblems: _ }) => {
  const editor = await openEditor(page);
  const corners = [at(500, 300), at(700, 300), at(700, 500), at(500, 500)];
  const expected = await Promise.all(corners.map((corner) => editor.positionAt(corner)));

  await editor.startDrawing('polygon');
  for (const corner of corners) await editor.clickAt(corner);
  await editor.press('Enter');
  expectSameVertices(ringOf(await editor.result(1)), expected);

  await editor.startDrawing('polygon');
  for (const corner of corners.slice(0, 3)) await editor.clickAt(corner);
  await editor.doubleClickAt(corners[3]!);
  expectSameVertices(ringOf(await editor.result(2)), expected);
  expect(await editor.isActive()).toBe(false);
  expect(await editor.problems()).toEqual([]);
});

test('Esc cancels a drawing and leaves nothing on the map', async ({ page, pageProblems: _ }) => {
  const editor = await openEditor(page);
  await editor.startDrawing('polygon');
  await editor.clickAt(at(500, 300));
  await editor.clickAt(at(700, 300));
  expect(await editor.renderedEditorFeatureCount()).toBeGreaterThan(0);
  await editor.press('Escape');
  expect(await editor.result(1)).toBeNull();
  expect(await editor.isActive()).toBe(false);
  await expect.poll(() => editor.renderedEditorFeatureCount()).toBe(0);
});

test('a click that would make the polygon cross itself is refused and the editor stays open', async ({ page, pageProblems: _ }) => {
  const editor = await openEditor(page);
  await editor.startDrawing('polygon');
  // A bow tie: the fourth vertex's edges cross the first edge.
  for (const corner of [at(500, 300), at(700, 500), at(700, 300), at(500, 500)]) await editor.clickAt(corner);
  expect((await editor.problems()).map((problem) => problem.code)).toContain('self-intersection');
  expect(await editor.isActive()).toBe(true);
  expect(await editor.resultCount()).toBe(0);
  // Still drawing: Enter finishes with the three vertices that were accepted.
  await editor.press('Enter');
  expect(ringOf(await editor.result(1))).toHaveLength(4);
});

test('a click within the snapping distance lands exactly on an existing vertex, or on an edge', async ({ page, pageProblems: _ }) => {
  const editor = await openEditor(page);
  // Stored with terra-draw's 9 decimals (≈0.1 mm), so a snapped vertex can equal one exactly.
  const existing = (await Promise.all([at(800, 300), at(900, 300), at(900, 200), at(800, 200)].map((corner) => editor.positionAt(corner)))).map(
    (position) => position.map((value) => Math.round(value * 1e9) / 1e9),
  );
  await editor.setSnapSources([{ type: 'Feature', properties: {}, geometry: { type: 'Polygon', coordinates: [[...existing, existing[0]!]] } }]);

  await editor.startDrawing('polygon');
  await editor.clickAt(at(805, 304)); // 6.4 px from the existing corner
  await editor.clickAt(at(850, 306)); // 6 px below the existing bottom edge, far from its corners
  await editor.clickAt(at(850, 450));
  await editor.clickAt(at(700, 450));
  await editor.press('Enter');
  const ring = ringOf(await editor.result(1));
  expect(ring).toHaveLength(5);
  expect(ring).toContainEqual(existing[0]);
  const pixels = await Promise.all(ring.map((position) => editor.pixelOf(position as [number, number])));
  expect(pixels.some((pixel) => Math.abs(pixel.y - 300) < 0.5 && Math.abs(pixel.x - 850) < 0.5), 'a vertex on the existing edge').toBe(true);
  // Far from anything: not moved.
  expectSameVertices(ring, [existing[0]!, await editor.positionAt(pixels.find((pixel) => Math.abs(pixel.y - 300) < 0.5)!), await editor.positionAt(at(850, 450)), await editor.positionAt(at(700, 450))]);
});

test('reshaping: drag a vertex, pick one and Delete it, Enter finishes', async ({ page, pageProblems: _ }) => {
  const editor = await openEditor(page);
  const pentagon = await Promise.all([at(500, 300), at(700, 300), at(750, 450), at(600, 550), at(450, 450)].map((corner) => editor.positionAt(corner)));
  await editor.startEditing({ type: 'Polygon', coordinates: [[...pentagon, pentagon[0]!]] });

  await editor.drag(at(500, 300), at(520, 260));
  const moved = await editor.positionAt(at(520, 260));

  await editor.clickAt(at(750, 450));
  expect(await editor.selectedVertex()).toBe(2);
  await editor.press('Delete');
  await editor.press('Enter');
  const ring = ringOf(await editor.result(1));
  expectSameVertices(ring, [moved, pentagon[1]!, pentagon[3]!, pentagon[4]!]);
  expect(await editor.problems()).toEqual([]);
});
