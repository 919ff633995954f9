import type { MessageBoxOptions, MessageBoxReturnValue, Session, SerialPort, WebContents } from 'electron';
import type { UiLanguage } from '../../shared/ipc';
import { isAppUrl } from './app-origin';
import { isDevicePermissionGranted } from './permissions';

/**
 * Web Serial for an external GNSS receiver (NMEA 0183 over a serial, USB or Bluetooth SPP port):
 * the renderer calls `navigator.serial.requestPort()`, Chromium lists the ports, and Electron —
 * which has no chooser of its own — asks the app through `select-serial-port`. The user picks the
 * port in a native message box; cancelling opens nothing. Chromium's geolocation stays denied
 * (permissions.ts): its network location provider would need the internet.
 *
 * The decisions (labels, the dialog, which answer means which port) are plain functions, unit
 * tested; `allowSerialPortChoice` only wires them to Electron. Type-only Electron imports.
 */

const texts: Record<UiLanguage, { title: string; message: string; detail: string; none: string; noneDetail: string; cancel: string; ok: string }> = {
  'zh-CN': {
    title: '选择 GNSS 接收机',
    message: '选择连接 GNSS 接收机的串口',
    detail: '接收机须输出 NMEA 0183（GGA/RMC，最好有 GST）。蓝牙接收机请先在系统中配对（串口服务 SPP）。',
    none: '没有找到串口设备',
    noneDetail: '请连接 GNSS 接收机（USB 或串口线），蓝牙接收机请先在系统中配对，然后重试。',
    cancel: '取消',
    ok: '确定',
  },
  en: {
    title: 'Choose a GNSS receiver',
    message: 'Choose the serial port of your GNSS receiver',
    detail: 'The receiver must send NMEA 0183 (GGA/RMC, ideally GST). Pair a Bluetooth receiver in the system first (serial port profile, SPP).',
    none: 'No serial port found',
    noneDetail: 'Connect the GNSS receiver (USB or serial cable), or pair a Bluetooth receiver in the system first, then try again.',
    cancel: 'Cancel',
    ok: 'OK',
  },
};

/** What the chooser shows for a port: its display name, the system's port name, and the USB ids when known. */
export function serialPortLabel(port: Pick<SerialPort, 'portName' | 'displayName' | 'vendorId' | 'productId'>): string {
  const usb = port.vendorId && port.productId ? ` · USB ${hex4(port.vendorId)}:${hex4(port.productId)}` : '';
  const name = port.displayName && port.displayName !== port.portName ? `${port.displayName} (${port.portName})` : port.portName;
  return `${name}${usb}`;
}

/** Electron gives USB ids as decimal strings; the usual notation is 4 hex digits. */
function hex4(id: string): string {
  const value = Number(id);
  return Number.isInteger(value) && value >= 0 ? value.toString(16).padStart(4, '0') : id;
}

/** The native chooser: one button per port (at most `maxPorts`), then Cancel. */
export function serialPortChooser(ports: readonly SerialPort[], language: UiLanguage, maxPorts = 8): MessageBoxOptions {
  const text = texts[language];
  if (ports.length === 0) {
    return { type: 'info', title: text.title, message: text.none, detail: text.noneDetail, buttons: [text.ok], defaultId: 0, cancelId: 0, noLink: true };
  }
  const shown = ports.slice(0, maxPorts);
  return {
    type: 'question',
    title: text.title,
    message: text.message,
    detail: text.detail,
    buttons: [...shown.map(serialPortLabel), text.cancel],
    defaultId: 0,
    cancelId: shown.length,
    noLink: true,
  };
}

/** The port id for the chooser's answer; '' (Electron's "cancel") for Cancel, Esc or no ports. */
export function chosenPortId(ports: readonly SerialPort[], response: number, maxPorts = 8): string {
  if (!Number.isInteger(response) || response < 0 || response >= Math.min(ports.length, maxPorts)) return '';
  return ports[response]!.portId;
}

export interface SerialPortChoiceDependencies {
  /** The UI language (the preferences store). */
  language(): Promise<UiLanguage>;
  /** `dialog.showMessageBox`, attached to the requesting window when there is one. */
  showMessageBox(contents: WebContents, options: MessageBoxOptions): Promise<MessageBoxReturnValue>;
  log?(message: string): void;
}

/**
 * Answers `select-serial-port` with the user's choice, for the app origin only; and lets the app
 * origin keep using a port it was granted. This replaces the deny-all device handler that
 * security.ts installs: HID and USB stay denied (isDevicePermissionGranted). Call after
 * hardenSession.
 */
export function allowSerialPortChoice(session: Session, dependencies: SerialPortChoiceDependencies): void {
  const log = dependencies.log ?? ((message: string) => console.warn(`[serial] ${message}`));
  session.setDevicePermissionHandler((details) => isDevicePermissionGranted(details.deviceType, details.origin));
  session.on('select-serial-port', (event, portList, contents, callback) => {
    event.preventDefault();
    if (!isAppUrl(contents.getURL())) {
      log(`refused a serial port request from ${contents.getURL().slice(0, 200)}`);
      callback('');
      return;
    }
    void choosePort(portList, contents, dependencies).then(callback, (error: unknown) => {
      log(`port chooser failed: ${String(error)}`);
      callback('');
    });
  });
}

export async function choosePort(ports: readonly SerialPort[], contents: WebContents, dependencies: Pick<SerialPortChoiceDependencies, 'language' | 'showMessageBox'>): Promise<string> {
  const language = await dependencies.language();
  const { response } = await dependencies.showMessageBox(contents, serialPortChooser(ports, language));
  return chosenPortId(ports, response);
}
