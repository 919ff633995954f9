// Exchanging edits between two machines: two browser contexts (two profiles, each with its own
// IndexedDB) edit the same well's depth differently, and B also seals it with a note; B's edit
// package is imported into A: the status and its date are applied, the depth conflict waits in
// A's review queue with both versions (and on the map), and the summary counts exactly what the
// store wrote; A keeps B's value; A's package (with a well A sealed, with its note) goes back to
// B; both stores then hold the same well. On both machines every change shows its author's name,
// device, original time and note, plus the package it arrived in. Damaged packages are refused
// in the real browser with their own messages, and the store is unchanged byte for byte.
// "Restore this version" asks first, naming what will change.
import { unzipSync, zipSync } from 'fflate';
import { test, expect, type Page } from './helpers/test';
import { formatTimestamp } from '../../shared/model/format-value';
import { ProgressDriver } from './drivers/progress-driver';
import { exportAll, giveName, importFile, openProfiles, openSync, setDepth, syncDialog } from './drivers/sync-driver';
import { StoreProbe } from './drivers/store-probe';

const WELLS_TARGET = 'wells-non-agricultural-2021';
const NAME_A = '水务局-王工';
const NAME_B = '李工';
const NOTE_A = 'A机：泵房已拆除';
const NOTE_B = '现场核实已封填，回填水泥砂浆';

interface JournalRow {
  sequence: number;
  id: string;
  changeId: string;
  layerId: string;
  featureId: string;
  operation: string;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
  author: string;
  authorName?: string;
  device: string;
  time: string;
  note?: string;
  applies?: string[];
}

/** Every record of one object store of the app's IndexedDB. */
function storeRecords<T>(page: Page, storeName: string): Promise<T[]> {
  return new StoreProbe(page).records<T>(storeName);
}

async function deviceId(page: Page): Promise<string> {
  const rows = await storeRecords<{ key: string; value: unknown }>(page, 'meta');
  return rows.find((row) => row.key === 'device-id')?.value as string;
}

/** The changes a device made itself to a feature (its journal entries that are versions, not applications of received ones). */
async function ownChanges(page: Page, featureId: string): Promise<JournalRow[]> {
  return (await storeRecords<JournalRow>(page, 'journal')).filter((entry) => entry.featureId === featureId && entry.applies === undefined).sort((left, right) => left.sequence - right.sequence);
}

/** The fields of a feature snapshot as the merge counts them: exists, the core fields, one per property. */
function fieldsOf(feature: Record<string, unknown> | null): Map<string, string> {
  const fields = new Map<string, string>([['exists', String(feature !== null)]]);
  if (feature === null) return fields;
  for (const key of ['geometry', 'status', 'county', 'demo', 'createdAt']) fields.set(key, JSON.stringify(feature[key]));
  for (const [key, value] of Object.entries(feature.properties as Record<string, unknown>)) fields.set(`properties.${key}`, JSON.stringify(value));
  return fields;
}

/** What the last import wrote, read from the store: features and fields its entries changed, merged features aside, and the conflicts waiting. */
async function lastImportWrote(page: Page): Promise<{ features: number; fields: number; conflicts: number; conflictFields: number }> {
  const journal = (await storeRecords<JournalRow>(page, 'journal')).sort((left, right) => left.sequence - right.sequence);
  const changeId = journal.filter((entry) => entry.applies !== undefined).at(-1)?.changeId;
  const byFeature = new Map<string, JournalRow[]>();
  for (const entry of journal.filter((candidate) => candidate.changeId === changeId)) byFeature.set(entry.featureId, [...(byFeature.get(entry.featureId) ?? []), entry]);
  let fields = 0;
  for (const entries of byFeature.values()) {
    const versions = entries.filter((entry) => entry.operation !== 'attach' && entry.operation !== 'detach');
    const before = fieldsOf(versions[0]?.before ?? null);
    const after = fieldsOf(versions.at(-1)?.after ?? null);
    if (versions.length > 0) for (const key of new Set([...before.keys(), ...after.keys()])) if (before.get(key) !== after.get(key)) fields += 1;
    fields += entries.length - versions.length; // a photo attached or detached is one field
  }
  const open = (await storeRecords<{ status: string; detail: { fields: unknown[]; deletion: unknown } }>(page, 'syncConflicts')).filter((record) => record.status === 'open');
  return {
    features: byFeature.size,
    fields,
    conflicts: open.length,
    conflictFields: open.reduce((sum, record) => sum + record.detail.fields.length + (record.detail.deletion === null ? 0 : 1), 0),
  };
}

