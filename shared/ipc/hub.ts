/**
 * The team hub over the shell bridge: the hub address the shell keeps (the one origin besides the
 * app's own the app may contact; desktop: main's `hub.json`, which also sets the CSP and the request
 * filter) and the sign-in token (desktop: Electron safeStorage; the web shell keeps none — the app
 * then keeps it in the hub workspace's database).
 */
import { z } from 'zod';
import { OneMapError } from '../errors';
import { isHubOrigin, type HubAddressProblem } from '../shell/hub-origin';

/** Why a shell refused a hub address or token. */
export const hubShellErrorCodes = [
  // Not an http(s) origin (details.problem: shared/shell/hub-origin.ts HubAddressProblem).
  'hub-address-invalid',
  // The desktop app reaches plain http only on this computer (it is a secure context): use https.
  'hub-address-insecure',
  // The web shell talks to its own origin only: open the app from the hub's address instead.
  'hub-address-not-own-origin',
  // The system keeps no encryption key for the app (no keyring): the token cannot be kept.
  'hub-token-encryption-unavailable',
  // Writing main's hub settings or token failed.
  'hub-settings-write-failed',
] as const;
export type HubShellErrorCode = (typeof hubShellErrorCodes)[number];

export class HubShellError extends OneMapError {
  override name = 'HubShellError';
  declare readonly code: HubShellErrorCode;
  constructor(code: HubShellErrorCode, message: string, details: { address?: string; problem?: HubAddressProblem; example?: string; scheme?: string } = {}, options?: { cause?: unknown }) {
    super(code, { ...details, technical: message }, options);
    this.message = message;
  }
}

/** What a renderer may send as an address: any text (main checks it and answers a HubShellError). */
export const hubAddressInputSchema = z.string().max(2048);
/** A stored address: the canonical origin (shared/shell/hub-origin.ts). */
export const hubOriginSchema = z.string().max(2048).refine(isHubOrigin, 'an http(s) origin in canonical form');
/** A hub token: printable ASCII (the hub gives 43 base64url characters). */
export const hubTokenSchema = z.string().regex(/^[\x21-\x7e]{1,4096}$/, 'printable ASCII, 1–4096 characters');

export const hubPayloadSchemas = {
  getHubAddress: {
    request: z.strictObject({}),
    response: hubOriginSchema.nullable(),
  },
  setHubAddress: {
    request: z.strictObject({ address: hubAddressInputSchema.nullable() }),
    response: z.void(),
  },
  loadHubToken: {
    request: z.strictObject({}),
    response: hubTokenSchema.nullable(),
  },
  saveHubToken: {
    request: z.strictObject({ token: hubTokenSchema }),
    response: z.void(),
  },
  clearHubToken: {
    request: z.strictObject({}),
    response: z.void(),
  },
} as const;
