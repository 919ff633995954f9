// The team hub as a team uses it (issue 16): a real hub (`npm run hub`'s entry on a real
// PostgreSQL + PostGIS, tests/e2e/helpers/team-hub.ts) serves the app at its address; three
// browser profiles — two surveyors of different counties and a planner — sign in from the
// 团队同步 panel, edit while the hub is stopped, and sync when it is back. Every page is watched:
// a request to any origin but the hub's (the app's own here) fails the test.
import { createHash } from 'node:crypto';
import { test, expect } from './helpers/test';
import { startTeamHub, type TeamHub } from './helpers/team-hub';
import { openHubProfile, storedPhotoSha256, type HubProfile } from './drivers/hub-driver';
import { ProgressDriver } from './drivers/progress-driver';

const TESTED_PORT = Number(process.env.ONEMAP_TEST_PORT ?? 47625);
const HUB_PORT = Number(process.env.ONEMAP_TEST_HUB_PORT ?? TESTED_PORT + 10);
const HUB_PG_PORT = HUB_PORT + 1;
const PASSWORD = 'e2e-password-1';
const TAOCHENG = 131102;
const ZAOQIANG = 131121;
const WELLS_TARGET = 'wells-non-agricultural-2021';
// A 2×2 red PNG.
const PHOTO = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAEklEQVR4nGP4z8DAwMDAwMDAAAANAAH/8a5aNQAAAABJRU5ErkJggg==', 'base64');

test.describe.configure({ mode: 'serial' });
// Each profile is a fresh one, opened from the hub's address.
test.use({ seededProfile: null });

let hub: TeamHub;
const profiles: Partial<Record<'li' | 'wang' | 'zhang', HubProfile>> = {};

test.beforeAll(async () => {
  test.setTimeout(300_000);
  hub = await startTeamHub({
    port: HUB_PORT,
    pgPort: HUB_PG_PORT,
    users: [
      { name: 'li', displayName: '李工', role: 'surveyor', counties: [TAOCHENG], password: PASSWORD },
      { name: 'wang', displayName: '王工', role: 'surveyor', counties: [ZAOQIANG], password: PASSWORD },
      { name: 'zhang', displayName: '张规划', role: 'planner', counties: 'all', password: PASSWORD },
    ],
  });
});

test.afterAll(async () => {
  for (const profile of Object.values(profiles)) await profile?.context.close();
  await hub?.close();
});

/** A non-agricultural demo well of a county that can still be sealed, by id order. */
async function wellOf(county: number, skip = 0): Promise<string> {
  const { rows } = await hub.pool.query<{ id: string }>(
    `SELECT id FROM hub.features
      WHERE layer_id = 'wells' AND county = $1 AND NOT deleted AND properties->>'wellClass' = 'non-agricultural'
        AND status IN ('registered', 'scheduled', 'substitute-connected') AND properties ? 'depthM'
      ORDER BY id OFFSET $2 LIMIT 1`,
    [county, skip],
  );
  if (rows[0] === undefined) throw new Error(`no open non-agricultural well in county ${county}`);
  return rows[0].id;
}

async function hubFeature(id: string): Promise<{ status: string; properties: Record<string, unknown>; version: number }> {
  const { rows } = await hub.pool.query<{ status: string; properties: Record<string, unknown>; version: string }>(
    `SELECT status, properties, version FROM hub.features WHERE layer_id = 'wells' AND id = $1`,
    [id],
  );
  return { ...rows[0]!, version: Number(rows[0]!.version) };
}

function noProblems(...list: HubProfile[]): void {
  for (const profile of list) expect(profile.problems, profile.user).toEqual([]);
}

