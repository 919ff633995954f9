import { z } from 'zod';
import { uiLanguages, type AppApi, type AppInfo, type UiLanguage } from './app-api';
import type { IpcMethod } from './channels';
import { backupPayloadSchemas } from './backups';
import { basemapPackagePayloadSchemas } from './basemap-packages';
import { hubPayloadSchemas } from './hub';

export const uiLanguageSchema = z.enum(uiLanguages);

export const appInfoSchema = z.strictObject({
  name: z.string().min(1),
  version: z.string().min(1),
  shell: z.enum(['electron', 'web']),
  electron: z.string().min(1).nullable(),
  chrome: z.string().min(1).nullable(),
  platform: z.string().min(1),
});

/**
 * What travels over each channel. Every request is exactly one strict object (extra keys are an
 * error, so a renderer cannot smuggle fields a later handler might trust); every response is
 * checked too, so main cannot silently break the contract.
 */
export const ipcPayloadSchemas = {
  getAppInfo: {
    request: z.strictObject({}),
    response: appInfoSchema,
  },
  getLanguage: {
    request: z.strictObject({}),
    response: uiLanguageSchema,
  },
  setLanguage: {
    request: z.strictObject({ language: uiLanguageSchema }),
    response: z.void(),
  },
  ...backupPayloadSchemas,
  ...basemapPackagePayloadSchemas,
  ...hubPayloadSchemas,
} as const satisfies Record<IpcMethod, { request: z.ZodType; response: z.ZodType }>;

export type IpcRequest<M extends IpcMethod> = z.output<(typeof ipcPayloadSchemas)[M]['request']>;
export type IpcResponse<M extends IpcMethod> = z.output<(typeof ipcPayloadSchemas)[M]['response']>;

// Compile-time proof that the schemas and the hand-written AppApi types describe the same values.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Assert<T extends true> = T;
export type SchemasMatchAppApi = [
  Assert<Same<IpcResponse<'getAppInfo'>, AppInfo>>,
  Assert<Same<IpcResponse<'getLanguage'>, UiLanguage>>,
  Assert<Same<IpcRequest<'setLanguage'>['language'], Parameters<AppApi['setLanguage']>[0]>>,
  Assert<Same<IpcResponse<'setLanguage'>, Awaited<ReturnType<AppApi['setLanguage']>>>>,
  Assert<Same<IpcResponse<'listBackups'>, Awaited<ReturnType<AppApi['listBackups']>>>>,
  Assert<Same<IpcRequest<'writeBackup'>['file'], Parameters<AppApi['writeBackup']>[0]>>,
  Assert<Same<IpcResponse<'writeBackup'>, Awaited<ReturnType<AppApi['writeBackup']>>>>,
  Assert<Same<IpcRequest<'readBackup'>['id'], Parameters<AppApi['readBackup']>[0]>>,
  Assert<Same<IpcResponse<'readBackup'>, Awaited<ReturnType<AppApi['readBackup']>>>>,
  Assert<Same<IpcRequest<'deleteBackup'>['id'], Parameters<AppApi['deleteBackup']>[0]>>,
  Assert<Same<IpcResponse<'deleteBackup'>, Awaited<ReturnType<AppApi['deleteBackup']>>>>,
  Assert<Same<IpcResponse<'addBasemapPackage'>, Awaited<ReturnType<AppApi['addBasemapPackage']>>>>,
  Assert<Same<IpcResponse<'listBasemapPackages'>, Awaited<ReturnType<AppApi['listBasemapPackages']>>>>,
  Assert<Same<IpcRequest<'removeBasemapPackage'>['id'], Parameters<AppApi['removeBasemapPackage']>[0]>>,
  Assert<Same<IpcResponse<'removeBasemapPackage'>, Awaited<ReturnType<AppApi['removeBasemapPackage']>>>>,
  Assert<Same<IpcResponse<'getHubAddress'>, Awaited<ReturnType<AppApi['getHubAddress']>>>>,
  Assert<Same<IpcRequest<'setHubAddress'>['address'], Parameters<AppApi['setHubAddress']>[0]>>,
  Assert<Same<IpcResponse<'setHubAddress'>, Awaited<ReturnType<AppApi['setHubAddress']>>>>,
  Assert<Same<IpcResponse<'loadHubToken'>, Awaited<ReturnType<AppApi['loadHubToken']>>>>,
  Assert<Same<IpcRequest<'saveHubToken'>['token'], Parameters<AppApi['saveHubToken']>[0]>>,
  Assert<Same<IpcResponse<'saveHubToken'>, Awaited<ReturnType<AppApi['saveHubToken']>>>>,
  Assert<Same<IpcResponse<'clearHubToken'>, Awaited<ReturnType<AppApi['clearHubToken']>>>>,
];
