// The HTTP side of `npm run hub`: the hub's API (server/app.ts), over HTTPS when given a
// certificate, and the web shell (the built renderer and geodata/) when they are found.
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Pool } from 'pg';
import { buildHub } from '../app';
import { repoFile, RepoFileError } from '../repo-files';

export interface HubServerOptions {
  pool: Pool;
  https?: { cert: Buffer; key: Buffer };
  webRoot?: string;
  geodataRoot?: string;
}

export function createHubServer(options: HubServerOptions): Promise<FastifyInstance> {
  return buildHub({ pool: options.pool, https: options.https, webRoot: options.webRoot, geodataRoot: options.geodataRoot });
}

/**
 * The repository's built renderer (dist/renderer, or ONEMAP_OUT_DIR as `vite build` takes it) and
 * geodata/, or why the web shell cannot be served.
 */
export function findWebShell(): { webRoot: string; geodataRoot: string } | { missing: string } {
  try {
    const outDir = process.env.ONEMAP_OUT_DIR;
    const webRoot = outDir ? path.resolve(outDir) : repoFile(path.join('dist', 'renderer'));
    if (!existsSync(path.join(webRoot, 'index.html'))) throw new RepoFileError('no index.html');
    return { webRoot, geodataRoot: repoFile('geodata') };
  } catch (error) {
    if (!(error instanceof RepoFileError)) throw error;
    return { missing: 'the app is not built: run `npm run build:renderer`, then start the hub again to open the app from it' };
  }
}
