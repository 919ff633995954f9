// The app's client of the team hub (docs/HUB-API.md): one function per route, every answer checked
// with the shared zod schemas, every failure a HubRequestError whose `kind` tells the sync engine
// what to do (offline: retry later; unauthorized: sign in again; forbidden/refused: record and
// skip). Pure: it takes a `fetch` (the browser's, Node's, or a test's fake) and never touches
// storage, so the token comes from the caller.
import type { z } from 'zod';
import { hubErrorResponseSchema, signInResponseSchema, whoAmIResponseSchema, type SignInRequest, type SignInResponse, type WhoAmIResponse } from './session';
import { layersResponseSchema, workspaceResponseSchema, type LayersResponse, type WorkspaceResponse } from './layers';
import { pullResponseSchema, type PullResponse } from './pull';
import {
  attachmentAnswerSchema,
  conflictListAnswerSchema,
  pushAnswerSchema,
  resolveAnswerSchema,
  type AttachmentAnswer,
  type HubConflict,
  type PushAnswer,
  type PushRequest,
  type ResolveAnswer,
  type ResolveRequest,
} from './changes';
import { historyAnswerSchema, type HistoryAnswer } from './history';
import {
  layerWriteAnswerSchema,
  targetSetWriteAnswerSchema,
  targetWriteAnswerSchema,
  type DeleteDefinitionRequest,
  type LayerWriteAnswer,
  type PutLayerRequest,
  type PutTargetRequest,
  type PutTargetSetRequest,
  type TargetSetWriteAnswer,
  type TargetWriteAnswer,
} from './definitions';

/** What the engine does about a failed request (see the file comment). */
export type HubErrorKind = 'offline' | 'unauthorized' | 'forbidden' | 'refused' | 'server' | 'invalid-answer';

export class HubRequestError extends Error {
  readonly kind: HubErrorKind;
  /** The HTTP status; null when no answer came (network failure). */
  readonly status: number | null;
  /** The hub's error code (`out-of-scope`, `change-id-reused`…); null when it gave none. */
  readonly code: string | null;
  readonly details: Readonly<Record<string, unknown>> | undefined;

