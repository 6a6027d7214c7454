/* aurora_serverless--1.0.sql */

-- complain if script is sourced in psql, rather than via CREATE EXTENSION
\echo Use "CREATE EXTENSION aurora_serverless" to load this file. \quit

COMMENT ON SCHEMA aurora_serverless IS
  'Aurora Serverless capacity, scaling, cost and blockers, modelled on this server';

----------------------------------------------------------------------
-- Capacity now
----------------------------------------------------------------------

CREATE FUNCTION aurora_serverless.get_capacity(
    OUT engine_mode text,
    OUT state text,
    OUT role text,
    OUT serverless_database_capacity numeric,
    OUT target_capacity numeric,
    OUT min_capacity numeric,
    OUT max_capacity numeric,
    OUT acu_utilization numeric,
    OUT cpu_utilization numeric,
    OUT database_connections int,
    OUT max_connections int,
    OUT max_connections_basis text,
    OUT memory_gib numeric,
    OUT buffer_pool_gib numeric,
    OUT working_set_gib numeric,
    OUT working_set_fits boolean,
    OUT freeable_memory bigint,
    OUT busy_vcpus numeric,
    OUT cpu_goal numeric,
    OUT memory_goal numeric,
    OUT connections_goal numeric,
    OUT last_sample_at timestamptz,
    OUT last_scaling_at timestamptz,
    OUT worker_pid int,
    OUT auto_pause boolean,
    OUT seconds_until_auto_pause int,
    OUT paused_since timestamptz,
    OUT cpu_enforced boolean,
    OUT cpu_limit_vcpus numeric,
    OUT target_reason text,
    OUT server_max_connections int)
RETURNS record
AS 'MODULE_PATHNAME', 'as_get_capacity'
LANGUAGE C STRICT VOLATILE PARALLEL SAFE;

CREATE VIEW aurora_serverless.capacity AS
  SELECT * FROM aurora_serverless.get_capacity();

-- The same, narrow enough for a terminal: what capacity, why, how close
-- to the limits.
CREATE VIEW aurora_serverless.status AS
  SELECT state,
         serverless_database_capacity AS acu,
         target_capacity AS target,
         min_capacity || '-' || max_capacity AS range,
         target_reason AS why,
         database_connections || '/' || max_connections AS connections,
         cpu_utilization AS cpu_pct,
         acu_utilization AS acu_pct
    FROM aurora_serverless.get_capacity();

----------------------------------------------------------------------
-- Metrics ring, one row per sample
----------------------------------------------------------------------

CREATE FUNCTION aurora_serverless.get_metrics(
    OUT sample_time timestamptz,
    OUT serverless_database_capacity numeric,
    OUT target_capacity numeric,
    OUT acu_utilization numeric,
    OUT cpu_utilization numeric,
    OUT database_connections int,
    OUT max_connections int,
    OUT cpu_goal numeric,
    OUT memory_goal numeric,
    OUT connections_goal numeric,
    OUT busy_vcpus numeric,
    OUT working_set_gib numeric,
    OUT state text,
    OUT min_capacity numeric,
    OUT max_capacity numeric,
    OUT awake_connections int,
    OUT rejected_connections int,
    OUT interval_seconds numeric,
    OUT acu_seconds numeric,
    OUT throttled_vcpus numeric,
    OUT cpu_limit_vcpus numeric)
RETURNS SETOF record
AS 'MODULE_PATHNAME', 'as_get_metrics'
LANGUAGE C STRICT VOLATILE PARALLEL SAFE;

CREATE VIEW aurora_serverless.metrics AS
  SELECT * FROM aurora_serverless.get_metrics();

----------------------------------------------------------------------
-- Scaling events
----------------------------------------------------------------------

CREATE FUNCTION aurora_serverless.get_scaling_events(
    OUT event_time timestamptz,
    OUT event text,
    OUT from_capacity numeric,
    OUT to_capacity numeric,
    OUT reason text,
    OUT detail text,
    OUT rds_event_id text)
RETURNS SETOF record
AS 'MODULE_PATHNAME', 'as_get_scaling_events'
LANGUAGE C STRICT VOLATILE PARALLEL SAFE;

CREATE VIEW aurora_serverless.scaling_events AS
  SELECT * FROM aurora_serverless.get_scaling_events();

----------------------------------------------------------------------
-- The worker's own cost
----------------------------------------------------------------------

CREATE FUNCTION aurora_serverless.get_worker_stats(
    OUT ticks bigint,
    OUT mean_tick_us numeric,
    OUT max_tick_us numeric,
    OUT last_tick_us numeric,
    OUT last_tick_at timestamptz,
    OUT procs_read int,
    OUT cpu_source text,
    OUT worker_pid int,
    OUT state_file_failures bigint)
RETURNS record
AS 'MODULE_PATHNAME', 'as_get_worker_stats'
LANGUAGE C STRICT VOLATILE PARALLEL SAFE;

CREATE VIEW aurora_serverless.worker_stats AS
  SELECT * FROM aurora_serverless.get_worker_stats();

----------------------------------------------------------------------
-- Sessions that block a scaling point or a pause
----------------------------------------------------------------------

CREATE FUNCTION aurora_serverless.get_scaling_blockers(
    OUT pid int,
    OUT usename text,
    OUT datname text,
    OUT application_name text,
    OUT blocker text,
    OUT detail text,
    OUT since timestamptz,
    OUT hint text)
RETURNS SETOF record
AS 'MODULE_PATHNAME', 'as_get_scaling_blockers'
LANGUAGE C STRICT VOLATILE PARALLEL SAFE;

CREATE VIEW aurora_serverless.scaling_blockers AS
  SELECT * FROM aurora_serverless.get_scaling_blockers();

