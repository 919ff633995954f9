// Printing from the 打印 tab (issue 18): a vector map PDF at A4 and A0, the county atlas (one page
// per county with its own numbers), the progress bulletin as PDF and .docx with the dashboard's
// numbers; progress and Cancel; the map stays usable while a document is written. Files are read
// with poppler's pdftotext/pdffonts/pdfinfo/pdftoppm and LibreOffice (`soffice --headless`); PNG
// pages are saved in tests/artifacts/.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { paperPoints } from '../../shared/print';
import { test, expect, shareOpenedApp, type Page } from './helpers/test';
import { ProgressDriver } from './drivers/progress-driver';

const artifacts = path.resolve('tests/artifacts');
const downloads = mkdtempSync(path.join(tmpdir(), 'onemap-print-'));
const counties = ['桃城区', '冀州区', '枣强县', '武邑县', '武强县', '饶阳县', '安平县', '故城县', '景县', '阜城县', '深州市'];
const wellsTarget = 'wells-non-agricultural-2021';
const coreTargets = [wellsTarget, 'pocket-parks-2021', 'village-sewage-2021', 'high-standard-farmland-2021'];
// An A0 wall map of every visible demo feature (~8,500) is vector paths of a few hundred kB; a
// raster A0 at 150 dpi would be 4967 × 7022 pixels (tens of MB). 1.5 MB leaves room for a bigger
// workspace while catching a raster or an unsubset font (the whole font alone is 2.1 MB).
const a0Bound = 1_500_000;

