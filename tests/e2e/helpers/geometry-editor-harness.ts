// The geometry editor's harness: bundles tests/e2e/geometry-editor-page/entry.ts with esbuild into
// a temp folder, serves it from node:http on 127.0.0.1 (a random port, with the app's own
// Content-Security-Policy header) and gives the spec mouse/keyboard actions in map coordinates.
// The spec starts the server in beforeAll and stops it in afterAll; the app's webServer is not used.
import { test as base, expect, type Page } from '@playwright/test';
import { build } from 'esbuild';
import { copyFile, mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { contentSecurityPolicy } from '../../../shared/shell/content-security-policy';
import type { Geometry } from '../../../shared/model/geometry';
import type { GeometryProblem } from '../../../renderer/src/map/geometry-editor';
import type { DrawKind } from '../../../renderer/src/map/geometry-editor';
import type { Feature } from 'geojson';
import '../geometry-editor-page/harness-api';

export { expect, type Page };
export type { Geometry, GeometryProblem };

const here = path.dirname(fileURLToPath(import.meta.url));
const pageFolder = path.resolve(here, '..', 'geometry-editor-page');
const repositoryRoot = path.resolve(here, '..', '..', '..');

export interface HarnessServer {
  url: string;
  stop(): Promise<void>;
}

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.css': 'text/css',
};

