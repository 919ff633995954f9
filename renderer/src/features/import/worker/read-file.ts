import { ImportWorkerClient, type ReadOptions, type ReadOutcome } from './import-client';

/**
 * Reads a file with the import wizard's readers (format, encoding and CRS detection) in a worker
 * of its own, for another feature that needs a file's features (a workspace's boundary file).
 */
export async function readFileWithImportReaders(file: File, options: ReadOptions): Promise<ReadOutcome> {
  const client = new ImportWorkerClient();
  try {
    return await client.read(file, options, () => undefined);
  } finally {
    client.dispose();
  }
}