CREATE FUNCTION aurora_serverless.get_pause_blockers(
    OUT pid int,
    OUT usename text,
    OUT datname text,
    OUT application_name text,
    OUT blocker text,
    OUT detail text,
    OUT since timestamptz,
    OUT hint text)
RETURNS SETOF record
AS 'MODULE_PATHNAME', 'as_get_pause_blockers'
LANGUAGE C STRICT VOLATILE PARALLEL SAFE;

CREATE VIEW aurora_serverless.pause_blockers AS
  SELECT * FROM aurora_serverless.get_pause_blockers();

----------------------------------------------------------------------
-- Functions
----------------------------------------------------------------------

CREATE FUNCTION aurora_serverless.get_metric_statistics(
    metric_name text,
    start_time timestamptz,
    end_time timestamptz,
    period int,
    statistics text[],
    OUT "timestamp" timestamptz,
    OUT average numeric,
    OUT maximum numeric,
    OUT minimum numeric,
    OUT sum numeric,
    OUT sample_count numeric,
    OUT unit text)
RETURNS SETOF record
AS 'MODULE_PATHNAME', 'as_get_metric_statistics'
LANGUAGE C VOLATILE PARALLEL SAFE;

CREATE FUNCTION aurora_serverless.chart(
    metric text DEFAULT 'serverless_database_capacity',
    since timestamptz DEFAULT now() - interval '1 hour',
    until timestamptz DEFAULT now(),
    width int DEFAULT 72)
RETURNS SETOF text
AS 'MODULE_PATHNAME', 'as_chart'
LANGUAGE C VOLATILE PARALLEL SAFE;

CREATE FUNCTION aurora_serverless.report(
    since timestamptz DEFAULT now() - interval '1 hour',
    until timestamptz DEFAULT now())
RETURNS text
AS 'MODULE_PATHNAME', 'as_report'
LANGUAGE C VOLATILE PARALLEL SAFE;

CREATE FUNCTION aurora_serverless.put_metric_alarm(
    alarm_name text,
    metric_name text,
    statistic text,
    period int,
    evaluation_periods int,
    threshold numeric,
    comparison_operator text)
RETURNS void
AS 'MODULE_PATHNAME', 'as_put_metric_alarm'
LANGUAGE C VOLATILE PARALLEL UNSAFE;

CREATE FUNCTION aurora_serverless.delete_alarms(alarm_names text[])
RETURNS void
AS 'MODULE_PATHNAME', 'as_delete_alarms'
LANGUAGE C VOLATILE PARALLEL UNSAFE;

CREATE FUNCTION aurora_serverless.get_alarms(
    OUT alarm_name text,
    OUT metric_name text,
    OUT statistic text,
    OUT period int,
    OUT evaluation_periods int,
    OUT threshold numeric,
    OUT comparison_operator text,
    OUT state_value text,
    OUT state_reason text,
    OUT state_updated_timestamp timestamptz)
RETURNS SETOF record
AS 'MODULE_PATHNAME', 'as_get_alarms'
LANGUAGE C STRICT VOLATILE PARALLEL SAFE;

CREATE VIEW aurora_serverless.alarms AS
  SELECT * FROM aurora_serverless.get_alarms();

CREATE FUNCTION aurora_serverless.describe()
RETURNS jsonb
AS 'MODULE_PATHNAME', 'as_describe'
LANGUAGE C STRICT VOLATILE PARALLEL SAFE;

CREATE FUNCTION aurora_serverless.max_connections_for(
    max_capacity numeric,
    min_capacity numeric DEFAULT 1)
RETURNS int
AS 'MODULE_PATHNAME', 'as_max_connections_for_sql'
LANGUAGE C VOLATILE PARALLEL SAFE;

CREATE FUNCTION aurora_serverless.buffer_pool_for(capacity numeric)
RETURNS numeric
AS 'MODULE_PATHNAME', 'as_buffer_pool_for_sql'
LANGUAGE C STRICT IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION aurora_serverless.modify_capacity(
    min_capacity numeric,
    max_capacity numeric)
RETURNS jsonb
AS 'MODULE_PATHNAME', 'as_modify_capacity'
LANGUAGE C VOLATILE PARALLEL UNSAFE;

CREATE FUNCTION aurora_serverless.modify_current_capacity(
    capacity numeric,
    seconds_before_timeout int DEFAULT NULL,
    timeout_action text DEFAULT NULL)
RETURNS jsonb
AS 'MODULE_PATHNAME', 'as_modify_current_capacity'
LANGUAGE C VOLATILE PARALLEL UNSAFE;

CREATE FUNCTION aurora_serverless.pause()
RETURNS jsonb
AS 'MODULE_PATHNAME', 'as_pause'
LANGUAGE C VOLATILE PARALLEL UNSAFE;

CREATE FUNCTION aurora_serverless.resume()
RETURNS jsonb
AS 'MODULE_PATHNAME', 'as_resume'
LANGUAGE C VOLATILE PARALLEL UNSAFE;

CREATE FUNCTION aurora_serverless.simulate(
    samples jsonb,
    settings jsonb DEFAULT '{}',
    OUT step int,
    OUT t numeric,
    OUT cpu numeric,
    OUT memory_gib numeric,
    OUT connections int,
    OUT blocked boolean,
    OUT min_capacity numeric,
    OUT max_capacity numeric,
    OUT cpu_goal numeric,
    OUT memory_goal numeric,
    OUT connections_goal numeric,
    OUT target_capacity numeric,
    OUT serverless_database_capacity numeric,
    OUT state text,
    OUT events text,
    OUT reason text,
    OUT held_capacity numeric,
    OUT acu_seconds numeric)
RETURNS SETOF record
AS 'MODULE_PATHNAME', 'as_simulate'
LANGUAGE C VOLATILE PARALLEL SAFE;

----------------------------------------------------------------------
-- Cost, replay and advice
----------------------------------------------------------------------

