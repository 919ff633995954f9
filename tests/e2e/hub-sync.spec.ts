// The app against a real hub (npm run hub: PostgreSQL + PostGIS, the app served at the hub's own
// origin): sign in, edit, the edit reaches the hub; cut off from the hub the header says what
// waits; a session ended meanwhile asks to sign in again and loses nothing; what waited goes up
// once; signing out returns to the local workspace.
import { createHubClient } from '../../shared/sync/hub/client';
import type { PulledFeature } from '../../shared/sync/hub/pull';
import { test, expect } from './helpers/test';
import { freshProfile } from './helpers/profiles';
import { HubDriver, startHub, type RunningHub } from './drivers/hub-driver';
import { EditingDriver } from './drivers/editing';

// Ports of this spec (the UI's range 55520–55539); the page's origin is the hub's.
const HUB_PORT = 55522;
const PG_PORT = 55523;
const hubUrl = `http://127.0.0.1:${HUB_PORT}/`;

let hub: RunningHub;

test.use({ ...freshProfile, baseURL: hubUrl });
test.describe.configure({ timeout: 480_000 });

test.beforeAll(async () => {
  test.setTimeout(240_000);
  hub = await startHub(HUB_PORT, PG_PORT);
  hub.addUser('li', 'li-password-1', 'surveyor', '131102');
  hub.addUser('chief', 'chief-password-1', 'admin', 'all');
});

test.afterAll(async () => {
  await hub?.stop();
});

/** A feature as the hub has it now (read through the API as another user). */
async function onHub(layerId: string, featureId: string): Promise<PulledFeature | null> {
  const signIn = await createHubClient({ address: hubUrl, fetch: (url, init) => fetch(url, init as RequestInit) }).signIn({ user: 'chief', password: 'chief-password-1' });
  const client = createHubClient({ address: hubUrl, fetch: (url, init) => fetch(url, init as RequestInit), token: () => signIn.token });
  for (let cursor: string | null = null; ; ) {
    const page = await client.pull({ counties: [131102], cursor, limit: 500 });
    const found = page.features.find((feature) => feature.layerId === layerId && feature.id === featureId);
    if (found && 'properties' in found) return found;
    if (!page.more) return null;
    cursor = page.cursor;
  }
}

test('sign in to the hub, edit, work cut off, sync, sign out @heavy', async ({ page, app }) => {
  const hubUi = new HubDriver(page);
  const editing = new EditingDriver(page);
  await app.open();
  await expect(hubUi.indicator).toHaveText('未登录团队库');
  await hubUi.openPanel();
  await expect(page.getByTestId('hub-address')).toHaveText(new URL(hubUrl).origin);

  await hubUi.signIn('li', 'wrong-password');
  await expect(page.getByTestId('hub-sign-in-status')).toHaveText('用户名或密码错误，或该用户已停用。');
  await hubUi.signIn('li', 'li-password-1');
  await expect(page.getByTestId('hub-who')).toHaveText('已登录：li（调查员）', { timeout: 60_000 });
  await expect(page.getByTestId('hub-counties')).toHaveText('负责县区：桃城区');
  await hubUi.waitSynced();

  // An edit goes up 2 s after it is saved; until then the feature is marked.
  await editing.openFromSearch('桃城区工业取水井001', 'HS-NW-0001');
  await page.locator('.status-form input[type=text]').fill('e2e note');
  await page.locator('.status-form button[type=submit]').click();
  await expect(page.getByTestId('save-state')).toHaveText('已保存');
  await expect(page.getByTestId('hub-pending-mark')).toHaveText('尚未上传到团队库');
  await hubUi.waitSynced(60_000);
  await expect(page.getByTestId('hub-pending-mark')).toHaveCount(0);
  const pushed = await onHub('wells', 'HS-NW-0001');
  expect(pushed?.properties.note).toBe('e2e note');

  // Cut off: the edit waits, the header says so quietly (no dialog).
  await hubUi.disconnect();
  await page.locator('.status-form input[type=text]').fill('written offline');
  await page.locator('.status-form button[type=submit]').click();
  await expect(page.getByTestId('save-state')).toHaveText('已保存');
  await expect(hubUi.indicator).toHaveAttribute('data-phase', 'offline', { timeout: 30_000 });
  await expect(hubUi.indicator).toContainText(/^未同步（自 .+），1 项更改待上传$/);
  await expect(page.getByRole('dialog')).toHaveCount(0);
  expect((await onHub('wells', 'HS-NW-0001'))?.properties.note).toBe('e2e note');

  // Meanwhile the session ended (a new password): back online, the app asks to sign in again
  // and keeps what waits; signed in, "sync now" is not even needed: it sends it, once.
  hub.setPassword('li', 'li-password-2');
  await hubUi.reconnect();
  await hubUi.openPanel();
  await page.getByTestId('hub-sync-now').click();
  await expect(hubUi.indicator).toHaveText('请重新登录团队库', { timeout: 30_000 });
  await expect(page.getByTestId('hub-sign-in-again')).toBeVisible();
  await expect(page.getByTestId('hub-waiting')).toHaveText('待上传的更改：1 项');
  await expect(page.getByTestId('hub-user')).toHaveValue('li');
  await page.getByTestId('hub-password').fill('li-password-2');
  await page.getByTestId('hub-sign-in').click();
  await hubUi.waitSynced(60_000);
  await expect(page.getByTestId('hub-waiting')).toHaveText('待上传的更改：0 项');
  const after = await onHub('wells', 'HS-NW-0001');
  expect(after?.properties.note).toBe('written offline');

  // Signing out returns to the local (demo) workspace.
  await page.getByTestId('hub-sign-out').click();
  await expect(hubUi.indicator).toHaveAttribute('data-phase', 'signed-out', { timeout: 60_000 });
  await expect(hubUi.indicator).toHaveText('未登录团队库');
});
