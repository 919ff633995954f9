// Helpers of the push, attachment and conflict routes: HubError (server/errors.ts) thrown from
// inside a transaction, so nothing of a refused request is written, answered as JSON
// `{ error: { code, message, details? } }`.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import type { HubUser } from '../auth/user';
import { HubError } from '../errors';

export { HubError };

/** 400 naming the first invalid field's path and the cause. */
function zodInvalid(where: string, error: z.ZodError): HubError {
  const issue = error.issues[0];
  const field = [where, ...(issue?.path ?? []).map(String)].join('/');
  return new HubError(400, 'invalid-request', `${field} ${issue?.message ?? 'is not valid'}`, { field, issues: error.issues.slice(0, 10) });
}

export function parseOrThrow<T>(schema: z.ZodType<T>, value: unknown, where: string): T {
  const result = schema.safeParse(value);
  if (!result.success) throw zodInvalid(where, result.error);
  return result.data;
}

/** The user AUTH's preHandler put on the request (401 without one). */
export function hubUserOf(request: FastifyRequest): HubUser {
  const user = (request as unknown as { hubUser?: HubUser }).hubUser;
  if (user === undefined) throw new HubError(401, 'unauthorized', 'sign in first (Authorization: Bearer <token>)');
  return user;
}

/** Runs a handler; a HubError becomes its JSON answer, anything else goes to Fastify's error handler. */
export async function answer<T>(reply: FastifyReply, work: () => Promise<T>): Promise<T | FastifyReply> {
  try {
    return await work();
  } catch (error) {
    if (!(error instanceof HubError)) throw error;
    const body: { code: string; message: string; details?: Record<string, unknown> } = { code: error.code, message: error.message };
    if (error.details !== undefined) body.details = error.details;
    return reply.code(error.statusCode).send({ error: body });
  }
}