CREATE FUNCTION aurora_serverless.usage(
    since timestamptz DEFAULT now() - interval '1 day',
    until timestamptz DEFAULT now(),
    OUT acu_hours numeric,
    OUT estimated_cost numeric,
    OUT avg_capacity numeric,
    OUT peak_capacity numeric,
    OUT seconds_at_max numeric,
    OUT seconds_paused numeric,
    OUT seconds numeric,
    OUT seconds_underprovisioned numeric,
    OUT samples bigint,
    OUT acu_hour_price numeric)
RETURNS record
AS 'MODULE_PATHNAME', 'as_usage'
LANGUAGE C VOLATILE PARALLEL SAFE;

CREATE FUNCTION aurora_serverless.usage_hourly(
    since timestamptz DEFAULT now() - interval '1 day',
    until timestamptz DEFAULT now(),
    OUT hour timestamptz,
    OUT acu_hours numeric,
    OUT estimated_cost numeric,
    OUT avg_capacity numeric,
    OUT peak_capacity numeric,
    OUT seconds_at_max numeric,
    OUT seconds_paused numeric,
    OUT seconds numeric)
RETURNS SETOF record
AS 'MODULE_PATHNAME', 'as_usage_hourly'
LANGUAGE C VOLATILE PARALLEL SAFE;

CREATE FUNCTION aurora_serverless.replay(
    min_capacity numeric,
    max_capacity numeric,
    engine_mode text DEFAULT 'v2',
    since timestamptz DEFAULT NULL,
    OUT acu_hours numeric,
    OUT estimated_cost numeric,
    OUT avg_capacity numeric,
    OUT peak_capacity numeric,
    OUT seconds_at_max numeric,
    OUT seconds_underprovisioned numeric,
    OUT seconds_paused numeric,
    OUT scale_ups int,
    OUT scale_downs int,
    OUT samples bigint)
RETURNS record
AS 'MODULE_PATHNAME', 'as_replay'
LANGUAGE C VOLATILE PARALLEL SAFE;

CREATE FUNCTION aurora_serverless.replay_trajectory(
    min_capacity numeric,
    max_capacity numeric,
    engine_mode text DEFAULT 'v2',
    since timestamptz DEFAULT NULL,
    OUT sample_time timestamptz,
    OUT cpu_goal numeric,
    OUT memory_goal numeric,
    OUT connections_goal numeric,
    OUT target_capacity numeric,
    OUT serverless_database_capacity numeric,
    OUT recorded_capacity numeric,
    OUT state text,
    OUT events text,
    OUT reason text)
RETURNS SETOF record
AS 'MODULE_PATHNAME', 'as_replay_trajectory'
LANGUAGE C VOLATILE PARALLEL SAFE;

CREATE FUNCTION aurora_serverless.recommend(
    avoid_all_lag boolean DEFAULT false,
    min_history interval DEFAULT '1 hour',
    OUT setting text,
    OUT current_value text,
    OUT recommended_value text,
    OUT reason text)
RETURNS SETOF record
AS 'MODULE_PATHNAME', 'as_recommend'
LANGUAGE C VOLATILE PARALLEL SAFE;

-- Provisioned instance classes to compare with.  Prices are Aurora
-- PostgreSQL on-demand list prices (Standard storage, us-east-1) as AWS
-- published them; edit the table for your region, storage and date.
CREATE TABLE aurora_serverless.provisioned_classes (
    instance_class text PRIMARY KEY,
    vcpus int NOT NULL CHECK (vcpus > 0),
    memory_gib numeric NOT NULL CHECK (memory_gib > 0),
    hourly_price numeric NOT NULL CHECK (hourly_price >= 0),
    note text
);

INSERT INTO aurora_serverless.provisioned_classes VALUES
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

-- user edits survive pg_dump
SELECT pg_catalog.pg_extension_config_dump('aurora_serverless.provisioned_classes', '');

CREATE FUNCTION aurora_serverless.compare_provisioned(
    hours_per_month numeric DEFAULT 730)
RETURNS TABLE (
    instance_class text,
    vcpus int,
    memory_gib numeric,
    fits_peak boolean,
    provisioned_monthly_cost numeric,
    serverless_monthly_cost numeric,
    difference numeric,
    cheaper text,
    breakeven_avg_capacity numeric)
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  u record;
  monthly numeric;
BEGIN
  IF hours_per_month IS NULL THEN
    RAISE EXCEPTION 'hours_per_month must not be null'
      USING ERRCODE = 'null_value_not_allowed',
            HINT = 'A month of 24-hour days is 730 hours on average.';
  END IF;
  IF hours_per_month = 'NaN'::numeric
     OR hours_per_month <= 0 OR hours_per_month > 744 THEN
    RAISE EXCEPTION 'hours_per_month must be greater than 0 and at most 744'
      USING ERRCODE = 'invalid_parameter_value',
            DETAIL = format('Got %s.', coalesce(hours_per_month::text, 'NULL')),
            HINT = 'A month of 24-hour days is 730 hours on average.';
  END IF;
  SELECT * INTO u FROM aurora_serverless.usage('-infinity', 'infinity');
  IF u.seconds = 0 THEN
    RAISE EXCEPTION 'no usage recorded yet'
      USING ERRCODE = 'object_not_in_prerequisite_state',
            HINT = 'Let the worker record some load first.';
  END IF;
  monthly := round((u.avg_capacity * hours_per_month * u.acu_hour_price)::numeric, 2);
  RETURN QUERY
    SELECT c.instance_class, c.vcpus, c.memory_gib,
           c.memory_gib >= u.peak_capacity * 2,
           round(c.hourly_price * hours_per_month, 2),
           monthly,
           round(c.hourly_price * hours_per_month, 2) - monthly,
           CASE WHEN c.hourly_price * hours_per_month < monthly THEN 'provisioned'
                ELSE 'serverless' END,
           CASE WHEN u.acu_hour_price > 0
                THEN round(c.hourly_price / u.acu_hour_price::numeric, 2) END
      FROM aurora_serverless.provisioned_classes c
     ORDER BY c.hourly_price, c.instance_class;
