\echo Use "ALTER EXTENSION aurora_serverless UPDATE TO '1.1'" to load this file. \quit

----------------------------------------------------------------------
-- Dump and restore: provisioned_classes keeps the rows the extension ships
-- apart from the user's edits
--
-- 1.0 asked pg_dump to dump every row of the table, the shipped ones too, so
-- a restore (whose CREATE EXTENSION inserts the shipped rows again) failed
-- on the first duplicate key and lost the user's rows.  From 1.1 the shipped
-- rows live in provisioned_class_defaults, which pg_dump leaves out and
-- CREATE EXTENSION fills; the user's additions, changes and deletions live
-- in provisioned_class_edits, the one table pg_dump dumps, whose rows never
-- collide with anything CREATE EXTENSION inserts; provisioned_classes is a
-- view of the two, written through INSTEAD OF triggers.  A later version
-- that ships new prices replaces the defaults and keeps the edits.
----------------------------------------------------------------------

CREATE TABLE aurora_serverless.provisioned_class_defaults (
    instance_class text PRIMARY KEY,
    vcpus int NOT NULL CHECK (vcpus > 0),
    memory_gib numeric NOT NULL CHECK (memory_gib > 0),
    hourly_price numeric NOT NULL CHECK (hourly_price >= 0),
    note text
);

-- the rows 1.0 shipped: Aurora PostgreSQL on-demand list prices (Standard
-- storage, us-east-1) as AWS published them
INSERT INTO aurora_serverless.provisioned_class_defaults VALUES
  ('db.r6g.large',     2,  16, 0.260, 'us-east-1 on-demand, Standard'),
  ('db.r6g.xlarge',    4,  32, 0.519, 'us-east-1 on-demand, Standard'),
  ('db.r6g.2xlarge',   8,  64, 1.038, 'us-east-1 on-demand, Standard'),
  ('db.r6g.4xlarge',  16, 128, 2.076, 'us-east-1 on-demand, Standard'),
  ('db.r6g.8xlarge',  32, 256, 4.152, 'us-east-1 on-demand, Standard'),
  ('db.r6g.12xlarge', 48, 384, 6.228, 'us-east-1 on-demand, Standard'),
  ('db.r6g.16xlarge', 64, 512, 8.304, 'us-east-1 on-demand, Standard'),
  ('db.r7g.large',     2,  16, 0.276, 'us-east-1 on-demand, Standard'),
  ('db.r7g.xlarge',    4,  32, 0.552, 'us-east-1 on-demand, Standard'),
  ('db.r7g.2xlarge',   8,  64, 1.104, 'us-east-1 on-demand, Standard'),
  ('db.r7g.4xlarge',  16, 128, 2.208, 'us-east-1 on-demand, Standard'),
  ('db.r7g.8xlarge',  32, 256, 4.416, 'us-east-1 on-demand, Standard'),
  ('db.r7g.12xlarge', 48, 384, 6.624, 'us-east-1 on-demand, Standard'),
  ('db.r7g.16xlarge', 64, 512, 8.832, 'us-east-1 on-demand, Standard');

-- one row per class the user added or changed, or a shipped class the user
-- deleted (deleted, with no values)
CREATE TABLE aurora_serverless.provisioned_class_edits (
    instance_class text PRIMARY KEY,
    deleted boolean NOT NULL DEFAULT false,
    vcpus int CHECK (vcpus > 0),
    memory_gib numeric CHECK (memory_gib > 0),
    hourly_price numeric CHECK (hourly_price >= 0),
    note text,
    CHECK (deleted OR (vcpus IS NOT NULL AND memory_gib IS NOT NULL
                       AND hourly_price IS NOT NULL))
);

-- every row of it is the user's: pg_dump dumps them all
SELECT pg_catalog.pg_extension_config_dump('aurora_serverless.provisioned_class_edits', '');

-- An existing 1.0 table: what differs from the rows 1.0 shipped becomes an
-- edit (on a fresh install there is none).  The table goes once the view
-- below has taken over what the user granted or revoked on it.
ALTER TABLE aurora_serverless.provisioned_classes RENAME TO provisioned_classes_1_0;

INSERT INTO aurora_serverless.provisioned_class_edits
       (instance_class, deleted, vcpus, memory_gib, hourly_price, note)
  SELECT t.instance_class, false, t.vcpus, t.memory_gib, t.hourly_price, t.note
    FROM aurora_serverless.provisioned_classes_1_0 t
    LEFT JOIN aurora_serverless.provisioned_class_defaults d USING (instance_class)
   WHERE d.instance_class IS NULL
      OR (t.vcpus, t.memory_gib, t.hourly_price, t.note)
         IS DISTINCT FROM (d.vcpus, d.memory_gib, d.hourly_price, d.note)
  UNION ALL
  SELECT d.instance_class, true, NULL, NULL, NULL, NULL
    FROM aurora_serverless.provisioned_class_defaults d
   WHERE NOT EXISTS (SELECT FROM aurora_serverless.provisioned_classes_1_0 t
                      WHERE t.instance_class = d.instance_class);

