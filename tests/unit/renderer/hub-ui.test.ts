import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { indicatorText, type IndicatorInput } from '../../../renderer/src/features/hub/indicator-text';
import { signInFailure, signInFailures } from '../../../renderer/src/features/hub/sign-in-failure';
import { hubRefusalCodes } from '../../../renderer/src/features/hub/refusals';
import { HubRequestError } from '../../../shared/sync/hub/client';
import { hubRoleSchema } from '../../../shared/sync/hub/session';
import type { HubSyncPhase } from '../../../shared/sync/hub/sync-state';
import { localeKeys, type LocaleTree } from '../../../renderer/src/app/locale-resources';

const hubLocales = join(import.meta.dirname, '../../../renderer/src/features/hub/locales');
const read = (language: string) => JSON.parse(readFileSync(join(hubLocales, `${language}.json`), 'utf8')) as LocaleTree;
const keys = { 'zh-CN': new Set(localeKeys(read('zh-CN'))), en: new Set(localeKeys(read('en'))) };
/** A key as i18next finds it: itself, or its plural forms (zh: `_other`; en: `_one` and `_other`). */
const defined = (language: 'zh-CN' | 'en', key: string) =>
  keys[language].has(key) || (keys[language].has(`${key}_other`) && (language !== 'en' || keys[language].has(`${key}_one`)));

const phases: readonly HubSyncPhase[] = ['signed-out', 'idle', 'pushing', 'pulling', 'offline', 'auth-expired'];
const base: IndicatorInput = { hub: { address: 'http://127.0.0.1:1', user: 'li' }, address: 'http://127.0.0.1:1', phase: 'idle', lastProblem: null, lastSyncAt: '2026-12-07T03:00:00Z', waiting: 0 };

describe('the header indicator', () => {
  it('says synced, syncing, waiting, not synced since …, sign in again', () => {
    expect(indicatorText(base)).toEqual({ key: 'hub.indicator.synced', time: 'last' });
    expect(indicatorText({ ...base, phase: 'pushing' })?.key).toBe('hub.indicator.syncing');
    expect(indicatorText({ ...base, phase: 'pulling' })?.key).toBe('hub.indicator.syncing');
    expect(indicatorText({ ...base, waiting: 2 })?.key).toBe('hub.indicator.waiting');
    expect(indicatorText({ ...base, phase: 'offline', lastProblem: 'offline', waiting: 3 })).toEqual({ key: 'hub.indicator.offline', time: 'last' });
    expect(indicatorText({ ...base, phase: 'offline', lastProblem: 'offline', lastSyncAt: null, waiting: 3 })?.key).toBe('hub.indicator.offlineNever');
    expect(indicatorText({ ...base, lastProblem: 'failed', waiting: 1 })?.key).toBe('hub.indicator.offline');
    expect(indicatorText({ ...base, lastProblem: 'failed' })?.key).toBe('hub.indicator.failed');
    expect(indicatorText({ ...base, phase: 'auth-expired', waiting: 4 })?.key).toBe('hub.indicator.signInAgain');
  });

  it('says nothing while the token is read, and "not signed in" only where a hub can be reached', () => {
    expect(indicatorText({ ...base, phase: 'signed-out' })).toBeNull();
    expect(indicatorText({ ...base, hub: null, phase: 'signed-out' })?.key).toBe('hub.indicator.signedOut');
    expect(indicatorText({ ...base, hub: null, address: null, phase: 'signed-out' })).toBeNull();
    expect(indicatorText({ ...base, hub: null, address: undefined, phase: 'signed-out' })).toBeNull();
  });

  it('has a text in both languages for every state it can be in', () => {
    const said = new Set<string>();
    for (const phase of phases)
      for (const lastProblem of [null, 'offline', 'auth-expired', 'failed'])
        for (const waiting of [0, 1, 5])
          for (const lastSyncAt of [null, base.lastSyncAt])
            for (const hub of [null, base.hub])
              for (const address of [null, undefined, base.address]) {
                const text = indicatorText({ hub, address, phase, lastProblem, waiting, lastSyncAt });
                if (text) said.add(text.key);
              }
    expect(said.size).toBe(8);
    for (const key of said) for (const language of ['zh-CN', 'en'] as const) expect(defined(language, key), `${language} ${key}`).toBe(true);
  });
});

describe('sign-in failures', () => {
  it('name the cause without the hub\'s message', () => {
    expect(signInFailure(new HubRequestError('unauthorized', 'wrong user name or password', { status: 401, code: 'unauthorized' }))).toBe('unauthorized');
    expect(signInFailure(new HubRequestError('refused', 'too many', { status: 429, code: 'too-many-attempts' }))).toBe('tooMany');
    expect(signInFailure(new HubRequestError('offline', 'fetch failed'))).toBe('offline');
    expect(signInFailure(new HubRequestError('server', 'internal', { status: 500 }))).toBe('offline');
    expect(signInFailure(new HubRequestError('invalid-answer', 'not JSON', { status: 200 }))).toBe('other');
    expect(signInFailure(new Error('boom'))).toBe('other');
  });
});

describe('the hub panel\'s texts', () => {
  it('exist in zh-CN and English for every phase, role, sign-in failure and known refusal', () => {
    const needed = [
      ...phases.map((phase) => `hub.phase.${phase}`),
      ...hubRoleSchema.options.map((role) => `hub.role.${role}`),
      ...signInFailures.map((reason) => `hub.signIn.failed.${reason}`),
      ...hubRefusalCodes.map((code) => `hub.refused.reason.${code}`),
      'hub.refused.reason.other',
      'hub.refused.heading',
      'hub.waiting',
      'hub.conflicts',
      'hub.pending',
    ];
    for (const key of needed) for (const language of ['zh-CN', 'en'] as const) expect(defined(language, key), `${language} ${key}`).toBe(true);
  });

  it('zh-CN and English have the same keys', () => {
    const strip = (set: Set<string>) => new Set([...set].map((key) => key.replace(/_(one|other)$/, '')));
    expect([...strip(keys['zh-CN'])].sort()).toEqual([...strip(keys.en)].sort());
  });
});
