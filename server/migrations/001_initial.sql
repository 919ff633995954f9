-- OneMap hub, schema version 1: the shared dataset, its change log and its audit trail.
-- Everything lives in schema `hub`. Every write to hub.features — by the hub or by anyone with
-- SQL access (QGIS) — goes through the triggers below, so versions, per-field versions, the
-- per-county change log and the history are written the same way whoever writes.
-- The hub says who writes with transaction-local settings (set_config(…, true)):
--   onemap.change_id, onemap.entry_id, onemap.user_id, onemap.user_name, onemap.device,
--   onemap.author_name, onemap.client_time, onemap.note
-- A write without them (direct SQL) is logged with source 'sql' and the database role's name.

CREATE EXTENSION IF NOT EXISTS postgis;
CREATE SCHEMA hub;

-- The workspace: its id, name and target sets (JSON as in seeds/), one row per key.
CREATE TABLE hub.workspace (
  key text PRIMARY KEY,
  value jsonb NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- County-level divisions: the unit of scope, of the change log and of replication.
CREATE TABLE hub.counties (
  adcode integer PRIMARY KEY CHECK (adcode BETWEEN 100000 AND 999999),
  name jsonb NOT NULL,
  geom geometry(MultiPolygon, 4490)
);
CREATE INDEX counties_geom_gist ON hub.counties USING gist (geom);

-- Layer definitions (shared/model LayerDefinition as JSON).
CREATE TABLE hub.layers (
  id text PRIMARY KEY CHECK (id ~ '^[a-z][a-z0-9]*(-[a-z0-9]+)*$'),
  definition jsonb NOT NULL,
  version bigint NOT NULL DEFAULT 1,
  deleted boolean NOT NULL DEFAULT false,
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- Features. `geometry` is the GeoJSON geometry exactly as clients wrote it (the merge compares
-- values, and a PostGIS round trip may change the last digits); `geom` is the same geometry in
-- PostGIS, kept in step by hub.features_before_write whichever of the two a writer changed.
-- Coordinates are longitude/latitude; CGCS2000 (EPSG:4490) and WGS 84 differ by centimetres.
CREATE TABLE hub.features (
  layer_id text NOT NULL REFERENCES hub.layers (id),
  id text NOT NULL CHECK (length(id) BETWEEN 1 AND 200),
  county integer CHECK (county IS NULL OR county BETWEEN 100000 AND 999999),
  status text NOT NULL CHECK (length(status) > 0),
  properties jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(properties) = 'object'),
  geometry jsonb NOT NULL,
  geom geometry(Geometry, 4490) NOT NULL,
  demo boolean NOT NULL DEFAULT false,
  -- As the creating client said; informational (ordering never uses client clocks).
  created_at timestamptz NOT NULL DEFAULT now(),
  -- Server clock, set by the trigger.
  updated_at timestamptz NOT NULL DEFAULT now(),
  -- Grows by one with every write (trigger).
  version bigint NOT NULL DEFAULT 1,
  -- Field key (shared/sync/fields.ts: 'status', 'county', 'geometry', 'demo', 'exists',
  -- 'properties.<key>') → the feature version that last wrote it (trigger).
  field_versions jsonb NOT NULL DEFAULT '{}',
  -- Tombstone: a deleted feature keeps its row, so an edit made against it becomes a conflict.
  deleted boolean NOT NULL DEFAULT false,
  PRIMARY KEY (layer_id, id)
);
CREATE INDEX features_geom_gist ON hub.features USING gist (geom);
CREATE INDEX features_layer_county ON hub.features (layer_id, county);

-- Photos and other files, content-addressed: the bytes are stored once per SHA-256.
CREATE TABLE hub.attachments (
  sha256 text PRIMARY KEY CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  media_type text NOT NULL,
  byte_size bigint NOT NULL CHECK (byte_size >= 0),
  bytes bytea NOT NULL,
  uploaded_by bigint,
  uploaded_at timestamptz NOT NULL DEFAULT now(),
  CHECK (octet_length(bytes) = byte_size)
);

-- Which photo (the app's attachment id) a feature has, and its bytes by hash.
CREATE TABLE hub.feature_attachments (
  layer_id text NOT NULL,
  feature_id text NOT NULL,
  attachment_id text NOT NULL,
  sha256 text NOT NULL REFERENCES hub.attachments (sha256),
  thumbnail_sha256 text REFERENCES hub.attachments (sha256),
  file_name text NOT NULL,
  media_type text NOT NULL,
  byte_size bigint NOT NULL,
  created_at timestamptz NOT NULL,
  attached boolean NOT NULL DEFAULT true,
  version bigint NOT NULL DEFAULT 1,
  PRIMARY KEY (layer_id, feature_id, attachment_id),
  FOREIGN KEY (layer_id, feature_id) REFERENCES hub.features (layer_id, id)
);

CREATE TABLE hub.users (
  id bigserial PRIMARY KEY,
  name text NOT NULL UNIQUE CHECK (name ~ '^[A-Za-z0-9_.@-]{1,64}$'),
  display_name text,
  role text NOT NULL CHECK (role IN ('admin', 'planner', 'surveyor')),
  -- Counties the user may read and write; all_counties for the whole workspace.
  counties integer[] NOT NULL DEFAULT '{}',
  all_counties boolean NOT NULL DEFAULT false,
  -- scrypt, PHC-like string: scrypt$N$r$p$salt$hash (base64).
  password_hash text NOT NULL,
  disabled boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL DEFAULT now()
);

-- Bearer tokens, stored as SHA-256 of the token; they expire.
CREATE TABLE hub.tokens (
  token_sha256 text PRIMARY KEY,
  user_id bigint NOT NULL REFERENCES hub.users (id) ON DELETE CASCADE,
  device text,
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  last_used_at timestamptz
);
CREATE INDEX tokens_user ON hub.tokens (user_id);

-- Idempotency: one row per change id, written in the same transaction as the change, holding
-- the answer; a repeated change id gets the stored answer and writes nothing.
CREATE TABLE hub.applied_changes (
  change_id text PRIMARY KEY CHECK (length(change_id) BETWEEN 1 AND 200),
  user_id bigint REFERENCES hub.users (id),
  device text,
  -- SHA-256 of the change's canonical JSON: the same id with other content is refused.
  request_sha256 text NOT NULL,
  result jsonb NOT NULL,
  applied_at timestamptz NOT NULL DEFAULT now()
);

-- Conflicts: a field changed on the hub since the pushing client's base, to another value; an
-- edit against a deleted feature; a delete against an edited feature. The hub's value is kept;
-- each conflict is written once (unique per change, entry and field).
CREATE TABLE hub.conflicts (
  id bigserial PRIMARY KEY,
  layer_id text NOT NULL,
  feature_id text NOT NULL,
  county integer,
  change_id text NOT NULL,
  entry_id text NOT NULL,
  kind text NOT NULL CHECK (kind IN ('field', 'edit-deleted', 'delete-edited')),
  -- '' for the whole-feature kinds.
  field text NOT NULL DEFAULT '',
  base jsonb,
  theirs jsonb,
  hub jsonb,
  hub_version bigint NOT NULL,
  user_id bigint REFERENCES hub.users (id),
  device text,
  created_at timestamptz NOT NULL DEFAULT now(),
  resolved_at timestamptz,
  resolved_by bigint REFERENCES hub.users (id),
  resolution jsonb,
  resolution_change_id text,
  UNIQUE (change_id, entry_id, field)
);
CREATE INDEX conflicts_open ON hub.conflicts (county) WHERE resolved_at IS NULL;

-- Per-county sequences. A row is locked by the transaction that takes a number and held until it
-- commits, so within a county numbers become visible in order: a pull by cursor never skips a row
-- that committed late. County 0 stands for "outside every county".
CREATE TABLE hub.county_sequences (
  county integer PRIMARY KEY,
  last_seq bigint NOT NULL
);

CREATE TABLE hub.change_log (
  county integer NOT NULL,
  seq bigint NOT NULL,
  layer_id text NOT NULL,
  feature_id text NOT NULL,
  version bigint NOT NULL,
  -- 'upsert' (created, changed or deleted: the feature row says which), or 'moved-out' (the
  -- feature left this county: pullers of this county drop it).
  kind text NOT NULL CHECK (kind IN ('upsert', 'moved-out')),
  change_id text,
  source text NOT NULL CHECK (source IN ('hub', 'sql')),
  logged_at timestamptz NOT NULL DEFAULT clock_timestamp(),
  PRIMARY KEY (county, seq)
);
CREATE INDEX change_log_feature ON hub.change_log (layer_id, feature_id);

-- Append-only audit trail: every write to a feature, with who, on which device, why and when.
CREATE TABLE hub.history (
  id bigserial PRIMARY KEY,
  layer_id text NOT NULL,
  feature_id text NOT NULL,
  version bigint NOT NULL,
  operation text NOT NULL CHECK (operation IN ('create', 'update', 'delete', 'restore')),
  before jsonb,
  after jsonb,
  change_id text,
  entry_id text,
  user_id bigint,
  user_name text,
  author_name text,
  device text,
  note text,
  client_time timestamptz,
  source text NOT NULL CHECK (source IN ('hub', 'sql')),
  db_role text NOT NULL DEFAULT current_user,
  server_time timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX history_feature ON hub.history (layer_id, feature_id, version);

CREATE FUNCTION hub.refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'hub.%: append-only', TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege';
END $$;
CREATE TRIGGER history_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON hub.history
  FOR EACH STATEMENT EXECUTE FUNCTION hub.refuse_change();

-- A transaction-local setting, NULL when unset or empty.
CREATE FUNCTION hub.setting(name text) RETURNS text LANGUAGE sql STABLE AS $$
  SELECT NULLIF(current_setting(name, true), '')
$$;

-- The feature as JSON in the shape of shared/model Feature (without bookkeeping).
CREATE FUNCTION hub.feature_json(f hub.features) RETURNS jsonb LANGUAGE sql IMMUTABLE AS $$
  SELECT jsonb_build_object(
    'id', f.id, 'layerId', f.layer_id, 'geometry', f.geometry, 'properties', f.properties,
    'status', f.status, 'county', f.county, 'demo', f.demo, 'deleted', f.deleted)
$$;

-- Before every insert or update: geometry and geom in step, version and per-field versions.
CREATE FUNCTION hub.features_before_write() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  field_key text;
  changed text[] := '{}';
BEGIN
  IF TG_OP = 'INSERT' THEN
    IF NEW.geometry IS NULL AND NEW.geom IS NOT NULL THEN
      NEW.geometry := ST_AsGeoJSON(NEW.geom, 15, 0)::jsonb;
    ELSIF NEW.geometry IS NOT NULL THEN
      NEW.geom := ST_SetSRID(ST_GeomFromGeoJSON(NEW.geometry::text), 4490);
    END IF;
    NEW.version := 1;
    NEW.updated_at := clock_timestamp();
    SELECT jsonb_object_agg(k, 1) INTO NEW.field_versions
      FROM unnest(ARRAY['exists', 'geometry', 'status', 'county', 'demo']
        || ARRAY(SELECT 'properties.' || jsonb_object_keys(NEW.properties))) AS k;
    RETURN NEW;
  END IF;

  IF NEW.geometry IS DISTINCT FROM OLD.geometry THEN
    NEW.geom := ST_SetSRID(ST_GeomFromGeoJSON(NEW.geometry::text), 4490);
  ELSIF ST_AsEWKB(NEW.geom) IS DISTINCT FROM ST_AsEWKB(OLD.geom) THEN
    -- Changed in PostGIS directly (QGIS): the GeoJSON follows.
    NEW.geometry := ST_AsGeoJSON(NEW.geom, 15, 0)::jsonb;
  END IF;

  IF NEW.deleted IS DISTINCT FROM OLD.deleted THEN changed := changed || 'exists'::text; END IF;
  IF NEW.geometry IS DISTINCT FROM OLD.geometry THEN changed := changed || 'geometry'::text; END IF;
  IF NEW.status IS DISTINCT FROM OLD.status THEN changed := changed || 'status'::text; END IF;
  IF NEW.county IS DISTINCT FROM OLD.county THEN changed := changed || 'county'::text; END IF;
  IF NEW.demo IS DISTINCT FROM OLD.demo THEN changed := changed || 'demo'::text; END IF;
  FOR field_key IN
    SELECT key FROM (
      SELECT key FROM jsonb_object_keys(OLD.properties) AS key
      UNION SELECT key FROM jsonb_object_keys(NEW.properties) AS key) AS keys
    WHERE OLD.properties -> key IS DISTINCT FROM NEW.properties -> key
  LOOP
    changed := changed || ('properties.' || field_key)::text;
  END LOOP;

  IF cardinality(changed) = 0 AND NEW.layer_id = OLD.layer_id THEN
    -- Nothing a client can see changed: no new version.
    NEW.version := OLD.version;
    NEW.field_versions := OLD.field_versions;
    NEW.updated_at := OLD.updated_at;
    RETURN NEW;
  END IF;
  NEW.version := OLD.version + 1;
  NEW.updated_at := clock_timestamp();
  SELECT OLD.field_versions || COALESCE(jsonb_object_agg(k, NEW.version), '{}') INTO NEW.field_versions
    FROM unnest(changed) AS k;
  RETURN NEW;
END $$;

CREATE TRIGGER features_before_write BEFORE INSERT OR UPDATE ON hub.features
  FOR EACH ROW EXECUTE FUNCTION hub.features_before_write();

CREATE FUNCTION hub.features_refuse_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'hub.features: delete a feature by setting deleted = true (it stays as a tombstone)'
    USING ERRCODE = 'insufficient_privilege';
END $$;
CREATE TRIGGER features_no_delete BEFORE DELETE ON hub.features
  FOR EACH ROW EXECUTE FUNCTION hub.features_refuse_delete();

-- After every write that made a new version: the history row (immediately, with the writer's
-- settings) — the change log row is written at commit (below).
CREATE FUNCTION hub.features_after_write() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  op text;
BEGIN
  IF TG_OP = 'UPDATE' AND NEW.version = OLD.version THEN RETURN NULL; END IF;
  op := CASE
    WHEN TG_OP = 'INSERT' THEN 'create'
    WHEN NEW.deleted AND NOT OLD.deleted THEN 'delete'
    WHEN OLD.deleted AND NOT NEW.deleted THEN 'restore'
    ELSE 'update' END;
  INSERT INTO hub.history (layer_id, feature_id, version, operation, before, after, change_id,
    entry_id, user_id, user_name, author_name, device, note, client_time, source)
  VALUES (NEW.layer_id, NEW.id, NEW.version, op,
    CASE WHEN TG_OP = 'UPDATE' THEN hub.feature_json(OLD) END, hub.feature_json(NEW),
    hub.setting('onemap.change_id'), hub.setting('onemap.entry_id'),
    hub.setting('onemap.user_id')::bigint, hub.setting('onemap.user_name'),
    hub.setting('onemap.author_name'), hub.setting('onemap.device'), hub.setting('onemap.note'),
    hub.setting('onemap.client_time')::timestamptz,
    CASE WHEN hub.setting('onemap.change_id') IS NULL THEN 'sql' ELSE 'hub' END);
  RETURN NULL;
END $$;

CREATE TRIGGER features_after_write AFTER INSERT OR UPDATE ON hub.features
  FOR EACH ROW EXECUTE FUNCTION hub.features_after_write();

-- Takes the next number of a county's sequence; the row stays locked until commit.
CREATE FUNCTION hub.next_county_seq(c integer) RETURNS bigint LANGUAGE sql AS $$
  INSERT INTO hub.county_sequences AS s (county, last_seq) VALUES (c, 1)
  ON CONFLICT (county) DO UPDATE SET last_seq = s.last_seq + 1
  RETURNING last_seq
$$;

-- At commit (deferred): the change log rows of the feature's new version, numbered per county.
-- Deferred, so a county's sequence row is locked only while the transaction commits.
CREATE FUNCTION hub.features_log_change() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  current_row hub.features;
  last_county integer;
  source_name text := CASE WHEN hub.setting('onemap.change_id') IS NULL THEN 'sql' ELSE 'hub' END;
BEGIN
  IF TG_OP = 'UPDATE' AND NEW.version = OLD.version THEN RETURN NULL; END IF;
  -- A row written twice in one transaction fires twice: log its final version once.
  SELECT * INTO current_row FROM hub.features WHERE layer_id = NEW.layer_id AND id = NEW.id;
  IF current_row.version <> NEW.version THEN RETURN NULL; END IF;
  IF EXISTS (SELECT 1 FROM hub.change_log WHERE layer_id = NEW.layer_id AND feature_id = NEW.id
             AND version = NEW.version AND kind = 'upsert') THEN
    RETURN NULL;
  END IF;
  -- The county its pullers last saw it in (not OLD.county: the row may have moved twice).
  SELECT county INTO last_county FROM hub.change_log
    WHERE layer_id = NEW.layer_id AND feature_id = NEW.id AND kind = 'upsert'
    ORDER BY version DESC LIMIT 1;
  -- Counties in ascending order, so two transactions never wait on each other's sequence rows.
  IF last_county IS NOT NULL AND last_county < COALESCE(NEW.county, 0) THEN
    INSERT INTO hub.change_log (county, seq, layer_id, feature_id, version, kind, change_id, source)
    VALUES (last_county, hub.next_county_seq(last_county), NEW.layer_id, NEW.id,
      NEW.version, 'moved-out', hub.setting('onemap.change_id'), source_name);
  END IF;
  INSERT INTO hub.change_log (county, seq, layer_id, feature_id, version, kind, change_id, source)
  VALUES (COALESCE(NEW.county, 0), hub.next_county_seq(COALESCE(NEW.county, 0)), NEW.layer_id, NEW.id,
    NEW.version, 'upsert', hub.setting('onemap.change_id'), source_name);
  IF last_county IS NOT NULL AND last_county > COALESCE(NEW.county, 0) THEN
    INSERT INTO hub.change_log (county, seq, layer_id, feature_id, version, kind, change_id, source)
    VALUES (last_county, hub.next_county_seq(last_county), NEW.layer_id, NEW.id,
      NEW.version, 'moved-out', hub.setting('onemap.change_id'), source_name);
  END IF;
  RETURN NULL;
END $$;

CREATE CONSTRAINT TRIGGER features_log_change AFTER INSERT OR UPDATE ON hub.features
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION hub.features_log_change();
