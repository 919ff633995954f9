// 我的位置 in the web shell, with Playwright's geolocation emulation (Chromium's watchPosition gets
// each position set on the context): the dot and the accuracy circle where the fix is, accuracy and
// age shown, follow mode, a pan ending it, "add at my position" writing a well at the fix, a stale
// fix, and a denied permission.
import { test, expect } from './helpers/test';
import { MapDriver } from './drivers/map-driver';
import { EditingDriver } from './drivers/editing';
import { GpsDriver, metresBetween, north, type LonLat } from './drivers/gps-driver';

// Inside 桃城区, Hengshui (WGS84).
const firstFix: LonLat = [115.6721, 37.7398];
const secondFix: LonLat = [115.6748, 37.7421];
const thirdFix: LonLat = [115.6759, 37.7439];
const accuracyM = 30;

test.describe('GPS: my position', () => {
  // Generous: the map's first load can take minutes when other runs share the two cores.
  test.describe.configure({ timeout: 360_000 });

  test('draws the fix with its accuracy circle, follows it, and a pan ends following', async ({ page, context, baseURL }) => {
    await context.grantPermissions(['geolocation'], { origin: new URL(baseURL!).origin });
    const map = new MapDriver(page);
    const gps = new GpsDriver(page);
    await gps.open();
    // Set just before starting: the emulated position is stamped with the time it was set.
    await context.setGeolocation({ longitude: firstFix[0], latitude: firstFix[1], accuracy: accuracyM });
    await gps.start();

    await expect(gps.accuracy).toHaveText('±30 米');
    await expect(gps.control.getByTestId('gps-source')).toHaveText('设备定位');
    await expect(gps.age).toHaveText(/^\d+ 秒前$/);
    await expect(gps.control.getByTestId('gps-status')).toHaveAttribute('data-stale', 'false');

    // Follow: the map zooms in to street level, centred on the fix.
    await gps.follow.check();
    await gps.expectCentredOn(firstFix);
    expect(await gps.zoom()).toBeGreaterThanOrEqual(16);
    await map.waitForIdle();

    // One dot, exactly at the fix; the accuracy circle covers 25 m from it, not 40 m.
    await expect.poll(() => gps.renderedDots()).toEqual([{ lon: expect.closeTo(firstFix[0], 6), lat: expect.closeTo(firstFix[1], 6), stale: expect.any(Boolean) }]);
    expect(await gps.drawnAt('gps:position', firstFix)).toBe(true);
    expect(await gps.drawnAt('gps:accuracy-fill', north(firstFix, 25))).toBe(true);
    expect(await gps.drawnAt('gps:accuracy-fill', north(firstFix, 40))).toBe(false);
    // The circle's vertices are all at the accuracy radius from the fix.
    const radii = await page.evaluate(async () => {
      const data = (await (window.__onemap!.map.getSource('gps-accuracy') as unknown as { getData(): Promise<{ features: { geometry: { coordinates: number[][][] } }[] }> }).getData()) as {
        features: { geometry: { coordinates: number[][][] } }[];
      };
      return data.features[0]!.geometry.coordinates[0]!;
    });
    for (const vertex of radii) expect(Math.abs(metresBetween(firstFix, vertex as LonLat) - accuracyM)).toBeLessThan(0.2);

    // The device moves: the dot and the map follow it.
    await context.setGeolocation({ longitude: secondFix[0], latitude: secondFix[1], accuracy: 8 });
    await expect(gps.accuracy).toHaveText('±8.0 米');
    await gps.expectCentredOn(secondFix);
    await expect.poll(() => gps.renderedDots()).toEqual([{ lon: expect.closeTo(secondFix[0], 6), lat: expect.closeTo(secondFix[1], 6), stale: expect.any(Boolean) }]);

    // The user pans: following ends; the next fix moves the dot but not the map.
    await gps.pan(-180, 120);
    await expect(gps.follow).not.toBeChecked();
    const panned = await gps.settledCentre();
    expect(metresBetween(panned, secondFix)).toBeGreaterThan(50);
    await context.setGeolocation({ longitude: thirdFix[0], latitude: thirdFix[1], accuracy: 8 });
    await expect(gps.control.getByTestId('gps-coordinates')).toHaveText(`${thirdFix[0].toFixed(7)}, ${thirdFix[1].toFixed(7)}`);
    await map.waitForIdle();
    expect(metresBetween(await gps.settledCentre(), panned)).toBeLessThan(0.5);
    expect(await gps.drawnAt('gps:position', thirdFix)).toBe(true);

    // Stop: the dot goes away.
    await gps.control.getByRole('button', { name: '停止定位' }).click();
    await map.waitForIdle();
    await expect.poll(() => gps.renderedDots()).toEqual([]);
  });

  test('adds a well at the fix through the new-feature form, read back from the store', async ({ page, context, baseURL }) => {
    await context.grantPermissions(['geolocation'], { origin: new URL(baseURL!).origin });
    const gps = new GpsDriver(page);
    const editing = new EditingDriver(page);
    await gps.open();
    // Set just before starting: the emulated position is stamped with the time it was set.
    await context.setGeolocation({ longitude: firstFix[0], latitude: firstFix[1], accuracy: 5 });
    await gps.start();
    await expect(gps.accuracy).toHaveText('±5.0 米');

    await expect(gps.control.getByRole('combobox', { name: '添加到图层' })).toHaveValue('wells');
    await gps.control.getByRole('button', { name: '添加到我的位置' }).click();
    const dialog = editing.newFeatureDialog('地下水取水井');
    await expect(dialog).toBeVisible();
    await expect(dialog.getByTestId('new-feature-geometry')).toContainText(firstFix[0].toFixed(6));
    await expect(dialog.getByTestId('new-feature-county')).toContainText('桃城区');
    await editing.fillForm('地下水取水井', { '取水井类别 *': '非农业取水井', '用途 *': '工业', '井名/用水单位': 'GPS 实测井' });
    const id = await editing.saveForm('地下水取水井');

    const stored = await editing.storedFeature('wells', id);
    expect(stored).toMatchObject({ layerId: 'wells', geometry: { type: 'Point', coordinates: firstFix }, properties: { name: 'GPS 实测井', wellClass: 'non-agricultural', useType: 'industrial' }, county: 131102 });
  });

  test('marks a fix older than 30 s as stale and does not offer it for adding', async ({ page, context, baseURL }) => {
    await context.grantPermissions(['geolocation'], { origin: new URL(baseURL!).origin });
    const map = new MapDriver(page);
    const gps = new GpsDriver(page);
    await gps.open();
    // Set just before starting: the emulated position is stamped with the time it was set.
    await context.setGeolocation({ longitude: firstFix[0], latitude: firstFix[1], accuracy: 12 });
    await gps.start();
    await expect(gps.accuracy).toHaveText('±12 米');
    await expect(gps.control.getByRole('button', { name: '添加到我的位置' })).toBeEnabled();

    // The page's clock jumps 31 s ahead (timers keep running); no new position arrives meanwhile.
    await page.clock.setFixedTime(Date.now() + 31_000);
    await expect(gps.age).toHaveText(/^定位已过时（\d+ 秒前）$/);
    await expect(gps.control.getByTestId('gps-status')).toHaveAttribute('data-stale', 'true');
    await expect(gps.control.getByRole('button', { name: '添加到我的位置' })).toBeDisabled();
    await gps.follow.check();
    await map.waitForIdle();
    await expect.poll(() => gps.renderedDots()).toEqual([{ lon: expect.closeTo(firstFix[0], 6), lat: expect.closeTo(firstFix[1], 6), stale: true }]);
  });

  test('says so when location permission is denied, and draws nothing', async ({ page, context }) => {
    await context.clearPermissions();
    const gps = new GpsDriver(page);
    await gps.open();
    await gps.start();
    await expect(gps.problem).toHaveText('没有定位权限。请在浏览器的网站设置中允许定位，或改用 GNSS 接收机。');
    await expect(gps.problem).toHaveAttribute('data-problem', 'denied');
    await expect(gps.control.getByRole('button', { name: '开始定位' })).toBeVisible();
    expect(await gps.renderedDots()).toEqual([]);
  });

  test('reads a GNSS receiver over a serial port: NMEA fix with the receiver’s GST accuracy, bad sentences counted', async ({ page }) => {
    // A stand-in for navigator.serial (Chromium has no port here): the port streams NMEA text in
    // chunks, as a receiver does, one epoch a second. Positions in 桃城区, RTK fixed, with GST.
    const epochs = [0, 1, 2].map((second) => [
      sentence(`GNRMC,0823${56 + second}.00,A,3744.38800,N,11540.32600,E,0.010,,300621,,,R,V`),
      sentence(`GNGGA,0823${56 + second}.00,3744.38800,N,11540.32600,E,4,18,0.6,20.3,M,-8.9,M,1.0,0000`),
      sentence('GNGSA,A,3,02,05,13,15,18,20,23,24,,,,,1.10,0.60,0.90,1'),
      // One corrupted sentence per epoch: a digit changed after the checksum was computed.
      sentence('GPGSV,3,1,11,02,45,120,40,05,30,210,38,13,60,300,44,15,20,045,35').replace('45,120', '46,120'),
      sentence(`GNGST,0823${56 + second}.00,0.8,0.015,0.010,30.0,0.012,0.009,0.025`),
    ].join('\r\n') + '\r\n');
    await page.addInitScript((chunks: string[]) => {
      class FakePort {
        readable: ReadableStream<Uint8Array> | null = null;
        async open() {
          const encoder = new TextEncoder();
          let index = 0;
          this.readable = new ReadableStream<Uint8Array>({
            async pull(controller) {
              // One epoch a second, round and round, as a receiver streams at 1 Hz.
              await new Promise((resolve) => setTimeout(resolve, index === 0 ? 100 : 1000));
              controller.enqueue(encoder.encode(chunks[index++ % chunks.length]!));
            },
          });
        }
        async close() {
          this.readable = null;
        }
        getInfo() {
          return { usbVendorId: 0x1546, usbProductId: 0x01a9 };
        }
      }
      Object.defineProperty(Navigator.prototype, 'serial', { configurable: true, get: () => ({ requestPort: async () => new FakePort() }) });
    }, epochs);
    const map = new MapDriver(page);
    const gps = new GpsDriver(page);
    await gps.open();
    await gps.start('GNSS 接收机');

    await expect(gps.accuracy).toHaveText('±0.03 米（接收机 GST）');
    await expect(gps.control.getByTestId('gps-status')).toContainText('GNSS 接收机 · RTK 固定解 · 18 颗卫星');
    await expect(gps.control.getByTestId('gps-coordinates')).toHaveText(`${(115 + 40.326 / 60).toFixed(7)}, ${(37 + 44.388 / 60).toFixed(7)}`);
    await expect(gps.control.getByTestId('gps-nmea')).toContainText(/NMEA：已用 \d+ 句 · 丢弃：校验和错误 \d+ · USB 1546:01a9/);
    await gps.follow.check();
    await gps.expectCentredOn([115 + 40.326 / 60, 37 + 44.388 / 60]);
    await map.waitForIdle();
    await expect.poll(() => gps.renderedDots()).toEqual([{ lon: expect.closeTo(115 + 40.326 / 60, 6), lat: expect.closeTo(37 + 44.388 / 60, 6), stale: false }]);
  });
});

/** An NMEA sentence with its checksum (XOR of the characters between $ and *). */
function sentence(body: string): string {
  let sum = 0;
  for (const character of body) sum ^= character.charCodeAt(0);
  return `$${body}*${sum.toString(16).toUpperCase().padStart(2, '0')}`;
}
