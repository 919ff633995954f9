// 设备定位: the browser's Geolocation API (watchPosition, high accuracy). In the Electron shell the
// permission is denied on purpose (Chromium's network location provider would call Google; the app
// is offline), so there this source reports `denied` and the UI points to a GNSS receiver.
import { fixFromGeolocation, type PositionFix } from './position-fix';

export type DevicePositionProblem = 'denied' | 'unavailable' | 'timeout' | 'unsupported';

/** How long to wait for a fix before saying so (the watch goes on). */
const timeoutMs = 30_000;

/** Watches the device position; returns a function that stops watching. */
export function watchDevicePosition(handlers: { onFix(fix: PositionFix): void; onProblem(problem: DevicePositionProblem): void }): () => void {
  const geolocation = typeof navigator === 'undefined' ? undefined : navigator.geolocation;
  if (!geolocation) {
    handlers.onProblem('unsupported');
    return () => undefined;
  }
  let stopped = false;
  const id = geolocation.watchPosition(
    (position) => {
      if (!stopped) handlers.onFix(fixFromGeolocation(position));
    },
    (error) => {
      if (stopped) return;
      handlers.onProblem(error.code === error.PERMISSION_DENIED ? 'denied' : error.code === error.TIMEOUT ? 'timeout' : 'unavailable');
    },
    { enableHighAccuracy: true, maximumAge: 0, timeout: timeoutMs },
  );
  return () => {
    stopped = true;
    geolocation.clearWatch(id);
  };
}