const run = (command: string, ...args: string[]) => execFileSync(command, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
const pdfText = (file: string, page?: number) => run('pdftotext', '-layout', ...(page ? ['-f', String(page), '-l', String(page)] : []), file, '-');

function pageSize(file: string): { width: number; height: number; pages: number } {
  const info = run('pdfinfo', file);
  const [, width, height] = /Page size:\s+([\d.]+) x ([\d.]+) pts/.exec(info) ?? [];
  return { width: Number(width), height: Number(height), pages: Number(/Pages:\s+(\d+)/.exec(info)?.[1]) };
}

function snapshot(file: string, name: string, dpi: number): void {
  mkdirSync(artifacts, { recursive: true });
  run('pdftoppm', '-r', String(dpi), '-png', '-f', '1', '-l', '1', '-singlefile', file, path.join(artifacts, name));
}

class PrintDriver {
  constructor(readonly page: Page) {}
  panel() {
    return this.page.getByRole('region', { name: '打印与通报' });
  }
  async open(): Promise<void> {
    await this.page.getByRole('tab', { name: '打印', exact: true }).click();
    await expect(this.panel()).toBeVisible();
  }
  async choose(options: { kind: string; paper?: string; orientation?: string; title?: string; format?: string }): Promise<void> {
    const panel = this.panel();
    await panel.getByLabel('内容').selectOption({ label: options.kind });
    if (options.title !== undefined) await panel.getByLabel('标题').fill(options.title);
    if (options.paper) await panel.getByLabel('纸张').selectOption({ label: options.paper });
    if (options.orientation) await panel.getByLabel('方向').selectOption({ label: options.orientation });
    if (options.format) await panel.getByLabel('格式').selectOption({ label: options.format });
  }
  /** Starts the export and saves the `count` files it downloads. */
  async export(count = 1): Promise<string[]> {
    const saved: string[] = [];
    const all = new Promise<void>((resolve) => {
      const onDownload = async (download: { suggestedFilename(): string; saveAs(file: string): Promise<void> }) => {
        const file = path.join(downloads, `${Date.now()}-${download.suggestedFilename()}`);
        await download.saveAs(file);
        saved.push(file);
        if (saved.length === count) {
          this.page.off('download', onDownload);
          resolve();
        }
      };
      this.page.on('download', onDownload);
    });
    await this.panel().getByRole('button', { name: '导出', exact: true }).click();
    await all;
    await expect(this.panel().getByRole('status')).toContainText('已保存');
    return saved.sort();
  }
}

test.describe('print from one opened app', () => {
  shareOpenedApp();

  test('a vector map PDF: real text, an embedded CJK font, the paper size; A0 stays small', async ({ page }) => {
    const printer = new PrintDriver(page);
    await printer.open();
    for (const [paper, orientation, title] of [['A4', '横向', '衡水市规划一张图（A4）'], ['A0', '纵向', '衡水市取水井分布挂图']] as const) {
      await printer.choose({ kind: '当前地图（矢量 PDF）', paper, orientation, title });
      const started = Date.now();
      const [file] = await printer.export();
      const seconds = (Date.now() - started) / 1000;
      const text = pdfText(file!);
      expect(text).toContain(title);
      for (const word of ['图例', '底图', '县（市、区）界', '比例尺', '示例数据', '制图日期']) expect(text).toContain(word);
      expect(counties.filter((county) => text.includes(county)).length).toBeGreaterThanOrEqual(8);
      expect(run('pdffonts', file!)).toMatch(/NotoSansCJKsc\S*\s+CID TrueType\s+Identity-H\s+yes/);
      const size = pageSize(file!);
      const wanted = paperPoints(paper === 'A4' ? 'a4' : 'a0', orientation === '横向' ? 'landscape' : 'portrait');
      expect(size.width).toBeCloseTo(wanted.width, 1);
      expect(size.height).toBeCloseTo(wanted.height, 1);
      const bytes = statSync(file!).size;
      if (paper === 'A0') expect(bytes).toBeLessThan(a0Bound);
      console.log(`print map ${paper}: ${bytes} bytes in ${seconds.toFixed(1)} s`);
      snapshot(file!, `print-map-${paper.toLowerCase()}`, paper === 'A0' ? 15 : 60);
    }
  });

  test('a long export shows its progress and Cancel stops it: no file', async ({ page }) => {
    const printer = new PrintDriver(page);
    await printer.open();
    await printer.choose({ kind: '分县图集（每县一页，PDF）', paper: 'A1', orientation: '纵向' });
    const downloaded: string[] = [];
    page.on('download', (download) => downloaded.push(download.suggestedFilename()));
    await printer.panel().getByRole('button', { name: '导出', exact: true }).click();
    await expect(printer.panel().getByTestId('print-progress')).toContainText(/正在写入页面 \d+ \/ 11/);
    await printer.panel().getByRole('button', { name: '取消' }).click();
    await expect(printer.panel().getByRole('status')).toContainText('已取消');
    // Were the worker still running, the file would be written and downloaded within seconds.
    await page.waitForTimeout(3000);
    expect(downloaded).toEqual([]);
  });

  test("the county atlas: one page per county with that county's numbers", async ({ page }) => {
    const progress = new ProgressDriver(page);
    await progress.openProgress();
    const wellsTitle = ((await progress.card(wellsTarget).locator('h3').textContent()) ?? '').trim();
    const doneByCounty = new Map<string, number>();
    for (const [index, county] of counties.entries()) doneByCounty.set(county, await progress.countyDone(wellsTarget, [131102, 131103, 131121, 131122, 131123, 131124, 131125, 131126, 131127, 131128, 131182][index]!));
    const printer = new PrintDriver(page);
    await printer.open();
    await printer.choose({ kind: '分县图集（每县一页，PDF）', paper: 'A4', orientation: '纵向', title: '衡水市分县图集' });
    const started = Date.now();
    const exported = printer.export();
    // The main thread answers while the worker writes the pages: the map pans at once.
    await expect(printer.panel().getByTestId('print-progress')).toContainText(/正在写入页面 \d+ \/ 11/);
    const [before, after] = await page.evaluate(() => {
      const map = window.__onemap!.map;
      const start = map.getCenter().lng;
      map.panBy([120, 0], { duration: 0 });
      return [start, map.getCenter().lng];
    });
    expect(after).not.toBeCloseTo(before, 4);
    const [file] = await exported;
    await page.evaluate(() => window.__onemap!.map.panBy([-120, 0], { duration: 0 }));
    console.log(`print atlas: ${statSync(file!).size} bytes in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    expect(pageSize(file!).pages).toBe(11);
    counties.forEach((county, index) => {
      const text = pdfText(file!, index + 1);
      expect(text).toContain(`衡水市分县图集 · ${county}`);
      expect(text).toMatch(new RegExp(`${wellsTitle}\\s+${doneByCounty.get(county)!.toLocaleString('en-US')} 眼`));
    });
    snapshot(file!, 'print-atlas-page1', 50);
  });

  test("the bulletin as PDF and .docx holds the dashboard's numbers and every county", async ({ page }) => {
    const progress = new ProgressDriver(page);
    await progress.openProgress();
    const dashboard: { title: string; done: string; percent: string }[] = [];
    for (const id of coreTargets) {
      const card = progress.card(id);
      dashboard.push({
        title: ((await card.locator('h3').textContent()) ?? '').trim(),
        done: ((await card.getByTestId('target-done').locator('strong').textContent()) ?? '').trim(),
        percent: ((await card.getByTestId('target-done').locator('.percent').textContent()) ?? '').trim(),
      });
    }
    const printer = new PrintDriver(page);
    await printer.open();
    const title = '衡水市2021年目标任务进度通报（6月）';
    await printer.choose({ kind: '进度通报（PDF 与 Word）', title, format: 'PDF 与 Word' });
    await printer.panel().getByLabel('发布单位').fill('衡水市自然资源和规划局');
    const started = Date.now();
    const files = await printer.export(2);
    const pdf = files.find((file) => file.endsWith('.pdf'))!;
    const docx = files.find((file) => file.endsWith('.docx'))!;
    console.log(`print bulletin: pdf ${statSync(pdf).size} bytes, docx ${statSync(docx).size} bytes in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    const text = pdfText(pdf);
    for (const word of [title, '统计日期：2021-06-30', '发布单位：衡水市自然资源和规划局', '示例数据', '进度最快的是']) expect(text).toContain(word);
    for (const county of counties) expect(text).toContain(county);
    for (const row of dashboard) {
      const line = text.split('\n').find((candidate) => candidate.trimStart().startsWith(row.title));
      expect(line, row.title).toBeDefined();
      // The done amount as its own number (pdftotext may drop the space before a unit such as 个).
      expect(line).toMatch(new RegExp(`\\s${row.done.replace(/[.,]/g, '\\$&')}\\s*[^\\d,.\\s]`));
      expect(line).toContain(row.percent);
    }
    snapshot(pdf, 'print-bulletin-page1', 50);

    run('unzip', '-t', docx);
    const xml = run('unzip', '-p', docx, 'word/document.xml');
    expect(xml).toContain(title);
    for (const county of counties) expect(xml).toContain(county);
    // A map per core target, drawn as a PNG picture by the same code as the PDF's maps.
    expect(run('unzip', '-l', docx).match(/word\/media\/\S+\.png/g)).toHaveLength(coreTargets.length);
    const converted = mkdtempSync(path.join(tmpdir(), 'onemap-docx-'));
    run('soffice', '--headless', `-env:UserInstallation=file://${converted}/profile`, '--convert-to', 'pdf', '--outdir', converted, docx);
    const rendered = pdfText(path.join(converted, path.basename(docx).replace(/\.docx$/, '.pdf')));
    expect(rendered).toContain('统计日期：2021-06-30');
    for (const row of dashboard) expect(rendered).toContain(row.percent);
    snapshot(path.join(converted, path.basename(docx).replace(/\.docx$/, '.pdf')), 'print-bulletin-docx-page1', 50);
  });
});
