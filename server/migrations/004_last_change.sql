-- OneMap hub, schema version 4: who made each feature's latest write, kept on the feature's row
-- (`last_change`), so a pull hands it out without reading hub.history. Filled by a trigger from
-- the same `onemap.*` settings the history uses; a write without them (direct SQL, QGIS) is
-- source 'sql' with the database role. A photo attached or detached updates it too (same version).
-- Kept as json text without its null members: a pull copies the text as it is (no jsonb output per
-- row), and a write made in QGIS costs a pull ~70 bytes, not ~170.

ALTER TABLE hub.features ADD COLUMN last_change json;

CREATE FUNCTION hub.timestamp_text(t timestamptz) RETURNS text LANGUAGE sql STABLE AS $$
  SELECT to_char(t AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')
$$;

-- The writer of this transaction, at `at` (shared/sync/hub/history.ts lastChangeSchema).
CREATE FUNCTION hub.last_change_json(at timestamptz) RETURNS json LANGUAGE sql STABLE AS $$
  SELECT json_strip_nulls(json_build_object(
    'userName', hub.setting('onemap.user_name'), 'authorName', hub.setting('onemap.author_name'),
    'device', hub.setting('onemap.device'), 'note', hub.setting('onemap.note'),
    'time', hub.timestamp_text(at),
    'clientTime', hub.timestamp_text(hub.setting('onemap.client_time')::timestamptz),
    'source', CASE WHEN hub.setting('onemap.change_id') IS NULL THEN 'sql' ELSE 'hub' END,
    'dbRole', current_user::text))
$$;

-- The features written so far: their latest history row.
UPDATE hub.features f SET last_change = json_strip_nulls(json_build_object(
    'userName', h.user_name, 'authorName', h.author_name, 'device', h.device, 'note', h.note,
    'time', hub.timestamp_text(h.server_time), 'clientTime', hub.timestamp_text(h.client_time),
    'source', h.source, 'dbRole', h.db_role))
  FROM (SELECT DISTINCT ON (layer_id, feature_id) * FROM hub.history
        ORDER BY layer_id, feature_id, id DESC) h
  WHERE h.layer_id = f.layer_id AND h.feature_id = f.id;

-- Runs after features_before_write (triggers fire in name order), which has set the version.
-- A write that made no new version keeps what it was given (the photo trigger below sets it).
CREATE FUNCTION hub.features_last_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' OR NEW.version <> OLD.version THEN
    NEW.last_change := hub.last_change_json(NEW.updated_at);
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER features_last_change BEFORE INSERT OR UPDATE ON hub.features
  FOR EACH ROW EXECUTE FUNCTION hub.features_last_change();

-- A photo attached or detached (no new version): the feature's last change is that write. Not in
-- the SECURITY DEFINER history trigger: its search_path would hide PostGIS from the features
-- triggers this UPDATE fires.
CREATE FUNCTION hub.feature_attachments_last_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND OLD.attached = NEW.attached THEN RETURN NULL; END IF;
  UPDATE hub.features SET last_change = hub.last_change_json(clock_timestamp())
    WHERE layer_id = NEW.layer_id AND id = NEW.feature_id;
  RETURN NULL;
END $$;
CREATE TRIGGER feature_attachments_last_change AFTER INSERT OR UPDATE ON hub.feature_attachments
  FOR EACH ROW EXECUTE FUNCTION hub.feature_attachments_last_change();
