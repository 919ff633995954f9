// Request validation messages that name the field: `body/entries/0/featureId must be string`,
// `body/foo is not a known field`, `querystring/counties is required`.
import type { FastifyRequest } from 'fastify';
import { HubError } from './errors';

interface AjvError {
  instancePath: string;
  keyword: string;
  params: Record<string, unknown>;
  message?: string;
  parentSchema?: { description?: string };
}

export function formatSchemaErrors(errors: AjvError[], dataVar: string): Error {
  const first = errors[0];
  if (first === undefined) return Object.assign(new Error(`${dataVar} is not valid`), { field: dataVar });
  let field = `${dataVar}${first.instancePath}`;
  let problem = first.message ?? 'is not valid';
  if (first.keyword === 'additionalProperties') {
    field += `/${String(first.params.additionalProperty)}`;
    problem = 'is not a known field';
  } else if (first.keyword === 'required') {
    field += `/${String(first.params.missingProperty)}`;
    problem = 'is required';
  } else if (first.keyword === 'pattern' && first.parentSchema?.description) {
    problem = `must be ${first.parentSchema.description}`;
  }
  return Object.assign(new Error(`${field} ${problem}`), { field });
}

/** JSON bodies: the parser's own message (with the position) and no `__proto__` keys. */
export function parseJsonBody(_request: FastifyRequest, body: string | Buffer, done: (error: Error | null, value?: unknown) => void): void {
  const text = typeof body === 'string' ? body : body.toString('utf8');
  if (text.trim().length === 0) {
    done(new HubError(400, 'invalid-request', 'body is empty (expected JSON)', { field: 'body' }));
    return;
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    done(new HubError(400, 'invalid-request', `body is not valid JSON: ${(error as Error).message}`, { field: 'body' }));
    return;
  }
  // A key named __proto__ could poison objects that copy the body.
  if (/"__proto__"\s*:/.test(text)) {
    done(new HubError(400, 'invalid-request', 'body holds a forbidden key: __proto__', { field: 'body' }));
    return;
  }
  done(null, value);
}