END
$$;

----------------------------------------------------------------------
-- The cluster: a writer and the readers (hot standbys) that report to it
----------------------------------------------------------------------

CREATE FUNCTION aurora_serverless.cluster_report(
    instance_name text,
    promotion_tier int,
    capacity numeric,
    state text,
    connections int,
    awake_connections int,
    arrivals bigint,
    run_started_at timestamptz,
    acu_seconds float8,
    replay_lsn pg_lsn,
    OUT writer_name text,
    OUT writer_capacity numeric,
    OUT writer_state text)
RETURNS record
AS 'MODULE_PATHNAME', 'as_cluster_report'
LANGUAGE C VOLATILE PARALLEL UNSAFE;

CREATE FUNCTION aurora_serverless.get_cluster_instances(
    OUT instance_name text,
    OUT role text,
    OUT promotion_tier int,
    OUT serverless_database_capacity numeric,
    OUT state text,
    OUT connections int,
    OUT last_report_at timestamptz,
    OUT replication_lag_bytes numeric,
    OUT acu_hours numeric,
    OUT usage_since timestamptz,
    OUT failover_order int)
RETURNS SETOF record
AS 'MODULE_PATHNAME', 'as_get_cluster_instances'
LANGUAGE C STRICT VOLATILE PARALLEL SAFE;

CREATE VIEW aurora_serverless.cluster_instances AS
  SELECT * FROM aurora_serverless.get_cluster_instances();

CREATE FUNCTION aurora_serverless.get_cluster(
    OUT instance_name text,
    OUT role text,
    OUT writer_name text,
    OUT writer_link text,
    OUT last_contact_at timestamptz,
    OUT link_error text,
    OUT instances int,
    OUT stale_instances int,
    OUT serverless_database_capacity numeric,
    OUT total_capacity numeric,
    OUT acu_hours numeric,
    OUT estimated_cost numeric)
RETURNS record
AS 'MODULE_PATHNAME', 'as_get_cluster'
LANGUAGE C STRICT VOLATILE PARALLEL SAFE;

CREATE VIEW aurora_serverless.cluster AS
  SELECT * FROM aurora_serverless.get_cluster();

----------------------------------------------------------------------
-- Privileges: reading is for everyone, changing is not
----------------------------------------------------------------------

REVOKE ALL ON FUNCTION aurora_serverless.modify_capacity(numeric, numeric) FROM PUBLIC;
REVOKE ALL ON FUNCTION aurora_serverless.modify_current_capacity(numeric, int, text) FROM PUBLIC;
REVOKE ALL ON FUNCTION aurora_serverless.pause() FROM PUBLIC;
REVOKE ALL ON FUNCTION aurora_serverless.resume() FROM PUBLIC;
REVOKE ALL ON FUNCTION aurora_serverless.put_metric_alarm(text, text, text, int, int, numeric, text) FROM PUBLIC;
REVOKE ALL ON FUNCTION aurora_serverless.delete_alarms(text[]) FROM PUBLIC;
REVOKE ALL ON FUNCTION aurora_serverless.cluster_report(text, int, numeric, text, int, int, bigint, timestamptz, float8, pg_lsn) FROM PUBLIC;

GRANT USAGE ON SCHEMA aurora_serverless TO PUBLIC;
GRANT SELECT ON aurora_serverless.capacity, aurora_serverless.status, aurora_serverless.metrics,
  aurora_serverless.alarms, aurora_serverless.cluster, aurora_serverless.cluster_instances,
  aurora_serverless.scaling_events, aurora_serverless.worker_stats,
  aurora_serverless.scaling_blockers, aurora_serverless.pause_blockers,
  aurora_serverless.provisioned_classes TO PUBLIC;

----------------------------------------------------------------------
-- Comments
----------------------------------------------------------------------

COMMENT ON FUNCTION aurora_serverless.get_capacity() IS
  'One row: the capacity and demand now; backs the capacity view';
COMMENT ON VIEW aurora_serverless.capacity IS
  'Capacity now: ACUs, limits, utilization, connections and the demand behind them';
