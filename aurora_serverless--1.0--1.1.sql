/* aurora_serverless--1.0--1.1.sql */

\echo Use "ALTER EXTENSION aurora_serverless UPDATE TO '1.1'" to load this file. \quit

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
