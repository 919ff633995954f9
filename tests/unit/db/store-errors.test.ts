// Errors the store throws that can reach a person are OneMapErrors with a stable code whose
// sentence is in both locale files; their classes and technical messages stay as they were.
import { describe, expect, it } from 'vitest';
import { OneMapError, oneMapErrorData } from '../../../shared/errors';
import zh from '../../../renderer/src/features/errors/locales/zh-CN.json';
import en from '../../../renderer/src/features/errors/locales/en.json';
import {
  BackupInvalidError,
  ChangeAbortedError,
  ChangeRejectedError,
  DatabaseBlockedError,
  ImportValidationError,
  LayerDeletionRefusedError,
  RestoreVersionError,
  StorageFullError,
  StoreError,
  SyncConflictClosedError,
  UndoConflictError,
} from '../../../renderer/src/db';

const sentence = (locale: unknown, code: string): unknown => ['errors', ...code.split('.')].reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], locale);

const errors: [OneMapError, string][] = [
  [new StorageFullError(new Error('QuotaExceededError')), 'store.storage-full'],
  [new DatabaseBlockedError('onemap'), 'store.database-blocked'],
  [new ChangeAbortedError(), 'store.change-aborted'],
  [new ChangeRejectedError([{ operationIndex: 0, layerId: 'wells', featureId: 'W-1', issues: [{ path: 'status', message: 'no' }] }]), 'store.change-rejected'],
  [new UndoConflictError('C-1', ['photo P-1 is gone']), 'store.undo-conflict'],
  [new RestoreVersionError('not-a-version', 'entry E-1 is a photo entry'), 'store.not-a-version'],
  [new RestoreVersionError('unknown-entry', 'no entry E-1'), 'store.version-not-found'],
  [new LayerDeletionRefusedError('wells', { reason: 'targets', targetIds: ['T-1', 'T-2'] }), 'store.layer-measured'],
  [new LayerDeletionRefusedError('wells', { reason: 'seeded' }), 'store.layer-seeded'],
  [new LayerDeletionRefusedError('wells', { reason: 'conflicts', featureIds: ['W-1'] }), 'store.layer-in-review'],
  [new ImportValidationError([{ featureIndex: 0, field: 'name', message: 'too long' }], 1), 'store.import-refused'],
  [new SyncConflictClosedError('K-1'), 'sync.conflict-closed'],
  [new BackupInvalidError(['layers.0: invalid']), 'backup.invalid'],
];

describe('store errors', () => {
  it.each(errors.map(([error, code]) => [code, error] as const))('%s: a OneMapError with its sentence in zh-CN and en', (code, error) => {
    expect(error).toBeInstanceOf(OneMapError);
    expect(error).toBeInstanceOf(Error);
    expect(error.code).toBe(code);
    expect(typeof sentence(zh, code)).toBe('string');
    expect(typeof sentence(en, code)).toBe('string');
    expect(oneMapErrorData(error)).toEqual({ code, details: expect.objectContaining({ technical: error.message }) });
  });

  it('keeps the classes, names and technical messages', () => {
    const rejected = new ChangeRejectedError([{ operationIndex: 2, layerId: 'wells', featureId: null, issues: [{ path: 'layer.id', message: 'exists' }] }]);
    expect(rejected.message).toBe('change rejected: #2 wells/(new): layer.id: exists');
    expect(rejected.name).toBe('ChangeRejectedError');
    expect(rejected).not.toBeInstanceOf(StoreError);
    const full = new StorageFullError('cause');
    expect(full).toBeInstanceOf(StoreError);
    expect(full.message).toBe('storage is full: the change was not saved (QuotaExceededError)');
    expect(full.cause).toBe('cause');
    expect(full.name).toBe('StorageFullError');
    expect(new ChangeAbortedError()).toBeInstanceOf(StoreError);
  });
});
