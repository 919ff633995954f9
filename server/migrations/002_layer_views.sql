-- OneMap hub, schema version 2: what QGIS, ArcGIS and MapGIS read.
-- Schema `layers` holds one view per layer of hub.layers (named after the layer id, hyphens as
-- underscores) with a typed column per field and geometry(Multi…, 4490), and `layers.counties`.
-- Office users log in as roles in group `onemap_reader`; row-level security on hub.features
-- limits them to the counties of hub.reader_counties. Members of `onemap_editor` may also UPDATE
-- hub.features in their counties; the triggers of migration 1 log those writes as source 'sql'.
-- Roles are cluster-wide, so they are created only when missing (a second database on the same
-- server shares them); grants and policies are per database.

DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'onemap_reader') THEN
    BEGIN
      CREATE ROLE onemap_reader NOLOGIN;
    EXCEPTION
      -- Another database on this server created it at the same moment.
      WHEN duplicate_object OR unique_violation THEN NULL;
      WHEN insufficient_privilege THEN
        RAISE EXCEPTION 'migration 2 needs the group role onemap_reader: connect as a role with CREATEROLE, or create it first (CREATE ROLE onemap_reader NOLOGIN)';
    END;
  END IF;
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'onemap_editor') THEN
    BEGIN
      CREATE ROLE onemap_editor NOLOGIN IN ROLE onemap_reader;
    EXCEPTION
      WHEN duplicate_object OR unique_violation THEN NULL;
      WHEN insufficient_privilege THEN
        RAISE EXCEPTION 'migration 2 needs the group role onemap_editor: connect as a role with CREATEROLE, or create it first (CREATE ROLE onemap_editor NOLOGIN IN ROLE onemap_reader)';
    END;
  END IF;
END $$;

CREATE SCHEMA layers;
COMMENT ON SCHEMA layers IS 'OneMap: one read-only view per layer (generated from hub.layers) and the county boundaries';

-- Which counties an office user's database role may see. A role without a row sees no feature.
CREATE TABLE hub.reader_counties (
  role_name name PRIMARY KEY,
  counties integer[] NOT NULL DEFAULT '{}' CHECK (100000 <= ALL (counties) AND 999999 >= ALL (counties)),
  all_counties boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL DEFAULT now()
);

-- Safe casts of a JSON property: a value of another JSON type (or out of range) gives NULL, so
-- one odd value written by direct SQL never makes a whole view fail.
CREATE FUNCTION hub.json_text(v jsonb) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE WHEN jsonb_typeof(v) = 'string' THEN v #>> '{}' END
$$;

CREATE FUNCTION hub.json_bigint(v jsonb) RETURNS bigint LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE WHEN jsonb_typeof(v) = 'number' THEN
    CASE WHEN v::numeric = trunc(v::numeric) AND abs(v::numeric) <= 9223372036854775807
      THEN v::numeric::bigint END END
$$;

CREATE FUNCTION hub.json_double(v jsonb) RETURNS double precision LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE WHEN jsonb_typeof(v) = 'number' THEN
    CASE WHEN v::numeric = 0 OR abs(v::numeric) BETWEEN 1e-300 AND 1e300
      THEN v::numeric::double precision END END
$$;

CREATE FUNCTION hub.json_boolean(v jsonb) RETURNS boolean LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE WHEN jsonb_typeof(v) = 'boolean' THEN v::boolean END
$$;

-- plpgsql rather than sql: an inlined SQL function would let the planner fold make_date() of
-- a constant before the checks that guard it.
CREATE FUNCTION hub.json_date(v jsonb) RETURNS date LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
DECLARE
  s text;
  y integer;
  m integer;
  d integer;
BEGIN
  IF jsonb_typeof(v) IS DISTINCT FROM 'string' THEN RETURN NULL; END IF;
  s := v #>> '{}';
  IF s !~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' THEN RETURN NULL; END IF;
  y := substr(s, 1, 4)::integer;
  m := substr(s, 6, 2)::integer;
  d := substr(s, 9, 2)::integer;
  IF y < 1 OR m NOT BETWEEN 1 AND 12 OR d < 1
     OR d > extract(day FROM make_date(y, m, 1) + interval '1 month - 1 day') THEN
    RETURN NULL;
  END IF;
  RETURN make_date(y, m, d);
END $$;