test('@heavy two surveyors and a planner edit offline, sync through the hub, resolve a conflict, and get a photo byte for byte', async ({ browser }) => {
  test.setTimeout(900_000);
  const shared = await wellOf(TAOCHENG);
  const wangsWell = await wellOf(ZAOQIANG);

  // Sign in one after the other (three map starts at once would each take longer on two cores).
  for (const user of ['li', 'wang', 'zhang'] as const) {
    const profile = await openHubProfile(browser, hub.origin, user);
    profiles[user] = profile;
    await profile.hub.signIn(PASSWORD);
  }
  const li = profiles.li!;
  const wang = profiles.wang!;
  const zhang = profiles.zhang!;

  // Each holds exactly the counties granted (the first pull), the planner all of them.
  const countiesOf = async (profile: HubProfile) =>
    new Set((await profile.hub.store.records<{ features: { county: number | null }[] }>('featureChunks')).flatMap((chunk) => chunk.features.map((feature) => feature.county)));
  const editCounties = async (profile: HubProfile) => new Set((await profile.hub.store.records<{ feature: { county: number | null } | null }>('featureEdits')).map((row) => row.feature?.county));
  for (const [profile, county] of [[li, TAOCHENG], [wang, ZAOQIANG]] as const) {
    const seen = new Set([...(await countiesOf(profile)), ...(await editCounties(profile))]);
    expect([...seen], profile.user).toEqual([county]);
  }
  const zhangCounties = new Set([...(await countiesOf(zhang)), ...(await editCounties(zhang))]);
  expect(zhangCounties.size).toBeGreaterThanOrEqual(11);
  // Targets and layer definitions: a surveyor reads them (the hub takes their changes from planners and admins only).
  await li.page.getByRole('tab', { name: '目标', exact: true }).click();
  await expect(li.page.getByTestId('targets-hub')).toBeVisible();
  await expect(li.page.getByRole('button', { name: '新建', exact: true })).toHaveCount(0);
  await li.page.getByRole('tab', { name: '图层定义', exact: true }).click();
  await expect(li.page.getByTestId('layer-editor-hub')).toBeVisible();
  await zhang.page.getByRole('tab', { name: '图层定义', exact: true }).click();
  await expect(zhang.page.getByRole('button', { name: /新建图层/ })).toBeVisible();
  await expect(zhang.page.getByTestId('layer-editor-hub')).toHaveCount(0);

  const progress = new ProgressDriver(zhang.page);
  await progress.openProgress();
  const doneBefore = (await progress.reading(WELLS_TARGET)).done;

  // The hub goes away; everyone keeps working.
  await hub.stop();
  expect(await li.hub.openFeature(shared)).toBe(true);
  await li.hub.setDepth('55.5');
  await li.hub.addPhoto({ name: 'sealed-cap.png', mimeType: 'image/png', buffer: PHOTO });
  await expect(li.page.getByTestId('hub-pending-mark')).toBeVisible();

  expect(await wang.hub.openFeature(wangsWell)).toBe(true);
  await new ProgressDriver(wang.page).changeStatus('已封填', '2021-06-30');

  expect(await zhang.hub.openFeature(shared)).toBe(true);
  await zhang.hub.setDepth('66.6');

  for (const profile of [li, wang, zhang]) {
    await profile.hub.openPanel();
    await expect.poll(() => profile.hub.waiting(), { timeout: 30_000 }).toBeGreaterThan(0);
    // A quiet indicator, never a dialog.
    await expect(profile.page.getByTestId('hub-indicator')).toContainText('待上传');
    await expect(profile.page.getByRole('alertdialog')).toHaveCount(0);
  }

  // The hub is back: li first, then wang, then the planner. The planner's machine stays off the
  // network until li has synced: its own retry timer would otherwise reach the hub first.
  await zhang.context.setOffline(true);
  await hub.start();
  await li.hub.syncNow();
  await wang.hub.syncNow();
  await zhang.context.setOffline(false);
  await zhang.hub.syncNow();
  expect((await hubFeature(shared)).properties.depthM).toBe(55.5);
  expect((await hubFeature(wangsWell)).status).toBe('sealed');

  // The planner sees the surveyors' edits, and the dashboard moved.
  await progress.openProgress();
  await expect.poll(async () => (await progress.reading(WELLS_TARGET)).done).toBe(doneBefore + 1);
  const zhangsWangWell = await zhang.hub.store.editedFeature('wells', wangsWell);
  expect(zhangsWangWell?.status).toBe('sealed');

  // The same well's depth on both sides: one conflict, in the planner's review queue.
  await zhang.hub.openPanel();
  await expect(zhang.hub.panel.getByTestId('hub-conflicts')).toHaveAttribute('data-count', '1');
  const { dialog, review } = await zhang.hub.openConflictQueue();
  await expect(review.getByTestId('hub-conflict-item')).toHaveCount(1);
  await expect(review.getByTestId('hub-conflict-mine')).toContainText('66.6');
  await expect(review.getByTestId('hub-conflict-hub')).toContainText('55.5');
  await review.getByTestId('hub-conflict-keep-mine').click();
  await dialog.getByRole('button', { name: '关闭' }).first().click();
  await zhang.hub.syncNow();
  await expect(zhang.hub.panel.getByTestId('hub-conflicts')).toHaveAttribute('data-count', '0');
  expect((await hubFeature(shared)).properties.depthM).toBe(66.6);

  // After li's next sync both sides agree, and li's photo is on the planner's machine byte for byte.
  await li.hub.syncNow();
  const liShared = await li.hub.store.editedFeature('wells', shared);
  const zhangShared = await zhang.hub.store.editedFeature('wells', shared);
  expect(liShared?.properties.depthM).toBe(66.6);
  expect(zhangShared?.properties.depthM).toBe(66.6);
  const photoSha256 = createHash('sha256').update(PHOTO).digest('hex');
  expect(await storedPhotoSha256(li.hub.store, shared)).toEqual([photoSha256]);
  expect(await storedPhotoSha256(zhang.hub.store, shared)).toEqual([photoSha256]);
  const { rows } = await hub.pool.query<{ sha256: string }>('SELECT sha256 FROM hub.attachments');
  expect(rows.map((row) => row.sha256)).toEqual([photoSha256]);

  // The history on the planner's machine names who changed the depth, from which device.
  expect(await zhang.hub.openFeature(shared)).toBe(true);
  const panel = zhang.page.locator('.feature-panel');
  await panel.locator('details.history summary').click();
  await expect(panel.getByTestId('history-entry').filter({ hasText: '李工' }).first()).toBeVisible();
  // The hub's own record of the feature: every version, also one written in QGIS (plain SQL).
  await hub.pool.query(`UPDATE hub.features SET properties = properties || '{"note": "QGIS 复核"}' WHERE layer_id = 'wells' AND id = $1`, [shared]);
  const hubHistory = panel.getByTestId('hub-history');
  await hubHistory.locator('summary').click();
  await expect(hubHistory.getByTestId('hub-history-author').filter({ hasText: 'QGIS/SQL' }).first()).toBeVisible();
  await expect(hubHistory.getByTestId('hub-history-author').filter({ hasText: '李工' }).first()).toBeVisible();
  await expect(hubHistory.getByTestId('hub-history-entry').first()).toContainText('QGIS 复核');

  // The planner starts the 2022 target set; it reaches the hub and, at li's next sync, li's machine.
  await zhang.page.getByRole('tab', { name: '目标', exact: true }).click();
  await expect(zhang.page.getByTestId('targets-hub')).toHaveCount(0);
  await zhang.page.getByLabel('新建目标集（年份）').fill('2022');
  await zhang.page.getByRole('button', { name: '新建', exact: true }).click();
  await zhang.hub.syncNow();
  const sets = await hub.pool.query<{ id: string; updated_by: string }>("SELECT id, updated_by FROM hub.target_sets WHERE NOT deleted ORDER BY id");
  expect(sets.rows).toEqual([{ id: 'year-2021', updated_by: null }, { id: 'year-2022', updated_by: 'zhang' }]);
  await li.hub.syncNow();
  expect((await li.hub.store.records<{ id: string }>('targetSets')).map((set) => set.id).sort()).toEqual(['year-2021', 'year-2022']);
  noProblems(li, wang, zhang);
});

