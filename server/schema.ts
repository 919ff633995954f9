// One source of truth for a route's shape: its zod schema (shared/sync/hub) becomes the JSON
// Schema Fastify validates with (ajv) and @fastify/swagger documents.
import { z } from 'zod';

export function jsonSchema(schema: z.ZodType): Record<string, unknown> {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { target: 'draft-7', io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  return rest;
}

/** The error answer, for every route's documented error statuses. */
export const errorResponseJsonSchema = {
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message'],
      properties: { code: { type: 'string' }, message: { type: 'string' }, details: { type: 'object' } },
    },
  },
} as const;