CREATE VIEW aurora_serverless.provisioned_classes AS
  SELECT e.instance_class, e.vcpus, e.memory_gib, e.hourly_price, e.note
    FROM aurora_serverless.provisioned_class_edits e
   WHERE NOT e.deleted
  UNION ALL
  SELECT d.instance_class, d.vcpus, d.memory_gib, d.hourly_price, d.note
    FROM aurora_serverless.provisioned_class_defaults d
   WHERE NOT EXISTS (SELECT FROM aurora_serverless.provisioned_class_edits e
                      WHERE e.instance_class = d.instance_class);

-- Writes to the view become edits.  SECURITY DEFINER so that a role granted
-- INSERT, UPDATE or DELETE on the view needs nothing on the tables behind it;
-- a trigger function cannot be called directly, and the privilege on the
-- view is checked before it runs.  The view's constraints are checked here,
-- with the SQLSTATEs the 1.0 table's constraints raised.
CREATE FUNCTION aurora_serverless.provisioned_classes_write()
RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  shipped aurora_serverless.provisioned_class_defaults;
  edit aurora_serverless.provisioned_class_edits;
BEGIN
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    IF NEW.instance_class IS NULL OR NEW.vcpus IS NULL
       OR NEW.memory_gib IS NULL OR NEW.hourly_price IS NULL THEN
      RAISE EXCEPTION 'null value in a column of provisioned_classes that must not be null'
        USING ERRCODE = 'not_null_violation',
              DETAIL = 'instance_class, vcpus, memory_gib and hourly_price are required.';
    END IF;
    IF NEW.vcpus <= 0 OR NEW.memory_gib <= 0 OR NEW.memory_gib = 'NaN'
       OR NEW.hourly_price < 0 OR NEW.hourly_price = 'NaN' THEN
      RAISE EXCEPTION 'new row for provisioned_classes violates a check constraint'
        USING ERRCODE = 'check_violation',
              DETAIL = format('vcpus and memory_gib must be greater than 0 and hourly_price at least 0; got %s, %s, %s.',
                              NEW.vcpus, NEW.memory_gib, NEW.hourly_price);
    END IF;
  END IF;

  -- the old row goes: a shipped class is marked deleted, an added one removed
  IF TG_OP = 'DELETE' OR (TG_OP = 'UPDATE' AND NEW.instance_class <> OLD.instance_class) THEN
    SELECT * INTO shipped FROM aurora_serverless.provisioned_class_defaults
     WHERE instance_class = OLD.instance_class;
    IF shipped.instance_class IS NOT NULL THEN
      INSERT INTO aurora_serverless.provisioned_class_edits (instance_class, deleted)
        VALUES (OLD.instance_class, true)
        ON CONFLICT (instance_class) DO UPDATE
          SET deleted = true, vcpus = NULL, memory_gib = NULL,
              hourly_price = NULL, note = NULL;
    ELSE
      DELETE FROM aurora_serverless.provisioned_class_edits
       WHERE instance_class = OLD.instance_class;
    END IF;
    IF TG_OP = 'DELETE' THEN
      RETURN OLD;
    END IF;
  END IF;

  SELECT * INTO shipped FROM aurora_serverless.provisioned_class_defaults
   WHERE instance_class = NEW.instance_class;
  SELECT * INTO edit FROM aurora_serverless.provisioned_class_edits
   WHERE instance_class = NEW.instance_class;

  -- A new row whose class is already listed: a unique violation, as in 1.0,
  -- unless the class is a shipped one the user has not edited.  Then the row
  -- takes its place: that is how a dump made by 1.0, which holds the
  -- shipped rows too, restores.
  IF (TG_OP = 'INSERT' OR NEW.instance_class <> OLD.instance_class)
     AND edit.instance_class IS NOT NULL AND NOT edit.deleted THEN
    RAISE EXCEPTION 'duplicate key value violates unique constraint "provisioned_classes_pkey"'
      USING ERRCODE = 'unique_violation',
            DETAIL = format('Key (instance_class)=(%s) already exists.', NEW.instance_class);
  END IF;
  IF TG_OP = 'UPDATE' AND NEW.instance_class <> OLD.instance_class
     AND edit.instance_class IS NULL AND shipped.instance_class IS NOT NULL THEN
    RAISE EXCEPTION 'duplicate key value violates unique constraint "provisioned_classes_pkey"'
      USING ERRCODE = 'unique_violation',
            DETAIL = format('Key (instance_class)=(%s) already exists.', NEW.instance_class);
  END IF;

  IF shipped.instance_class IS NOT NULL
     AND (NEW.vcpus, NEW.memory_gib, NEW.hourly_price, NEW.note)
         IS NOT DISTINCT FROM
         (shipped.vcpus, shipped.memory_gib, shipped.hourly_price, shipped.note) THEN
    -- back to the shipped row: no edit left
    DELETE FROM aurora_serverless.provisioned_class_edits
     WHERE instance_class = NEW.instance_class;
  ELSE
    INSERT INTO aurora_serverless.provisioned_class_edits
           (instance_class, deleted, vcpus, memory_gib, hourly_price, note)
      VALUES (NEW.instance_class, false, NEW.vcpus, NEW.memory_gib,
              NEW.hourly_price, NEW.note)
      ON CONFLICT (instance_class) DO UPDATE
        SET deleted = false, vcpus = EXCLUDED.vcpus,
            memory_gib = EXCLUDED.memory_gib,
            hourly_price = EXCLUDED.hourly_price, note = EXCLUDED.note;
  END IF;
  RETURN NEW;