test('@heavy a surveyor cannot see or change a county not granted; the hub refuses it', async ({ request }) => {
  test.setTimeout(300_000);
  const li = profiles.li!;
  const wangsWell = await wellOf(ZAOQIANG, 1);
  // The panel says which counties are li's.
  await li.hub.openPanel();
  await expect(li.hub.panel.getByTestId('hub-counties')).toContainText('桃城区');
  await expect(li.hub.panel.getByTestId('hub-counties')).not.toContainText('枣强县');
  // Not in li's store, so the search cannot find it.
  expect(await li.hub.openFeature(wangsWell)).toBe(false);
  await expect(li.page.locator('.search-results')).toContainText('无匹配要素');
  expect(await li.hub.store.editedFeature('wells', wangsWell)).toBeNull();

  // And the hub refuses li's token for that county, whatever a client sends.
  const signedIn = await request.post(`${hub.origin}/v1/session`, { data: { user: 'li', password: PASSWORD } });
  const { token } = (await signedIn.json()) as { token: string };
  const pulled = await request.get(`${hub.origin}/v1/changes?counties=${ZAOQIANG}`, { headers: { authorization: `Bearer ${token}` } });
  expect(pulled.status()).toBe(403);
  expect(((await pulled.json()) as { error: { code: string } }).error.code).toBe('out-of-scope');
  noProblems(li);
});

