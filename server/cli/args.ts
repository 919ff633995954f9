// The command line of `npm run hub` (node:util parseArgs). Every mistake is one line naming the
// option and what it wants.
import { homedir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';

export const DEFAULT_PORT = 47680;
export const DEFAULT_PG_PORT = 47681;
export const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1']);

export class UsageError extends Error {}

export interface ClusterOptions {
  /** The hub's folder (the PostgreSQL cluster is its `postgres` subfolder). */
  dataDir: string;
  pgPort: number;
}

export interface StartOptions extends ClusterOptions {
  command: 'start';
  host: string;
  port: number;
  cert?: string;
  key?: string;
  insecureHttp: boolean;
  empty: boolean;
}

export type UserCommand =
  | { command: 'user add'; name: string; displayName?: string; role: 'admin' | 'planner' | 'surveyor'; counties: number[] | 'all'; passwordStdin: boolean }
  | { command: 'user list' }
  | { command: 'user disable'; name: string }
  | { command: 'user passwd'; name: string; passwordStdin: boolean };

export type Command = StartOptions | (UserCommand & ClusterOptions) | { command: 'help' };

export const USAGE = `usage:
  npm run hub [-- --port 47680] [--data DIR] [--pg-port 47681] [--empty]
              [--host ADDRESS (--cert FILE --key FILE | --insecure-http)]
  npm run hub -- user add NAME --role admin|planner|surveyor --counties 131102,131121|all
              [--display-name TEXT] [--password-stdin]
  npm run hub -- user list | user disable NAME | user passwd NAME [--password-stdin]
With DATABASE_URL set, the hub uses that database instead of its own cluster in --data.`;

/** The hub's default folder: $XDG_DATA_HOME or ~/.local/share; as root /var/lib (PostgreSQL runs as postgres, which cannot enter /root). */
export function defaultDataDir(): string {
  if (process.getuid?.() === 0) return '/var/lib/onemap-hub';
  return path.join(process.env.XDG_DATA_HOME || path.join(homedir(), '.local', 'share'), 'onemap-hub');
}

function portOption(value: string | undefined, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  const port = Number(value);
  if (!/^\d+$/.test(value) || port < 1 || port > 65535) throw new UsageError(`--${name} ${value}: a port number from 1 to 65535`);
  return port;
}

function countiesOption(value: string | undefined): number[] | 'all' {
  if (value === undefined) throw new UsageError('user add: --counties is required (e.g. --counties 131102,131121, or all)');
  if (value === 'all') return 'all';
  return value.split(',').map((part) => {
    if (!/^\d{6}$/.test(part.trim())) throw new UsageError(`--counties: "${part}" is not a 6-digit county code`);
    return Number(part.trim());
  });
}

export function parseCommand(argv: string[]): Command {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        help: { type: 'boolean', short: 'h' },
        data: { type: 'string' },
        port: { type: 'string' },
        'pg-port': { type: 'string' },
        host: { type: 'string' },
        cert: { type: 'string' },
        key: { type: 'string' },
        'insecure-http': { type: 'boolean' },
        empty: { type: 'boolean' },
        role: { type: 'string' },
        counties: { type: 'string' },
        'display-name': { type: 'string' },
        'password-stdin': { type: 'boolean' },
      },
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help) return { command: 'help' };
  const cluster: ClusterOptions = {
    dataDir: path.resolve(values.data ?? defaultDataDir()),
    pgPort: portOption(values['pg-port'], 'pg-port', DEFAULT_PG_PORT),
  };
  const [first, second, name, ...rest] = positionals;
  if (first === undefined || first === 'start') {
    const host = values.host ?? '127.0.0.1';
    if ((values.cert === undefined) !== (values.key === undefined)) throw new UsageError('HTTPS needs both --cert FILE and --key FILE');
    if (!LOOPBACK.has(host) && values.cert === undefined && !values['insecure-http']) {
      throw new UsageError(`--host ${host} would serve passwords and data to the network unencrypted: give --cert FILE --key FILE (HTTPS), or --insecure-http if a proxy in front encrypts`);
    }
    if (second !== undefined) throw new UsageError(`unexpected "${second}" (see npm run hub -- --help)`);
    return {
      command: 'start', ...cluster, host, port: portOption(values.port, 'port', DEFAULT_PORT),
      cert: values.cert, key: values.key, insecureHttp: values['insecure-http'] ?? false, empty: values.empty ?? false,
    };
  }
  if (first !== 'user') throw new UsageError(`unknown command "${first}" (see npm run hub -- --help)`);
  if (rest.length > 0) throw new UsageError(`unexpected "${rest.join(' ')}"`);
  const needName = (): string => {
    if (name === undefined) throw new UsageError(`user ${second}: give the user's name`);
    return name;
  };
  switch (second) {
    case 'add': {
      const role = values.role;
      if (role !== 'admin' && role !== 'planner' && role !== 'surveyor') throw new UsageError(`user add: --role admin, planner or surveyor (got ${role ?? 'nothing'})`);
      return {
        command: 'user add', ...cluster, name: needName(), role, counties: countiesOption(values.counties),
        displayName: values['display-name'], passwordStdin: values['password-stdin'] ?? false,
      };
    }
    case 'list':
      return { command: 'user list', ...cluster };
    case 'disable':
      return { command: 'user disable', ...cluster, name: needName() };
    case 'passwd':
      return { command: 'user passwd', ...cluster, name: needName(), passwordStdin: values['password-stdin'] ?? false };
    default:
      throw new UsageError(`unknown user command "${second ?? ''}": add, list, disable or passwd`);
  }
}