-- A layer's view name: the id with underscores for hyphens (ids never contain underscores, so
-- two layers never share a name); `counties` is taken by the boundaries.
CREATE FUNCTION hub.layer_view_name(layer_id text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE WHEN layer_id = 'counties' THEN 'layer_counties' ELSE replace(layer_id, '-', '_') END
$$;

-- The SELECT of a layer's view, from its definition. Field keys are camelCase without
-- underscores, so the `<key>_label` columns and the common snake_case columns never clash with a
-- field; a field named like a common column (id, version, geom) becomes `<key>_field`.
CREATE FUNCTION hub.layer_view_sql(layer_id text, definition jsonb) RETURNS text
LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
  field jsonb;
  field_key text;
  column_name text;
  value_sql text;
  columns text[] := ARRAY['f.id'];
  geometry_kind text;
  status_cases text;
BEGIN
  FOR field IN SELECT value FROM jsonb_array_elements(COALESCE(definition -> 'fields', '[]')) LOOP
    field_key := field ->> 'key';
    column_name := CASE WHEN field_key IN ('id', 'version', 'geom') THEN field_key || '_field' ELSE field_key END;
    value_sql := format('f.properties -> %L', field_key);
    CASE field ->> 'type'
      WHEN 'string' THEN columns := columns || format('hub.json_text(%s) AS %I', value_sql, column_name);
      WHEN 'integer' THEN columns := columns || format('hub.json_bigint(%s) AS %I', value_sql, column_name);
      WHEN 'number' THEN columns := columns || format('hub.json_double(%s) AS %I', value_sql, column_name);
      WHEN 'boolean' THEN columns := columns || format('hub.json_boolean(%s) AS %I', value_sql, column_name);
      WHEN 'date' THEN columns := columns || format('hub.json_date(%s) AS %I', value_sql, column_name);
      WHEN 'enum' THEN
        columns := columns || format('hub.json_text(%s) AS %I', value_sql, column_name);
        -- The Chinese label next to the stored value: what an office user filters and labels by.
        SELECT format('(CASE hub.json_text(%s) %s END)::text AS %I', value_sql,
            COALESCE(string_agg(format('WHEN %L THEN %L', o ->> 'value', o #>> '{label,zh}'), ' '), 'WHEN NULL THEN NULL'),
            field_key || '_label')
          INTO value_sql FROM jsonb_array_elements(COALESCE(field -> 'values', '[]')) AS o;
        columns := columns || value_sql;
      ELSE
        -- A field type this version does not know: its JSON as text, never an error.
        columns := columns || format('(%s)::text AS %I', value_sql, column_name);
    END CASE;
  END LOOP;

  SELECT COALESCE(string_agg(format('WHEN %L THEN %L', s ->> 'value', s #>> '{label,zh}'), ' '), 'WHEN NULL THEN NULL')
    INTO status_cases FROM jsonb_array_elements(COALESCE(definition #> '{status,states}', '[]')) AS s;
  columns := columns || ARRAY[
    'f.status',
    format('(CASE f.status %s END)::text AS status_label', status_cases),
    'f.county',
    $c$COALESCE(c.name ->> 'zh', c.name #>> '{}') AS county_name$c$,
    'f.demo', 'f.version', 'f.updated_at'];

  -- Always the Multi* type: a layer accepts both kinds, and one declared type is what GIS tools
  -- need. Another kind (written by direct SQL) shows as no geometry; elevations are dropped.
  geometry_kind := CASE definition ->> 'geometryType'
    WHEN 'Point' THEN 'Point' WHEN 'LineString' THEN 'LineString' ELSE 'Polygon' END;
  columns := columns || format(
    'CASE WHEN GeometryType(f.geom) IN (%L, %L) THEN ST_Multi(ST_Force2D(f.geom)) END::geometry(Multi%s, 4490) AS geom',
    upper(geometry_kind), 'MULTI' || upper(geometry_kind), geometry_kind);

  RETURN format(
    'SELECT %s FROM hub.features f LEFT JOIN hub.counties c ON c.adcode = f.county WHERE f.layer_id = %L AND NOT f.deleted',
    array_to_string(columns, ', '), layer_id);
END $$;

-- (Re)creates the view of every non-deleted layer and drops the views of layers that are gone.
-- A view whose SQL did not change is left alone (its comment holds the SQL's md5), so most layer
-- writes do no DDL. Views created here carry the comment prefix 'OneMap layer'; nothing else in
-- schema layers is touched.
CREATE FUNCTION hub.refresh_layer_views() RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  layer record;
  existing record;
  view_name text;
  body text;
  marker text;
BEGIN
  -- Two writers of hub.layers at once would otherwise race on the same views.
  PERFORM pg_advisory_xact_lock(hashtext('onemap.refresh_layer_views'));

  FOR existing IN
    SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = 'layers' AND c.relkind = 'v'
      AND obj_description(c.oid, 'pg_class') LIKE 'OneMap layer %'
      AND c.relname NOT IN (SELECT hub.layer_view_name(id) FROM hub.layers WHERE NOT deleted)
  LOOP
    BEGIN
      EXECUTE format('DROP VIEW layers.%I', existing.relname);
    EXCEPTION WHEN dependent_objects_still_exist THEN
      RAISE WARNING 'layers.% kept: other objects depend on it (%)', existing.relname, SQLERRM;
    END;
  END LOOP;

  FOR layer IN SELECT id, definition FROM hub.layers WHERE NOT deleted ORDER BY id LOOP
    view_name := hub.layer_view_name(layer.id);
    body := hub.layer_view_sql(layer.id, layer.definition);
    marker := format('OneMap layer %s (%s), generated from hub.layers; sql md5 %s',
      layer.id, COALESCE(layer.definition #>> '{name,zh}', layer.id), md5(body));
    IF obj_description(to_regclass(format('layers.%I', view_name)), 'pg_class') IS NOT DISTINCT FROM marker THEN
      CONTINUE;
    END IF;
    BEGIN
      EXECUTE format('CREATE OR REPLACE VIEW layers.%I WITH (security_invoker = true) AS %s', view_name, body);
    EXCEPTION WHEN OTHERS THEN
      -- Columns removed, renamed, retyped or reordered: only a new view will do.
      BEGIN
        EXECUTE format('DROP VIEW IF EXISTS layers.%I', view_name);
      EXCEPTION WHEN dependent_objects_still_exist THEN
        RAISE WARNING 'layers.% not refreshed: other objects depend on it (%)', view_name, SQLERRM;
        CONTINUE;
      END;
      EXECUTE format('CREATE VIEW layers.%I WITH (security_invoker = true) AS %s', view_name, body);
    END;
    EXECUTE format('COMMENT ON VIEW layers.%I IS %L', view_name, marker);
    EXECUTE format('GRANT SELECT ON layers.%I TO onemap_reader', view_name);
  END LOOP;
END $$;

CREATE FUNCTION hub.layers_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM hub.refresh_layer_views();
  RETURN NULL;
END $$;

CREATE TRIGGER layers_refresh_views AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON hub.layers
  FOR EACH STATEMENT EXECUTE FUNCTION hub.layers_changed();

CREATE VIEW layers.counties WITH (security_invoker = true) AS
  SELECT adcode, COALESCE(name ->> 'zh', name #>> '{}') AS name_zh, name ->> 'en' AS name_en,
    geom::geometry(MultiPolygon, 4490) AS geom
  FROM hub.counties;
COMMENT ON VIEW layers.counties IS 'OneMap county boundaries (CGCS2000)';

-- Row-level security. The hub connects as the owner of these tables (or a superuser or a
-- BYPASSRLS role) and is not limited: FORCE ROW LEVEL SECURITY is deliberately not set.
-- The scope subqueries do not depend on the row, so they run once per query.
ALTER TABLE hub.features ENABLE ROW LEVEL SECURITY;
CREATE POLICY features_reader_scope ON hub.features FOR SELECT TO onemap_reader USING (
  (SELECT r.all_counties FROM hub.reader_counties r WHERE r.role_name = current_user) IS TRUE
  OR county = ANY ((SELECT r.counties FROM hub.reader_counties r WHERE r.role_name = current_user)::integer[]));
CREATE POLICY features_editor_scope ON hub.features FOR UPDATE TO onemap_editor
  USING (
    (SELECT r.all_counties FROM hub.reader_counties r WHERE r.role_name = current_user) IS TRUE
    OR county = ANY ((SELECT r.counties FROM hub.reader_counties r WHERE r.role_name = current_user)::integer[]))
  WITH CHECK (
    (SELECT r.all_counties FROM hub.reader_counties r WHERE r.role_name = current_user) IS TRUE
    OR county = ANY ((SELECT r.counties FROM hub.reader_counties r WHERE r.role_name = current_user)::integer[]));

-- Each role reads only its own scope row (the policies above read it as the querying role).
ALTER TABLE hub.reader_counties ENABLE ROW LEVEL SECURITY;
CREATE POLICY reader_counties_own ON hub.reader_counties FOR SELECT TO onemap_reader
  USING (role_name = current_user);

GRANT USAGE ON SCHEMA layers TO onemap_reader;
GRANT SELECT ON layers.counties TO onemap_reader;
-- The views run with the reader's rights (security_invoker), so the reader needs the tables they
-- read; hub.users, tokens, applied_changes, attachments and the logs stay out of reach.
GRANT USAGE ON SCHEMA hub TO onemap_reader;
GRANT SELECT ON hub.features, hub.counties, hub.reader_counties TO onemap_reader;

-- Editors (QGIS editing hub.features in place): the columns a client may change. The history
-- row is written with the editor's rights (it records the editor's role); the change log is
-- written by a SECURITY DEFINER trigger, so editors cannot write it themselves.
GRANT UPDATE (status, county, properties, geometry, geom, demo, deleted) ON hub.features TO onemap_editor;
GRANT INSERT ON hub.history TO onemap_editor;
GRANT USAGE ON SEQUENCE hub.history_id_seq TO onemap_editor;
ALTER FUNCTION hub.features_log_change() SECURITY DEFINER SET search_path = pg_catalog, pg_temp;

SELECT hub.refresh_layer_views();