test('@heavy the hub killed mid-sync: the app retries later, nothing lost or doubled', async () => {
  test.setTimeout(600_000);
  const li = profiles.li!;
  const well = await wellOf(TAOCHENG, 1);
  await hub.stop();
  expect(await li.hub.openFeature(well)).toBe(true);
  await li.hub.setDepth('70.1');
  // Undo and redo are changes of their own: 24 quick changes after the edit.
  for (let index = 0; index < 12; index += 1) {
    await li.page.getByRole('button', { name: '撤销', exact: true }).click();
    await expect(li.page.locator('.feature-panel dd', { hasText: '70.1 米' })).toHaveCount(0);
    await li.page.getByRole('button', { name: '重做', exact: true }).click();
    await expect(li.page.locator('.feature-panel dd', { hasText: '70.1 米' })).toBeVisible();
  }
  await li.hub.openPanel();
  await expect.poll(() => li.hub.waiting(), { timeout: 30_000 }).toBe(25);

  type JournalRow = { changeId: string; id: string; applies?: string[]; sequence: number };
  const journal = await li.hub.store.records<JournalRow>('journal');
  const device = (await li.hub.store.get<{ value: string }>('meta', 'device-id'))!.value;
  const waitingChanges = [...new Set(journal.filter((entry) => entry.applies === undefined).sort((a, b) => a.sequence - b.sequence).map((entry) => entry.changeId))].slice(-25);
  expect(waitingChanges).toHaveLength(25);

  // The hub comes back and li syncs; the hub dies after a few of the 25 changes went in.
  await hub.start();
  const applied = async () => Number((await hub.pool.query<{ n: string }>('SELECT count(*) AS n FROM hub.applied_changes WHERE change_id = ANY($1)', [waitingChanges])).rows[0]!.n);
  await li.hub.panel.getByTestId('hub-sync-now').click();
  await expect.poll(applied, { timeout: 60_000, intervals: [20] }).toBeGreaterThanOrEqual(2);
  await hub.kill();
  const appliedAtKill = await applied();
  expect(appliedAtKill).toBeLessThan(25);
  await expect(li.hub.panel.getByTestId('hub-phase')).toHaveAttribute('data-phase', /offline|idle/, { timeout: 60_000 });
  expect(await li.hub.waiting()).toBeGreaterThan(0);

  // Back again: what waited goes up once.
  await hub.start();
  await li.hub.syncNow();
  expect(await applied()).toBe(25);
  const doubled = await hub.pool.query('SELECT entry_id FROM hub.history WHERE change_id = ANY($1) GROUP BY entry_id HAVING count(*) > 1', [waitingChanges]);
  expect(doubled.rows).toEqual([]);
  const entries = journal.filter((entry) => waitingChanges.includes(entry.changeId)).map((entry) => entry.id);
  const onHub = await hub.pool.query<{ entry_id: string }>('SELECT DISTINCT entry_id FROM hub.history WHERE change_id = ANY($1)', [waitingChanges]);
  expect(onHub.rows.map((row) => row.entry_id).sort()).toEqual([...entries].sort());
  expect((await hubFeature(well)).properties.depthM).toBe(70.1);
  expect((await li.hub.store.editedFeature('wells', well))?.properties.depthM).toBe(70.1);
  const devices = await hub.pool.query<{ device: string }>('SELECT DISTINCT device FROM hub.applied_changes WHERE change_id = ANY($1)', [waitingChanges]);
  expect(devices.rows.map((row) => row.device)).toEqual([device]);
  noProblems(li);
});

