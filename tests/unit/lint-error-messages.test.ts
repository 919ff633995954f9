// No component shows a caught error's raw message: checked through the project's real ESLint
// config, each refused form fails lint and the way through features/errors passes.
import { describe, expect, it } from 'vitest';
import { ESLint } from 'eslint';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '../..');
const eslint = new ESLint({ cwd: root });

async function refusals(filePath: string, code: string): Promise<number> {
  const [result] = await eslint.lintText(code, { filePath: path.join(root, filePath) });
  return (result?.messages ?? []).filter((message) => message.ruleId === 'no-restricted-syntax').length;
}

const component = (body: string) => `
import { useState } from 'react';
import { oneMapErrorData, type OneMapErrorData } from '../../../../shared/errors';
export function Probe({ run }: { run(): Promise<void> }) {
  const [shown, setShown] = useState<unknown>(null);
  const go = async () => {
    ${body}
  };
  return <button type="button" onClick={() => void go()}>{String(shown as OneMapErrorData | null)}</button>;
}
void oneMapErrorData;
`;

describe('no error message in a component', () => {
  it.each([
    ['a caught error\'s message', 'try { await run(); } catch (error) { setShown(error instanceof Error ? error.message : null); }'],
    ['String() of a caught error', 'try { await run(); } catch (error) { setShown(String(error)); }'],
    ['any .message inside a catch block', 'try { await run(); } catch (caught) { const failure = caught as Error; setShown(failure.message); }'],
    ['a rejection\'s message in .catch', 'await run().catch((error: Error) => setShown(error.message));'],
  ])('refuses %s', async (_why, body) => {
    expect(await refusals('renderer/src/features/probe/Probe.tsx', component(body))).toBeGreaterThan(0);
  });

  it('lets a failure through as data (oneMapErrorData), and features/errors itself read the message', async () => {
    expect(await refusals('renderer/src/features/probe/Probe.tsx', component('try { await run(); } catch (error) { setShown(oneMapErrorData(error)); }'))).toBe(0);
    expect(await refusals('renderer/src/features/errors/Probe.tsx', component('try { await run(); } catch (error) { setShown(String(error)); }'))).toBe(0);
  });
});
