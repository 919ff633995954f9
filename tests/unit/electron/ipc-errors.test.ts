// A failure in main reaches the renderer as code + details, not as an English string: the gate
// puts them into the one thing Electron carries (the message), the renderer's bridge reads them back.
import { describe, expect, it } from 'vitest';
import { validatedHandler, type IpcInvokeEventLike } from '../../../electron/main/ipc/validated-handler';
import { BackupStoreError, fromIpcRejection, ipcErrorData } from '../../../shared/ipc';
import { OneMapError, oneMapErrorData } from '../../../shared/errors';

const fromApp: IpcInvokeEventLike = { senderFrame: { url: 'app://onemap/index.html' } };

/** What Electron's ipcRenderer.invoke rejects with: a new Error holding only the message. */
async function acrossIpc(call: Promise<unknown>): Promise<Error> {
  const thrown = await call.then(
    () => null,
    (error: unknown) => error as Error,
  );
  if (thrown === null) throw new Error('expected a rejection');
  return new Error(`Error invoking remote method 'onemap:backups:read': Error: ${thrown.message}`);
}

describe('errors across IPC', () => {
  it('a handler\'s OneMapError arrives as its code and details', async () => {
    const handler = validatedHandler('readBackup', async () => {
      throw new BackupStoreError('backup-not-found', 'no such backup');
    }, { log: () => undefined });
    const rejection = await acrossIpc(handler(fromApp, { id: 'manual-20210801T020304005Z-0a1b2c3d' }));
    expect(ipcErrorData(rejection)).toEqual({ code: 'backup-not-found', details: { technical: 'no such backup' } });
    const error = fromIpcRejection(rejection);
    expect(error).toBeInstanceOf(OneMapError);
    expect(oneMapErrorData(error)).toEqual({ code: 'backup-not-found', details: { technical: 'no such backup' } });
  });

  it('anything else a handler throws is "unexpected" with its message as the technical detail', async () => {
    const handler = validatedHandler('deleteBackup', async () => {
      throw new TypeError('boom');
    }, { log: () => undefined });
    const rejection = await acrossIpc(handler(fromApp, { id: 'manual-20210801T020304005Z-0a1b2c3d' }));
    expect(oneMapErrorData(fromIpcRejection(rejection))).toEqual({ code: 'unexpected', details: { technical: 'boom' } });
  });

  it('a refused call says ipc-rejected and the channel', async () => {
    const handler = validatedHandler('setLanguage', async () => undefined, { log: () => undefined });
    const rejection = await acrossIpc(handler(fromApp, { language: 42 }));
    expect(oneMapErrorData(fromIpcRejection(rejection))).toMatchObject({ code: 'ipc-rejected', details: { channel: 'onemap:preferences:set-language' } });
  });

  it('a rejection without data (or with a forged, malformed one) stays as it was', () => {
    const plain = new Error('network down');
    expect(fromIpcRejection(plain)).toBe(plain);
    const forged = new Error('x [onemap-error]{"code":1}');
    expect(fromIpcRejection(forged)).toBe(forged);
  });
});
