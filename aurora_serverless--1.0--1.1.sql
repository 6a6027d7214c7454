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
