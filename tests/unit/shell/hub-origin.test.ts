// The hub address as the shells keep it (shared/shell/hub-origin.ts) and the CSP that names it
// (contentSecurityPolicy({ hubOrigin })): exactly one extra origin, in connect-src only, and
// nothing that is not an http(s) origin ever reaches the policy.
import { describe, expect, it } from 'vitest';
import { contentSecurityPolicy, contentSecurityPolicyDirectives } from '../../../shared/shell/content-security-policy';
import { hubOriginOf, isHubOrigin, isLoopbackOrigin } from '../../../shared/shell/hub-origin';

function directives(policy: string): Map<string, string[]> {
  return new Map(policy.split('; ').map((part) => {
    const [name, ...sources] = part.split(' ');
    return [name!, sources];
  }));
}

describe('hubOriginOf', () => {
  it.each([
    ['http://10.0.0.5:47680', 'http://10.0.0.5:47680'],
    ['http://10.0.0.5:47680/', 'http://10.0.0.5:47680'],
    ['  https://Hub.Example.CN  ', 'https://hub.example.cn'],
    ['https://hub.example.cn:443/', 'https://hub.example.cn'],
    ['http://127.0.0.1:47680', 'http://127.0.0.1:47680'],
    ['http://localhost:47680', 'http://localhost:47680'],
    ['https://规划.中国', 'https://xn--wbrs17k.xn--fiqs8s'],
  ])('takes %s as the origin %s', (address, origin) => {
    expect(hubOriginOf(address)).toEqual({ ok: true, origin });
  });

  it.each([
    ['', 'not-a-url'],
    ['10.0.0.5:47680', 'not-a-url'],
    ['hub.example.cn', 'not-a-url'],
    ['ftp://hub.example.cn', 'scheme'],
    ['file:///etc/passwd', 'scheme'],
    ['javascript:alert(1)', 'scheme'],
    ['http://user:pw@hub.example.cn', 'credentials'],
    ['http://user@hub.example.cn', 'credentials'],
    ['http://hub.example.cn/v1', 'path'],
    ['http://hub.example.cn/v1/', 'path'],
    ['http://hub.example.cn/?a=1', 'query'],
    ['http://hub.example.cn/?', 'query'],
    ['http://hub.example.cn/#top', 'query'],
    ['http://[::1]:47680', 'host'],
    ['http://hub example.cn', 'not-a-url'],
    ['http://hub.example.cn\\evil', 'not-a-url'],
    [`http://${'a'.repeat(2100)}.cn`, 'not-a-url'],
  ])('refuses %j (%s)', (address, problem) => {
    expect(hubOriginOf(address)).toEqual({ ok: false, problem });
  });

  it('isHubOrigin accepts only the canonical form', () => {
    expect(isHubOrigin('http://10.0.0.5:47680')).toBe(true);
    for (const value of ['http://10.0.0.5:47680/', 'HTTP://hub.cn', 'https://hub.cn:443', ' http://hub.cn', null, 42]) expect(isHubOrigin(value), String(value)).toBe(false);
  });

  it('isLoopbackOrigin: localhost and 127/8 only', () => {
    expect(isLoopbackOrigin('http://127.0.0.1:47680')).toBe(true);
    expect(isLoopbackOrigin('http://127.1.2.3')).toBe(true);
    expect(isLoopbackOrigin('http://localhost:1')).toBe(true);
    expect(isLoopbackOrigin('http://10.0.0.5')).toBe(false);
    expect(isLoopbackOrigin('http://localhost.evil.cn')).toBe(false);
    expect(isLoopbackOrigin('http://127.0.0.1.evil.cn')).toBe(false);
  });
});

describe('contentSecurityPolicy({ hubOrigin })', () => {
  it('without a hub: connect-src is the app itself only', () => {
    expect(contentSecurityPolicy()).toBe(contentSecurityPolicy({ hubOrigin: null }));
    expect(directives(contentSecurityPolicy()).get('connect-src')).toEqual(["'self'", 'data:', 'blob:']);
  });

  it('adds exactly the hub origin to connect-src and changes nothing else', () => {
    const plain = directives(contentSecurityPolicy());
    const withHub = directives(contentSecurityPolicy({ hubOrigin: 'https://hub.example.cn' }));
    expect([...withHub.keys()]).toEqual(Object.keys(contentSecurityPolicyDirectives));
    for (const [name, sources] of withHub) {
      expect(sources, name).toEqual(name === 'connect-src' ? [...plain.get(name)!, 'https://hub.example.cn'] : plain.get(name));
    }
  });

  it.each([
    'https://hub.example.cn/',
    'https://hub.example.cn; script-src *',
    'https://hub.example.cn https://evil.cn',
    '*',
    "'unsafe-inline'",
    'https://*.example.cn',
    'HTTPS://hub.example.cn',
    'ws://hub.example.cn',
    '',
  ])('refuses %j as a hub origin', (hubOrigin) => {
    expect(() => contentSecurityPolicy({ hubOrigin })).toThrow(/not an http\(s\) origin/);
  });
});
