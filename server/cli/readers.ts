// `npm run hub -- reader …`: PostgreSQL logins for office users (QGIS and other GIS), read-only
// or editing, limited to counties (server/db/readers.ts).
import type { Pool } from 'pg';
import { createReader, dropReader, ensureDefaultReader, listReaders, readOnlyConnectionString, setReaderPassword } from '../db/readers';
import type { ReaderCommand } from './args';
import type { HubDatabase } from './database';
import { promptPassword, readStdinLine } from './users';

export async function runReaderCommand(database: HubDatabase, command: ReaderCommand, print: (line: string) => void): Promise<void> {
  const { pool, location } = database;
  const password = async (stdin: boolean) => (stdin ? readStdinLine() : promptPassword());
  const connection = (name: string) => readOnlyConnectionString({ ...location, name });
  switch (command.command) {
    case 'reader add':
      await createReader(pool, { name: command.name, password: await password(command.passwordStdin), counties: command.counties, editor: command.editor });
      print(`added ${command.editor ? 'editing' : 'read-only'} login ${command.name} (counties ${command.counties === 'all' ? 'all' : command.counties.join(',')}): ${connection(command.name)}`);
      return;
    case 'reader list':
      for (const reader of await listReaders(pool)) {
        print([reader.name, reader.editor ? 'editor' : 'reader', reader.counties === 'all' ? 'all' : reader.counties.join(',')].join('\t'));
      }
      return;
    case 'reader drop':
      await dropReader(pool, command.name);
      print(`dropped login ${command.name}`);
      return;
    case 'reader passwd':
      await setReaderPassword(pool, command.name, await password(command.passwordStdin));
      print(`new password set for login ${command.name}`);
      return;
  }
}

/** The line `npm run hub` prints for QGIS: the default all-counties reader, its password once. */
export async function readerLine(pool: Pool, location: HubDatabase['location']): Promise<string> {
  try {
    const reader = await ensureDefaultReader(pool);
    const line = readOnlyConnectionString({ ...location, name: reader.name, password: reader.password });
    return reader.created
      ? `${line} (the password is shown this once; a new one: npm run hub -- reader passwd ${reader.name})`
      : `${line} (password as shown when it was created; a new one: npm run hub -- reader passwd ${reader.name})`;
  } catch (error) {
    return `not available (${(error as Error).message})`;
  }
}
