// Types for the one wa-sqlite module that ships without a declaration (its FacadeVFS base class).
declare module '@journeyapps/wa-sqlite/src/FacadeVFS.js' {
  import { Base } from '@journeyapps/wa-sqlite/src/VFS.js';

  export class FacadeVFS extends Base {
    constructor(name: string, module: object);
    jOpen(filename: string | null, fileId: number, flags: number, pOutFlags: DataView): number;
    jClose(fileId: number): number;
    jRead(fileId: number, pData: Uint8Array, iOffset: number): number;
    jWrite(fileId: number, pData: Uint8Array, iOffset: number): number;
    jTruncate(fileId: number, size: number): number;
    jSync(fileId: number, flags: number): number;
    jFileSize(fileId: number, pSize64: DataView): number;
    jLock(fileId: number, lockType: number): number;
    jUnlock(fileId: number, lockType: number): number;
    jCheckReservedLock(fileId: number, pResOut: DataView): number;
    jDelete(filename: string, syncDir: number): number;
    jAccess(filename: string, flags: number, pResOut: DataView): number;
    jDeviceCharacteristics(fileId: number): number;
  }
}
