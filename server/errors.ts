// The hub's error answers: `{ error: { code, message, details? } }` (docs/HUB-API.md). Routes
// throw HubError; app.ts's error handler turns it (and Fastify's own errors) into that shape.

export class HubError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'HubError';
  }
}

export function invalidRequest(field: string, problem: string, details?: Record<string, unknown>): HubError {
  return new HubError(400, 'invalid-request', `${field} ${problem}`, { field, ...details });
}

export function unauthorized(message: string, details?: Record<string, unknown>): HubError {
  return new HubError(401, 'unauthorized', message, details);
}

export function outOfScope(county: number | null): HubError {
  const name = county === null || county === 0 ? 'outside every county' : `county ${county}`;
  return new HubError(403, 'out-of-scope', `${name} is not in your counties`, { county: county ?? 0 });
}

export function notFound(message: string, details?: Record<string, unknown>): HubError {
  return new HubError(404, 'not-found', message, details);
}
