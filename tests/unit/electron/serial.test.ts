import { EventEmitter } from 'node:events';
import type { MessageBoxOptions, SerialPort, Session, WebContents } from 'electron';
import { describe, expect, it } from 'vitest';
import { allowSerialPortChoice, chosenPortId, serialPortChooser, serialPortLabel } from '../../../electron/main/serial';
import { isDevicePermissionGranted, isPermissionGranted } from '../../../electron/main/permissions';

// Ports as Electron hands them to `select-serial-port` (ids are decimal strings: 5446 = 0x1546, u-blox).
const ublox: SerialPort = { portId: 'token-1', portName: 'ttyACM0', displayName: 'u-blox GNSS receiver', vendorId: '5446', productId: '425', serialNumber: '0001' };
const bluetooth: SerialPort = { portId: 'token-2', portName: 'COM7', displayName: 'Standard Serial over Bluetooth link' };
const plain: SerialPort = { portId: 'token-3', portName: 'ttyS0' };

describe('serial port chooser', () => {
  it('labels a port with its display name, system name and USB ids in hex', () => {
    expect(serialPortLabel(ublox)).toBe('u-blox GNSS receiver (ttyACM0) · USB 1546:01a9');
    expect(serialPortLabel(bluetooth)).toBe('Standard Serial over Bluetooth link (COM7)');
    expect(serialPortLabel(plain)).toBe('ttyS0');
  });

  it('offers one button per port, then Cancel, in the UI language', () => {
    const zh = serialPortChooser([ublox, bluetooth], 'zh-CN');
    expect(zh.buttons).toEqual([serialPortLabel(ublox), serialPortLabel(bluetooth), '取消']);
    expect(zh.cancelId).toBe(2);
    expect(zh.message).toBe('选择连接 GNSS 接收机的串口');
    expect(serialPortChooser([ublox], 'en').buttons).toEqual([serialPortLabel(ublox), 'Cancel']);
  });

  it('says so when there is no port, and then cancels', () => {
    const none = serialPortChooser([], 'en');
    expect(none.message).toBe('No serial port found');
    expect(none.buttons).toEqual(['OK']);
    expect(chosenPortId([], 0)).toBe('');
  });

  it('maps the answer to the port id, and Cancel, Esc or anything else to "" (nothing opened)', () => {
    const ports = [ublox, bluetooth];
    expect(chosenPortId(ports, 0)).toBe('token-1');
    expect(chosenPortId(ports, 1)).toBe('token-2');
    expect(chosenPortId(ports, serialPortChooser(ports, 'en').cancelId!)).toBe('');
    expect(chosenPortId(ports, -1)).toBe('');
    expect(chosenPortId(ports, 1.5)).toBe('');
  });

  it('never offers more ports than it has buttons for', () => {
    const many = Array.from({ length: 12 }, (_, index): SerialPort => ({ portId: `t${index}`, portName: `ttyUSB${index}` }));
    const dialog = serialPortChooser(many, 'en');
    expect(dialog.buttons).toHaveLength(9);
    expect(chosenPortId(many, dialog.cancelId!)).toBe('');
    expect(chosenPortId(many, 7)).toBe('t7');
  });
});

describe('serial permissions', () => {
  it('lets the app origin use serial ports, and nothing else use any device', () => {
    expect(isPermissionGranted('serial', 'app://onemap/index.html')).toBe(true);
    expect(isPermissionGranted('serial', 'https://evil.example/')).toBe(false);
    expect(isPermissionGranted('geolocation', 'app://onemap/index.html')).toBe(false);
    expect(isDevicePermissionGranted('serial', 'app://onemap')).toBe(true);
    expect(isDevicePermissionGranted('serial', 'app://onemap.evil')).toBe(false);
    expect(isDevicePermissionGranted('hid', 'app://onemap')).toBe(false);
    expect(isDevicePermissionGranted('usb', 'app://onemap')).toBe(false);
  });
});

/** A stand-in for Electron's Session: records the device handler, emits `select-serial-port`. */
function fakeSession() {
  const emitter = new EventEmitter();
  let deviceHandler: ((details: { deviceType: string; origin: string }) => boolean) | null = null;
  const session = Object.assign(emitter, {
    setDevicePermissionHandler(handler: typeof deviceHandler) {
      deviceHandler = handler;
    },
  });
  const request = (ports: SerialPort[], url: string) =>
    new Promise<{ portId: string; prevented: boolean }>((resolve) => {
      const event = { prevented: false, preventDefault() {
        this.prevented = true;
      } };
      const contents = { getURL: () => url } as unknown as WebContents;
      emitter.emit('select-serial-port', event, ports, contents, (portId: string) => resolve({ portId, prevented: event.prevented }));
    });
  return { session: session as unknown as Session, request, device: (deviceType: string, origin: string) => deviceHandler?.({ deviceType, origin }) };
}

describe('allowSerialPortChoice', () => {
  it('asks the user, in the stored language, and answers with the chosen port', async () => {
    const { session, request, device } = fakeSession();
    const shown: MessageBoxOptions[] = [];
    allowSerialPortChoice(session, {
      language: async () => 'en',
      showMessageBox: async (_contents, options) => {
        shown.push(options);
        return { response: 1, checkboxChecked: false };
      },
      log: () => undefined,
    });
    expect(await request([ublox, bluetooth], 'app://onemap/index.html')).toEqual({ portId: 'token-2', prevented: true });
    expect(shown[0]!.buttons).toEqual([serialPortLabel(ublox), serialPortLabel(bluetooth), 'Cancel']);
    expect(device('serial', 'app://onemap')).toBe(true);
    expect(device('usb', 'app://onemap')).toBe(false);
  });

  it('refuses another origin without asking, and cancels when the dialog fails', async () => {
    const { session, request } = fakeSession();
    const logged: string[] = [];
    let asked = 0;
    allowSerialPortChoice(session, {
      language: async () => 'zh-CN',
      showMessageBox: async () => {
        asked += 1;
        throw new Error('window closed');
      },
      log: (message) => logged.push(message),
    });
    expect(await request([ublox], 'https://evil.example/')).toEqual({ portId: '', prevented: true });
    expect(asked).toBe(0);
    expect(await request([ublox], 'app://onemap/index.html')).toEqual({ portId: '', prevented: true });
    expect(asked).toBe(1);
    expect(logged.join('\n')).toMatch(/refused .*evil\.example[\s\S]*window closed/);
  });
});
