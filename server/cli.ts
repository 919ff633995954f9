// `npm run hub`: starts the team hub (its own PostgreSQL cluster in --data unless DATABASE_URL is
// set; migrations; the Hengshui workspace unless --empty), or manages its users. Every failure is
// one line on stderr and exit code 1.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { isReaderCommand, parseCommand, USAGE, type StartOptions } from './cli/args';
import { openHubDatabase, type HubDatabase } from './cli/database';
import { readerLine, runReaderCommand } from './cli/readers';
import { createHubServer, findWebShell } from './cli/serve';
import { runUserCommand } from './cli/users';
import { migrate } from './db/migrate';
import { seedHengshui } from './seed/hengshui';

const print = (line: string): void => {
  process.stdout.write(`${line}\n`);
};

function portFree(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, host, () => probe.close(() => resolve(true)));
  });
}

function readFileOption(file: string, option: string): Buffer {
  try {
    return readFileSync(file);
  } catch (error) {
    throw new Error(`--${option} ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
}

async function start(options: StartOptions): Promise<void> {
  const https = options.cert && options.key ? { cert: readFileOption(options.cert, 'cert'), key: readFileOption(options.key, 'key') } : undefined;
  if (!(await portFree(options.host, options.port))) {
    throw new Error(`port ${options.port} on ${options.host} is taken (another hub running?); choose another with --port`);
  }
  // Not built here: a build takes a minute, needs the dev tools and writes into the repository;
  // the hub serves its API without it.
  const webShell = findWebShell();
  const database = await openHubDatabase(options, print);
  let server: Awaited<ReturnType<typeof createHubServer>> | null = null;
  const shutdown = async (): Promise<void> => {
    await server?.close().catch(() => {});
    await database.close().catch((error: Error) => console.error(`stopping the database: ${error.message}`));
  };
  try {
    const { applied } = await migrate(database.pool);
    if (applied.length > 0) print(`schema migrated: ${applied.join(', ')}`);
    if (!options.empty) {
      const started = Date.now();
      const { inserted } = await seedHengshui(database.pool);
      if (inserted.features + inserted.layers + inserted.counties + inserted.workspace > 0) {
        print(`seeded the Hengshui workspace: ${inserted.layers} layers, ${inserted.counties} counties, ${inserted.features} demo features (${Date.now() - started} ms)`);
      }
    }
    server = await createHubServer({ pool: database.pool, https, ...('webRoot' in webShell ? webShell : {}) });
    try {
      await server.listen({ host: options.host, port: options.port });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      throw new Error(code === 'EADDRINUSE' ? `port ${options.port} on ${options.host} is taken; choose another with --port` : `cannot listen on ${options.host}:${options.port}: ${(error as Error).message}`);
    }
  } catch (error) {
    await shutdown();
    throw error;
  }
  announce(options, database, Boolean(https), await readerLine(database.pool, database.location), 'missing' in webShell ? webShell.missing : null);
  // Ctrl+C reaches both scripts/run-ts.mjs and this process, which gets it twice: stop once.
  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    void shutdown().finally(() => process.exit(0));
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, stop);
}

function announce(options: StartOptions, database: HubDatabase, https: boolean, readers: string, webShellMissing: string | null): void {
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  const address = `${https ? 'https' : 'http'}://${host}:${options.port}`;
  print(`hub: ${address}`);
  print(webShellMissing === null ? `app: ${address}/  (open it in a browser; sign in with a hub user)` : `app: ${webShellMissing}`);
  if (database.cluster) print(`data: ${options.dataDir} (PostgreSQL on 127.0.0.1:${database.cluster.port})`);
  print(`read-only PostgreSQL (QGIS): ${readers}`);
  print('stop with Ctrl+C');
}

async function main(): Promise<void> {
  const command = parseCommand(process.argv.slice(2));
  if (command.command === 'help') {
    print(USAGE);
    return;
  }
  if (command.command === 'start') {
    await start(command);
    return;
  }
  const database = await openHubDatabase(command, () => {});
  try {
    await migrate(database.pool);
    if (isReaderCommand(command)) await runReaderCommand(database, command, print);
    else await runUserCommand(database.pool, command, print);
  } finally {
    await database.close();
  }
}

main().catch((error: Error) => {
  console.error(`onemap hub: ${error.message.split('\n').join(' — ')}`);
  process.exit(1);
});