/** Builds the harness page and serves it; resolves once it listens. */
export async function startGeometryEditorHarness(): Promise<HarnessServer> {
  const site = await mkdtemp(path.join(tmpdir(), 'onemap-geometry-editor-'));
  await build({
    entryPoints: [path.join(pageFolder, 'entry.ts')],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    outfile: path.join(site, 'entry.js'),
    logLevel: 'warning',
  });
  await copyFile(path.join(pageFolder, 'index.html'), path.join(site, 'index.html'));
  await copyFile(path.join(pageFolder, 'page.css'), path.join(site, 'page.css'));
  await copyFile(path.join(repositoryRoot, 'node_modules', 'maplibre-gl', 'dist', 'maplibre-gl-worker.mjs'), path.join(site, 'maplibre-gl-worker.mjs'));
  const served = new Set(['index.html', 'entry.js', 'entry.css', 'page.css', 'maplibre-gl-worker.mjs']);
  const server: Server = createServer((request, response) => {
    const name = request.url === '/' ? 'index.html' : (request.url ?? '').slice(1).split('?')[0]!;
    if (!served.has(name)) {
      response.writeHead(404).end();
      return;
    }
    readFile(path.join(site, name)).then(
      (body) => {
        response.writeHead(200, { 'content-type': contentTypes[path.extname(name)] ?? 'application/octet-stream', 'content-security-policy': contentSecurityPolicy() });
        response.end(body);
      },
      () => response.writeHead(500).end(),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    async stop() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await rm(site, { recursive: true, force: true });
    },
  };
}

export interface PageProblems {
  pageErrors: string[];
  cspViolations: string[];
  outsideRequests: string[];
}

/** Plain Playwright test with a watch on the harness page: errors, CSP violations, other origins. */
export const test = base.extend<{ pageProblems: PageProblems }>({
  pageProblems: async ({ page }, use) => {
    const watch: PageProblems = { pageErrors: [], cspViolations: [], outsideRequests: [] };
    page.on('pageerror', (error) => watch.pageErrors.push(error.message));
    page.on('console', (message) => {
      if (/Content.Security.Policy|Refused to/i.test(message.text())) watch.cspViolations.push(message.text());
    });
    page.on('request', (request) => {
      const url = request.url();
      if (!url.startsWith('http://127.0.0.1:') && !url.startsWith('data:') && !url.startsWith('blob:')) watch.outsideRequests.push(url);
    });
    await use(watch);
    expect(watch.pageErrors, 'uncaught page errors').toEqual([]);
    expect(watch.cspViolations, 'Content-Security-Policy violations').toEqual([]);
    expect(watch.outsideRequests, 'requests that left the machine').toEqual([]);
  },
});

/** The editor on a map, driven like a user: positions are [longitude, latitude]. */
export class GeometryEditorPage {
  constructor(readonly page: Page) {}

  async open(url: string): Promise<void> {
    await this.page.goto(url);
    await this.page.waitForFunction(() => window.__editorHarness?.ready === true);
  }

  /** Page coordinates (CSS pixels) of a map position. */
  async pixelOf(position: readonly [number, number]): Promise<{ x: number; y: number }> {
    return this.page.evaluate(([lng, lat]) => {
      const map = window.__editorHarness!.map;
      const point = map.project([lng, lat]);
      const box = map.getCanvas().getBoundingClientRect();
      return { x: box.left + point.x, y: box.top + point.y };
    }, position);
  }

  /** Map position under a page pixel. */
  async positionAt(pixel: { x: number; y: number }): Promise<[number, number]> {
    return this.page.evaluate(({ x, y }) => {
      const map = window.__editorHarness!.map;
      const box = map.getCanvas().getBoundingClientRect();
      const { lng, lat } = map.unproject([x - box.left, y - box.top]);
      return [lng, lat] as [number, number];
    }, pixel);
  }

  async setSnapSources(features: Feature[]): Promise<void> {
    await this.page.evaluate((list) => window.__editorHarness!.setSnapSources(list), features);
  }

  async startDrawing(kind: DrawKind): Promise<void> {
    await this.page.evaluate((which) => window.__editorHarness!.draw(which), kind);
  }

  async startEditing(geometry: Geometry): Promise<void> {
    await this.page.evaluate((shape) => window.__editorHarness!.edit(shape), geometry);
  }

  /** Moves there (as a hand would, so hover effects run), then clicks. */
  async clickAt(pixel: { x: number; y: number }): Promise<void> {
    await this.page.mouse.move(pixel.x, pixel.y, { steps: 2 });
    await this.page.mouse.click(pixel.x, pixel.y);
  }

  async doubleClickAt(pixel: { x: number; y: number }): Promise<void> {
    await this.page.mouse.move(pixel.x, pixel.y, { steps: 2 });
    await this.page.mouse.dblclick(pixel.x, pixel.y);
  }

  async drag(from: { x: number; y: number }, to: { x: number; y: number }): Promise<void> {
    await this.page.mouse.move(from.x, from.y, { steps: 2 });
    await this.page.mouse.down();
    await this.page.mouse.move(to.x, to.y, { steps: 10 });
    await this.page.mouse.up();
  }

  async press(key: string): Promise<void> {
    await this.page.keyboard.press(key);
  }

  /** Waits for the n-th result of draw()/edit() (1-based) and returns it. */
  async result(count: number): Promise<Geometry | null> {
    await this.page.waitForFunction((n) => window.__editorHarness!.results.length >= n, count);
    return this.page.evaluate((n) => window.__editorHarness!.results[n - 1] ?? null, count);
  }

  async problems(): Promise<GeometryProblem[]> {
    return this.page.evaluate(() => window.__editorHarness!.problems);
  }

  async resultCount(): Promise<number> {
    return this.page.evaluate(() => window.__editorHarness!.results.length);
  }

  async isActive(): Promise<boolean> {
    return this.page.evaluate(() => window.__editorHarness!.editor.active);
  }

  async selectedVertex(): Promise<number | null> {
    return this.page.evaluate(() => window.__editorHarness!.editor.selectedVertex);
  }

  /** Features the editor drew on the map (terra-draw's layers), counted by MapLibre. */
  async renderedEditorFeatureCount(): Promise<number> {
    return this.page.evaluate(() => {
      const map = window.__editorHarness!.map;
      const layers = map.getStyle().layers.filter((layer) => layer.id.startsWith('geometry-editor')).map((layer) => layer.id);
      return layers.length === 0 ? 0 : map.queryRenderedFeatures({ layers }).length;
    });
  }
}
