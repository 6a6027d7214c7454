-- An Aurora cluster: the policy's rules for a reader in promotion tier 0 or 1
-- (simulated traces), and cluster_report(), cluster_instances and cluster as
-- a writer sees them (readers played by this session).
\set r '{"min_capacity": 0, "max_capacity": 16, "scale_up_delay": 1, "scale_down_delay": 10, "scale_down_interval": 1, "seconds_until_auto_pause": 300}'

-- a tier 0/1 reader runs at least at its writer's capacity: it follows the
-- writer up at once (reason writer), comes down by the usual steps when the
-- writer does, and never pauses alone while the writer is awake
SELECT step, t, target_capacity AS target, serverless_database_capacity AS capacity,
       state, events, reason
  FROM aurora_serverless.simulate('[
    {"t": 0, "writer_capacity": 0.5}, {"t": 1, "writer_capacity": 4},
    {"t": 2, "writer_capacity": 8}, {"t": 3, "writer_capacity": 8, "cpu": 1},
    {"t": 4, "writer_capacity": 2}, {"t": 14, "writer_capacity": 2},
    {"t": 15, "writer_capacity": 2}, {"t": 16, "writer_capacity": 2},
    {"t": 400, "writer_capacity": 2}]', :'r');

-- its own load still counts: above the writer's capacity it scales as usual
SELECT step, t, target_capacity AS target, serverless_database_capacity AS capacity, events, reason
  FROM aurora_serverless.simulate('[
    {"t": 0, "writer_capacity": 1}, {"t": 1, "writer_capacity": 1, "cpu": 1},
    {"t": 2, "writer_capacity": 1, "cpu": 1}, {"t": 3, "writer_capacity": 1, "cpu": 1}]', :'r');

-- it pauses with its writer (writer_capacity 0: the writer is paused) and
-- resumes with it
SELECT step, t, serverless_database_capacity AS capacity, state, events, reason
  FROM aurora_serverless.simulate('[
    {"t": 0, "writer_capacity": 2}, {"t": 1, "writer_capacity": 0},
    {"t": 6, "writer_capacity": 0}, {"t": 100, "writer_capacity": 0},
    {"t": 101, "writer_capacity": 2}, {"t": 102, "writer_capacity": 2}]', :'r');

-- a connection of its own keeps it awake, and cancels a pause under way
SELECT step, t, state, events, reason
  FROM aurora_serverless.simulate('[
    {"t": 0, "writer_capacity": 0, "connections": 1}, {"t": 1, "writer_capacity": 0},
    {"t": 2, "writer_capacity": 0, "connections": 1}, {"t": 3, "writer_capacity": 0}]', :'r');

-- a connection to it while paused resumes it alone; the writer resumes
-- when it hears of it, and the reader follows its capacity
SELECT step, t, serverless_database_capacity AS capacity, state, events, reason
  FROM aurora_serverless.simulate('[
    {"t": 0, "writer_capacity": 0}, {"t": 6, "writer_capacity": 0},
    {"t": 50, "writer_capacity": 0, "connections": 1},
    {"t": 51, "writer_capacity": 2, "connections": 1}]', :'r');

-- a tier 2-15 reader, or one cut off from its writer, pauses on its own
SELECT step, t, state, events, reason
  FROM aurora_serverless.simulate('[{"t": 0}, {"t": 300}, {"t": 305}]', :'r');

-- the writer's capacity beyond the reader's max: max wins
SELECT step, serverless_database_capacity AS capacity, events, reason
  FROM aurora_serverless.simulate('[{"t": 0, "writer_capacity": 1}, {"t": 1, "writer_capacity": 32}]',
    :'r'::jsonb || '{"max_capacity": 4}');

SELECT * FROM aurora_serverless.simulate('[{"writer_capacity": -1}]');
SELECT * FROM aurora_serverless.simulate('[{"writer_capacity": "big"}]');

-- a writer alone: itself
SELECT instance_name, role, promotion_tier, state, replication_lag_bytes, failover_order,
       acu_hours >= 0 AS has_usage, usage_since <= now() AS since
  FROM aurora_serverless.cluster_instances;
SELECT instance_name, role, writer_name, writer_link, instances, stale_instances,
       serverless_database_capacity = total_capacity AS average_is_own
  FROM aurora_serverless.cluster;

-- two readers report: a tier 2 one, then a tier 0 one
SELECT writer_name, writer_state, writer_capacity >= 0.5 AS awake
  FROM aurora_serverless.cluster_report('reader-a', 2, 1.5, 'active', 3, 3, 0,
         '2026-01-01 00:00+00', 10, '0/0');
SELECT writer_name FROM aurora_serverless.cluster_report('reader-b', 0, 4, 'active', 0, 0, 0,
         '2026-01-01 00:00+00', 100, '0/0');
-- reader-a again, 30 ACU-seconds later in the same run; then restarted
SELECT writer_name FROM aurora_serverless.cluster_report('reader-a', 2, 1.5, 'active', 3, 3, 0,
         '2026-01-01 00:00+00', 40, '0/0');
SELECT writer_name FROM aurora_serverless.cluster_report('reader-a', 2, 1.5, 'active', 3, 3, 0,
         '2026-01-01 01:00+00', 5, '0/0');
