// The hub in a process of its own, for the fault tests: it listens on 127.0.0.1 and, when
// ONEMAP_KILL_AFTER_COMMIT names a change id, SIGKILLs itself right after that change committed
// and before the answer is sent (HubFaults.afterCommit) — a crash the client cannot tell from a
// lost answer. Environment: DATABASE_URL, PORT. Prints "listening <port>" when ready.
// Started bundled (see startHubProcess in faults.test.ts): Node 20 runs no TypeScript.
import pg from 'pg';
import { buildHub } from '../../../server/app';

const connectionString = process.env.DATABASE_URL;
const port = Number(process.env.PORT);
const killAfter = process.env.ONEMAP_KILL_AFTER_COMMIT ?? '';
if (connectionString === undefined || !Number.isInteger(port)) throw new Error('hub-process: DATABASE_URL and PORT are required');

const pool = new pg.Pool({ connectionString, max: 4 });
pool.on('error', () => {});
const app = await buildHub({
  pool,
  logger: false,
  faults: {
    afterCommit: (changeId: string) => {
      if (changeId === killAfter) process.kill(process.pid, 'SIGKILL');
    },
  },
});
await app.listen({ host: '127.0.0.1', port });
// PORT=0: the system's choice, told here.
const address = app.server.address();
process.stdout.write(`listening ${typeof address === 'object' && address !== null ? address.port : port}\n`);
