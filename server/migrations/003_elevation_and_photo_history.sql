-- OneMap hub, schema version 3.
-- 1. A geometry with a third coordinate (a GPS elevation) is kept whole in `geometry` (the GeoJSON
--    clients wrote) and stored flat in `geom` (a 2D column, as QGIS and the layer views expect);
--    before, such a write failed ("Geometry has Z dimension but column does not").
-- 2. A photo attached to or detached from a feature leaves a history row, with who, device, note
--    and time, like every other write.

CREATE OR REPLACE FUNCTION hub.features_before_write() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  field_key text;
  changed text[] := '{}';
BEGIN
  IF TG_OP = 'INSERT' THEN
    IF NEW.geometry IS NULL AND NEW.geom IS NOT NULL THEN
      NEW.geometry := ST_AsGeoJSON(NEW.geom, 15, 0)::jsonb;
    ELSIF NEW.geometry IS NOT NULL THEN
      NEW.geom := ST_Force2D(ST_SetSRID(ST_GeomFromGeoJSON(NEW.geometry::text), 4490));
    END IF;
    NEW.version := 1;
    NEW.updated_at := clock_timestamp();
    SELECT jsonb_object_agg(k, 1) INTO NEW.field_versions
      FROM unnest(ARRAY['exists', 'geometry', 'status', 'county', 'demo']
        || ARRAY(SELECT 'properties.' || jsonb_object_keys(NEW.properties))) AS k;
    RETURN NEW;
  END IF;

  IF NEW.geometry IS DISTINCT FROM OLD.geometry THEN
    NEW.geom := ST_Force2D(ST_SetSRID(ST_GeomFromGeoJSON(NEW.geometry::text), 4490));
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

ALTER TABLE hub.history DROP CONSTRAINT history_operation_check;
ALTER TABLE hub.history ADD CONSTRAINT history_operation_check
  CHECK (operation IN ('create', 'update', 'delete', 'restore', 'attach', 'detach'));

CREATE FUNCTION hub.feature_attachments_history() RETURNS trigger LANGUAGE plpgsql
  SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  photo jsonb := jsonb_build_object('attachmentId', NEW.attachment_id, 'sha256', NEW.sha256,
    'fileName', NEW.file_name, 'mediaType', NEW.media_type, 'byteSize', NEW.byte_size);
  was_attached boolean := TG_OP = 'UPDATE' AND OLD.attached;
BEGIN
  IF was_attached = NEW.attached THEN RETURN NULL; END IF;
  INSERT INTO hub.history (layer_id, feature_id, version, operation, before, after, change_id,
    entry_id, user_id, user_name, author_name, device, note, client_time, source)
  SELECT NEW.layer_id, NEW.feature_id, f.version, CASE WHEN NEW.attached THEN 'attach' ELSE 'detach' END,
    CASE WHEN was_attached THEN photo END, CASE WHEN NEW.attached THEN photo END,
    hub.setting('onemap.change_id'), hub.setting('onemap.entry_id'),
    hub.setting('onemap.user_id')::bigint, hub.setting('onemap.user_name'),
    hub.setting('onemap.author_name'), hub.setting('onemap.device'), hub.setting('onemap.note'),
    hub.setting('onemap.client_time')::timestamptz,
    CASE WHEN hub.setting('onemap.change_id') IS NULL THEN 'sql' ELSE 'hub' END
  FROM hub.features f WHERE f.layer_id = NEW.layer_id AND f.id = NEW.feature_id;
  RETURN NULL;
END $$;

CREATE TRIGGER feature_attachments_history AFTER INSERT OR UPDATE ON hub.feature_attachments
  FOR EACH ROW EXECUTE FUNCTION hub.feature_attachments_history();
