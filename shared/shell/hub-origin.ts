/**
 * The team hub's address as the shells keep it: an http(s) origin and nothing else (no path,
 * query, fragment or credentials), in the canonical form the URL parser gives (lower-case host,
 * no default port). It is the one origin besides the app's own that the app may contact, so it
 * is also written into the CSP's connect-src: only characters a CSP host-source allows pass.
 */

// The WHATWG URL parser exists in every runtime shared/ runs in (Node, browsers, Electron); shared/
// compiles without DOM or Node types, so its shape is declared here.
declare const URL: new (input: string) => {
  readonly protocol: string; readonly username: string; readonly password: string; readonly pathname: string;
  readonly search: string; readonly hash: string; readonly origin: string; readonly hostname: string;
};

/** The desktop app's origin: the one other origin a hub answers CORS for (server/routes/cors.ts). */
export { desktopAppOrigin } from './desktop-origin';

export const hubAddressProblems = ['not-a-url', 'scheme', 'credentials', 'path', 'query', 'host'] as const;
export type HubAddressProblem = (typeof hubAddressProblems)[number];

export type HubOriginResult = { readonly ok: true; readonly origin: string } | { readonly ok: false; readonly problem: HubAddressProblem };

const longestAddress = 2048;
// scheme://host[:port] — host names and IPv4 only: a CSP host-source has no syntax for IPv6.
const cspSafeOrigin = /^https?:\/\/[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*(:\d{1,5})?$/;

/** The origin of a hub address the user typed (`http://10.0.0.5:47680` or with a trailing `/`), or why it is not one. */
export function hubOriginOf(address: string): HubOriginResult {
  const text = address.trim();
  if (text.length === 0 || text.length > longestAddress || /[\s\\]/.test(text)) return { ok: false, problem: 'not-a-url' };
  let url: InstanceType<typeof URL>;
  try {
    url = new URL(text);
  } catch {
    return { ok: false, problem: 'not-a-url' };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return { ok: false, problem: 'scheme' };
  if (url.username !== '' || url.password !== '' || /^[a-z]+:\/\/[^/]*@/i.test(text)) return { ok: false, problem: 'credentials' };
  if (url.pathname !== '/') return { ok: false, problem: 'path' };
  if (url.search !== '' || url.hash !== '' || /[?#]/.test(text)) return { ok: false, problem: 'query' };
  if (!cspSafeOrigin.test(url.origin)) return { ok: false, problem: 'host' };
  return { ok: true, origin: url.origin };
}

/** True only for a hub origin already in canonical form (what the shells store and the CSP names). */
export function isHubOrigin(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const result = hubOriginOf(value);
  return result.ok && result.origin === value;
}

/** Loopback hosts: the only ones a desktop app (a secure context) may reach over plain http. */
export function isLoopbackOrigin(origin: string): boolean {
  const host = new URL(origin).hostname;
  return host === 'localhost' || /^127(\.\d{1,3}){3}$/.test(host);
}