/** The import summary's numbers: features and fields written, merged features, conflicting features and fields. */
async function summaryCounts(page: Page): Promise<{ features: number; fields: number; merged: number; conflicts: number; conflictFields: number }> {
  const text = (await syncDialog(page).getByTestId('sync-import-status').textContent()) ?? '';
  const written = /写入 (\d+) 个要素的 (\d+) 个字段（其中 (\d+) 个要素与本机修改合并）/.exec(text);
  const conflicted = /冲突 (\d+) 个要素的 (\d+) 个字段/.exec(text);
  if (written === null) throw new Error(`no written counts in "${text}"`);
  return {
    features: Number(written[1]),
    fields: Number(written[2]),
    merged: Number(written[3]),
    conflicts: conflicted === null ? 0 : Number(conflicted[1]),
    conflictFields: conflicted === null ? 0 : Number(conflicted[2]),
  };
}

/** A time as the history panel shows it: the shared formatter, in the page's time zone. */
async function shownTime(page: Page, iso: string): Promise<string> {
  const timeZone = await page.evaluate(() => Intl.DateTimeFormat().resolvedOptions().timeZone);
  return formatTimestamp(iso, { language: 'zh-CN', timeZone });
}

/** Opens a feature by its id (Layers tab search) with its history expanded; returns the panel. */
async function openHistory(page: Page, featureId: string) {
  await page.getByRole('tab', { name: '图层', exact: true }).click();
  await page.getByRole('searchbox', { name: '按编号或名称搜索' }).fill(featureId);
  await page.getByRole('button', { name: new RegExp(`^${featureId}`) }).click();
  const panel = page.locator(`.feature-panel[data-feature-id="${featureId}"]`);
  await expect(panel).toBeVisible();
  await panel.locator('details.history summary').click();
  return panel;
}

/**
 * Every change `changes` (as their author's store holds them) shows in the panel's history with
 * its author's name, device, original time and note — and, where it came in a package, that
 * package's id (added, never instead).
 */
async function expectHistoryShows(page: Page, panel: ReturnType<Page['locator']>, changes: readonly JournalRow[], who: { name: string; device: string }, arrivedIn: string | null): Promise<void> {
  expect(changes.length).toBeGreaterThan(0);
  for (const change of changes) {
    const time = await shownTime(page, change.time);
    const row = panel.getByTestId('history-entry').filter({ has: page.getByTestId('history-time').getByText(time, { exact: true }) });
    await expect(row, `the change of ${change.time} (${change.note ?? 'no note'})`).toHaveCount(1);
    await expect(row.getByTestId('history-author')).toHaveText(who.name);
    await expect(row.getByTestId('history-device')).toHaveText(`设备 ${who.device.slice(0, 8)}`);
    if (change.note === undefined) await expect(row.getByTestId('history-note')).toHaveCount(0);
    else await expect(row.getByTestId('history-note')).toHaveText(change.note);
    if (arrivedIn === null) await expect(row.getByTestId('history-arrival')).toHaveCount(0);
    else await expect(row.getByTestId('history-arrival')).toContainText(`编辑包 ${arrivedIn.slice(0, 8)}`);
  }
  await expect(panel.locator('details.history')).not.toContainText('edit package');
}

function packageId(file: { bytes: Buffer }): string {
  const manifest = JSON.parse(new TextDecoder().decode(unzipSync(new Uint8Array(file.bytes))['manifest.json'])) as { packageId: string };
  return manifest.packageId;
}

async function sealWithNote(page: Page, wellId: string, date: string, note: string): Promise<void> {
  const progress = new ProgressDriver(page);
  await progress.openOverdueFeature(WELLS_TARGET, wellId);
  await progress.changeStatus('已封填', date, note);
  await page.locator('.feature-panel').getByRole('button', { name: '关闭' }).first().click();
}

/** Every record of every object store of the app's IndexedDB, read directly (Blobs as type and size). */
function dumpStore(page: Page): Promise<string> {
  return new StoreProbe(page).dump();
}

/**
 * The well as the store holds it (its edit row), without this device's revision and times —
 * `createdAt` of a seeded feature is when this device seeded it (not a field the merge carries).
 */
async function storedWell(page: Page, wellId: string): Promise<unknown> {
  const feature = await new StoreProbe(page).editedFeature<Record<string, unknown>>('wells', wellId);
  if (feature === null) return null;
  const { revision: _revision, updatedAt: _updatedAt, createdAt: _createdAt, ...content } = feature;
  return content;
}

