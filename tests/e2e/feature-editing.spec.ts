// Geometry editing in the app (issue 4 "Field survey offline"): new features drawn on the map with
// the form generated from the layer definition, reshaping with snapping and vertex deletion,
// invalid shapes refused, Esc writing nothing, delete, and the issue's Done-when: "draw a polygon
// park with the form filled in, attach a photo, reload: it is there with its photo; undo twice
// after a restart removes exactly the last two edits; redo restores them."
import path from 'node:path';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { test, expect } from './helpers/test';
import { EditingDriver, type LonLat, type StoredFeature } from './drivers/editing';
import { geodesicAreaSquareMeters, pointInPolygon } from '../../shared/geo';
import type { Geometry } from '../../shared/model';

const here = path.dirname(fileURLToPath(import.meta.url));
const photo = path.resolve(here, '../fixtures/photos/pocket-park.jpg');
const counties = JSON.parse(readFileSync(path.resolve(here, '../../geodata/hengshui-counties.geojson'), 'utf8')) as {
  features: { properties: { adcode: number; name: string }; geometry: Parameters<typeof pointInPolygon>[1] }[];
};

/** Where to draw: offsets (in degrees) from an empty spot. */
const offset = (origin: LonLat, dLon: number, dLat: number): LonLat => [origin[0] + dLon, origin[1] + dLat];

function outerRing(feature: StoredFeature | null): LonLat[] {
  expect(feature, 'stored feature').not.toBeNull();
  expect(feature!.geometry.type).toBe('Polygon');
  const ring = (feature!.geometry.coordinates as LonLat[][])[0]!;
  expect(ring[ring.length - 1], 'closed ring').toEqual(ring[0]);
  return ring.slice(0, -1);
}

/** The ring holds exactly these vertices (any start and direction), each within `tolerance` degrees. */
function expectVertices(ring: readonly LonLat[], expected: readonly LonLat[], tolerance: number): void {
  expect(ring).toHaveLength(expected.length);
  for (const position of expected) {
    const nearest = Math.min(...ring.map((vertex) => Math.hypot(vertex[0] - position[0], vertex[1] - position[1])));
    expect(nearest, `a vertex at ${position.join(', ')}`).toBeLessThanOrEqual(tolerance);
  }
}

function countyContaining(position: LonLat): number | null {
  return counties.features.find((county) => pointInPolygon(position, county.geometry))?.properties.adcode ?? null;
}

