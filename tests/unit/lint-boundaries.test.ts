// The import boundaries of docs/ARCHITECTURE.md, checked through the project's real ESLint config:
// each wrong arrow must fail `npm run lint`, each allowed one must pass.
import { describe, expect, it } from 'vitest';
import { ESLint } from 'eslint';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '../..');
const eslint = new ESLint({ cwd: root });

async function restrictedImportErrors(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(root, filePath) });
  return (result?.messages ?? []).filter((message) => message.ruleId === 'no-restricted-imports').map((message) => message.message);
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
];

const allowed: Array<[string, string, string]> = [
  ['renderer/src/app/probe.ts', "import { x } from '../../../shared/ipc/app-api';", 'renderer → shared/'],
  ['renderer/src/map/probe.ts', "import * as maplibregl from 'maplibre-gl';", 'maplibre-gl in renderer/src/map'],
  ['renderer/src/db/probe.ts', "import Dexie from 'dexie';", 'dexie in renderer/src/db'],
  ['electron/main/probe.ts', "import { x } from '../../shared/ipc/app-api';", 'electron → shared/'],
  ['electron/main/probe.ts', "import { app } from 'electron';", 'electron package in electron/'],
  ['shared/geo/probe.ts', "import { z } from 'zod';", 'a pure library in shared/'],
];

describe('import boundaries enforced by lint', () => {
  it.each(forbidden)('%s: %s is refused (%s)', async (filePath, code) => {
    expect(await restrictedImportErrors(filePath, `${code}\n`)).not.toEqual([]);
  });

  it.each(allowed)('%s: %s is allowed (%s)', async (filePath, code) => {
    expect(await restrictedImportErrors(filePath, `${code}\n`)).toEqual([]);
  });
});
