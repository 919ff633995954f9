import { describe, expect, it } from 'vitest';
import { appEntryUrl, appOrigin, isAllowedRequestUrl, isAppUrl } from '../../../electron/main/app-origin';
import { isPermissionGranted, permissionsGrantedToApp } from '../../../electron/main/permissions';

describe('isAppUrl — the app-origin allowlist', () => {
  it.each([
    appOrigin,
    `${appOrigin}/`,
    appEntryUrl,
    'app://onemap/assets/index-3f9a.js',
    'app://onemap/geodata/hengshui-counties-wgs84.geojson',
    'app://onemap/index.html?lang=en#/wells',
    'app://onemap/geodata/%E8%A1%A1%E6%B0%B4.geojson',
  ])('accepts the real app URL %s', (url) => {
    expect(isAppUrl(url)).toBe(true);
  });

  it.each([
    ['a look-alike host with a suffix', 'app://onemap.evil/'],
    ['a look-alike host with a dot', 'app://onemap./index.html'],
    ['a look-alike host with a dash', 'app://onemap-evil/index.html'],
    ['user info in front of another host', 'app://onemap@evil/'],
    ['user info with password', 'app://onemap:pw@evil/'],
    ['the name in the path of another host', 'app://evil/onemap'],
    ['a port', 'app://onemap:80/'],
    ['no authority', 'app:onemap/index.html'],
    ['an empty host', 'app:///onemap/index.html'],
    ['upper-case host (Chromium always hands us lower case)', 'app://ONEMAP/index.html'],
    ['upper-case scheme', 'APP://onemap/index.html'],
    ['http', 'http://onemap/'],
    ['https', 'https://onemap/'],
    ['file', 'file:///work/main/dist/renderer/index.html'],
    ['javascript', 'javascript:alert(1)'],
    ['data', 'data:text/html,<script>alert(1)</script>'],
    ['blob of the app origin (not a document URL)', 'blob:app://onemap/0f1e2d3c'],
    ['devtools', 'devtools://devtools/bundled/inspector.html'],
    ['chrome-extension', 'chrome-extension://abc/index.html'],
    ['about:blank', 'about:blank'],
    ['leading space', ' app://onemap/'],
    ['an embedded newline the URL parser would drop', 'app://one\nmap/'],
    ['an embedded tab', 'app://onemap\t.evil/'],
    ['a backslash', 'app://onemap\\@evil/'],
    ['a tab inside the path, which the URL parser would silently drop', 'app://onemap/ind\tex.html'],
    ['a NUL inside the path', 'app://onemap/index.html\u0000.png'],
    ['a trailing space', 'app://onemap/index.html '],
    ['percent-encoded dot in host', 'app://onemap%2eevil/'],
    ['the empty string', ''],
  ])('rejects %s', (_why, url) => {
    expect(isAppUrl(url)).toBe(false);
  });

  it.each([undefined, null, 42, {}, ['app://onemap/'], new URL('app://onemap/')])('rejects the non-string %s', (value) => {
    expect(isAppUrl(value)).toBe(false);
  });

  it('rejects absurdly long URLs', () => {
    expect(isAppUrl(`${appOrigin}/${'a'.repeat(10_000)}`)).toBe(false);
  });
});

describe('isAllowedRequestUrl — the session request filter', () => {
  const development = { allowDevTools: true };
  const packaged = { allowDevTools: false };

  it.each([
    'app://onemap/index.html',
    'app://onemap/geodata/lakes.geojson',
    'data:image/png;base64,iVBORw0KGgo=',
    'blob:app://onemap/5c1d7a0e-8f3b-4a52-9d0e-2b6f1c3e4a5b',
  ])('lets %s through', (url) => {
    expect(isAllowedRequestUrl(url, packaged)).toBe(true);
  });

  it.each([
    'https://tile.openstreetmap.org/0/0/0.png',
    'http://127.0.0.1:47615/',
    'ws://127.0.0.1:9229/',
    'file:///etc/passwd',
    'app://onemap.evil/x.js',
    'app://evil/onemap/x.js',
    'blob:https://evil.example/abc',
    'blob:null/abc',
    'chrome-extension://abc/script.js',
    'devtools://devtools/bundled/inspector.html',
  ])('blocks %s when packaged', (url) => {
    expect(isAllowedRequestUrl(url, packaged)).toBe(false);
  });

  it('allows DevTools only in development', () => {
    expect(isAllowedRequestUrl('devtools://devtools/bundled/devtools_app.html', development)).toBe(true);
    expect(isAllowedRequestUrl('devtools://devtools/bundled/devtools_app.html', packaged)).toBe(false);
    expect(isAllowedRequestUrl('devtools://evil/x', development)).toBe(false);
    expect(isAllowedRequestUrl('https://chrome-devtools-frontend.appspot.com/x', development)).toBe(false);
  });
});

describe('isPermissionGranted', () => {
  it('grants only fullscreen, sanitized clipboard writes and serial ports (GNSS receiver)', () => {
    expect([...permissionsGrantedToApp].sort()).toEqual(['clipboard-sanitized-write', 'fullscreen', 'serial']);
  });

  it.each(['fullscreen', 'clipboard-sanitized-write', 'serial'])('grants %s to the app origin (frame URL or origin)', (permission) => {
    expect(isPermissionGranted(permission, 'app://onemap/index.html')).toBe(true);
    expect(isPermissionGranted(permission, 'app://onemap')).toBe(true);
  });

  it.each([
    'geolocation',
    'notifications',
    'media',
    'clipboard-read',
    'openExternal',
    'midi',
    'midiSysex',
    'hid',
    'usb',
    'pointerLock',
    'keyboardLock',
    'fileSystem',
    'window-management',
    'storage-access',
    'display-capture',
    'unknown',
  ])('denies %s even to the app origin', (permission) => {
    expect(isPermissionGranted(permission, 'app://onemap/index.html')).toBe(false);
  });

  it.each(['https://evil.example/', 'app://onemap.evil/', 'file:///x.html', 'devtools://devtools/x', '', undefined])(
    'denies fullscreen to %s',
    (requester) => {
      expect(isPermissionGranted('fullscreen', requester)).toBe(false);
    },
  );
});
