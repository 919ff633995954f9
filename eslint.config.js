// Lint rules, including the import boundaries of docs/ARCHITECTURE.md: a wrong arrow between
// the project's folders fails `npm run lint`.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';
import { readdirSync } from 'node:fs';
import reactHooks from 'eslint-plugin-react-hooks';
import { importX } from 'eslint-plugin-import-x';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';

const folder = (name) => [`**/${name}`, `**/${name}/**`];
const nodeBuiltins = ['node:*', 'fs', 'fs/*', 'path', 'os', 'child_process', 'crypto', 'http', 'https', 'net', 'url', 'stream', 'worker_threads'];

const projectRoot = import.meta.dirname;
const { 'import-x/resolver': _legacyResolver, ...importXTypeScriptSettings } = importX.flatConfigs.typescript.settings;

const restrict = (patterns) => ({
  'no-restricted-imports': ['error', { patterns }],
});

// A feature's public face is its index.ts: a file outside features/<name>/ may import only
// `…/features/<name>` (its index.ts), never a file inside it (VS Code's code-layering, CoMapeo's
// DEVELOPMENT.md). Checked on resolved paths, so `../x/Foo` from a sibling feature is caught too.
// Locale files are merged by i18n.ts through import.meta.glob, not imported.
const src = 'renderer/src';
const featureNames = readdirSync(new URL(`./${src}/features/`, import.meta.url), { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name);
const featureZones = featureNames.map((name) => ({
  target: [`${src}/*.{ts,tsx}`, `${src}/!(features)/**`, `${src}/features/!(${name})/**`],
  from: `${src}/features/${name}`,
  except: ['./index.ts'],
  message: `Import the ${name} feature through its index.ts ('…/features/${name}'), not a file inside it (docs/ARCHITECTURE.md).`,
}));

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'release/**',
      'node_modules/**',
      'test-results/**',
      'playwright-report/**',
      'tests/artifacts/**',
      'geodata/.sources/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2023, sourceType: 'module' },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: ['scripts/**', 'geodata/**', '*.config.*', 'tests/**', 'seeds/generate-demo.ts', 'seeds/demo-inputs.ts'],
    languageOptions: { globals: { ...globals.node } },
  },
  {
    files: ['renderer/**'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: { ...reactHooks.configs.recommended.rules },
  },
  // No import cycles anywhere in the product code, and features only through their index.ts.
  {
    files: ['renderer/**/*.{ts,tsx}', 'shared/**/*.ts', 'electron/**/*.ts', 'seeds/**/*.ts', 'server/**/*.ts'],
    plugins: { 'import-x': importX },
    settings: {
      // The plugin's TypeScript settings (which files it parses to follow imports), with the
      // resolver reading the tsconfig project references.
      ...importXTypeScriptSettings,
      'import-x/resolver-next': [createTypeScriptImportResolver()],
    },
    rules: {
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      'import-x/no-restricted-paths': ['error', { basePath: projectRoot, zones: featureZones }],
    },
  },
  // shared/: pure TypeScript for Node, browser and Electron alike — imports nothing of the project
  // outside shared/, and no Node, DOM-framework, Electron or storage modules.
  {
    files: ['shared/**/*.ts'],
    rules: restrict([
      { group: [...folder('electron'), 'electron', ...folder('renderer'), ...folder('seeds'), ...folder('tests'), ...folder('geodata')], message: 'shared/ imports nothing of the project outside shared/ (docs/ARCHITECTURE.md).' },
      { group: nodeBuiltins, message: 'shared/ must run in the browser too: no Node built-ins.' },
      { group: ['react', 'react-dom', 'react-dom/*', 'maplibre-gl', 'maplibre-gl/*', 'dexie', 'dexie/*'], message: 'shared/ is pure: no UI, map or storage libraries.' },
    ]),
  },
  // electron/: may import shared/ only.
  {
    files: ['electron/**/*.ts'],
    rules: restrict([
      { group: [...folder('renderer'), ...folder('seeds'), ...folder('tests')], message: 'electron/ may import shared/ only (docs/ARCHITECTURE.md).' },
      { group: ['react', 'react-dom', 'maplibre-gl', 'maplibre-gl/*', 'dexie', 'dexie/*'], message: 'The desktop shell does not use renderer libraries.' },
    ]),
  },
  // server/ (the team hub, Node): may import shared/ and seeds/ (the embedded workspace) only.
  {
    files: ['server/**/*.ts'],
    languageOptions: { globals: { ...globals.node } },
    rules: restrict([
      { group: [...folder('renderer'), ...folder('electron'), 'electron', ...folder('tests')], message: 'server/ may import shared/ and seeds/ only (docs/ARCHITECTURE.md).' },
      { group: ['react', 'react-dom', 'react-dom/*', 'maplibre-gl', 'maplibre-gl/*', 'dexie', 'dexie/*'], message: 'The hub does not use renderer libraries.' },
    ]),
  },
  // renderer/: may import shared/ and seeds/; never electron/ or tests/. maplibre-gl only in
  // renderer/src/map, dexie only in renderer/src/db.
  {
    files: ['renderer/**/*.{ts,tsx}'],
    ignores: ['renderer/src/map/**', 'renderer/src/db/**'],
    rules: restrict([
      { group: [...folder('electron'), 'electron', ...folder('tests')], message: 'renderer/ may import shared/ and seeds/ only; reach the desktop shell through window.onemap (AppApi).' },
      { group: nodeBuiltins, message: 'renderer/ runs in a browser: no Node built-ins.' },
      { group: ['maplibre-gl', 'maplibre-gl/*'], message: 'Only renderer/src/map imports maplibre-gl.' },
      { group: ['dexie', 'dexie/*'], message: 'Only renderer/src/db imports dexie.' },
    ]),
  },
  {
    files: ['renderer/src/map/**/*.{ts,tsx}'],
    rules: restrict([
      { group: [...folder('electron'), 'electron', ...folder('tests')], message: 'renderer/ may import shared/ and seeds/ only.' },
      { group: nodeBuiltins, message: 'renderer/ runs in a browser: no Node built-ins.' },
      { group: ['dexie', 'dexie/*'], message: 'Only renderer/src/db imports dexie.' },
    ]),
  },
  {
    files: ['renderer/src/db/**/*.{ts,tsx}'],
    rules: restrict([
      { group: [...folder('electron'), 'electron', ...folder('tests')], message: 'renderer/ may import shared/ and seeds/ only.' },
      { group: nodeBuiltins, message: 'renderer/ runs in a browser: no Node built-ins.' },
      { group: ['maplibre-gl', 'maplibre-gl/*'], message: 'Only renderer/src/map imports maplibre-gl.' },
    ]),
  },
  // Components never show a caught error's raw message (English, a library's words): failures go
  // through features/errors — ErrorNotice / useErrorText(oneMapErrorData(error)).
  {
    files: ['renderer/src/**/*.tsx'],
    ignores: ['renderer/src/features/errors/**'],
    rules: {
      'no-restricted-syntax': [
        'error',
        ...[
          "CatchClause MemberExpression[property.name='message']",
          "MemberExpression[property.name='message'][object.type='Identifier'][object.name=/^(e|err|error|caught|failure|rejection)$/]",
          "CallExpression[callee.name='String'][arguments.0.type='Identifier'][arguments.0.name=/^(e|err|error|caught|failure|rejection)$/]",
        ].map((selector) => ({ selector, message: "Show a failure with ErrorNotice / useErrorText(oneMapErrorData(error)) (features/errors), never the error's message." })),
      ],
    },
  },
  // seeds/: data and the generator; may import shared/ only.
  {
    files: ['seeds/**/*.ts'],
    rules: restrict([
      { group: [...folder('electron'), 'electron', ...folder('renderer'), ...folder('tests')], message: 'seeds/ may import shared/ only.' },
    ]),
  },
);