test.describe('geometry editing in the app', () => {
  test('Done-when: a polygon park drawn with its form and a photo survives a reload; undo twice after the restart removes exactly the last two edits; redo restores them', async ({ page }) => {
    test.setTimeout(600_000);
    const editing = new EditingDriver(page);
    await editing.open();
    const origin = await editing.emptySpot(17, 260);

    // Draw: four corners, the last with a double-click.
    const corners = [offset(origin, -0.0012, -0.0008), offset(origin, 0.0012, -0.0008), offset(origin, 0.0012, 0.0008), offset(origin, -0.0012, 0.0008)];
    const pixels = await Promise.all(corners.map((corner) => editing.pixelOf(corner)));
    const clicked = await Promise.all(pixels.map((pixel) => editing.positionAt(pixel)));
    await editing.startNewFeature('口袋公园');
    await expect(editing.status.getByRole('status')).toHaveText(/单击添加顶点/);
    const zoomBefore = await editing.zoom();
    await editing.drawShape(pixels);
    const dialog = editing.newFeatureDialog('口袋公园');
    await expect(dialog).toBeVisible();
    await editing.waitForIdle();
    expect(await editing.zoom(), 'the double-click that finished the polygon did not zoom the map').toBe(zoomBefore);
    await expect(dialog.getByTestId('new-feature-geometry')).toContainText('4 个顶点');
    const journalBefore = await editing.journalCount();

    // The form refuses to save without its required fields.
    await dialog.getByRole('button', { name: '保存要素' }).click();
    await expect(dialog.getByText('有 2 项需要更正，未保存')).toBeVisible();
    await expect(dialog.getByRole('alert')).toHaveText(['必填', '必填']);
    await editing.fillForm('口袋公园', { '建设年度 *': '1999' });
    await dialog.getByRole('button', { name: '保存要素' }).click();
    await expect(dialog.getByRole('alert').filter({ hasText: '不能小于 2000' })).toBeVisible();
    expect(await editing.journalCount(), 'nothing written while the form is invalid').toBe(journalBefore);

    // Edit 1: the park, with its form filled in — one create.
    await editing.fillForm('口袋公园', { '名称 *': '测试口袋公园', '建设年度 *': '2021', '备注': '实地勘测新增' });
    const id = await editing.saveForm('口袋公园');
    expect(await editing.journalCount()).toBe(journalBefore + 1);
    await expect(editing.attribute('名称')).toHaveText('测试口袋公园');
    const created = await editing.storedFeature('pocket-parks', id);
    expect(created).toMatchObject({ layerId: 'pocket-parks', status: 'planned', properties: { name: '测试口袋公园', planYear: 2021, note: '实地勘测新增' } });
    expect(created!.county, 'the county containing the park').toBe(countyContaining(origin));
    expect(created!.county).not.toBeNull();
    expectVertices(outerRing(created), clicked, 1e-8);

    // Edit 2: a photo from a file.
    await editing.panel.getByLabel('添加照片（文件或相机）').setInputFiles(photo);
    await expect(editing.panel.getByTestId('photo-state')).toHaveText('已保存 1 张照片');
    // Edit 3: an attribute.
    await editing.panel.getByRole('button', { name: '编辑属性' }).click();
    await editing.panel.getByLabel('位置', { exact: true }).fill('人民路与和平街交叉口');
    await editing.panel.locator('.attribute-form').getByRole('button', { name: '保存' }).click();
    await expect(editing.attribute('位置')).toHaveText('人民路与和平街交叉口');
    const journalBeforeRestart = await editing.journalCount();
    expect(journalBeforeRestart).toBe(journalBefore + 3);

    // Restart (the web shell: reload the page; the store is the same).
    await page.reload();
    await editing.waitForIdle();
    const stored = await editing.storedFeature('pocket-parks', id);
    expectVertices(outerRing(stored), clicked, 1e-8);
    const drawnArea = geodesicAreaSquareMeters({ type: 'Polygon', coordinates: [[...clicked, clicked[0]!]] } as Geometry);
    // The same area as drawn, but for the store's 9-decimal (≈0.1 mm) positions.
    expect(Math.abs(geodesicAreaSquareMeters(stored!.geometry as Geometry) - drawnArea) / drawnArea).toBeLessThan(1e-6);
    expect(drawnArea, 'about 210 m × 180 m').toBeGreaterThan(30_000);
    await editing.openFromSearch('测试口袋公园', id);
    await expect(editing.panel.getByTestId('photo')).toHaveCount(1);
    await expect(editing.panel.getByTestId('photo').locator('img')).toHaveAttribute('alt', 'pocket-park.jpg');
    await expect(editing.attribute('位置')).toHaveText('人民路与和平街交叉口');
    await editing.waitForIdle();
    expect(await editing.renderedCount('pocket-parks', id), 'the park is drawn on the map').toBeGreaterThan(0);

    // Undo twice: the attribute edit, then the photo — and nothing else.
    await page.getByRole('button', { name: '撤销', exact: true }).click();
    await expect(editing.attribute('位置')).toHaveText('—');
    await expect(editing.panel.getByTestId('photo')).toHaveCount(1);
    await page.getByRole('button', { name: '撤销', exact: true }).click();
    await expect(editing.panel.getByTestId('photo')).toHaveCount(0);
    await expect(editing.attribute('名称')).toHaveText('测试口袋公园');
    const afterUndo = await editing.storedFeature('pocket-parks', id);
    expect(afterUndo, 'the park itself is still there').not.toBeNull();
    expect(afterUndo!.properties).toEqual(created!.properties);
    expect(afterUndo!.geometry).toEqual(created!.geometry);
    expect(await editing.journalCount(), 'each undo is one journaled change').toBe(journalBeforeRestart + 2);

    // Redo twice: the photo, then the attribute.
    await page.getByRole('button', { name: '重做', exact: true }).click();
    await expect(editing.panel.getByTestId('photo')).toHaveCount(1);
    await expect(editing.attribute('位置')).toHaveText('—');
    await page.getByRole('button', { name: '重做', exact: true }).click();
    await expect(editing.attribute('位置')).toHaveText('人民路与和平街交叉口');
    expect((await editing.storedFeature('pocket-parks', id))!.properties).toEqual({ ...created!.properties, address: '人民路与和平街交叉口' });
  });

  test('reshape: a vertex dragged near another park\'s corner snaps onto it exactly, a picked vertex is deleted, Enter saves one update', async ({ page }) => {
    test.setTimeout(600_000);
    const editing = new EditingDriver(page);
    await editing.open();
    const origin = await editing.emptySpot(17, 230);
    // Two squares side by side (each ≈ 70 m), 75 px apart.
    const square = (west: number): LonLat[] => [offset(origin, west, -0.0004), offset(origin, west + 0.0008, -0.0004), offset(origin, west + 0.0008, 0.0004), offset(origin, west, 0.0004)];
    const idA = await editing.createPolygon('口袋公园', square(-0.001), { '名称 *': '甲地块', '建设年度 *': '2021' });
    const idB = await editing.createPolygon('口袋公园', square(0.0002), { '名称 *': '乙地块', '建设年度 *': '2021' });
    const a = outerRing(await editing.storedFeature('pocket-parks', idA));
    const b = outerRing(await editing.storedFeature('pocket-parks', idB));
    const byCorner = (ring: LonLat[], east: boolean, north: boolean) =>
      ring.reduce((best, vertex) => ((east ? vertex[0] - best[0] : best[0] - vertex[0]) + (north ? vertex[1] - best[1] : best[1] - vertex[1]) > 0 ? vertex : best));
    const [aSW, aSE, aNE, aNW] = [byCorner(a, false, false), byCorner(a, true, false), byCorner(a, true, true), byCorner(a, false, true)];
    const bNW = byCorner(b, false, true);

    // Pick park A on the map, edit its shape: the map hides A's own drawing while the editor shows its copy.
    await editing.clickAt(await editing.pixelOf(offset(origin, -0.0006, 0)));
    await expect(editing.panel).toHaveAttribute('data-feature-id', idA);
    await editing.waitForIdle();
    expect(await editing.renderedCount('pocket-parks', idA)).toBeGreaterThan(0);
    const journalBefore = await editing.journalCount();
    await editing.startEditingGeometry();
    await expect.poll(() => editing.renderedCount('pocket-parks', idA)).toBe(0);

    // Drag A's north-east corner to 5 px beside B's north-west corner: it lands exactly on it.
    const target = await editing.pixelOf(bNW);
    await editing.drag(await editing.pixelOf(aNE), { x: target.x - 4, y: target.y + 3 });
    // A click on park B while editing does not select it.
    await editing.clickAt(await editing.pixelOf(offset(origin, 0.0006, -0.0002)));
    await expect(editing.panel).toHaveAttribute('data-feature-id', idA);
    // Pick A's south-west corner and delete it; Enter finishes.
    await editing.clickAt(await editing.pixelOf(aSW));
    await page.keyboard.press('Delete');
    await page.keyboard.press('Enter');
    await expect(editing.panel.getByTestId('geometry-state')).toHaveText('图形已保存');
    await expect(editing.status).toBeHidden();

    const reshaped = outerRing(await editing.storedFeature('pocket-parks', idA));
    const sorted = (ring: LonLat[]) => [...ring].sort((p, q) => p[0] - q[0] || p[1] - q[1]);
    expect(sorted(reshaped), 'A: its south-east and north-west corners, and B\'s north-west corner exactly').toEqual(sorted([aSE, bNW, aNW]));
    expect(await editing.journalCount(), 'one update').toBe(journalBefore + 1);
    expect(outerRing(await editing.storedFeature('pocket-parks', idB)), 'B is untouched').toEqual(b);
    await editing.waitForIdle();
    expect(await editing.renderedCount('pocket-parks', idA), 'A is drawn again').toBeGreaterThan(0);
  });

  test('a self-intersecting polygon is refused with a message, drawn or reshaped, and nothing is written', async ({ page }) => {
    test.setTimeout(600_000);
    const editing = new EditingDriver(page);
    await editing.open();
    const origin = await editing.emptySpot(17, 230);
    const journalBefore = await editing.journalCount();

    // Drawing a bow tie: the fourth vertex would cross the first edge.
    await editing.startNewFeature('口袋公园');
    for (const corner of [offset(origin, -0.0005, 0.0004), offset(origin, 0.0005, -0.0004), offset(origin, 0.0005, 0.0004), offset(origin, -0.0005, -0.0004)]) {
      await editing.clickAt(await editing.pixelOf(corner));
    }
    await expect(editing.problem).toHaveText('图形不能自相交：这一步未被接受');
    await expect(editing.problem).toHaveAttribute('role', 'alert');
    await page.keyboard.press('Escape');
    await expect(editing.status).toBeHidden();
    await expect(page.getByRole('dialog')).toHaveCount(0);
    expect(await editing.journalCount(), 'nothing written').toBe(journalBefore);

    // Reshaping a park so that it crosses itself.
    const corners = [offset(origin, -0.0005, -0.0004), offset(origin, 0.0005, -0.0004), offset(origin, 0.0005, 0.0004), offset(origin, -0.0005, 0.0004)];
    const id = await editing.createPolygon('口袋公园', corners, { '名称 *': '丙地块', '建设年度 *': '2021' });
    const before = await editing.storedFeature('pocket-parks', id);
    const journalAfterCreate = await editing.journalCount();
    await editing.startEditingGeometry();
    // The north-east corner dragged below the south edge, past the south-west corner.
    await editing.drag(await editing.pixelOf(corners[2]!), await editing.pixelOf(offset(origin, -0.0003, -0.0008)));
    await expect(editing.problem).toHaveText('图形不能自相交：这一步未被接受');
    await page.keyboard.press('Escape');
    await expect(editing.panel.getByTestId('geometry-state')).toHaveText('已取消，未保存');
    expect(await editing.journalCount(), 'nothing written').toBe(journalAfterCreate);
    expect(await editing.storedFeature('pocket-parks', id)).toEqual(before);
  });

  test('Esc during an edit writes nothing and Ctrl+Z does not undo under it; delete asks first and undo brings the park back', async ({ page }) => {
    test.setTimeout(600_000);
    const editing = new EditingDriver(page);
    await editing.open();
    const origin = await editing.emptySpot(17, 230);
    const corners = [offset(origin, -0.0005, -0.0004), offset(origin, 0.0005, -0.0004), offset(origin, 0.0005, 0.0004), offset(origin, -0.0005, 0.0004)];
    const id = await editing.createPolygon('口袋公园', corners, { '名称 *': '丁地块', '建设年度 *': '2021' });
    const before = await editing.storedFeature('pocket-parks', id);
    const journalBefore = await editing.journalCount();

    await editing.startEditingGeometry();
    await expect(page.getByRole('button', { name: '撤销', exact: true }), 'undo is off while a shape is edited').toBeDisabled();
    await editing.drag(await editing.pixelOf(corners[2]!), await editing.pixelOf(offset(origin, 0.0008, 0.0007)));
    await editing.drag(await editing.pixelOf(offset(origin, 0, 0)), await editing.pixelOf(offset(origin, 0.0002, 0.0001)));
    await page.keyboard.press('Control+z');
    await page.keyboard.press('Escape');
    await expect(editing.status).toBeHidden();
    await expect(editing.panel.getByTestId('geometry-state')).toHaveText('已取消，未保存');
    expect(await editing.journalCount(), 'neither the edit nor an undo was written').toBe(journalBefore);
    expect(await editing.storedFeature('pocket-parks', id)).toEqual(before);
    await editing.waitForIdle();
    expect(await editing.renderedCount('pocket-parks', id), 'the park is drawn again').toBeGreaterThan(0);

    // Delete: asks first; "keep it" writes nothing.
    await editing.panel.getByRole('button', { name: '删除要素' }).click();
    await editing.panel.getByRole('alertdialog', { name: '删除要素' }).getByRole('button', { name: '不删除' }).click();
    expect(await editing.journalCount()).toBe(journalBefore);
    await editing.panel.getByRole('button', { name: '删除要素' }).click();
    await editing.panel.getByRole('alertdialog', { name: '删除要素' }).getByRole('button', { name: '确认删除' }).click();
    await expect(editing.panel.getByTestId('feature-missing')).toHaveText('要素已删除（可撤销）');
    expect(await editing.storedFeature('pocket-parks', id)).toBeNull();
    expect(await editing.journalCount()).toBe(journalBefore + 1);
    await editing.waitForIdle();
    expect(await editing.renderedCount('pocket-parks', id)).toBe(0);

    await page.getByRole('button', { name: '撤销', exact: true }).click();
    await expect(editing.panel).toHaveAttribute('data-feature-id', id);
    const restored = await editing.storedFeature('pocket-parks', id);
    expect(restored).toMatchObject({ geometry: before!.geometry, properties: before!.properties, county: before!.county });
  });

  test('a new well drawn as a point: the form refuses missing required values and an out-of-range depth, then saves one create', async ({ page }) => {
    test.setTimeout(600_000);
    const editing = new EditingDriver(page);
    await editing.open();
    const origin = await editing.emptySpot(17, 60);
    const layers = JSON.parse(readFileSync(path.resolve(here, '../../seeds/layers.json'), 'utf8')) as { id: string; fields: { key: string; values?: { value: string; label: { zh: string } }[] }[] }[];
    const wellFields = layers.find((layer) => layer.id === 'wells')!.fields;
    const optionValue = (key: string, label: string) => wellFields.find((field) => field.key === key)!.values!.find((option) => option.label.zh === label)!.value;
    const journalBefore = await editing.journalCount();

    const pixel = await editing.pixelOf(origin);
    const clicked = await editing.positionAt(pixel);
    await editing.startNewFeature('地下水取水井');
    await expect(editing.status.getByRole('status')).toHaveText('单击地图放置点，Esc 取消');
    await editing.clickAt(pixel);
    const dialog = editing.newFeatureDialog('地下水取水井');
    await expect(dialog).toBeVisible();
    await editing.fillForm('地下水取水井', { '井名/用水单位': '勘测新增井', '井深 (米)': '3000' });
    await dialog.getByRole('button', { name: '保存要素' }).click();
    await expect(dialog.getByText('有 3 项需要更正，未保存')).toBeVisible();
    await expect(dialog.getByRole('alert')).toHaveText(['必填', '必填', '不能大于 2000']);
    await expect(dialog.getByLabel('取水井类别 *')).toHaveAttribute('aria-invalid', 'true');
    // Refused by the form itself, before any write was tried (the store would refuse it too).
    await expect(dialog.getByTestId('new-feature-state')).toHaveText('');
    expect(await editing.journalCount(), 'nothing written').toBe(journalBefore);

    await editing.fillForm('地下水取水井', { '取水井类别 *': '非农业取水井', '用途 *': '工业', '井深 (米)': '120' });
    const id = await editing.saveForm('地下水取水井');
    expect(await editing.journalCount()).toBe(journalBefore + 1);
    const stored = await editing.storedFeature('wells', id);
    expect(stored).toMatchObject({
      layerId: 'wells',
      status: 'registered',
      properties: { name: '勘测新增井', wellClass: optionValue('wellClass', '非农业取水井'), useType: optionValue('useType', '工业'), depthM: 120 },
    });
    expect(stored!.geometry.type).toBe('Point');
    const [lon, lat] = stored!.geometry.coordinates as LonLat;
    expect(Math.hypot(lon - clicked[0], lat - clicked[1])).toBeLessThan(1e-8);
    expect(stored!.county).toBe(countyContaining(clicked));
    await expect(editing.attribute('取水井类别')).toHaveText('非农业取水井');
  });
});