END
$$;

CREATE TRIGGER provisioned_classes_write
  INSTEAD OF INSERT OR UPDATE OR DELETE ON aurora_serverless.provisioned_classes
  FOR EACH ROW EXECUTE FUNCTION aurora_serverless.provisioned_classes_write();

REVOKE ALL ON FUNCTION aurora_serverless.provisioned_classes_write() FROM PUBLIC;
GRANT SELECT ON aurora_serverless.provisioned_classes,
  aurora_serverless.provisioned_class_defaults,
  aurora_serverless.provisioned_class_edits TO PUBLIC;

COMMENT ON VIEW aurora_serverless.provisioned_classes IS
  'Provisioned instance classes to compare with; list prices to edit for your region and date (INSERT, UPDATE and DELETE work; pg_dump keeps the edits)';
COMMENT ON COLUMN aurora_serverless.provisioned_classes.instance_class IS 'DB instance class, such as db.r6g.large';
COMMENT ON COLUMN aurora_serverless.provisioned_classes.vcpus IS 'vCPUs of the class';
COMMENT ON COLUMN aurora_serverless.provisioned_classes.memory_gib IS 'Memory of the class, GiB';
COMMENT ON COLUMN aurora_serverless.provisioned_classes.hourly_price IS 'On-demand price per hour, dollars';
COMMENT ON COLUMN aurora_serverless.provisioned_classes.note IS 'Where the price comes from';
COMMENT ON TABLE aurora_serverless.provisioned_class_defaults IS
  'The provisioned classes this version of the extension ships; edit provisioned_classes instead';
COMMENT ON TABLE aurora_serverless.provisioned_class_edits IS
  'Your edits of provisioned_classes: classes added or changed, and shipped classes deleted; the rows pg_dump keeps';
COMMENT ON COLUMN aurora_serverless.provisioned_class_edits.deleted IS
  'A shipped class you deleted';
COMMENT ON FUNCTION aurora_serverless.provisioned_classes_write() IS
  'Turns INSERT, UPDATE and DELETE on provisioned_classes into rows of provisioned_class_edits';

-- What the user granted or revoked on the 1.0 table, done again on the view.
-- An extension script records every GRANT it runs as the object's initial
-- privileges, which pg_dump leaves out of a dump: so the view's initial
-- privileges (and, from PostgreSQL 17, their role dependencies) are put
-- back as they were before, and the user's grants stay the user's.
DO $$
DECLARE
  old oid := 'aurora_serverless.provisioned_classes_1_0'::regclass;
  v oid := 'aurora_serverless.provisioned_classes'::regclass;
  init pg_catalog.pg_init_privs[];
  deps text[];
  r record;
  n int := 0;
BEGIN
  SELECT array_agg(p) INTO init FROM pg_catalog.pg_init_privs p
   WHERE classoid = 'pg_catalog.pg_class'::regclass AND objoid = v;
  SELECT array_agg(objsubid || '/' || refobjid) INTO deps FROM pg_catalog.pg_shdepend
   WHERE dbid = (SELECT oid FROM pg_catalog.pg_database WHERE datname = current_database())
     AND classid = 'pg_catalog.pg_class'::regclass AND objid = v AND deptype = 'i';
  FOR r IN
    WITH now_acl AS (
      SELECT 0 AS objsubid, c.relacl AS acl
        FROM pg_catalog.pg_class c
       WHERE c.oid = old AND c.relacl IS NOT NULL
      UNION ALL
      SELECT a.attnum, a.attacl
        FROM pg_catalog.pg_attribute a
       WHERE a.attrelid = old AND a.attnum > 0 AND NOT a.attisdropped
         AND a.attacl IS NOT NULL),
    cur AS (
      SELECT n.objsubid, x.grantee, x.privilege_type, x.is_grantable
        FROM now_acl n, pg_catalog.aclexplode(n.acl) x),
    ini AS (
      SELECT i.objsubid, x.grantee, x.privilege_type, x.is_grantable
        FROM pg_catalog.pg_init_privs i, pg_catalog.aclexplode(i.initprivs) x
       WHERE i.classoid = 'pg_catalog.pg_class'::regclass AND i.objoid = old),
    diff AS (
      SELECT 'GRANT' AS verb, * FROM (SELECT * FROM cur EXCEPT SELECT * FROM ini) g
      UNION ALL
      SELECT 'REVOKE', * FROM (SELECT * FROM ini EXCEPT SELECT * FROM cur) r)
    SELECT d.*, a.attname
      FROM diff d
      LEFT JOIN pg_catalog.pg_attribute a
        ON a.attrelid = old AND a.attnum = d.objsubid AND d.objsubid > 0
     ORDER BY d.verb, d.objsubid, d.grantee, d.privilege_type
  LOOP
    EXECUTE format('%s %s%s ON aurora_serverless.provisioned_classes %s %s%s',
                   r.verb,
                   CASE WHEN r.verb = 'REVOKE' AND r.is_grantable
                        THEN 'GRANT OPTION FOR ' ELSE '' END,
                   r.privilege_type
                   || CASE WHEN r.attname IS NULL THEN ''
                           ELSE format(' (%I)', r.attname) END,
                   CASE r.verb WHEN 'GRANT' THEN 'TO' ELSE 'FROM' END,
                   CASE r.grantee WHEN 0 THEN 'PUBLIC'
                        ELSE quote_ident(pg_catalog.pg_get_userbyid(r.grantee)) END,
                   CASE WHEN r.verb = 'GRANT' AND r.is_grantable
                        THEN ' WITH GRANT OPTION' ELSE '' END);
    n := n + 1;
  END LOOP;
  IF n > 0 THEN
    DELETE FROM pg_catalog.pg_init_privs
     WHERE classoid = 'pg_catalog.pg_class'::regclass AND objoid = v;
    INSERT INTO pg_catalog.pg_init_privs SELECT * FROM unnest(init);
    DELETE FROM pg_catalog.pg_shdepend
     WHERE dbid = (SELECT oid FROM pg_catalog.pg_database WHERE datname = current_database())
       AND classid = 'pg_catalog.pg_class'::regclass AND objid = v AND deptype = 'i'
       AND (objsubid || '/' || refobjid) <> ALL (coalesce(deps, '{}'));
  END IF;
