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
