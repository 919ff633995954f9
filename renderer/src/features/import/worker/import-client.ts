import * as Comlink from 'comlink';
import type { ImportProgress } from '../../../../../shared/io';
import type { ImportCommitProgress } from '../../../db';
import type { CommitOutcome, CommitRequest, ImportWorkerApi, ReadOptions, ReadOutcome } from './import.worker';

export type { CommitOutcome, CommitRequest, CountyArea, ReadFailure, ReadOptions, ReadOutcome, ReadResult } from './import.worker';

/**
 * One import worker per wizard: it keeps the file read last, so the commit does not send the
 * features back. `dispose()` terminates it.
 */
export class ImportWorkerClient {
  private worker: Worker | null = null;
  private remote: Comlink.Remote<ImportWorkerApi> | null = null;

  private api(): Comlink.Remote<ImportWorkerApi> {
    if (this.remote === null) {
      this.worker = new Worker(new URL('./import.worker.ts', import.meta.url), { type: 'module', name: 'onemap-import' });
      this.remote = Comlink.wrap<ImportWorkerApi>(this.worker);
    }
    return this.remote;
  }

  /**
   * Reads a file off the main thread. The File goes to the worker as a handle (its bytes are read
   * there, never on this thread; a big GeoJSON file is streamed, not loaded whole).
   */
  read(file: File, options: ReadOptions, onProgress: (progress: ImportProgress) => void): Promise<ReadOutcome> {
    return this.api().read(file.name, file, options, Comlink.proxy(onProgress));
  }

  commit(request: CommitRequest, onProgress: (progress: ImportCommitProgress) => void, beforeWrite: () => Promise<void>): Promise<CommitOutcome> {
    return this.api().commit(request, Comlink.proxy(onProgress), Comlink.proxy(beforeWrite));
  }

  /** Cancels the read or the commit under way; the commit then resolves `{ kind: 'cancelled' }` with nothing written. */
  async cancel(): Promise<void> {
    await this.remote?.cancel();
  }

  dispose(): void {
    this.worker?.terminate();
    this.worker = null;
    this.remote = null;
  }
}