END
$$;

-- out of the extension first, which also takes it off pg_dump's list
ALTER EXTENSION aurora_serverless DROP TABLE aurora_serverless.provisioned_classes_1_0;
DROP TABLE aurora_serverless.provisioned_classes_1_0;

----------------------------------------------------------------------
-- Life cycle: reset() forgets the recorded history
----------------------------------------------------------------------

CREATE FUNCTION aurora_serverless.reset()
RETURNS void
AS 'MODULE_PATHNAME', 'as_reset'
LANGUAGE C VOLATILE PARALLEL UNSAFE;

REVOKE ALL ON FUNCTION aurora_serverless.reset() FROM PUBLIC;

COMMENT ON FUNCTION aurora_serverless.reset() IS
  'Forget the recorded history (samples, scaling events, hourly accounting) when the transaction commits; settings, capacity and alarm definitions stay';

----------------------------------------------------------------------
-- Trust boundaries
----------------------------------------------------------------------

-- The cluster: a superuser removes a reader from the writer's register;
-- stale readers also leave it after cluster_member_expiry.
CREATE FUNCTION aurora_serverless.cluster_remove_reader(instance_name text)
RETURNS void
AS 'MODULE_PATHNAME', 'as_cluster_remove_reader'
LANGUAGE C VOLATILE PARALLEL UNSAFE;

REVOKE ALL ON FUNCTION aurora_serverless.cluster_remove_reader(text) FROM PUBLIC;

COMMENT ON FUNCTION aurora_serverless.cluster_remove_reader(text) IS
  'A writer: remove a reader from the register when the transaction commits (a reader_removed event); its usage stays in the cluster''s totals, and a reader that reports again joins again';
COMMENT ON FUNCTION aurora_serverless.cluster_report(text, int, numeric, text, int, int, bigint, timestamptz, float8, pg_lsn) IS
  'A reader''s report to its writer, called by the reader''s worker after every sample; returns the writer''s name, capacity and state. Grant EXECUTE to the role of primary_conninfo or writer_conninfo, which must have REPLICATION';
COMMENT ON COLUMN aurora_serverless.scaling_events.event IS 'scale_up, scale_down, config_change, config_rejected, startup, role_change, pause_initiated, pause_cancelled, pause, resume_initiated, resume, connection_rejected, scaling_point_search, scaling_point_timeout, rollback, force_apply, alarm, writer_connected, writer_unreachable, reader_joined, reader_stale or reader_removed';
COMMENT ON COLUMN aurora_serverless.cluster.link_error IS 'A reader: why the writer is unreachable (shown to superusers only: libpq''s messages name hosts and users)';

----------------------------------------------------------------------
-- A narrow status
----------------------------------------------------------------------

-- status fits 80 columns in every state it can be in: the widest state,
-- a range of 255.5-256, connections up to PostgreSQL's own limit over the
-- derived 5000, the demand component by a short name, and whole percents
-- (renamed and replaced in place: grants and views on it stay)
ALTER VIEW aurora_serverless.status RENAME COLUMN cpu_pct TO "cpu%";
ALTER VIEW aurora_serverless.status RENAME COLUMN acu_pct TO "acu%";
CREATE OR REPLACE VIEW aurora_serverless.status AS
  SELECT state,
         serverless_database_capacity AS acu,
         target_capacity AS target,
         min_capacity || '-' || max_capacity AS range,
         CASE target_reason WHEN 'connections' THEN 'conns'
                            WHEN 'min_capacity' THEN 'min'
                            WHEN 'max_capacity' THEN 'max'
                            ELSE target_reason END AS why,
         database_connections || '/' || max_connections AS connections,
         least(round(cpu_utilization), 999) AS "cpu%",
         round(acu_utilization) AS "acu%"
    FROM aurora_serverless.get_capacity();