COMMENT ON COLUMN aurora_serverless.capacity.engine_mode IS 'Engine mode modelled: v2 or v1';
COMMENT ON COLUMN aurora_serverless.capacity.state IS 'active, pausing, paused, resuming, or scaling (v1: searching for a scaling point)';
COMMENT ON COLUMN aurora_serverless.capacity.role IS 'writer, or reader on a hot standby';
COMMENT ON COLUMN aurora_serverless.capacity.serverless_database_capacity IS 'Capacity now, in ACUs (CloudWatch ServerlessDatabaseCapacity)';
COMMENT ON COLUMN aurora_serverless.capacity.target_capacity IS 'Capacity the demand asks for, in ACUs, within min and max';
COMMENT ON COLUMN aurora_serverless.capacity.min_capacity IS 'MinCapacity in force, in ACUs';
COMMENT ON COLUMN aurora_serverless.capacity.max_capacity IS 'MaxCapacity in force, in ACUs';
COMMENT ON COLUMN aurora_serverless.capacity.acu_utilization IS 'Capacity as a percent of max_capacity (CloudWatch ACUUtilization)';
COMMENT ON COLUMN aurora_serverless.capacity.cpu_utilization IS 'Busy CPU as a percent of the CPU at max_capacity (CloudWatch CPUUtilization)';
COMMENT ON COLUMN aurora_serverless.capacity.database_connections IS 'Client connections open at the last sample (CloudWatch DatabaseConnections)';
COMMENT ON COLUMN aurora_serverless.capacity.max_connections IS 'Aurora''s derived max_connections in force, on the configured basis: on the max_capacity basis evaluated at server start (a new max applies at the next restart; describe() shows it pending)';
COMMENT ON COLUMN aurora_serverless.capacity.max_connections_basis IS 'max_capacity (as AWS documents) or current_capacity';
COMMENT ON COLUMN aurora_serverless.capacity.memory_gib IS 'Memory of the current capacity: 2 GiB per ACU';
COMMENT ON COLUMN aurora_serverless.capacity.buffer_pool_gib IS 'Buffer pool Aurora would give the current capacity';
COMMENT ON COLUMN aurora_serverless.capacity.working_set_gib IS 'Shared buffers in use plus backends'' private memory';
COMMENT ON COLUMN aurora_serverless.capacity.working_set_fits IS 'Whether buffers in use fit the buffer pool and private memory the rest';
COMMENT ON COLUMN aurora_serverless.capacity.freeable_memory IS 'Bytes unused at max_capacity (CloudWatch FreeableMemory)';
COMMENT ON COLUMN aurora_serverless.capacity.busy_vcpus IS 'CPUs the server wanted at the last sample: CPU time used, plus what a CPU limit held back';
COMMENT ON COLUMN aurora_serverless.capacity.cpu_goal IS 'ACUs the CPU demand asks for';
COMMENT ON COLUMN aurora_serverless.capacity.memory_goal IS 'ACUs the working set asks for';
COMMENT ON COLUMN aurora_serverless.capacity.connections_goal IS 'ACUs the open connections ask for';
COMMENT ON COLUMN aurora_serverless.capacity.last_sample_at IS 'Time of the last sample';
COMMENT ON COLUMN aurora_serverless.capacity.last_scaling_at IS 'Time of the last scale_up or scale_down';
COMMENT ON COLUMN aurora_serverless.capacity.worker_pid IS 'Process ID of the worker, NULL when it is not running';
COMMENT ON COLUMN aurora_serverless.capacity.auto_pause IS 'Whether the instance pauses when idle (v2: min_capacity 0; v1: auto_pause)';
COMMENT ON COLUMN aurora_serverless.capacity.seconds_until_auto_pause IS 'Seconds with no connection before a pause (AWS SecondsUntilAutoPause)';
COMMENT ON COLUMN aurora_serverless.capacity.paused_since IS 'When the instance paused, NULL unless state is paused';
COMMENT ON COLUMN aurora_serverless.capacity.cpu_enforced IS 'Whether the server''s CPU is limited to what the capacity buys (enforce_cpu, with a cgroup the server may write)';
COMMENT ON COLUMN aurora_serverless.capacity.target_reason IS 'What set the target at the last sample: cpu, memory or connections, or the min_capacity or max_capacity bound';
COMMENT ON COLUMN aurora_serverless.capacity.server_max_connections IS 'PostgreSQL''s own max_connections: below max_connections, PostgreSQL refuses connections the model of Aurora allows';
COMMENT ON VIEW aurora_serverless.status IS
  'Capacity now in a terminal''s width: state, ACU, target, range, why, connections of the limit, CPU and ACU utilization';
COMMENT ON COLUMN aurora_serverless.status.state IS 'active, pausing, paused, resuming or scaling';
COMMENT ON COLUMN aurora_serverless.status.acu IS 'Capacity now, in ACUs (ServerlessDatabaseCapacity)';
COMMENT ON COLUMN aurora_serverless.status.target IS 'Capacity the demand asks for, in ACUs';
COMMENT ON COLUMN aurora_serverless.status.range IS 'min_capacity-max_capacity in force';
COMMENT ON COLUMN aurora_serverless.status.why IS 'What set the target: cpu, memory, connections, min_capacity or max_capacity';
COMMENT ON COLUMN aurora_serverless.status.connections IS 'Client connections open / the derived max_connections in force';
COMMENT ON COLUMN aurora_serverless.status.cpu_pct IS 'CPU used, percent of the CPU at max_capacity (CPUUtilization)';
COMMENT ON COLUMN aurora_serverless.status.acu_pct IS 'Capacity, percent of max_capacity (ACUUtilization)';
COMMENT ON FUNCTION aurora_serverless.get_metric_statistics(text, timestamptz, timestamptz, int, text[]) IS
  'CloudWatch GetMetricStatistics over the recorded samples: one row per period with samples';
COMMENT ON FUNCTION aurora_serverless.chart(text, timestamptz, timestamptz, int) IS
  'A text chart of a metric over a window, in width columns, one row per line';
COMMENT ON FUNCTION aurora_serverless.report(timestamptz, timestamptz) IS
  'One self-contained HTML page: capacity, connections and CPU on one time axis, with events, pauses, usage and cost';
COMMENT ON COLUMN aurora_serverless.capacity.cpu_limit_vcpus IS 'The CPU limit in force, vCPUs (capacity x vcpus_per_acu, at most the machine''s CPUs); NULL when not enforced';

COMMENT ON FUNCTION aurora_serverless.get_metrics() IS
  'The metrics ring, oldest first; backs the metrics view';
COMMENT ON VIEW aurora_serverless.metrics IS
  'One row per sample, oldest first, kept in a ring of aurora_serverless.metrics_history samples';
