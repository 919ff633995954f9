import { HubRequestError } from '../../../../shared/sync/hub/client';

/** The sentences a failed sign-in can get (`hub.signIn.failed.<reason>`). */
export const signInFailures = ['unauthorized', 'tooMany', 'offline', 'other'] as const;
export type SignInFailure = (typeof signInFailures)[number];

/** Which sentence a failed sign-in gets (the hub's own message is for its log, not the person). */
export function signInFailure(error: unknown): SignInFailure {
  if (!(error instanceof HubRequestError)) return 'other';
  if (error.status === 429) return 'tooMany';
  if (error.kind === 'unauthorized') return 'unauthorized';
  if (error.kind === 'offline' || error.kind === 'server') return 'offline';
  return 'other';
}