COMMENT ON VIEW aurora_serverless.status IS
  'Capacity now in 80 columns, whatever the state: state, ACU, target, range, why, connections of the limit, CPU and ACU utilization';
COMMENT ON COLUMN aurora_serverless.status.why IS 'What set the target: cpu, memory, conns (connections), min or max (the bounds), or writer';
COMMENT ON COLUMN aurora_serverless.status."cpu%" IS 'CPU used, whole percent of the CPU at max_capacity (CPUUtilization); 999 means 999 or more';
COMMENT ON COLUMN aurora_serverless.status."acu%" IS 'Capacity, whole percent of max_capacity (ACUUtilization)';

----------------------------------------------------------------------
-- The 2026 model
----------------------------------------------------------------------

-- Aurora Serverless v2 as AWS documents it in 2026: platform versions,
-- logical replication enabled, work that a pause cancels (pg_cron,
-- autovacuum).  No new objects; what existing ones say changes.
COMMENT ON FUNCTION aurora_serverless.simulate(jsonb, jsonb) IS
  'Run the capacity policy over synthetic samples and return the trajectory; settings include platform_version ("1" to "4"), samples reader and logical_replication';
COMMENT ON COLUMN aurora_serverless.scaling_events.event IS 'scale_up, scale_down, config_change, config_rejected, startup, role_change, pause_initiated, pause_cancelled, pause, resume_initiated, resume, connection_rejected, scaling_point_search, scaling_point_timeout, rollback, force_apply, alarm, writer_connected, writer_unreachable, reader_joined, reader_stale, reader_removed or work_cancelled (autovacuum or a pg_cron job cancelled as a pause began)';
COMMENT ON VIEW aurora_serverless.pause_blockers IS
  'What keeps the instance from pausing now: logical replication enabled (wal_level = logical) on the writer or a reader in promotion tier 0 or 1, connections whose role is not ignored (not pg_cron jobs), logical replication connections, and the scaling blockers';
COMMENT ON COLUMN aurora_serverless.pause_blockers.pid IS 'Process ID of the session; NULL on a row of no session: auto-pause is off, or logical replication is enabled';
COMMENT ON COLUMN aurora_serverless.pause_blockers.blocker IS 'logical_replication_enabled, auto_pause_off, connection, logical_replication, or a scaling blocker kind';
COMMENT ON VIEW aurora_serverless.scaling_blockers IS
  'One row per kind of blocking construct per session: what keeps Aurora from a scaling point (v1), a pause, or zero-downtime patching; pg_cron jobs, which a pause cancels, are not listed';

----------------------------------------------------------------------
-- The AWS API endpoint: access keys, each mapped to a role
----------------------------------------------------------------------

-- Only superusers read it (secrets), as pg_authid.  Every row is a user's:
-- the extension inserts none, so a dump holds them all and a restore into
-- a fresh CREATE EXTENSION adds them without a conflict.
CREATE TABLE aurora_serverless.api_access_keys (
    access_key_id text PRIMARY KEY
        CHECK (access_key_id ~ '^[A-Za-z0-9_]{1,128}$'),
    secret_access_key text NOT NULL
        CHECK (secret_access_key ~ '^[!-~]{1,128}$'),
    role name NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);
REVOKE ALL ON aurora_serverless.api_access_keys FROM PUBLIC;
SELECT pg_catalog.pg_extension_config_dump('aurora_serverless.api_access_keys', '');

CREATE FUNCTION aurora_serverless.create_api_access_key(
    role name,
    key_id text DEFAULT NULL,
    secret text DEFAULT NULL,
    OUT access_key_id text,
    OUT secret_access_key text)
RETURNS record
AS 'MODULE_PATHNAME', 'as_create_api_access_key'
LANGUAGE C VOLATILE PARALLEL UNSAFE;

CREATE FUNCTION aurora_serverless.drop_api_access_key(key_id text)
RETURNS void
AS 'MODULE_PATHNAME', 'as_drop_api_access_key'
LANGUAGE C VOLATILE PARALLEL UNSAFE;

REVOKE ALL ON FUNCTION aurora_serverless.create_api_access_key(name, text, text) FROM PUBLIC;
REVOKE ALL ON FUNCTION aurora_serverless.drop_api_access_key(text) FROM PUBLIC;

COMMENT ON TABLE aurora_serverless.api_access_keys IS
  'Access keys of the AWS API endpoint, each mapped to the role its requests run as; superusers only';
