// The GPS state of the workbench: which source, whether it runs, the latest fix, what went wrong.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { NmeaStreamStats } from '../../../../shared/geo/nmea-fix-reader';
import { watchDevicePosition, type DevicePositionProblem } from './device-position';
import { connectGnssReceiver, GnssReceiverError, type GnssConnection, type GnssProblem } from './gnss-receiver';
import { fixFromGnss, type PositionFix, type PositionSourceKind } from './position-fix';

/** `no-fix`: the receiver answers but has no position yet; `silent`: the port sends nothing usable. */
export type GpsProblem = DevicePositionProblem | GnssProblem | 'no-fix' | 'silent';

export interface GpsState {
  source: PositionSourceKind;
  running: boolean;
  /** Waiting for the port chooser or the port to open. */
  connecting: boolean;
  fix: PositionFix | null;
  problem: GpsProblem | null;
  /** A problem's technical detail (the browser's message), shown small. */
  problemDetail: string | null;
  /** NMEA sentence counts while a receiver is connected. */
  stats: NmeaStreamStats | null;
  usbId: string | null;
}

/** Problems after which the source is stopped; the others are shown while it keeps trying. */
const fatal: ReadonlySet<GpsProblem> = new Set(['denied', 'unsupported', 'cancelled', 'blocked', 'open-failed', 'lost']);

/** No usable sentence for this long after connecting (or since the last one) means a wrong port or baud rate. */
const silentAfterMs = 5_000;

export function useGps(initialSource: PositionSourceKind) {
  const [state, setState] = useState<GpsState>({ source: initialSource, running: false, connecting: false, fix: null, problem: null, problemDetail: null, stats: null, usbId: null });
  const stopRef = useRef<(() => void) | null>(null);
  const connectionRef = useRef<GnssConnection | null>(null);
  const lastUsefulRef = useRef(0);

  const stop = useCallback(() => {
    stopRef.current?.();
    stopRef.current = null;
    const connection = connectionRef.current;
    connectionRef.current = null;
    void connection?.close();
    setState((current) => ({ ...current, running: false, connecting: false, fix: null, problem: null, problemDetail: null, stats: null, usbId: null }));
  }, []);

  const fail = useCallback((problem: GpsProblem, detail: string | null = null) => {
    if (fatal.has(problem)) {
      stopRef.current?.();
      stopRef.current = null;
      connectionRef.current = null;
    }
    setState((current) => ({
      ...current,
      problem,
      problemDetail: detail,
      connecting: false,
      ...(fatal.has(problem) ? { running: false, fix: null } : {}),
    }));
  }, []);

  const startDevice = useCallback(() => {
    setState((current) => ({ ...current, running: true, connecting: false, fix: null, problem: null, problemDetail: null, stats: null, usbId: null }));
    stopRef.current = watchDevicePosition({
      onFix: (fix) => setState((current) => (current.running ? { ...current, fix, problem: null, problemDetail: null } : current)),
      onProblem: (problem) => fail(problem),
    });
  }, [fail]);

  const startGnss = useCallback(
    async (baudRate: number) => {
      setState((current) => ({ ...current, running: false, connecting: true, fix: null, problem: null, problemDetail: null, stats: null, usbId: null }));
      try {
        lastUsefulRef.current = Date.now();
        const connection = await connectGnssReceiver(baudRate, {
          onEvent: (event, stats) => {
            lastUsefulRef.current = Date.now();
            setState((current) =>
              event.kind === 'fix'
                ? { ...current, fix: fixFromGnss(event.fix, Date.now()), problem: null, problemDetail: null, stats }
                : { ...current, problem: current.fix ? current.problem : 'no-fix', stats },
            );
          },
          onData: (stats) => setState((current) => ({ ...current, stats })),
          onClosed: (error) => {
            if (error && connectionRef.current === connection) {
              connectionRef.current = null;
              fail(error.problem, error.detail);
            }
          },
        });
        connectionRef.current = connection;
        setState((current) => ({ ...current, running: true, connecting: false, usbId: connection.usbId }));
      } catch (error) {
        if (error instanceof GnssReceiverError) fail(error.problem, error.detail);
        else fail('open-failed', error instanceof Error ? error.message : String(error));
      }
    },
    [fail],
  );

  // A receiver that sends nothing usable (wrong baud rate, wrong port) says so after a few seconds.
  const gnssRunning = state.running && state.source === 'gnss';
  useEffect(() => {
    if (!gnssRunning) return;
    const timer = window.setInterval(() => {
      if (Date.now() - lastUsefulRef.current > silentAfterMs) {
        setState((current) => (current.running && current.problem !== 'silent' && (!current.fix || Date.now() - current.fix.at > silentAfterMs) ? { ...current, problem: 'silent' } : current));
      }
    }, 1000);
    return () => window.clearInterval(timer);
  }, [gnssRunning]);

  // Stop everything when the workbench goes away.
  useEffect(
    () => () => {
      stopRef.current?.();
      void connectionRef.current?.close();
    },
    [],
  );

  const setSource = useCallback(
    (source: PositionSourceKind) => {
      stop();
      setState((current) => ({ ...current, source }));
    },
    [stop],
  );

  return { state, startDevice, startGnss, stop, setSource };
}