COMMENT ON COLUMN aurora_serverless.metrics.sample_time IS 'Time of the sample';
COMMENT ON COLUMN aurora_serverless.metrics.serverless_database_capacity IS 'Capacity after the sample, in ACUs';
COMMENT ON COLUMN aurora_serverless.metrics.target_capacity IS 'Capacity the demand asked for, in ACUs';
COMMENT ON COLUMN aurora_serverless.metrics.acu_utilization IS 'Capacity as a percent of max_capacity';
COMMENT ON COLUMN aurora_serverless.metrics.cpu_utilization IS 'Busy CPU as a percent of the CPU at max_capacity';
COMMENT ON COLUMN aurora_serverless.metrics.database_connections IS 'Client connections open';
COMMENT ON COLUMN aurora_serverless.metrics.max_connections IS 'Derived max_connections on the configured basis';
COMMENT ON COLUMN aurora_serverless.metrics.cpu_goal IS 'ACUs the CPU demand asked for';
COMMENT ON COLUMN aurora_serverless.metrics.memory_goal IS 'ACUs the working set asked for';
COMMENT ON COLUMN aurora_serverless.metrics.connections_goal IS 'ACUs the connections asked for';
COMMENT ON COLUMN aurora_serverless.metrics.busy_vcpus IS 'CPUs the server wanted over the sample interval: CPU time used, plus what a CPU limit held back';
COMMENT ON COLUMN aurora_serverless.metrics.working_set_gib IS 'Shared buffers in use plus private memory, GiB';
COMMENT ON COLUMN aurora_serverless.metrics.state IS 'active, pausing, paused, resuming, or scaling';
COMMENT ON COLUMN aurora_serverless.metrics.min_capacity IS 'MinCapacity in force at the sample';
COMMENT ON COLUMN aurora_serverless.metrics.max_capacity IS 'MaxCapacity in force at the sample';
COMMENT ON COLUMN aurora_serverless.metrics.awake_connections IS 'Connections that keep the instance from pausing (roles not in pause_ignore_roles)';
COMMENT ON COLUMN aurora_serverless.metrics.interval_seconds IS 'Seconds since the previous sample (0 for the first after a start)';
COMMENT ON COLUMN aurora_serverless.metrics.acu_seconds IS 'ACU-seconds billed for the interval: the capacity held over it times its length, 0 while paused';
COMMENT ON COLUMN aurora_serverless.metrics.throttled_vcpus IS 'CPU demand the CPU limit held back over the interval (the cgroup''s throttled time), part of busy_vcpus';
COMMENT ON COLUMN aurora_serverless.metrics.cpu_limit_vcpus IS 'The CPU limit in force during the interval, vCPUs; NULL when not enforced';
COMMENT ON COLUMN aurora_serverless.metrics.rejected_connections IS 'Connections refused by enforce_max_connections since the previous sample';

COMMENT ON FUNCTION aurora_serverless.get_scaling_events() IS
  'The events ring, oldest first; backs the scaling_events view';
COMMENT ON VIEW aurora_serverless.scaling_events IS
  'Scaling and configuration events, oldest first, kept in a ring of aurora_serverless.events_history events';
COMMENT ON COLUMN aurora_serverless.scaling_events.event_time IS 'When it happened';
COMMENT ON COLUMN aurora_serverless.scaling_events.event IS 'scale_up, scale_down, config_change, config_rejected, startup, role_change, pause_initiated, pause_cancelled, pause, resume_initiated, resume, connection_rejected, scaling_point_search, scaling_point_timeout, rollback, force_apply, alarm, writer_connected, writer_unreachable, reader_joined or reader_stale';
COMMENT ON COLUMN aurora_serverless.scaling_events.from_capacity IS 'Capacity before, in ACUs';
COMMENT ON COLUMN aurora_serverless.scaling_events.to_capacity IS 'Capacity after, in ACUs';
COMMENT ON COLUMN aurora_serverless.scaling_events.reason IS 'What caused it: a demand component, a setting, or who changed the configuration';
COMMENT ON COLUMN aurora_serverless.scaling_events.detail IS 'The numbers behind it';
COMMENT ON COLUMN aurora_serverless.scaling_events.rds_event_id IS 'The RDS event identifier AWS emits for it (RDS-EVENT-0370 .. 0374 for the steps of a pause and a resume), NULL where AWS has none';

COMMENT ON FUNCTION aurora_serverless.get_worker_stats() IS
  'The worker''s own cost; backs the worker_stats view';
COMMENT ON VIEW aurora_serverless.worker_stats IS
  'What each tick of the worker costs';
COMMENT ON COLUMN aurora_serverless.worker_stats.ticks IS 'Samples taken since the worker started';
COMMENT ON COLUMN aurora_serverless.worker_stats.mean_tick_us IS 'Mean time of a tick, microseconds';
COMMENT ON COLUMN aurora_serverless.worker_stats.max_tick_us IS 'Longest tick, microseconds';
COMMENT ON COLUMN aurora_serverless.worker_stats.last_tick_us IS 'Last tick, microseconds';
COMMENT ON COLUMN aurora_serverless.worker_stats.last_tick_at IS 'When the last tick ended';
COMMENT ON COLUMN aurora_serverless.worker_stats.procs_read IS '/proc entries read at the last tick';
COMMENT ON COLUMN aurora_serverless.worker_stats.cpu_source IS 'proc (CPU time from /proc) or sessions (sessions on CPU)';
COMMENT ON COLUMN aurora_serverless.worker_stats.worker_pid IS 'Process ID of the worker';
COMMENT ON COLUMN aurora_serverless.worker_stats.state_file_failures IS 'Writes of the state file that failed since the server started (a full disk, say); the first of a run is logged';

COMMENT ON FUNCTION aurora_serverless.describe() IS
  'The cluster as describe-db-clusters would show it: scaling configuration and capacity now';
COMMENT ON FUNCTION aurora_serverless.max_connections_for(numeric, numeric) IS
  'Aurora PostgreSQL''s default max_connections for a Serverless v2 max (and min) capacity';
COMMENT ON FUNCTION aurora_serverless.buffer_pool_for(numeric) IS
  'GiB of buffer pool Aurora PostgreSQL gives a Serverless v2 instance of that capacity, as measured (interpolated between measurements)';
COMMENT ON FUNCTION aurora_serverless.modify_capacity(numeric, numeric) IS
  'Set min_capacity and max_capacity as ModifyDBCluster does; applies at commit and survives a restart';
