-- The capacity engine runs and shows itself through its views.
CREATE EXTENSION aurora_serverless;

-- wait for the worker's samples, one of them taken after this session had
-- registered (a sample between its start and its registration does not
-- count it yet)
DO $$
BEGIN
  FOR i IN 1..300 LOOP
    EXIT WHEN (SELECT count(*) FROM aurora_serverless.metrics) >= 2
      AND (SELECT database_connections >= 1 FROM aurora_serverless.capacity);
    PERFORM pg_sleep(0.1);
  END LOOP;
END $$;

-- the worker is visible with its own backend type, connected to no database
SELECT backend_type, datname IS NULL AS no_database
  FROM pg_stat_activity WHERE backend_type = 'aurora_serverless worker';

-- one row, at min capacity when idle, with every column filled
SELECT engine_mode, state, role, serverless_database_capacity,
       target_capacity >= 0.5 AS has_target,
       min_capacity, max_capacity, acu_utilization, max_connections,
       max_connections_basis, memory_gib, buffer_pool_gib,
       database_connections >= 1 AS sees_me,
       working_set_gib > 0 AS has_working_set, working_set_fits,
       freeable_memory > 0 AS has_freeable,
       cpu_goal >= 0 AND memory_goal > 0 AND connections_goal > 0 AS goals,
       last_sample_at IS NOT NULL AS sampled, worker_pid IS NOT NULL AS worker
  FROM aurora_serverless.capacity;

-- the metrics ring: oldest first, every component
SELECT count(*) >= 2 AS rows,
       bool_and(serverless_database_capacity = 0.5) AS at_min,
       bool_and(cpu_goal >= 0 AND memory_goal >= 0 AND connections_goal >= 0) AS goals,
       bool_and(acu_utilization = 3.13) AS utilization
  FROM aurora_serverless.metrics;
SELECT bool_and(sample_time < next_time) AS oldest_first
  FROM (SELECT sample_time,
               lead(sample_time) OVER (ORDER BY ordinality) AS next_time
          FROM aurora_serverless.get_metrics() WITH ORDINALITY) s
 WHERE next_time IS NOT NULL;

-- the worker's start is an event
SELECT event, reason, from_capacity, to_capacity
  FROM aurora_serverless.scaling_events WHERE event = 'startup';

-- the worker's own cost
SELECT ticks > 0 AS ticking, mean_tick_us > 0 AS timed, cpu_source
  FROM aurora_serverless.worker_stats;

-- describe() is shaped like describe-db-clusters
SELECT d->>'Engine' AS engine, d->>'EngineMode' AS engine_mode,
       d->>'Status' AS status, d->'ServerlessV2ScalingConfiguration' AS scaling,
       d->>'Capacity' AS capacity, d->>'MaxConnections' AS max_connections
  FROM aurora_serverless.describe() d;

-- everything lives in the schema and has a comment
SELECT p.proname
  FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
 WHERE n.nspname = 'aurora_serverless' AND obj_description(p.oid, 'pg_proc') IS NULL;
SELECT c.relname
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
 WHERE n.nspname = 'aurora_serverless' AND c.relkind IN ('r', 'v')
   AND obj_description(c.oid, 'pg_class') IS NULL;
SELECT c.relname, a.attname
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
  JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0
 WHERE n.nspname = 'aurora_serverless' AND c.relkind = 'v'
   AND col_description(c.oid, a.attnum) IS NULL;

-- reading needs no superuser
CREATE ROLE as_reader LOGIN;
SET ROLE as_reader;
SELECT serverless_database_capacity FROM aurora_serverless.capacity;
SELECT count(*) > 0 FROM aurora_serverless.scaling_events;
SELECT aurora_serverless.describe()->>'Engine';
RESET ROLE;
DROP ROLE as_reader;
