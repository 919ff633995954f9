// GET /v1/conflicts — the conflicts of the user's counties (open ones by default);
// POST /v1/conflicts/:id/resolve — decide one (server/push/resolve.ts).
import type { FastifyPluginAsync } from 'fastify';
import type { Pool } from 'pg';
import { z } from 'zod';
import { conflictListQuerySchema, resolveRequestSchema, type HubConflict } from '../../shared/sync/hub/changes';
import { answer, hubUserOf, parseOrThrow } from '../push/errors';
import { checkScope, type HubFaults } from '../push/push';
import { resolveConflict } from '../push/resolve';

const DEFAULT_LIMIT = 500;
const MAX_LIMIT = 5000;

interface ConflictListRow {
  id: string; layer_id: string; feature_id: string; county: number | null; change_id: string; entry_id: string;
  kind: HubConflict['kind']; field: string; base: unknown; theirs: unknown; hub: unknown; hub_version: string;
  user_name: string | null; device: string | null; created_at: Date; resolved_at: Date | null; resolver_name: string | null;
  resolution: unknown; resolution_change_id: string | null;
}

const toConflict = (row: ConflictListRow): HubConflict => ({
  id: Number(row.id),
  layerId: row.layer_id,
  featureId: row.feature_id,
  county: row.county,
  changeId: row.change_id,
  entryId: row.entry_id,
  kind: row.kind,
  field: row.field,
  base: row.base,
  theirs: row.theirs,
  hub: row.hub,
  hubVersion: Number(row.hub_version),
  user: row.user_name,
  device: row.device,
  createdAt: row.created_at.toISOString(),
  resolvedAt: row.resolved_at?.toISOString() ?? null,
  resolvedBy: row.resolver_name,
  resolution: row.resolution,
  resolutionChangeId: row.resolution_change_id,
});

export const conflictsRoutes: FastifyPluginAsync<{ pool: Pool; faults?: HubFaults }> = async (app, options) => {
  app.get('/v1/conflicts', async (request, reply) =>
    answer(reply, async () => {
      const user = hubUserOf(request);
      const query = parseOrThrow(conflictListQuerySchema, request.query, 'query');
      const asked = query.counties?.split(',').map(Number) ?? null;
      if (asked !== null) checkScope(user, asked, 'a county asked for');
      // null: every county (and features outside every county) — only for users of the whole workspace.
      const counties = asked ?? (user.counties === 'all' ? null : user.counties);
      const limit = Math.min(Number(query.limit ?? DEFAULT_LIMIT), MAX_LIMIT);
      const rows = await options.pool.query<ConflictListRow>(
        `SELECT c.*, u.name AS user_name, r.name AS resolver_name FROM hub.conflicts c
           LEFT JOIN hub.users u ON u.id = c.user_id LEFT JOIN hub.users r ON r.id = c.resolved_by
         WHERE ($1::int[] IS NULL OR c.county = ANY($1::int[])) AND (NOT $2 OR c.resolved_at IS NULL) AND c.id > $3
         ORDER BY c.id LIMIT $4`,
        [counties, query.open !== 'false', Number(query.after ?? 0), limit + 1],
      );
      return { conflicts: rows.rows.slice(0, limit).map(toConflict), more: rows.rows.length > limit };
    }),
  );

  app.post<{ Params: { id: string } }>('/v1/conflicts/:id/resolve', async (request, reply) =>
    answer(reply, async () => {
      const user = hubUserOf(request);
      const id = parseOrThrow(z.string().regex(/^\d{1,18}$/, 'a conflict id').transform(Number), request.params.id, 'params.id');
      const body = parseOrThrow(resolveRequestSchema, request.body, 'body');
      return resolveConflict(options.pool, user, id, body);
    }),
  );
};
