// PUT /v1/layers/:id, PUT|DELETE /v1/target-sets/:id, PUT|DELETE /v1/targets/:id — a planner's
// or admin's definition change (server/definitions/write.ts).
import type { FastifyPluginAsync } from 'fastify';
import type { Pool } from 'pg';
import type { z } from 'zod';
import {
  deleteDefinitionRequestSchema,
  layerWriteAnswerSchema,
  putLayerRequestSchema,
  putTargetRequestSchema,
  putTargetSetRequestSchema,
  targetSetWriteAnswerSchema,
  targetWriteAnswerSchema,
} from '../../shared/sync/hub/definitions';
import { errorResponseJsonSchema, jsonSchema } from '../schema';
import { answer, hubUserOf, parseOrThrow } from '../push/errors';
import { writeDefinition } from '../definitions/write';
import type { DefinitionKind } from '../definitions/records';

const idParams = { type: 'object', required: ['id'], properties: { id: { type: 'string', pattern: '^[a-z][a-z0-9]*(-[a-z0-9]+)*$', maxLength: 200 } } };
const errors = Object.fromEntries([400, 401, 403, 404, 409].map((status) => [status, errorResponseJsonSchema]));

export const definitionsRoutes: FastifyPluginAsync<{ pool: Pool }> = async (app, { pool }) => {
  const route = <Body extends z.ZodType>(method: 'PUT' | 'DELETE', path: string, kind: DefinitionKind, summary: string, body: Body, reply: z.ZodType, valueOf: (body: z.infer<Body>) => unknown): void => {
    app.route<{ Params: { id: string } }>({
      method,
      url: path,
      schema: { summary, params: idParams, body: jsonSchema(body), response: { 200: jsonSchema(reply), ...errors } },
      handler: async (request, answerTo) =>
        answer(answerTo, async () => {
          const user = hubUserOf(request);
          const parsed = parseOrThrow(body, request.body, 'body') as z.infer<Body> & { changeId: string; baseVersion: number; device?: string };
          return writeDefinition(pool, user, { kind, id: request.params.id, changeId: parsed.changeId, baseVersion: parsed.baseVersion, device: parsed.device, value: valueOf(parsed) as never }, request.body);
        }),
    });
  };
  route('PUT', '/v1/layers/:id', 'layer', 'Create (baseVersion 0) or change a layer definition', putLayerRequestSchema, layerWriteAnswerSchema, (body) => body.definition);
  route('PUT', '/v1/target-sets/:id', 'target-set', 'Create or change a target set', putTargetSetRequestSchema, targetSetWriteAnswerSchema, (body) => body.set);
  route('DELETE', '/v1/target-sets/:id', 'target-set', 'Delete an empty target set (it stays as a tombstone)', deleteDefinitionRequestSchema, targetSetWriteAnswerSchema, () => null);
  route('PUT', '/v1/targets/:id', 'target', 'Create or change a target', putTargetRequestSchema, targetWriteAnswerSchema, (body) => body.target);
  route('DELETE', '/v1/targets/:id', 'target', 'Delete a target (it stays as a tombstone)', deleteDefinitionRequestSchema, targetWriteAnswerSchema, () => null);
};
