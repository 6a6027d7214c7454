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
