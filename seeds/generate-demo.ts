// Entry of `npm run seeds` (through scripts/run-ts.mjs): regenerates seeds/demo/*.geojson.
// Usage: node scripts/run-ts.mjs seeds/generate-demo.ts [--check]
//   --check  writes nothing; exits 1 if a committed file differs from a fresh generation.
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { demoInputPaths, loadDemoInputs } from './demo-inputs';
import { renderDemoFiles } from './generator/index';

const projectRoot = process.cwd();
const check = process.argv.includes('--check');
const demoDirectory = join(projectRoot, 'seeds', 'demo');
const files = renderDemoFiles(loadDemoInputs(demoInputPaths(projectRoot)));

let stale = 0;
if (!check) mkdirSync(demoDirectory, { recursive: true });
for (const [fileName, text] of files) {
  const path = join(demoDirectory, fileName);
  const same = existsSync(path) && readFileSync(path, 'utf8') === text;
  if (check) {
    if (!same) stale += 1;
    console.log(`${same ? 'up to date' : 'STALE     '}  seeds/demo/${fileName}`);
  } else {
    if (!same) writeFileSync(path, text);
    console.log(`${same ? 'unchanged' : 'written  '}  seeds/demo/${fileName}  (${(text.length / 1024).toFixed(0)} KB)`);
  }
}
if (stale > 0) {
  console.error(`${stale} demo file(s) differ from the generator: run npm run seeds`);
  process.exit(1);
}
