// Issue 13 items 4, 5, 6 and 22: values read as their fields define them, features are named by
// their display field or a readable code (never a UUID), years have no thousands separator, and
// English mode is English down to the map attribution and "1 photo".
import { test, expect } from './helpers/test';
import { MapDriver } from './drivers/map-driver';
import { ProgressDriver } from './drivers/progress-driver';
import { EditingDriver } from './drivers/editing';

const wellsTarget = 'wells-non-agricultural-2021';
const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
// A 2×2 red PNG.
const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAEklEQVR4nGP4z8DAwMDAwMDAAAANAAH/8a5aNQAAAABJRU5ErkJggg==', 'base64');

test.describe('values as people read them', () => {
  test('a programme year shows as 2021, not 2,021; the history shows status labels, not codes', async ({ page }) => {
    const map = new MapDriver(page);
    const progress = new ProgressDriver(page);
    const editing = new EditingDriver(page);
    await map.open();

    await editing.openFromSearch('HS-PP-2020-01', 'HS-PP-2020-01');
    await expect(editing.attribute('建设年度')).toHaveText('2020');

    await progress.openProgress();
    const { id } = await progress.firstOverdue(wellsTarget);
    await progress.openOverdueFeature(wellsTarget, id);
    const statusBefore = (await editing.panel.getByTestId('feature-status').textContent()) ?? '';
    await progress.changeStatus('已封填', '2021-06-30');
    await editing.panel.locator('details.history summary').click();
    const newest = editing.panel.getByTestId('history-entry').first();
    await expect(newest.locator('.history-diff li')).toHaveText([`关停状态: ${statusBefore} → 已封填`, '封填日期: — → 2021-06-30']);
  });

  test('a well drawn here gets a readable code (prefix, device tag, sequence), keeps a UUID inside, and undo names it', async ({ page }) => {
    test.setTimeout(600_000);
    const editing = new EditingDriver(page);
    await editing.open();
    const origin = await editing.emptySpot(17, 60);
    const codes: string[] = [];
    const ids: string[] = [];
    for (const [index, name] of ['勘测新增井', ''].entries()) {
      await editing.startNewFeature('地下水取水井');
      await editing.clickAt(await editing.pixelOf([origin[0] + index * 0.0004, origin[1]]));
      await editing.fillForm('地下水取水井', { ...(name ? { '井名/用水单位': name } : {}), '取水井类别 *': '非农业取水井', '用途 *': '工业' });
      const id = await editing.saveForm('地下水取水井');
      expect(id, 'the feature id stays a UUID').toMatch(uuid);
      const code = (await editing.panel.getByTestId('feature-code').textContent()) ?? '';
      expect(code).toMatch(new RegExp(`^HS-W-[0-9A-F]{6}-000${index + 1}$`));
      expect((await editing.storedFeature('wells', id))!.properties.featureCode).toBe(code);
      codes.push(code);
      ids.push(id);
      // The undo button names what it would undo: the display field, else the code — never the UUID.
      const title = (await page.getByRole('button', { name: '撤销', exact: true }).getAttribute('title')) ?? '';
      expect(title).toContain(name || code);
      expect(title).not.toContain(id);
    }
    expect(codes[0]!.slice(0, -4), 'one device, one tag').toBe(codes[1]!.slice(0, -4));

    // Found by its code.
    await editing.openFromSearch(codes[0]!, ids[0]!);
    await expect(editing.panel.getByTestId('feature-code')).toHaveText(codes[0]!);
  });

  test('in English the map attribution is English and one photo is "1 photo"', async ({ page }) => {
    const map = new MapDriver(page);
    const progress = new ProgressDriver(page);
    await map.open();
    const attribution = page.locator('.maplibregl-ctrl-attrib');
    await expect(attribution).toContainText('河流: GSHHG (LGPL)');

    await page.getByRole('button', { name: '语言' }).click();
    await expect(attribution).toContainText('Rivers: GSHHG (LGPL)');
    await expect(attribution).toContainText('County boundaries: DataV.GeoAtlas');
    await expect(attribution).not.toContainText(/[县市河湖驻]/);

    await page.getByRole('tab', { name: 'Progress', exact: true }).click();
    const { id } = await progress.firstOverdue(wellsTarget);
    await progress.openOverdueFeature(wellsTarget, id);
    const panel = page.locator('.feature-panel');
    await panel.getByLabel('Add photos (file or camera)').setInputFiles({ name: 'well.png', mimeType: 'image/png', buffer: png });
    await expect(panel.getByTestId('photo-state')).toHaveText('1 photo saved');
  });
});