test('@heavy an ended session asks to sign in again and loses nothing; signing out returns to the local workspace', async () => {
  test.setTimeout(300_000);
  const li = profiles.li!;
  const well = await wellOf(TAOCHENG, 2);
  const indicator = li.page.getByTestId('hub-indicator');

  // Online, an edit goes up by itself shortly after it is saved; until then the feature is marked.
  expect(await li.hub.openFeature(well)).toBe(true);
  await li.hub.setDepth('81.5');
  await expect(li.page.getByTestId('hub-pending-mark')).toHaveText('尚未上传到团队库');
  await expect(indicator).toContainText('已同步', { timeout: 60_000 });
  await expect(li.page.getByTestId('hub-pending-mark')).toHaveCount(0);
  expect((await hubFeature(well)).properties.depthM).toBe(81.5);

  // The session ends on the hub (a new password); the next edit waits and the app asks to sign in again.
  await li.hub.closeFeature();
  await hub.setPassword('li', 'e2e-password-2');
  expect(await li.hub.openFeature(well)).toBe(true);
  await li.hub.setDepth('82.5');
  await expect(indicator).toHaveText('请重新登录团队库', { timeout: 60_000 });
  await li.hub.openPanel();
  await expect(li.hub.panel.getByTestId('hub-sign-in-again')).toBeVisible();
  await expect(li.hub.panel.getByTestId('hub-waiting')).toHaveAttribute('data-count', '1');
  await expect(li.hub.panel.getByTestId('hub-user')).toHaveValue('li');
  await li.hub.panel.getByTestId('hub-password').fill('wrong-password');
  await li.hub.panel.getByTestId('hub-sign-in').click();
  await expect(li.hub.panel.getByTestId('hub-sign-in-status')).toHaveText('用户名或密码错误，或该用户已停用。');
  expect((await hubFeature(well)).properties.depthM).toBe(81.5);

  await li.hub.panel.getByTestId('hub-password').fill('e2e-password-2');
  await li.hub.panel.getByTestId('hub-sign-in').click();
  await li.hub.waitForSynced();
  expect((await hubFeature(well)).properties.depthM).toBe(82.5);

  // Signing out returns to the local (demo) workspace; the hub workspace stays on this machine.
  await li.hub.panel.getByTestId('hub-sign-out').click();
  await expect(indicator).toHaveAttribute('data-phase', 'signed-out', { timeout: 60_000 });
  await expect(indicator).toHaveText('未登录团队库');
  expect(await li.hub.store.count('journal')).toBeGreaterThan(0);
  noProblems(li);
});