COMMENT ON FUNCTION aurora_serverless.simulate(jsonb, jsonb) IS
  'Run the capacity policy over synthetic samples and return the trajectory';

COMMENT ON FUNCTION aurora_serverless.get_scaling_blockers() IS
  'Sessions whose constructs block a scaling point or a pause; backs the scaling_blockers view';
COMMENT ON VIEW aurora_serverless.scaling_blockers IS
  'One row per kind of blocking construct per session: what keeps Aurora from a scaling point (v1), a pause, or zero-downtime patching';
COMMENT ON COLUMN aurora_serverless.scaling_blockers.pid IS 'Process ID of the session';
COMMENT ON COLUMN aurora_serverless.scaling_blockers.usename IS 'Role of the session';
COMMENT ON COLUMN aurora_serverless.scaling_blockers.datname IS 'Database of the session';
COMMENT ON COLUMN aurora_serverless.scaling_blockers.application_name IS 'application_name of the session';
COMMENT ON COLUMN aurora_serverless.scaling_blockers.blocker IS 'listen, with_hold_cursor, advisory_lock, temp_table, table_lock, long_transaction or long_query';
COMMENT ON COLUMN aurora_serverless.scaling_blockers.detail IS 'The channels, cursors, lock keys or tables, or the age; hidden as in pg_stat_activity';
COMMENT ON COLUMN aurora_serverless.scaling_blockers.since IS 'When the construct appeared';
COMMENT ON COLUMN aurora_serverless.scaling_blockers.hint IS 'What to do instead';
COMMENT ON FUNCTION aurora_serverless.modify_current_capacity(numeric, int, text) IS
  'v1: set the capacity now as ModifyCurrentDBClusterCapacity does, searching for a scaling point first';

COMMENT ON FUNCTION aurora_serverless.get_pause_blockers() IS
  'What keeps the instance from pausing now; backs the pause_blockers view';
COMMENT ON VIEW aurora_serverless.pause_blockers IS
  'What keeps the instance from pausing now: connections whose role is not ignored, and the scaling blockers';
COMMENT ON COLUMN aurora_serverless.pause_blockers.pid IS 'Process ID of the session; NULL on the row that says auto-pause is off';
COMMENT ON COLUMN aurora_serverless.pause_blockers.usename IS 'Role of the session';
COMMENT ON COLUMN aurora_serverless.pause_blockers.datname IS 'Database of the session';
COMMENT ON COLUMN aurora_serverless.pause_blockers.application_name IS 'application_name of the session';
COMMENT ON COLUMN aurora_serverless.pause_blockers.blocker IS 'connection, auto_pause_off, or a scaling blocker kind';
COMMENT ON COLUMN aurora_serverless.pause_blockers.detail IS 'How long the session has been idle or active, or the construct; hidden as in pg_stat_activity';
COMMENT ON COLUMN aurora_serverless.pause_blockers.since IS 'Since when';
COMMENT ON COLUMN aurora_serverless.pause_blockers.hint IS 'What to do instead';
COMMENT ON FUNCTION aurora_serverless.pause() IS
  'Pause now, as auto-pause would, unless a session keeps the instance awake';
COMMENT ON FUNCTION aurora_serverless.resume() IS
  'Resume a paused instance now';

COMMENT ON FUNCTION aurora_serverless.usage(timestamptz, timestamptz) IS
  'ACU-hours and their cost between since and until, as AWS bills: capacity held sample by sample, 0 while paused';
COMMENT ON FUNCTION aurora_serverless.usage_hourly(timestamptz, timestamptz) IS
  'The same as usage(), one row per hour, to plot';
COMMENT ON FUNCTION aurora_serverless.replay(numeric, numeric, text, timestamptz) IS
  'The recorded load run through the policy under another range and mode: cost, peak, lag and scaling counts';
COMMENT ON FUNCTION aurora_serverless.replay_trajectory(numeric, numeric, text, timestamptz) IS
  'The replay, sample by sample, next to the recorded capacity';
COMMENT ON FUNCTION aurora_serverless.recommend(boolean, interval) IS
  'Recommended min_capacity (cost against under-provisioned time, within a 1% budget or none with avoid_all_lag; never the peak of a short burst unless avoid_all_lag) and max_capacity, and warnings, from at least min_history of recorded load';
COMMENT ON TABLE aurora_serverless.provisioned_classes IS
  'Provisioned instance classes to compare with; list prices to edit for your region and date';
COMMENT ON COLUMN aurora_serverless.provisioned_classes.instance_class IS 'DB instance class, such as db.r6g.large';
COMMENT ON COLUMN aurora_serverless.provisioned_classes.vcpus IS 'vCPUs of the class';
COMMENT ON COLUMN aurora_serverless.provisioned_classes.memory_gib IS 'Memory of the class, GiB';
COMMENT ON COLUMN aurora_serverless.provisioned_classes.hourly_price IS 'On-demand price per hour, dollars';
COMMENT ON COLUMN aurora_serverless.provisioned_classes.note IS 'Where the price comes from';
COMMENT ON FUNCTION aurora_serverless.compare_provisioned(numeric) IS
  'The recorded usage projected to a month against provisioned classes: which is cheaper and by how much';

COMMENT ON FUNCTION aurora_serverless.put_metric_alarm(text, text, text, int, int, numeric, text) IS
  'Create or replace a metric alarm as aws cloudwatch put-metric-alarm does; applies at commit';
COMMENT ON FUNCTION aurora_serverless.delete_alarms(text[]) IS
  'Delete alarms as aws cloudwatch delete-alarms does; every name must exist; applies at commit';
COMMENT ON FUNCTION aurora_serverless.get_alarms() IS
  'The alarms and their state; backs the alarms view';