  constructor(kind: HubErrorKind, message: string, options: { status?: number | null; code?: string | null; details?: Record<string, unknown>; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'HubRequestError';
    this.kind = kind;
    this.status = options.status ?? null;
    this.code = options.code ?? null;
    this.details = options.details;
  }
}

/** Where the app keeps the hub token (desktop: safeStorage in main; web shell: the hub database's meta). */
export interface HubTokenVault {
  load(): Promise<string | null>;
  save(token: string): Promise<void>;
  clear(): Promise<void>;
}

/** The part of a fetch answer the client reads (a DOM or undici Response fits). */
export interface HubFetchResponse {
  readonly status: number;
  readonly headers: { get(name: string): string | null };
  text(): Promise<string>;
  arrayBuffer(): Promise<ArrayBuffer>;
}

export interface HubFetchInit {
  method: string;
  headers: Record<string, string>;
  body?: string | Uint8Array<ArrayBuffer>;
  /** An AbortSignal, passed through untouched. */
  signal?: unknown;
}

/** A fetch function; the renderer passes `(url, init) => fetch(url, init as RequestInit)`. */
export type HubFetch = (url: string, init: HubFetchInit) => Promise<HubFetchResponse>;

export interface HubClientOptions {
  /** The hub's origin, e.g. `http://127.0.0.1:8787` (a trailing slash is ignored). */
  address: string;
  fetch: HubFetch;
  /** The bearer token for the routes that need one (read at each request). */
  token?: () => string | null;
}

export interface PullRequest {
  counties: readonly number[];
  cursor?: string | null;
  limit?: number;
  bbox?: readonly [number, number, number, number];
}

export interface ConflictListRequest {
  counties?: readonly number[];
  open?: boolean;
  after?: number;
  limit?: number;
}

export interface HubClient {
  readonly address: string;
  /** `GET /v1/health`: true when the address answers as a hub. */
  health(signal?: unknown): Promise<boolean>;
  signIn(request: SignInRequest, signal?: unknown): Promise<SignInResponse>;
  signOut(signal?: unknown): Promise<void>;
  session(signal?: unknown): Promise<WhoAmIResponse>;
  workspace(signal?: unknown): Promise<WorkspaceResponse>;
  layers(signal?: unknown): Promise<LayersResponse>;
  push(request: PushRequest, signal?: unknown): Promise<PushAnswer>;
  putAttachment(sha256: string, bytes: Uint8Array<ArrayBuffer>, mediaType: string, signal?: unknown): Promise<AttachmentAnswer>;
  getAttachment(sha256: string, signal?: unknown): Promise<{ bytes: Uint8Array<ArrayBuffer>; mediaType: string }>;
  pull(request: PullRequest, signal?: unknown): Promise<PullResponse>;
  conflicts(request?: ConflictListRequest, signal?: unknown): Promise<{ conflicts: HubConflict[]; more: boolean }>;
  resolve(conflictId: number, request: ResolveRequest, signal?: unknown): Promise<ResolveAnswer>;
  /** `GET /v1/features/:layerId/:featureId/history`: newest first; `before` (a row id) pages on. */
  history(layerId: string, featureId: string, request?: { limit?: number; before?: number }, signal?: unknown): Promise<HistoryAnswer>;
  /** `PUT /v1/layers/:id` (planners and admins; 409 `version-conflict` on a stale base version). */
  putLayer(id: string, request: PutLayerRequest, signal?: unknown): Promise<LayerWriteAnswer>;
  putTargetSet(id: string, request: PutTargetSetRequest, signal?: unknown): Promise<TargetSetWriteAnswer>;
  deleteTargetSet(id: string, request: DeleteDefinitionRequest, signal?: unknown): Promise<TargetSetWriteAnswer>;
  putTarget(id: string, request: PutTargetRequest, signal?: unknown): Promise<TargetWriteAnswer>;
  deleteTarget(id: string, request: DeleteDefinitionRequest, signal?: unknown): Promise<TargetWriteAnswer>;
}

/** 502/503/504 come from a proxy or a hub that is starting or stopping: try again later. */
const OFFLINE_STATUSES = new Set([502, 503, 504]);

export function errorKindOfStatus(status: number): HubErrorKind {
  if (status === 401) return 'unauthorized';
  if (status === 403) return 'forbidden';
  if (OFFLINE_STATUSES.has(status)) return 'offline';
  if (status >= 500) return 'server';
  return 'refused';
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

export function createHubClient(options: HubClientOptions): HubClient {
  const address = options.address.replace(/\/+$/, '');

  async function send(method: string, path: string, init: { body?: unknown; bytes?: Uint8Array<ArrayBuffer>; mediaType?: string; auth?: boolean; signal?: unknown } = {}): Promise<HubFetchResponse> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (init.auth !== false) {
      const token = options.token?.() ?? null;
      if (token === null) throw new HubRequestError('unauthorized', `${method} ${path}: not signed in`, { code: 'unauthorized' });
      headers.authorization = `Bearer ${token}`;
    }
    let body: string | Uint8Array<ArrayBuffer> | undefined;
    if (init.bytes !== undefined) {
      body = init.bytes;
      headers['content-type'] = init.mediaType ?? 'application/octet-stream';
    } else if (init.body !== undefined) {
      body = JSON.stringify(init.body);
      headers['content-type'] = 'application/json';
    }
    let response: HubFetchResponse;
    try {
      response = await options.fetch(`${address}${path}`, { method, headers, ...(body === undefined ? {} : { body }), ...(init.signal === undefined ? {} : { signal: init.signal }) });
    } catch (error) {
      throw new HubRequestError('offline', `${method} ${path}: the hub did not answer (${error instanceof Error ? error.message : String(error)})`, { cause: error });
    }
    if (response.status >= 200 && response.status < 300) return response;
    let text = '';
    try {
      text = await response.text();
    } catch {
      // The body was cut: the status alone decides.
    }
    const parsed = hubErrorResponseSchema.safeParse(parseJson(text));
    const error = parsed.success ? parsed.data.error : null;
    throw new HubRequestError(errorKindOfStatus(response.status), `${method} ${path}: ${response.status} ${error?.message ?? (text.slice(0, 200) || 'no message')}`, {
      status: response.status,
      code: error?.code ?? null,
      ...(error?.details === undefined ? {} : { details: error.details }),
    });
  }

  async function json<Schema extends z.ZodType>(schema: Schema, method: string, path: string, init: Parameters<typeof send>[2] = {}): Promise<z.infer<Schema>> {
    const response = await send(method, path, init);
    let text: string;
    try {
      text = await response.text();
    } catch (error) {
      // A body cut mid-answer (the hub or the network failed while streaming).
      throw new HubRequestError('offline', `${method} ${path}: the answer was cut short`, { status: response.status, cause: error });
    }
    const value = parseJson(text);
    if (value === undefined) throw new HubRequestError('invalid-answer', `${method} ${path}: the answer is not JSON (${text.length} bytes)`, { status: response.status });
    const result = schema.safeParse(value);
    if (!result.success) {
      const issue = result.error.issues[0];
      throw new HubRequestError('invalid-answer', `${method} ${path}: unexpected answer at ${issue?.path.join('.') ?? ''}: ${issue?.message ?? ''}`, { status: response.status });
    }
    return result.data;
  }

  const countyList = (counties: readonly number[]): string => counties.join(',');

  return {
    address,
    async health(signal) {
      try {
        const response = await send('GET', '/v1/health', { auth: false, signal });
        const value = parseJson(await response.text()) as { status?: unknown } | undefined;
        return value?.status === 'ok';
      } catch (error) {
        if (error instanceof HubRequestError) return false;
        throw error;
      }
    },
    signIn: (request, signal) => json(signInResponseSchema, 'POST', '/v1/session', { body: request, auth: false, signal }),
    async signOut(signal) {
      await send('DELETE', '/v1/session', { signal });
    },
    session: (signal) => json(whoAmIResponseSchema, 'GET', '/v1/session', { signal }),
    workspace: (signal) => json(workspaceResponseSchema, 'GET', '/v1/workspace', { signal }),
    layers: (signal) => json(layersResponseSchema, 'GET', '/v1/layers', { signal }),
    push: (request, signal) => json(pushAnswerSchema, 'POST', '/v1/changes', { body: request, signal }),
    putAttachment: (sha256, bytes, mediaType, signal) => json(attachmentAnswerSchema, 'PUT', `/v1/attachments/${sha256}`, { bytes, mediaType, signal }),
    async getAttachment(sha256, signal) {
      const response = await send('GET', `/v1/attachments/${sha256}`, { signal });
      try {
        const bytes = new Uint8Array(await response.arrayBuffer());
        return { bytes, mediaType: response.headers.get('content-type') ?? 'application/octet-stream' };
      } catch (error) {
        throw new HubRequestError('offline', `GET /v1/attachments/${sha256}: the answer was cut short`, { status: response.status, cause: error });
      }
    },
    pull(request, signal) {
      const query = [`counties=${countyList(request.counties)}`];
      if (request.cursor !== undefined && request.cursor !== null) query.push(`cursor=${encodeURIComponent(request.cursor)}`);
      if (request.limit !== undefined) query.push(`limit=${request.limit}`);
      if (request.bbox !== undefined) query.push(`bbox=${request.bbox.join(',')}`);
      return json(pullResponseSchema, 'GET', `/v1/changes?${query.join('&')}`, { signal });
    },
    conflicts(request = {}, signal) {
      const query: string[] = [];
      if (request.counties !== undefined) query.push(`counties=${countyList(request.counties)}`);
      if (request.open !== undefined) query.push(`open=${String(request.open)}`);
      if (request.after !== undefined) query.push(`after=${request.after}`);
      if (request.limit !== undefined) query.push(`limit=${request.limit}`);
      return json(conflictListAnswerSchema, 'GET', `/v1/conflicts${query.length === 0 ? '' : `?${query.join('&')}`}`, { signal });
    },
    resolve: (conflictId, request, signal) => json(resolveAnswerSchema, 'POST', `/v1/conflicts/${conflictId}/resolve`, { body: request, signal }),
    history(layerId, featureId, request = {}, signal) {
      const query: string[] = [];
      if (request.limit !== undefined) query.push(`limit=${request.limit}`);
      if (request.before !== undefined) query.push(`before=${request.before}`);
      const path = `/v1/features/${encodeURIComponent(layerId)}/${encodeURIComponent(featureId)}/history${query.length === 0 ? '' : `?${query.join('&')}`}`;
      return json(historyAnswerSchema, 'GET', path, { signal });
    },
    putLayer: (id, request, signal) => json(layerWriteAnswerSchema, 'PUT', `/v1/layers/${encodeURIComponent(id)}`, { body: request, signal }),
    putTargetSet: (id, request, signal) => json(targetSetWriteAnswerSchema, 'PUT', `/v1/target-sets/${encodeURIComponent(id)}`, { body: request, signal }),
    deleteTargetSet: (id, request, signal) => json(targetSetWriteAnswerSchema, 'DELETE', `/v1/target-sets/${encodeURIComponent(id)}`, { body: request, signal }),
    putTarget: (id, request, signal) => json(targetWriteAnswerSchema, 'PUT', `/v1/targets/${encodeURIComponent(id)}`, { body: request, signal }),
    deleteTarget: (id, request, signal) => json(targetWriteAnswerSchema, 'DELETE', `/v1/targets/${encodeURIComponent(id)}`, { body: request, signal }),
  };
}
