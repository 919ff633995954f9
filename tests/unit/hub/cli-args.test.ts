// `npm run hub`'s command line: defaults, the loopback rule, user commands and their errors.
import { describe, expect, it } from 'vitest';
import { DEFAULT_PG_PORT, DEFAULT_PORT, parseCommand } from '../../../server/cli/args';

describe('npm run hub arguments', () => {
  it('starts on 127.0.0.1 with the default ports', () => {
    expect(parseCommand([])).toMatchObject({ command: 'start', host: '127.0.0.1', port: DEFAULT_PORT, pgPort: DEFAULT_PG_PORT, empty: false, insecureHttp: false });
    expect(parseCommand(['--port', '55401', '--data', '/srv/hub', '--empty'])).toMatchObject({ port: 55401, dataDir: '/srv/hub', empty: true });
  });

  it('refuses a non-loopback host without HTTPS or --insecure-http', () => {
    expect(() => parseCommand(['--host', '0.0.0.0'])).toThrow(/--host 0\.0\.0\.0 .* --cert FILE --key FILE/);
    expect(parseCommand(['--host', '0.0.0.0', '--insecure-http'])).toMatchObject({ host: '0.0.0.0', insecureHttp: true });
    expect(parseCommand(['--host', '10.0.0.5', '--cert', 'c.pem', '--key', 'k.pem'])).toMatchObject({ cert: 'c.pem', key: 'k.pem' });
    expect(() => parseCommand(['--cert', 'c.pem'])).toThrow('HTTPS needs both --cert FILE and --key FILE');
    expect(parseCommand(['--host', '::1'])).toMatchObject({ host: '::1' });
  });

  it('reads user commands', () => {
    expect(parseCommand(['user', 'add', 'li', '--role', 'surveyor', '--counties', '131102,131121', '--password-stdin']))
      .toMatchObject({ command: 'user add', name: 'li', role: 'surveyor', counties: [131102, 131121], passwordStdin: true });
    expect(parseCommand(['user', 'add', 'chief', '--role', 'admin', '--counties', 'all'])).toMatchObject({ counties: 'all', passwordStdin: false });
    expect(parseCommand(['user', 'list'])).toMatchObject({ command: 'user list' });
    expect(parseCommand(['user', 'disable', 'li'])).toMatchObject({ command: 'user disable', name: 'li' });
    expect(parseCommand(['user', 'passwd', 'li'])).toMatchObject({ command: 'user passwd', name: 'li' });
  });

  it('names what is wrong', () => {
    expect(() => parseCommand(['--port', '70000'])).toThrow('--port 70000: a port number from 1 to 65535');
    expect(() => parseCommand(['--bogus'])).toThrow(/--bogus/);
    expect(() => parseCommand(['user', 'add', 'li', '--role', 'boss', '--counties', 'all'])).toThrow('--role admin, planner or surveyor (got boss)');
    expect(() => parseCommand(['user', 'add', 'li', '--role', 'planner'])).toThrow('--counties is required');
    expect(() => parseCommand(['user', 'add', 'li', '--role', 'planner', '--counties', '1311,131121'])).toThrow('"1311" is not a 6-digit county code');
    expect(() => parseCommand(['user', 'disable'])).toThrow("user disable: give the user's name");
    expect(() => parseCommand(['user', 'remove', 'li'])).toThrow('unknown user command "remove"');
    expect(() => parseCommand(['serve'])).toThrow('unknown command "serve"');
  });
});
