// Files of the repository the hub reads at run time (migrations, demo layers, county polygons).
// From sources they are found next to this file; when the CLI runs bundled (scripts/run-ts.mjs
// writes the bundle to a temporary folder) from the working directory, which npm sets to the
// repository.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export class RepoFileError extends Error {}

/** The absolute path of a file or folder of the repository (`relative` like 'seeds/demo'). */
export function repoFile(relative: string): string {
  const starts = [path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..'), process.cwd()];
  for (const start of starts) {
    for (let dir = start; ; dir = path.dirname(dir)) {
      const candidate = path.join(dir, relative);
      if (existsSync(path.join(dir, 'package.json')) && existsSync(candidate)) return candidate;
      if (path.dirname(dir) === dir) break;
    }
  }
  throw new RepoFileError(`cannot find ${relative} (run the hub from the OneMap repository)`);
}