-- the usage counts from the first report; a new run adds all of its own
SELECT instance_name, role, promotion_tier, serverless_database_capacity AS capacity, state,
       connections, replication_lag_bytes > 0 AS lags, acu_hours, failover_order
  FROM aurora_serverless.cluster_instances WHERE role = 'reader';
SELECT instances, stale_instances,
       total_capacity = (SELECT sum(serverless_database_capacity)
                           FROM aurora_serverless.cluster_instances) AS total_adds_up,
       serverless_database_capacity = round(total_capacity / instances, 3) AS average,
       abs(acu_hours - (SELECT sum(acu_hours) FROM aurora_serverless.cluster_instances)) < 0.00001
         AS usage_adds_up,
       abs(estimated_cost - acu_hours * current_setting('aurora_serverless.acu_hour_price')::numeric)
         < 0.000002 AS cost
  FROM aurora_serverless.cluster;
-- describe() lists the members as describe-db-clusters does
SELECT jsonb_pretty(aurora_serverless.describe()->'DBClusterMembers');
SELECT event, reason, detail FROM aurora_serverless.scaling_events
 WHERE event = 'reader_joined' ORDER BY detail;

-- a reader that stops reporting is kept, as stale, after cluster_stale_timeout
CREATE FUNCTION wait_for_stale() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  FOR i IN 1..1200 LOOP
    EXIT WHEN (SELECT stale_instances = 2 FROM aurora_serverless.cluster)
      AND (SELECT count(*) = 2 FROM aurora_serverless.scaling_events WHERE event = 'reader_stale');
    PERFORM pg_sleep(0.05);
  END LOOP;
END $$;
SELECT wait_for_stale();
SELECT instance_name, state, failover_order FROM aurora_serverless.cluster_instances;
SELECT instances, stale_instances FROM aurora_serverless.cluster;
SELECT event, reason, regexp_replace(detail, 'for \d+ s', 'for N s') AS detail
  FROM aurora_serverless.scaling_events WHERE event = 'reader_stale' ORDER BY detail;
SELECT writer_name FROM aurora_serverless.cluster_report('reader-a', 2, 1, 'active', 0, 0, 0,
         '2026-01-01 01:00+00', 6, '0/0');
SELECT regexp_replace(detail, 'after \d+ s', 'after N s') AS detail
  FROM aurora_serverless.scaling_events WHERE event = 'reader_joined'
 ORDER BY event_time DESC LIMIT 1;

-- at most 15 readers; stale ones are kept, not replaced
SELECT count(*) FROM generate_series(3, 15) i,
  LATERAL aurora_serverless.cluster_report('reader-' || i, 5, 0.5, 'active', 0, 0, 0,
            '2026-01-01 00:00+00', 0, '0/0');
SELECT aurora_serverless.cluster_report('reader-16', 5, 0.5, 'active', 0, 0, 0,
         '2026-01-01 00:00+00', 0, '0/0');

-- bad reports change nothing
SELECT aurora_serverless.cluster_report(NULL, 2, 1, 'active', 0, 0, 0, now(), 0, '0/0');
SELECT aurora_serverless.cluster_report('x', 16, 1, 'active', 0, 0, 0, now(), 0, '0/0');
SELECT aurora_serverless.cluster_report('x', 2, 1000, 'active', 0, 0, 0, now(), 0, '0/0');
SELECT aurora_serverless.cluster_report('x', 2, 'NaN', 'active', 0, 0, 0, now(), 0, '0/0');
SELECT aurora_serverless.cluster_report('x', 2, 1, 'asleep', 0, 0, 0, now(), 0, '0/0');
SELECT aurora_serverless.cluster_report('x', 2, 1, 'active', -1, 0, 0, now(), 0, '0/0');
SELECT aurora_serverless.cluster_report('x', 2, 1, 'active', 0, 0, 0, now(), 'Infinity', '0/0');
SELECT aurora_serverless.cluster_report('', 2, 1, 'active', 0, 0, 0, now(), 0, '0/0');
SELECT aurora_serverless.cluster_report(repeat('x', 64), 2, 1, 'active', 0, 0, 0, now(), 0, '0/0');
SELECT aurora_serverless.cluster_report('regress-writer', 2, 1, 'active', 0, 0, 0, now(), 0, '0/0');
SELECT count(*) FROM aurora_serverless.cluster_instances;

-- reporting is not for everyone; reading is
CREATE ROLE as_cluster_nobody;
SET ROLE as_cluster_nobody;
SELECT aurora_serverless.cluster_report('x', 2, 1, 'active', 0, 0, 0, now(), 0, '0/0');
SELECT count(*) > 0 AS reads FROM aurora_serverless.cluster_instances;
RESET ROLE;
DROP ROLE as_cluster_nobody;

-- the settings
SET aurora_serverless.promotion_tier = 16;
SET aurora_serverless.instance_name = 'x';
ALTER SYSTEM SET aurora_serverless.instance_name = E'tab\there';
ALTER SYSTEM SET aurora_serverless.writer_conninfo = 'nosuchoption=1';
ALTER SYSTEM SET aurora_serverless.writer_conninfo = 'nonsense';
SET aurora_serverless.cluster_stale_timeout = 5;
SELECT name, setting, unit, context FROM pg_settings
 WHERE name IN ('aurora_serverless.promotion_tier', 'aurora_serverless.instance_name',
                'aurora_serverless.cluster_stale_timeout')
 ORDER BY name;

DROP FUNCTION wait_for_stale();
