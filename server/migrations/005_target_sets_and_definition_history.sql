-- OneMap hub, schema version 5: target sets and targets as versioned rows (one per set, one per
-- target), and an append-only history of every definition write (layers, target sets, targets),
-- so a planner's change travels like a feature edit: optimistic by version, with who and when.
-- The targets kept so far as one JSON array (hub.workspace key 'targets') move into the rows, each
-- in the set it names (a target without `setId` is in its start year's set, `year-<year>`).

-- A target set (shared/model TargetSet). A deleted set keeps its row and last value (a tombstone).
CREATE TABLE hub.target_sets (
  id text PRIMARY KEY CHECK (id ~ '^[a-z][a-z0-9]*(-[a-z0-9]+)*$'),
  definition jsonb NOT NULL CHECK (definition ->> 'id' = id),
  version bigint NOT NULL DEFAULT 1,
  deleted boolean NOT NULL DEFAULT false,
  updated_at timestamptz NOT NULL DEFAULT now(),
  -- The hub user who wrote it last; NULL for a write by direct SQL or a migration.
  updated_by text
);

-- A target (shared/model Target). set_id and layer_id repeat what the definition says, for queries.
CREATE TABLE hub.targets (
  id text PRIMARY KEY CHECK (id ~ '^[a-z][a-z0-9]*(-[a-z0-9]+)*$'),
  set_id text NOT NULL,
  layer_id text NOT NULL,
  definition jsonb NOT NULL CHECK (definition ->> 'id' = id),
  version bigint NOT NULL DEFAULT 1,
  deleted boolean NOT NULL DEFAULT false,
  updated_at timestamptz NOT NULL DEFAULT now(),
  updated_by text
);
CREATE INDEX targets_set ON hub.targets (set_id) WHERE NOT deleted;

ALTER TABLE hub.layers ADD COLUMN updated_by text;

-- Every write of a layer definition, target set or target that made a new version.
CREATE TABLE hub.definition_history (
  id bigserial PRIMARY KEY,
  kind text NOT NULL CHECK (kind IN ('layer', 'target-set', 'target')),
  key text NOT NULL,
  version bigint NOT NULL,
  operation text NOT NULL CHECK (operation IN ('create', 'update', 'delete', 'restore')),
  before jsonb,
  after jsonb,
  change_id text,
  user_id bigint,
  user_name text,
  device text,
  source text NOT NULL CHECK (source IN ('hub', 'sql')),
  db_role text NOT NULL DEFAULT current_user,
  server_time timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX definition_history_key ON hub.definition_history (kind, key, version);
CREATE TRIGGER definition_history_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON hub.definition_history
  FOR EACH STATEMENT EXECUTE FUNCTION hub.refuse_change();

-- After a write of hub.layers, hub.target_sets or hub.targets (TG_ARGV[0] is the kind): one history
-- row, unless the version did not move (nothing a client sees changed).
CREATE FUNCTION hub.definition_after_write() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND NEW.version = OLD.version THEN RETURN NULL; END IF;
  INSERT INTO hub.definition_history (kind, key, version, operation, before, after, change_id, user_id,
    user_name, device, source)
  VALUES (TG_ARGV[0], NEW.id, NEW.version,
    CASE WHEN TG_OP = 'INSERT' THEN 'create'
      WHEN NEW.deleted AND NOT OLD.deleted THEN 'delete'
      WHEN OLD.deleted AND NOT NEW.deleted THEN 'restore'
      ELSE 'update' END,
    CASE WHEN TG_OP = 'UPDATE' THEN OLD.definition END, NEW.definition,
    hub.setting('onemap.change_id'), hub.setting('onemap.user_id')::bigint,
    hub.setting('onemap.user_name'), hub.setting('onemap.device'),
    CASE WHEN hub.setting('onemap.change_id') IS NULL THEN 'sql' ELSE 'hub' END);
  RETURN NULL;
END $$;

CREATE TRIGGER layers_history AFTER INSERT OR UPDATE ON hub.layers
  FOR EACH ROW EXECUTE FUNCTION hub.definition_after_write('layer');
CREATE TRIGGER target_sets_history AFTER INSERT OR UPDATE ON hub.target_sets
  FOR EACH ROW EXECUTE FUNCTION hub.definition_after_write('target-set');
CREATE TRIGGER targets_history AFTER INSERT OR UPDATE ON hub.targets
  FOR EACH ROW EXECUTE FUNCTION hub.definition_after_write('target');

-- The layers defined so far: their definition as it is now starts their history.
INSERT INTO hub.definition_history (kind, key, version, operation, after, source, server_time)
  SELECT 'layer', id, version, CASE WHEN deleted THEN 'delete' ELSE 'create' END, definition, 'sql', updated_at
  FROM hub.layers ORDER BY id;

-- The targets array moves into rows (the triggers write their history, source 'sql').
INSERT INTO hub.targets (id, set_id, layer_id, definition)
  SELECT t ->> 'id', COALESCE(t ->> 'setId', 'year-' || left(t ->> 'startDate', 4)), t ->> 'layerId', t
  FROM hub.workspace w, jsonb_array_elements(w.value) AS t
  WHERE w.key = 'targets' AND jsonb_typeof(w.value) = 'array';
-- Each set they name, as the app names a year's set nobody titled (shared/model defaultTargetSet).
INSERT INTO hub.target_sets (id, definition)
  SELECT set_id, jsonb_build_object('id', set_id, 'year', substring(set_id FROM '^year-(\d{4})$')::int,
    'title', jsonb_build_object('zh', substring(set_id FROM '^year-(\d{4})$') || ' 年目标',
      'en', substring(set_id FROM '^year-(\d{4})$') || ' targets'))
  FROM (SELECT DISTINCT set_id FROM hub.targets WHERE set_id ~ '^year-\d{4}$') AS sets ORDER BY set_id;
DELETE FROM hub.workspace WHERE key = 'targets';