test.describe('exchanging edits between two profiles', () => {
  test('the same well edited on both: conflict in the queue, resolved, both agree; author, note and time travel; counts are what was written; damaged packages refused', { tag: '@heavy' }, async ({ page, secondProfile }, testInfo) => {
    testInfo.setTimeout(900_000);
    const { page: pageB, watch: watchB } = secondProfile;
    await openProfiles(page, pageB);
    await giveName(page, NAME_A);
    await giveName(pageB, NAME_B);
    const devices = { a: await deviceId(page), b: await deviceId(pageB) };
    const { id: wellId, countyName } = await new ProgressDriver(page).firstOverdue(WELLS_TARGET);
    const { id: otherWellId } = await new ProgressDriver(page).overdue(WELLS_TARGET, 1);
    expect((await new ProgressDriver(pageB).firstOverdue(WELLS_TARGET)).id).toBe(wellId);

    await setDepth(page, WELLS_TARGET, wellId, '800');
    await sealWithNote(page, otherWellId, '2021-06-20', NOTE_A);
    await setDepth(pageB, WELLS_TARGET, wellId, '900');
    await sealWithNote(pageB, wellId, '2021-06-28', NOTE_B);

    await openSync(pageB);
    const fromB = await exportAll(pageB);
    expect(fromB.name).toMatch(/^onemap-李工-\d{8}-\d{4}\.onemap$/);

    // A imports B's package: the depth is a conflict; A still shows its own value; B's status and
    // its date (fields A did not change) are applied — and the summary says so.
    const dialogA = await openSync(page);
    await importFile(page, fromB);
    await expect(dialogA.getByRole('tab', { name: '冲突审核（1）' })).toHaveAttribute('aria-selected', 'true');
    const depthRow = dialogA.getByTestId('sync-diff').locator('tr[data-field="properties.depthM"]');
    await expect(depthRow).toHaveClass(/sync-conflicting/);
    await expect(depthRow.locator('td.sync-mine')).toHaveText('800 米');
    await expect(depthRow.locator('td.sync-theirs')).toHaveText('900 米');
    // Every value as its field shows it (issue 13 item 4): no adcode, true, ISO time or value code.
    const mineOf = (field: string) => dialogA.getByTestId('sync-diff').locator(`tr[data-field="${field}"] td.sync-mine`);
    await expect(mineOf('county')).toHaveText(countyName);
    await expect(mineOf('demo')).toHaveText('是');
    await expect(mineOf('createdAt')).toHaveText(/^\d{4}\/\d{2}\/\d{2} \d{2}:\d{2}:\d{2}$/);
    await expect(mineOf('properties.wellClass')).toHaveText('非农业取水井');
    const wellOnA = (await storedWell(page, wellId)) as { status: string; properties: { depthM: number; sealedDate: string } };
    expect(wellOnA.properties.depthM).toBe(800);
    expect([wellOnA.status, wellOnA.properties.sealedDate]).toEqual(['sealed', '2021-06-28']);
    await dialogA.getByRole('tab', { name: '导出 / 导入' }).click();
    const wroteOnA = await lastImportWrote(page);
    // B's status, its date and 备注 (a status change's note goes to the note field).
    expect(wroteOnA).toEqual({ features: 1, fields: 3, conflicts: 1, conflictFields: 1 });
    expect(await summaryCounts(page)).toEqual({ ...wroteOnA, merged: 1 });
    await dialogA.getByRole('tab', { name: /^冲突审核/ }).click();
    // Flagged on the map and counted in the dashboard; both versions drawn while reviewed.
    await expect(page.getByTestId('sync-conflict-count')).toHaveText('有 1 个编辑冲突待审核（交换编辑 → 冲突审核）');
    await expect
      .poll(() =>
        page.evaluate(() => {
          const style = window.__onemap!.map.getStyle();
          const count = (id: string) => ((style.sources[id] as { data?: { features?: unknown[] } } | undefined)?.data?.features ?? []).length;
          return [count('sync-conflict-flags'), count('sync-conflict-versions')];
        }),
      )
      .toEqual([1, 2]);

    // A keeps theirs.
    await dialogA.getByRole('button', { name: '采用对方版本' }).click();
    await expect(dialogA.getByText('没有待审核的冲突。')).toBeVisible();
    await expect(page.getByTestId('sync-conflict-count')).toHaveCount(0);
    expect(((await storedWell(page, wellId)) as { properties: { depthM: number } }).properties.depthM).toBe(900);
    const fromA = await exportAll(page);
    await dialogA.getByRole('button', { name: '关闭', exact: true }).click();

    // On A: B's changes keep B's name, device, time and note, and say which package brought them;
    // A's own changes show A's name.
    const panelA = await openHistory(page, wellId);
    await expectHistoryShows(page, panelA, await ownChanges(pageB, wellId), { name: NAME_B, device: devices.b }, packageId(fromB));
    await expectHistoryShows(page, panelA, await ownChanges(page, wellId), { name: NAME_A, device: devices.a }, null);

    // A's package goes back to B: no conflict there, and both hold the same well.
    const dialogB = syncDialog(pageB);
    await importFile(pageB, fromA);
    await expect(dialogB.getByTestId('sync-import-status')).toContainText('无冲突');
    const wroteOnB = await lastImportWrote(pageB);
    // The other well A sealed: status, date and 备注.
    expect(wroteOnB).toEqual({ features: 1, fields: 3, conflicts: 0, conflictFields: 0 });
    expect(await summaryCounts(pageB)).toEqual({ ...wroteOnB, merged: 0 });
    expect(await storedWell(pageB, wellId)).toEqual(await storedWell(page, wellId));
    expect(((await storedWell(pageB, wellId)) as { properties: { depthM: number } }).properties.depthM).toBe(900);

    // Damaged packages are refused with their own message, and B's store does not change.
    const files = unzipSync(new Uint8Array(fromA.bytes));
    const manifest = JSON.parse(new TextDecoder().decode(files['manifest.json'])) as Record<string, unknown>;
    const damaged: [string, Uint8Array, string][] = [
      ['truncated.onemap', new Uint8Array(fromA.bytes.subarray(0, Math.floor(fromA.bytes.length / 2))), '编辑包不完整'],
      ['altered.onemap', zipSync({ ...files, 'versions.json': new TextEncoder().encode(new TextDecoder().decode(files['versions.json']).replace(/"depthM":900/g, '"depthM":901')) }), '与其校验和不符'],
      ['newer.onemap', zipSync({ ...files, 'manifest.json': new TextEncoder().encode(JSON.stringify({ ...manifest, formatVersion: 99 })) }), '更新版本的 OneMap'],
    ];
    const before = await dumpStore(pageB);
    const shown = new Set<string>();
    for (const [name, bytes, words] of damaged) {
      await importFile(pageB, { name, bytes: Buffer.from(bytes) });
      const status = dialogB.getByTestId('sync-import-status');
      await expect(status).toContainText(words);
      await expect(status).toHaveAttribute('role', 'alert');
      shown.add((await status.textContent()) ?? '');
      expect(await dumpStore(pageB), `${name} changed the store`).toBe(before);
    }
    expect(shown.size).toBe(3);
    await dialogB.getByRole('button', { name: '关闭', exact: true }).click();

    // On B: A's changes (the other well sealed with A's note; the depth and the resolution) keep
    // A's name, device, time and note.
    const otherPanelB = await openHistory(pageB, otherWellId);
    await expectHistoryShows(pageB, otherPanelB, await ownChanges(page, otherWellId), { name: NAME_A, device: devices.a }, packageId(fromA));
    await otherPanelB.getByRole('button', { name: '关闭' }).first().click();
    const panelB = await openHistory(pageB, wellId);
    await expectHistoryShows(pageB, panelB, await ownChanges(page, wellId), { name: NAME_A, device: devices.a }, packageId(fromA));
    await expectHistoryShows(pageB, panelB, await ownChanges(pageB, wellId), { name: NAME_B, device: devices.b }, null);

    // "Restore this version" asks first, naming what will change; nothing is written until confirmed.
    const [depthChange] = await ownChanges(pageB, wellId);
    const depthRowB = panelB.getByTestId('history-entry').filter({ has: pageB.getByTestId('history-time').getByText(await shownTime(pageB, depthChange!.time), { exact: true }) });
    const beforeRestore = await storedWell(pageB, wellId);
    await depthRowB.getByRole('button', { name: '恢复到此版本' }).click();
    const confirm = panelB.getByRole('alertdialog', { name: '恢复到此版本' });
    await expect(confirm).toContainText('关停状态');
    await expect(confirm).toContainText('封填日期');
    await expect(confirm).not.toContainText('井深');
    expect(await storedWell(pageB, wellId)).toEqual(beforeRestore);
    await confirm.getByRole('button', { name: '取消' }).click();
    await expect(confirm).toHaveCount(0);
    expect(await storedWell(pageB, wellId)).toEqual(beforeRestore);
    await depthRowB.getByRole('button', { name: '恢复到此版本' }).click();
    await panelB.getByRole('alertdialog', { name: '恢复到此版本' }).getByRole('button', { name: '确认恢复' }).click();
    await expect(panelB.getByTestId('feature-status')).not.toHaveText('已封填');
    expect(((await storedWell(pageB, wellId)) as { status: string }).status).toBe((depthChange!.after as { status: string }).status);
    expect(watchB.problems).toEqual([]);
  });
});
