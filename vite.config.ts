import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { defineConfig, type Plugin, type PreviewServer, type ViteDevServer } from 'vite';
import react from '@vitejs/plugin-react';
import sirv from 'sirv';
import { contentSecurityPolicy, defaultWebShellPort } from './shared/shell/content-security-policy.ts';

const projectRoot = path.dirname(fileURLToPath(import.meta.url));
const geodataDirectory = path.join(projectRoot, 'geodata');
const packageVersion = (JSON.parse(readFileSync(path.join(projectRoot, 'package.json'), 'utf8')) as { version: string }).version;

function webShellPort(): number {
  const fromEnvironment = Number(process.env.ONEMAP_PORT);
  return Number.isInteger(fromEnvironment) && fromEnvironment > 0 ? fromEnvironment : defaultWebShellPort;
}

/**
 * Serves the committed basemap files under /geodata/ (with Range → 206 via sirv), the same URL
 * layout the Electron app:// scheme uses, so the renderer loads them the same way in both shells.
 */
function serveGeodata(): Plugin {
  const attach = (server: ViteDevServer | PreviewServer) => {
    server.middlewares.use(
      '/geodata',
      sirv(geodataDirectory, { dev: true, etag: true, extensions: [], dotfiles: false }),
    );
  };
  return { name: 'onemap-serve-geodata', configureServer: attach, configurePreviewServer: attach };
}

/**
 * MapLibre is loaded by a dynamic import (renderer/src/map/maplibre.ts), so the app's start-up code
 * does not wait for its megabyte to parse; this preloads its chunk from index.html all the same,
 * so it downloads and parses beside the app's from the first moment.
 */
function preloadMapLibre(): Plugin {
  return {
    name: 'onemap-preload-maplibre',
    transformIndexHtml: {
      order: 'post',
      handler(_html, context) {
        // The dev server has no bundle: there MapLibre loads when imported.
        if (!context.bundle) return [];
        const chunk = Object.values(context.bundle).find(
          (output) => output.type === 'chunk' && output.isDynamicEntry && output.moduleIds.some((id) => /[\\/]maplibre-gl[\\/]dist[\\/]maplibre-gl\.mjs$/.test(id)),
        );
        if (!chunk) throw new Error('onemap-preload-maplibre: no chunk holds maplibre-gl (is it still imported dynamically?)');
        return [{ tag: 'link', attrs: { rel: 'modulepreload', crossorigin: true, href: `./${chunk.fileName}` }, injectTo: 'head' }];
      },
    },
  };
}

const securityHeaders = {
  'Content-Security-Policy': contentSecurityPolicy(),
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
};

export default defineConfig({
  root: path.join(projectRoot, 'renderer'),
  base: './',
  plugins: [react(), serveGeodata(), preloadMapLibre()],
  define: { 'import.meta.env.VITE_ONEMAP_VERSION': JSON.stringify(packageVersion) },
  build: {
    // ONEMAP_OUT_DIR lets parallel work build and serve its own copy (default dist/renderer).
    outDir: process.env.ONEMAP_OUT_DIR ? path.resolve(projectRoot, process.env.ONEMAP_OUT_DIR) : path.join(projectRoot, 'dist/renderer'),
    emptyOutDir: true,
    sourcemap: true,
    chunkSizeWarningLimit: 2000,
  },
  server: { host: '127.0.0.1', port: webShellPort(), strictPort: true },
  preview: { host: '127.0.0.1', port: webShellPort(), strictPort: true, headers: securityHeaders },
});