COMMENT ON COLUMN aurora_serverless.api_access_keys.access_key_id IS 'AWS access key ID (AWS_ACCESS_KEY_ID)';
COMMENT ON COLUMN aurora_serverless.api_access_keys.secret_access_key IS 'AWS secret access key (AWS_SECRET_ACCESS_KEY) that signs requests';
COMMENT ON COLUMN aurora_serverless.api_access_keys.role IS 'The role a request signed with the key runs as: its privileges are the request''s';
COMMENT ON COLUMN aurora_serverless.api_access_keys.created_at IS 'When the key was created';
COMMENT ON FUNCTION aurora_serverless.create_api_access_key(name, text, text) IS
  'Create an access key for the AWS API endpoint, mapped to a role; random ID and secret unless given';
COMMENT ON FUNCTION aurora_serverless.drop_api_access_key(text) IS
  'Drop an access key of the AWS API endpoint';
-- Narrow companions: every view whose SELECT * is wider than a terminal
-- has one named after it with _brief (capacity's is status), that fits 80
-- columns whatever its rows hold.  Times are cut to the second, goals
-- rounded to 0.1 ACU, and long text cut to a fixed width ending in '...';
-- the full view has every value (\x auto in psql shows a wide row as a
-- record).  test/t/041_view_widths.pl fills each with its widest row.
CREATE VIEW aurora_serverless.metrics_brief AS
  SELECT date_trunc('second', sample_time::timestamp) AS sample_time,
         state,
         serverless_database_capacity AS acu,
         target_capacity AS target,
         least(round(cpu_goal, 1), 9999.9) AS cpu,
         least(round(memory_goal, 1), 9999.9) AS memory,
         least(round(connections_goal, 1), 9999.9) AS conns
    FROM aurora_serverless.get_metrics();
COMMENT ON VIEW aurora_serverless.metrics_brief IS
  'The metrics in 80 columns, oldest first: time, state, capacity, target and the ACUs each demand component asks for';
COMMENT ON COLUMN aurora_serverless.metrics_brief.sample_time IS 'Time of the sample, to the second, in the session''s time zone';
COMMENT ON COLUMN aurora_serverless.metrics_brief.state IS 'active, pausing, paused, resuming, or scaling';
COMMENT ON COLUMN aurora_serverless.metrics_brief.acu IS 'Capacity after the sample, in ACUs';
COMMENT ON COLUMN aurora_serverless.metrics_brief.target IS 'Capacity the demand asked for, in ACUs';
COMMENT ON COLUMN aurora_serverless.metrics_brief.cpu IS 'ACUs the CPU demand asked for (cpu_goal), to 0.1; 9999.9 means that or more';
COMMENT ON COLUMN aurora_serverless.metrics_brief.memory IS 'ACUs the working set asked for (memory_goal), to 0.1; 9999.9 means that or more';
COMMENT ON COLUMN aurora_serverless.metrics_brief.conns IS 'ACUs the connections asked for (connections_goal), to 0.1; 9999.9 means that or more';

CREATE VIEW aurora_serverless.scaling_events_brief AS
  SELECT date_trunc('second', event_time::timestamp) AS event_time,
         event,
         to_capacity AS acu,
         CASE WHEN length(reason) > 24 THEN left(reason, 21) || '...'
              ELSE reason END AS reason
    FROM aurora_serverless.get_scaling_events();
COMMENT ON VIEW aurora_serverless.scaling_events_brief IS
  'The scaling events in 80 columns, oldest first: time, event, capacity after it and its reason (the details are in scaling_events)';
COMMENT ON COLUMN aurora_serverless.scaling_events_brief.event_time IS 'When it happened, to the second, in the session''s time zone';
COMMENT ON COLUMN aurora_serverless.scaling_events_brief.event IS 'The event, as in scaling_events';
COMMENT ON COLUMN aurora_serverless.scaling_events_brief.acu IS 'Capacity after the event, in ACUs';
COMMENT ON COLUMN aurora_serverless.scaling_events_brief.reason IS 'What caused it, cut to 24 characters';

CREATE VIEW aurora_serverless.scaling_blockers_brief AS
  SELECT pid,
         CASE WHEN length(usename) > 12 THEN left(usename, 9) || '...'
              ELSE usename END AS usename,
         blocker,
         CASE WHEN length(detail) > 31 THEN left(detail, 28) || '...'
              ELSE detail END AS detail
    FROM aurora_serverless.get_scaling_blockers();
COMMENT ON VIEW aurora_serverless.scaling_blockers_brief IS
  'The scaling blockers in 80 columns: session, role, kind and detail (the hints are in scaling_blockers)';
COMMENT ON COLUMN aurora_serverless.scaling_blockers_brief.pid IS 'Process ID of the session';
COMMENT ON COLUMN aurora_serverless.scaling_blockers_brief.usename IS 'Role of the session, cut to 12 characters';
COMMENT ON COLUMN aurora_serverless.scaling_blockers_brief.blocker IS 'listen, with_hold_cursor, advisory_lock, temp_table, table_lock, long_transaction or long_query';
COMMENT ON COLUMN aurora_serverless.scaling_blockers_brief.detail IS 'The channels, cursors, lock keys or tables, or the age, cut to 31 characters';

CREATE VIEW aurora_serverless.pause_blockers_brief AS
  SELECT pid,
         CASE WHEN length(usename) > 12 THEN left(usename, 9) || '...'
              ELSE usename END AS usename,
         blocker,
         CASE WHEN length(detail) > 31 THEN left(detail, 28) || '...'
              ELSE detail END AS detail
    FROM aurora_serverless.get_pause_blockers();
COMMENT ON VIEW aurora_serverless.pause_blockers_brief IS
  'What keeps the instance from pausing, in 80 columns: session, role, kind and detail (the hints are in pause_blockers)';
COMMENT ON COLUMN aurora_serverless.pause_blockers_brief.pid IS 'Process ID of the session; NULL on the row that says auto-pause is off';
COMMENT ON COLUMN aurora_serverless.pause_blockers_brief.usename IS 'Role of the session, cut to 12 characters';
COMMENT ON COLUMN aurora_serverless.pause_blockers_brief.blocker IS 'connection, logical_replication, auto_pause_off, or a scaling blocker kind';
COMMENT ON COLUMN aurora_serverless.pause_blockers_brief.detail IS 'How long the session has been idle or active, or the construct, cut to 31 characters';

CREATE VIEW aurora_serverless.alarms_brief AS
  SELECT CASE WHEN length(alarm_name) > 24 THEN left(alarm_name, 21) || '...'
              ELSE alarm_name END AS alarm_name,
         metric_name,
         state_value
    FROM aurora_serverless.get_alarms();
COMMENT ON VIEW aurora_serverless.alarms_brief IS
  'The alarms in 80 columns: name, metric and state (definitions and reasons are in alarms)';
COMMENT ON COLUMN aurora_serverless.alarms_brief.alarm_name IS 'AlarmName, cut to 24 characters';
COMMENT ON COLUMN aurora_serverless.alarms_brief.metric_name IS 'MetricName';
COMMENT ON COLUMN aurora_serverless.alarms_brief.state_value IS 'StateValue: OK, ALARM or INSUFFICIENT_DATA';

CREATE VIEW aurora_serverless.cluster_instances_brief AS
  SELECT CASE WHEN length(instance_name) > 20 THEN left(instance_name, 17) || '...'
              ELSE instance_name END AS instance_name,
         role,
         promotion_tier AS tier,
         serverless_database_capacity AS acu,
         state,
         connections AS conns,
         failover_order AS failover
    FROM aurora_serverless.get_cluster_instances();
COMMENT ON VIEW aurora_serverless.cluster_instances_brief IS
  'The instances of the cluster in 80 columns, in the order of cluster_instances';
COMMENT ON COLUMN aurora_serverless.cluster_instances_brief.instance_name IS 'Name of the instance, cut to 20 characters';
COMMENT ON COLUMN aurora_serverless.cluster_instances_brief.role IS 'writer or reader';
COMMENT ON COLUMN aurora_serverless.cluster_instances_brief.tier IS 'AWS PromotionTier';
COMMENT ON COLUMN aurora_serverless.cluster_instances_brief.acu IS 'Capacity at the last report, in ACUs';
COMMENT ON COLUMN aurora_serverless.cluster_instances_brief.state IS 'As in cluster_instances: an instance state, stale or unreachable';
COMMENT ON COLUMN aurora_serverless.cluster_instances_brief.conns IS 'Client connections open at the last report';
COMMENT ON COLUMN aurora_serverless.cluster_instances_brief.failover IS 'Order in which AWS would promote the live readers';

CREATE VIEW aurora_serverless.cluster_brief AS
  SELECT role,
         CASE WHEN length(writer_name) > 20 THEN left(writer_name, 17) || '...'
              ELSE writer_name END AS writer,
         writer_link AS link,
         instances,
         stale_instances AS stale,
         serverless_database_capacity AS acu
    FROM aurora_serverless.get_cluster();
COMMENT ON VIEW aurora_serverless.cluster_brief IS
  'The cluster in 80 columns: this instance''s role, its writer, the link to it, the instances and their average capacity';
COMMENT ON COLUMN aurora_serverless.cluster_brief.role IS 'This instance: writer or reader';
COMMENT ON COLUMN aurora_serverless.cluster_brief.writer IS 'Name of the writer, cut to 20 characters';
COMMENT ON COLUMN aurora_serverless.cluster_brief.link IS 'writer on the writer; on a reader connected, connecting, unreachable or none';
COMMENT ON COLUMN aurora_serverless.cluster_brief.instances IS 'Live instances';
COMMENT ON COLUMN aurora_serverless.cluster_brief.stale IS 'Readers that stopped reporting';
COMMENT ON COLUMN aurora_serverless.cluster_brief.acu IS 'Average capacity over the live instances, as CloudWatch''s cluster-level ServerlessDatabaseCapacity';

CREATE VIEW aurora_serverless.worker_stats_brief AS
  SELECT ticks,
         least(round(mean_tick_us), 9999999) AS mean_us,
         least(round(max_tick_us), 9999999) AS max_us,
         procs_read AS procs,
         cpu_source AS source,
         worker_pid AS pid,
         state_file_failures AS failures
    FROM aurora_serverless.get_worker_stats();
COMMENT ON VIEW aurora_serverless.worker_stats_brief IS
  'The worker''s own cost in 80 columns';
COMMENT ON COLUMN aurora_serverless.worker_stats_brief.ticks IS 'Samples taken since the worker started';
COMMENT ON COLUMN aurora_serverless.worker_stats_brief.mean_us IS 'Mean time of a tick, whole microseconds; 9999999 means that or more';
COMMENT ON COLUMN aurora_serverless.worker_stats_brief.max_us IS 'Longest tick, whole microseconds; 9999999 means that or more';
COMMENT ON COLUMN aurora_serverless.worker_stats_brief.procs IS '/proc entries read at the last tick';
COMMENT ON COLUMN aurora_serverless.worker_stats_brief.source IS 'proc or sessions';
COMMENT ON COLUMN aurora_serverless.worker_stats_brief.pid IS 'Process ID of the worker';
COMMENT ON COLUMN aurora_serverless.worker_stats_brief.failures IS 'Writes of the state file that failed since the server started';

GRANT SELECT ON aurora_serverless.metrics_brief, aurora_serverless.scaling_events_brief,
  aurora_serverless.scaling_blockers_brief, aurora_serverless.pause_blockers_brief,
  aurora_serverless.alarms_brief, aurora_serverless.cluster_instances_brief,
  aurora_serverless.cluster_brief, aurora_serverless.worker_stats_brief TO PUBLIC;

-- provisioned_classes became a view (above), and its notes make it wider
-- than a terminal: its companion cuts the class and the note, and caps the
-- numbers a user may enter (0.1 GiB and a tenth of a cent are kept).
CREATE VIEW aurora_serverless.provisioned_classes_brief AS
  SELECT CASE WHEN length(instance_class) > 16 THEN left(instance_class, 13) || '...'
              ELSE instance_class END AS class,
         least(vcpus, 99999) AS vcpus,
         least(trim_scale(round(memory_gib, 1)), 99999.9) AS gib,
         least(round(hourly_price, 3), 9999.999) AS price,
         CASE WHEN length(note) > 30 THEN left(note, 27) || '...'
              ELSE note END AS note
    FROM aurora_serverless.provisioned_classes;
COMMENT ON VIEW aurora_serverless.provisioned_classes_brief IS
  'The provisioned classes in 80 columns: class, vCPUs, memory, price per hour and note';
COMMENT ON COLUMN aurora_serverless.provisioned_classes_brief.class IS 'DB instance class, cut to 16 characters';
COMMENT ON COLUMN aurora_serverless.provisioned_classes_brief.vcpus IS 'vCPUs of the class; 99999 means that or more';
COMMENT ON COLUMN aurora_serverless.provisioned_classes_brief.gib IS 'Memory of the class, GiB to 0.1; 99999.9 means that or more';
COMMENT ON COLUMN aurora_serverless.provisioned_classes_brief.price IS 'On-demand price per hour, dollars to 0.001; 9999.999 means that or more';
COMMENT ON COLUMN aurora_serverless.provisioned_classes_brief.note IS 'Where the price comes from, cut to 30 characters';
GRANT SELECT ON aurora_serverless.provisioned_classes_brief TO PUBLIC;

----------------------------------------------------------------------
-- SecondsUntilAutoPause with the range, as ModifyDBCluster takes it
----------------------------------------------------------------------

CREATE FUNCTION aurora_serverless.modify_capacity(
    min_capacity numeric,
    max_capacity numeric,
    seconds_until_auto_pause integer)
RETURNS jsonb
AS 'MODULE_PATHNAME', 'as_modify_capacity'
LANGUAGE C VOLATILE PARALLEL UNSAFE;

REVOKE ALL ON FUNCTION aurora_serverless.modify_capacity(numeric, numeric, integer) FROM PUBLIC;

COMMENT ON FUNCTION aurora_serverless.modify_capacity(numeric, numeric, integer) IS
  'Set the scaling range and SecondsUntilAutoPause (NULL: as it is, 1 to 86400 s) as ModifyDBCluster does; applies at commit, survives a restart';

----------------------------------------------------------------------
-- SetAlarmState
----------------------------------------------------------------------

CREATE FUNCTION aurora_serverless.set_alarm_state(
    alarm_name text,
    state_value text,
    state_reason text)
RETURNS void
AS 'MODULE_PATHNAME', 'as_set_alarm_state'
LANGUAGE C VOLATILE PARALLEL UNSAFE;

REVOKE ALL ON FUNCTION aurora_serverless.set_alarm_state(text, text, text) FROM PUBLIC;

COMMENT ON FUNCTION aurora_serverless.set_alarm_state(text, text, text) IS
  'Set an alarm''s state (OK, ALARM or INSUFFICIENT_DATA) and reason until its next evaluation, as aws cloudwatch set-alarm-state; applies at commit, and a change of state is an event and a notification';
