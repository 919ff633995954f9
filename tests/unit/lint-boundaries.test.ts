// The import boundaries of docs/ARCHITECTURE.md, checked through the project's real ESLint config:
// each wrong arrow must fail `npm run lint`, each allowed one must pass.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ESLint } from 'eslint';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '../..');
const eslint = new ESLint({ cwd: root });
// The first probe that imports the app makes import-x/no-cycle parse the whole renderer graph.
vi.setConfig({ testTimeout: 90_000 });

async function restrictedImportErrors(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(root, filePath) });
  return (result?.messages ?? []).filter((message) => message.ruleId === 'no-restricted-imports').map((message) => message.message);
}

async function ruleErrors(filePath: string, code: string, ruleId: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(root, filePath) });
  return (result?.messages ?? []).filter((message) => message.ruleId === ruleId || message.fatal).map((message) => message.message);
}

const forbidden: Array<[string, string, string]> = [
  ['renderer/src/app/probe.ts', "import { x } from '../../../electron/main/app-origin';", 'renderer → electron/'],
  ['renderer/src/app/probe.ts', "import { app } from 'electron';", 'renderer → electron package'],
  ['renderer/src/features/probe.ts', "import { x } from '../../../tests/e2e/helpers/test';", 'renderer → tests/'],
  ['renderer/src/app/probe.ts', "import * as maplibregl from 'maplibre-gl';", 'maplibre-gl outside renderer/src/map'],
  ['renderer/src/map/probe.ts', "import Dexie from 'dexie';", 'dexie outside renderer/src/db'],
  ['renderer/src/db/probe.ts', "import * as maplibregl from 'maplibre-gl';", 'maplibre-gl in renderer/src/db'],
  ['renderer/src/app/probe.ts', "import { readFileSync } from 'node:fs';", 'Node built-in in the renderer'],
  ['shared/geo/probe.ts', "import { readFileSync } from 'node:fs';", 'Node built-in in shared/'],
  ['shared/model/probe.ts', "import { useState } from 'react';", 'react in shared/'],
  ['shared/model/probe.ts', "import { x } from '../../renderer/src/app/App';", 'shared → renderer/'],
  ['shared/ipc/probe.ts', "import { ipcMain } from 'electron';", 'shared → electron package'],
  ['electron/main/probe.ts', "import { x } from '../../renderer/src/app/App';", 'electron → renderer/'],
  ['seeds/generator/probe.ts', "import { x } from '../../renderer/src/app/App';", 'seeds → renderer/'],
  ['server/push/probe.ts', "import { x } from '../../renderer/src/app/App';", 'server → renderer/'],
  ['server/routes/probe.ts', "import { x } from '../../electron/main/app-origin';", 'server → electron/'],
  ['server/probe.ts', "import { app } from 'electron';", 'server → electron package'],
  ['server/probe.ts', "import Dexie from 'dexie';", 'server → dexie'],
];

const allowed: Array<[string, string, string]> = [
  ['renderer/src/app/probe.ts', "import { x } from '../../../shared/ipc/app-api';", 'renderer → shared/'],
  ['renderer/src/map/probe.ts', "import * as maplibregl from 'maplibre-gl';", 'maplibre-gl in renderer/src/map'],
  ['renderer/src/db/probe.ts', "import Dexie from 'dexie';", 'dexie in renderer/src/db'],
  ['electron/main/probe.ts', "import { x } from '../../shared/ipc/app-api';", 'electron → shared/'],
  ['electron/main/probe.ts', "import { app } from 'electron';", 'electron package in electron/'],
  ['shared/geo/probe.ts', "import { z } from 'zod';", 'a pure library in shared/'],
  ['server/push/probe.ts', "import { x } from '../../shared/sync/base-merge';", 'server → shared/'],
  ['server/seed/probe.ts', "import { hengshuiLayers } from '../../seeds';", 'server → seeds/'],
  ['server/probe.ts', "import { readFileSync } from 'node:fs';", 'Node built-in in server/'],
];

describe('import boundaries enforced by lint', () => {
  it.each(forbidden)('%s: %s is refused (%s)', async (filePath, code) => {
    expect(await restrictedImportErrors(filePath, `${code}\n`)).not.toEqual([]);
  });

  it.each(allowed)('%s: %s is allowed (%s)', async (filePath, code) => {
    expect(await restrictedImportErrors(filePath, `${code}\n`)).toEqual([]);
  });
});

// A feature is reached through its index.ts only; inside a feature, its own files are free.
const deepImports: Array<[string, string, string]> = [
  ['renderer/src/app/probe.ts', "import { writeBackup } from '../features/backup/backup-service';", 'app → a file inside a feature'],
  ['renderer/src/features/sync/probe.ts', "import { writeBackup } from '../backup/backup-service';", 'feature → a file inside another feature'],
  ['renderer/src/map/probe.ts', "import { BackupsControl } from '../features/backup/BackupsControl';", 'map → a file inside a feature'],
];
const featureIndexImports: Array<[string, string, string]> = [
  ['renderer/src/app/probe.ts', "import { writeBackup } from '../features/backup';", 'app → a feature index'],
  ['renderer/src/features/sync/probe.ts', "import { writeBackup } from '../backup';", 'feature → another feature index'],
  ['renderer/src/features/backup/probe.ts', "import { writeBackup } from './backup-service';", 'a feature → its own file'],
];

describe('feature modules enforced by lint', () => {
  it.each(deepImports)('%s: %s is refused (%s)', async (filePath, code) => {
    expect(await ruleErrors(filePath, `${code}\n`, 'import-x/no-restricted-paths')).not.toEqual([]);
  });

  it.each(featureIndexImports)('%s: %s is allowed (%s)', async (filePath, code) => {
    expect(await ruleErrors(filePath, `${code}\n`, 'import-x/no-restricted-paths')).toEqual([]);
  });
});

// An import cycle needs real files on disk (the rule follows the imported module's own imports),
// so two probe modules are written to a scratch folder inside renderer/src for the test's length.
describe('import cycles refused by lint', () => {
  const folder = path.join(root, 'renderer/src', `lint-cycle-probe-${process.pid}`);
  beforeAll(() => {
    mkdirSync(folder, { recursive: true });
    writeFileSync(path.join(folder, 'a.ts'), "import { b } from './b';\nexport const a = (): number => b + 1;\n");
    writeFileSync(path.join(folder, 'b.ts'), "import { a } from './a';\nexport const b = 1;\nexport const twice = (): number => a() * 2;\n");
    writeFileSync(path.join(folder, 'c.ts'), "import { b } from './b';\nexport const c = b + 2;\n");
  });
  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  const lintProbe = async (name: string) => {
    const file = path.join(folder, name);
    const [result] = await eslint.lintFiles([file]);
    return (result?.messages ?? []).filter((message) => message.ruleId === 'import-x/no-cycle' || message.fatal).map((message) => message.message);
  };

  it('a ↔ b: each side of the cycle is refused', async () => {
    expect(await lintProbe('a.ts')).not.toEqual([]);
    expect(await lintProbe('b.ts')).not.toEqual([]);
  });

  it('c → b: an import that closes no cycle is allowed', async () => {
    expect(await lintProbe('c.ts')).toEqual([]);
  });
});
