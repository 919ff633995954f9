import { z } from 'zod';
import { uiLanguages, type AppApi, type AppInfo, type UiLanguage } from './app-api';
import type { IpcMethod } from './channels';

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
];
