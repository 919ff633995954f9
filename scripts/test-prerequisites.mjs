// What the test suite needs from the machine beyond npm packages: Debian's Chromium (Playwright
// downloads no browser here) and a CJK font (for Chinese text outside the app's bundled font, e.g.
// in the browser's own UI and in screenshots of other pages), and GDAL's command-line tools (gdal-bin:
// the exported Shapefiles and GeoPackages are checked by opening them with `ogrinfo`), and
// PostgreSQL 15 with PostGIS 3 (the hub tests run a real cluster), poppler-utils (pdftotext, pdffonts,
// pdftoppm read the printed PDFs) and libreoffice-writer-nogui (soffice renders the bulletin's .docx). Installs them where it can (root
// with apt-get); otherwise stops at once, naming the exact command to run.
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';

const aptPackages = ['chromium', 'fonts-noto-cjk', 'gdal-bin', 'postgresql-15', 'postgresql-15-postgis-3', 'poppler-utils', 'libreoffice-writer-nogui'];
const installCommand = `sudo apt-get update && sudo apt-get install -y --no-install-recommends ${aptPackages.join(' ')}`;

function chromiumPresent() {
  return [process.env.CHROMIUM_PATH, '/usr/lib/chromium/chromium', '/usr/bin/chromium'].some((candidate) => candidate && existsSync(candidate));
}

function cjkFontPresent() {
  const result = spawnSync('fc-list', [':lang=zh', 'family'], { encoding: 'utf8' });
  return result.status === 0 && result.stdout.trim().length > 0;
}

export function missingPrerequisites() {
  const missing = [];
  if (!chromiumPresent()) missing.push('chromium');
  if (!cjkFontPresent()) missing.push('fonts-noto-cjk');
  if (spawnSync('ogrinfo', ['--version'], { encoding: 'utf8' }).status !== 0) missing.push('gdal-bin');
  // PG_BIN points the hub at other PostgreSQL binaries (server/db/cluster.ts).
  if (!process.env.PG_BIN && !existsSync('/usr/lib/postgresql/15/bin/initdb')) missing.push('postgresql-15');
  if (!process.env.PG_BIN && !existsSync('/usr/share/postgresql/15/extension/postgis.control')) missing.push('postgresql-15-postgis-3');
  if (spawnSync('pdftotext', ['-v'], { encoding: 'utf8' }).status !== 0) missing.push('poppler-utils');
  if (spawnSync('sh', ['-c', 'command -v soffice'], { encoding: 'utf8' }).status !== 0) missing.push('libreoffice-writer-nogui');
  return missing;
}

export function ensureTestPrerequisites() {
  let missing = missingPrerequisites();
  if (missing.length === 0) return;
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  const hasApt = spawnSync('sh', ['-c', 'command -v apt-get'], { encoding: 'utf8' }).status === 0;
  if (isRoot && hasApt) {
    console.log(`Installing what the tests need: ${missing.join(', ')} (apt-get)`);
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    const update = spawnSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
    const install = spawnSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...aptPackages], { stdio: 'inherit', env });
    missing = missingPrerequisites();
    if (update.status === 0 && install.status === 0 && missing.length === 0) return;
  }
  console.error(`The tests need ${missing.join(' and ')}. Install with:\n  ${installCommand}`);
  process.exit(1);
}

if (import.meta.url === `file://${process.argv[1]}`) ensureTestPrerequisites();
