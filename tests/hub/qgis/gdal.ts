// GDAL's ogrinfo against the test cluster, as a QGIS user's machine would read the views.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

export async function ogrinfo(connection: string, args: string[]): Promise<string> {
  const { stdout } = await run('ogrinfo', ['-ro', `PG:${connection}`, ...args], {
    // GDAL would otherwise also list every table it can see before the one asked for.
    env: { ...process.env, PG_LIST_ALL_TABLES: 'NO', PGCLIENTENCODING: 'UTF8' },
    maxBuffer: 64 * 1024 * 1024,
  });
  return stdout;
}

export function featureCount(output: string): number {
  const match = /^Feature Count: (\d+)$/m.exec(output);
  if (match === null) throw new Error(`no feature count in ogrinfo output:\n${output}`);
  return Number(match[1]);
}

/** The field lines of `ogrinfo -so`: name → type as GDAL says it, e.g. `Real`, `Date`, `String`. */
export function fieldTypes(output: string): Map<string, string> {
  const fields = new Map<string, string>();
  for (const match of output.matchAll(/^([A-Za-z_][A-Za-z0-9_]*): ([A-Za-z0-9]+(?:\([A-Za-z]+\))?) \(/gm)) {
    fields.set(match[1] as string, match[2] as string);
  }
  return fields;
}
