import { isAppUrl } from './app-origin';

/**
 * Web permissions the app origin may use; every other permission, and every request from any
 * other origin, is denied.
 *
 * - `fullscreen`: the map's full-screen control (Element.requestFullscreen).
 * - `clipboard-sanitized-write`: "copy coordinates / feature id" (navigator.clipboard.writeText).
 * - `serial`: Web Serial, to read NMEA from an external GNSS receiver (serial, USB or Bluetooth
 *   SPP port). The user picks the port in a native chooser (serial.ts); nothing is opened unasked.
 *
 * Deliberately denied:
 * - `geolocation`: Chromium's location provider on Windows and Linux asks Google's network
 *   location service, which needs the internet and would send nearby Wi-Fi data abroad. OneMap is
 *   offline by design; field positions come from a GNSS receiver over `serial` instead.
 * - `clipboard-read`, `media`, `notifications`, `midi`, `hid`/`usb`, `openExternal`,
 *   `fileSystem`, `pointerLock`, `keyboardLock`, `window-management`, `storage-access`, …: nothing
 *   in the app needs them, so a compromised renderer should not get them either.
 */
export const permissionsGrantedToApp: ReadonlySet<string> = new Set(['fullscreen', 'clipboard-sanitized-write', 'serial']);

/**
 * Decide a permission request or check. `requester` is the requesting frame's URL (request
 * handler, check handler's `requestingUrl`) or the requesting origin (`app://onemap`).
 */
export function isPermissionGranted(permission: string, requester: string | undefined): boolean {
  return permissionsGrantedToApp.has(permission) && isAppUrl(requester);
}

/**
 * Decide a device permission check (Electron's `setDevicePermissionHandler`): serial ports for the
 * app origin only (a port the user chose, see serial.ts); HID and USB devices never.
 */
export function isDevicePermissionGranted(deviceType: string, origin: string | undefined): boolean {
  return deviceType === 'serial' && isAppUrl(origin);
}