COMMENT ON VIEW aurora_serverless.alarms IS
  'Metric alarms, evaluated by the worker at the end of each period; a change of state is an alarm event and NOTIFY aurora_serverless_alarm';
COMMENT ON COLUMN aurora_serverless.alarms.alarm_name IS 'AlarmName';
COMMENT ON COLUMN aurora_serverless.alarms.metric_name IS 'MetricName: ServerlessDatabaseCapacity, ACUUtilization, CPUUtilization, DatabaseConnections or FreeableMemory';
COMMENT ON COLUMN aurora_serverless.alarms.statistic IS 'Statistic: Average, Maximum, Minimum, Sum or SampleCount';
COMMENT ON COLUMN aurora_serverless.alarms.period IS 'Period, seconds';
COMMENT ON COLUMN aurora_serverless.alarms.evaluation_periods IS 'EvaluationPeriods: periods that must all breach for ALARM';
COMMENT ON COLUMN aurora_serverless.alarms.threshold IS 'Threshold';
COMMENT ON COLUMN aurora_serverless.alarms.comparison_operator IS 'ComparisonOperator: GreaterThanOrEqualToThreshold, GreaterThanThreshold, LessThanThreshold or LessThanOrEqualToThreshold';
COMMENT ON COLUMN aurora_serverless.alarms.state_value IS 'StateValue: OK, ALARM or INSUFFICIENT_DATA';
COMMENT ON COLUMN aurora_serverless.alarms.state_reason IS 'StateReason, with the datapoints';
COMMENT ON COLUMN aurora_serverless.alarms.state_updated_timestamp IS 'StateUpdatedTimestamp';

COMMENT ON FUNCTION aurora_serverless.cluster_report(text, int, numeric, text, int, int, bigint, timestamptz, float8, pg_lsn) IS
  'A reader''s report to its writer, called by the reader''s worker after every sample; returns the writer''s name, capacity and state. Grant EXECUTE to the role of primary_conninfo or writer_conninfo';
COMMENT ON FUNCTION aurora_serverless.get_cluster_instances() IS
  'The function behind the cluster_instances view';
COMMENT ON VIEW aurora_serverless.cluster_instances IS
  'The instances of the cluster: on the writer, itself and every reader that reports to it, in failover order, stale ones last; on a reader, itself and its writer';
COMMENT ON COLUMN aurora_serverless.cluster_instances.instance_name IS 'aurora_serverless.instance_name of the instance (AWS DBInstanceIdentifier)';
COMMENT ON COLUMN aurora_serverless.cluster_instances.role IS 'writer or reader';
COMMENT ON COLUMN aurora_serverless.cluster_instances.promotion_tier IS 'AWS PromotionTier: 0 and 1 follow the writer, 2 to 15 scale on their own';
COMMENT ON COLUMN aurora_serverless.cluster_instances.serverless_database_capacity IS 'Capacity at the last report, in ACUs';
COMMENT ON COLUMN aurora_serverless.cluster_instances.state IS 'active, pausing, paused, resuming or scaling; stale for a reader that stopped reporting; unreachable for a writer a reader cannot reach';
COMMENT ON COLUMN aurora_serverless.cluster_instances.connections IS 'Client connections open at the last report';
COMMENT ON COLUMN aurora_serverless.cluster_instances.last_report_at IS 'When the instance last reported (its last sample, for this instance)';
COMMENT ON COLUMN aurora_serverless.cluster_instances.replication_lag_bytes IS 'WAL the reader had not replayed when it reported, in bytes';
COMMENT ON COLUMN aurora_serverless.cluster_instances.acu_hours IS 'ACU-hours recorded since usage_since';
COMMENT ON COLUMN aurora_serverless.cluster_instances.usage_since IS 'Since when acu_hours counts: the worker''s start for this instance, the first report for a reader';
COMMENT ON COLUMN aurora_serverless.cluster_instances.failover_order IS 'The order in which a failover would promote the live readers: the lowest promotion tier, then the largest capacity; 1 is next';
COMMENT ON FUNCTION aurora_serverless.get_cluster() IS
  'The function behind the cluster view';
COMMENT ON VIEW aurora_serverless.cluster IS
  'The cluster in one row: on the writer, its instances, average and total capacity, usage and cost; on a reader, its link to the writer';
COMMENT ON COLUMN aurora_serverless.cluster.instance_name IS 'This instance''s name';
COMMENT ON COLUMN aurora_serverless.cluster.role IS 'writer or reader';
COMMENT ON COLUMN aurora_serverless.cluster.writer_name IS 'The writer''s name: this instance, or the one a reader reports to';
COMMENT ON COLUMN aurora_serverless.cluster.writer_link IS 'writer on the writer; on a reader connecting, connected, unreachable, or none (no conninfo)';
COMMENT ON COLUMN aurora_serverless.cluster.last_contact_at IS 'A reader: the writer''s last answer';
COMMENT ON COLUMN aurora_serverless.cluster.link_error IS 'A reader: why the writer is unreachable';
COMMENT ON COLUMN aurora_serverless.cluster.instances IS 'The writer: live instances, itself included';
COMMENT ON COLUMN aurora_serverless.cluster.stale_instances IS 'The writer: readers that stopped reporting';
COMMENT ON COLUMN aurora_serverless.cluster.serverless_database_capacity IS 'The writer: average capacity over the live instances, as CloudWatch''s cluster-level ServerlessDatabaseCapacity';
COMMENT ON COLUMN aurora_serverless.cluster.total_capacity IS 'The writer: capacity of the live instances added up, in ACUs';
COMMENT ON COLUMN aurora_serverless.cluster.acu_hours IS 'The writer: the acu_hours of cluster_instances added up';
COMMENT ON COLUMN aurora_serverless.cluster.estimated_cost IS 'The writer: acu_hours at acu_hour_price, dollars';
