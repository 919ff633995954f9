// The first round trip of a push, sent with BEGIN (server/db/transaction.ts inBatchedTransaction):
// claim the change id in hub.applied_changes, set the first entry's `onemap.*` writer settings,
// take the features' advisory locks in key order, and read the layers' stored definitions. The
// locks and the layers wait for the claim (EXISTS on it), so a replayed change locks nothing, and
// the rows themselves are read and locked by the next statement (lockFeatures), whose snapshot is
// taken after these locks are held. With the request's token, it also reads the token's user
// again, so a push signed out or disabled since the route's check writes nothing. No parameters can go with BEGIN: every value is an escaped
// literal (pg's escapeLiteral).
import { escapeLiteral } from 'pg';
import { layerDefinitionSchema, type LayerDefinition } from '../../shared/model';
import type { UserRow } from '../auth/tokens';
import { writerSettingsSql, type FeatureKey, type WriterSettings } from './features';

const textArray = (values: string[]): string => `ARRAY[${values.map(escapeLiteral).join(', ')}]::text[]`;

export interface OpenChange {
  changeId: string;
  userId: number;
  device: string | null;
  requestSha256: string;
  writer: WriterSettings;
  features: FeatureKey[];
  layerIds: string[];
  /** The SHA-256 of the request's bearer token: its user is read again in the transaction. */
  tokenSha256?: string;
}

export function openChangeSql(open: OpenChange): string {
  const nullable = (value: string | null): string => (value === null ? 'NULL' : escapeLiteral(value));
  return `WITH claim AS (
      INSERT INTO hub.applied_changes (change_id, user_id, device, request_sha256, result)
      VALUES (${escapeLiteral(open.changeId)}, ${Number(open.userId)}, ${nullable(open.device)}, ${escapeLiteral(open.requestSha256)}, 'null'::jsonb)
      ON CONFLICT (change_id) DO NOTHING RETURNING change_id)
    SELECT (SELECT count(*) FROM claim)::int AS claimed,
      ${writerSettingsSql(open.writer, escapeLiteral)} AS settings,
      (SELECT count(*) FROM (
        SELECT pg_advisory_xact_lock(k) FROM (
          SELECT DISTINCT hashtextextended(l || chr(1) || i, 0) AS k
          FROM unnest(${textArray(open.features.map((key) => key.layerId))}, ${textArray(open.features.map((key) => key.featureId))}) AS t (l, i)
          WHERE EXISTS (SELECT 1 FROM claim) ORDER BY k) AS s) AS s2)::int AS locked,
      (SELECT json_agg(json_build_object('id', id, 'md5', md5(definition::text), 'definition', definition)) FROM hub.layers
        WHERE id = ANY(${textArray(open.layerIds)}) AND NOT deleted AND EXISTS (SELECT 1 FROM claim)) AS layers,
      ${open.tokenSha256 === undefined ? 'NULL' : `(SELECT json_build_object('id', u.id, 'name', u.name, 'display_name', u.display_name, 'role', u.role,
          'counties', u.counties, 'all_counties', u.all_counties, 'disabled', u.disabled, 'expired', t.expires_at <= now())
        FROM hub.tokens t JOIN hub.users u ON u.id = t.user_id WHERE t.token_sha256 = ${escapeLiteral(open.tokenSha256)})`} AS session`;
}

export interface OpenedChange {
  claimed: boolean;
  layers: Map<string, LayerDefinition>;
  /** The token's user as the transaction sees it (with tokenSha256), or null: the token is gone. */
  session?: (UserRow & { disabled: boolean; expired: boolean }) | null;
}

type OpenedRow = { claimed: number; layers: { id: string; md5: string; definition: unknown }[] | null; session: (UserRow & { disabled: boolean; expired: boolean }) | null };

// Each layer's last parsed definition by the md5 of its stored text: a push then neither parses the
// definition again nor builds its properties schema again (both cached per definition object), and
// any change to the stored definition, by the hub or by SQL, changes the md5.
const parsedDefinitions = new Map<string, { md5: string; definition: LayerDefinition }>();

export function openedChange(row: OpenedRow | undefined, rechecked: boolean): OpenedChange {
  if (row === undefined) throw new Error('hub: the push opening statement returned no row');
  const layers = new Map<string, LayerDefinition>();
  for (const stored of row.layers ?? []) {
    const cached = parsedDefinitions.get(stored.id);
    if (cached !== undefined && cached.md5 === stored.md5) {
      layers.set(stored.id, cached.definition);
      continue;
    }
    const parsed = layerDefinitionSchema.safeParse(stored.definition);
    if (!parsed.success) throw new Error(`hub.layers "${stored.id}": stored definition is invalid: ${parsed.error.issues[0]?.message ?? ''}`);
    parsedDefinitions.set(stored.id, { md5: stored.md5, definition: parsed.data });
    layers.set(stored.id, parsed.data);
  }
  return { claimed: row.claimed === 1, layers, ...(rechecked ? { session: row.session } : {}) };
}
