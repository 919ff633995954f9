// `npm run hub -- user …`: add, list, disable, change a password.
import { createInterface } from 'node:readline';
import type { Pool } from 'pg';
import { addUser, disableUser, listUsers, setPassword } from '../users';
import type { UserCommand } from './args';
import { UsageError } from './args';

async function readStdinLine(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  return text.split(/\r?\n/)[0] ?? '';
}

/** Asks twice on the terminal without echoing. */
async function promptPassword(): Promise<string> {
  if (!process.stdin.isTTY) throw new UsageError('no terminal to ask the password on: pipe it in with --password-stdin');
  const ask = (question: string) => new Promise<string>((resolve) => {
    const readline = createInterface({ input: process.stdin, output: process.stdout, terminal: true });
    const output = readline as unknown as { _writeToOutput: (text: string) => void };
    readline.question(question, (answer) => {
      readline.close();
      process.stdout.write('\n');
      resolve(answer);
    });
    output._writeToOutput = () => {};
    process.stdout.write(question);
  });
  const first = await ask('password: ');
  if ((await ask('again: ')) !== first) throw new UsageError('the two passwords differ');
  return first;
}

export async function runUserCommand(pool: Pool, command: UserCommand, print: (line: string) => void): Promise<void> {
  const password = async (stdin: boolean) => (stdin ? readStdinLine() : promptPassword());
  switch (command.command) {
    case 'user add': {
      const { id } = await addUser(pool, {
        name: command.name, displayName: command.displayName ?? null, role: command.role,
        counties: command.counties, password: await password(command.passwordStdin),
      });
      print(`added user ${command.name} (id ${id}, ${command.role}, counties ${command.counties === 'all' ? 'all' : command.counties.join(',')})`);
      return;
    }
    case 'user list':
      for (const user of await listUsers(pool)) {
        const counties = user.counties === 'all' ? 'all' : user.counties.join(',') || '-';
        print([user.name, user.role, counties, user.disabled ? 'disabled' : 'active', user.displayName ?? ''].join('\t').trimEnd());
      }
      return;
    case 'user disable':
      await disableUser(pool, command.name);
      print(`disabled user ${command.name} (their sessions ended)`);
      return;
    case 'user passwd':
      await setPassword(pool, command.name, await password(command.passwordStdin));
      print(`new password set for ${command.name} (their sessions ended)`);
      return;
  }
}
