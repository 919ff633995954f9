/**
 * The one gate every IPC call passes: the sender frame must be the app origin, the arguments
 * must be exactly one payload that the channel's zod schema accepts, and the handler's answer
 * must match the response schema. No Electron import (only structural types), so it is tested
 * in plain Node.
 */
import { z } from 'zod';
import {
  ipcChannels,
  ipcPayloadSchemas,
  type IpcMethod,
  type IpcRequest,
  type IpcResponse,
  IpcError,
  toIpcError,
} from '../../../shared/ipc';
import { isAppUrl } from '../app-origin';

/** The parts of Electron's IpcMainInvokeEvent this gate reads. */
export interface IpcInvokeEventLike {
  readonly senderFrame: { readonly url: string } | null;
}

export type IpcImplementation<M extends IpcMethod> = (request: IpcRequest<M>) => Promise<IpcResponse<M>>;
export type IpcImplementations = { readonly [M in IpcMethod]: IpcImplementation<M> };

/** The gate refused a call (code `ipc-rejected`); like every rejection, it carries its code + details. */
export class IpcRejectedError extends IpcError {
  override name = 'IpcRejectedError';
  constructor(channel: string, reason: string) {
    super({ code: 'ipc-rejected', details: { channel, technical: reason } }, `IPC ${channel} rejected: ${reason}`);
  }
}

export interface ValidationOptions {
  /** Where rejections are reported; defaults to console.error. */
  readonly log?: (message: string) => void;
}

export function validatedHandler<M extends IpcMethod>(
  method: M,
  implementation: IpcImplementation<M>,
  options: ValidationOptions = {},
): (event: IpcInvokeEventLike, ...args: unknown[]) => Promise<IpcResponse<M>> {
  const channel = ipcChannels[method];
  const schemas = ipcPayloadSchemas[method];
  const log = options.log ?? ((message: string) => console.error(message));
  const reject = (reason: string): never => {
    log(`[ipc] IPC ${channel} rejected: ${reason}`);
    throw new IpcRejectedError(channel, reason);
  };

  return async (event, ...args) => {
    // senderFrame is null once the frame navigated away or was destroyed: refuse, never guess.
    const senderUrl = event.senderFrame?.url;
    if (!isAppUrl(senderUrl)) reject(`sender frame ${JSON.stringify(senderUrl ?? null)} is not the app origin`);
    if (args.length !== 1) reject(`expected exactly one payload argument, got ${args.length}`);

    const request = schemas.request.safeParse(args[0]);
    if (!request.success) reject(`invalid payload: ${z.prettifyError(request.error)}`);

    // What the handler throws reaches the renderer as its code + details (shared/ipc/errors.ts).
    const answer = await implementation(request.data as IpcRequest<M>).catch((error: unknown) => {
      throw toIpcError(error);
    });
    const response = schemas.response.safeParse(answer);
    if (!response.success) {
      // A bug in main, not the renderer's fault: report it loudly, still send nothing unchecked.
      reject(`handler answered outside the response schema: ${z.prettifyError(response.error)}`);
    }
    return response.data as IpcResponse<M>;
  };
}

/** Wrap every implementation; the mapped type makes a missing channel a compile error. */
export function validatedHandlers(
  implementations: IpcImplementations,
  options: ValidationOptions = {},
): Array<{ channel: string; handler: (event: IpcInvokeEventLike, ...args: unknown[]) => Promise<unknown> }> {
  return (Object.keys(ipcChannels) as IpcMethod[]).map((method) => ({
    channel: ipcChannels[method],
    handler: validatedHandler(method, implementations[method] as IpcImplementation<typeof method>, options),
  }));
}
