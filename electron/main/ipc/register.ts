import { ipcMain } from 'electron';
import { validatedHandlers, type IpcImplementations } from './validated-handler';

/** Install every channel's validated handler on ipcMain (invoke/handle only; no fire-and-forget channels). */
export function registerIpcHandlers(implementations: IpcImplementations): void {
  for (const { channel, handler } of validatedHandlers(implementations)) {
    ipcMain.removeHandler(channel);
    ipcMain.handle(channel, (event, ...args) => handler(event, ...args));
  }
}
