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

const securityHeaders = {
  'Content-Security-Policy': contentSecurityPolicy(),
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
};

export default defineConfig({
  root: path.join(projectRoot, 'renderer'),
  base: './',
  plugins: [react(), serveGeodata()],
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
