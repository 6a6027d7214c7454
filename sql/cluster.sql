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
-- reader-a again, much later in the same run than time allows; then
-- restarted, with a run of a million years: usage is believed only as far
-- as the time since its last report at the cluster's max (16 ACU) allows
SELECT writer_name FROM aurora_serverless.cluster_report('reader-a', 2, 1.5, 'active', 3, 3, 0,
         '2026-01-01 00:00+00', 1000000, '0/0');
SELECT writer_name FROM aurora_serverless.cluster_report('reader-a', 2, 1.5, 'active', 3, 3, 0,
         '2026-01-01 01:00+00', 1e15, '0/0');
SELECT instance_name, role, promotion_tier, serverless_database_capacity AS capacity, state,
       connections, replication_lag_bytes > 0 AS lags, failover_order,
       acu_hours * 3600 <= extract(epoch FROM last_report_at - usage_since) * 16 + 0.002
         AS usage_within_time
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
SELECT aurora_serverless.cluster_report(repeat('€', 64), 2, 1, 'active', 0, 0, 0, now(), 0, '0/0');
SELECT aurora_serverless.cluster_report(E'a\nb', 2, 1, 'active', 0, 0, 0, now(), 0, '0/0');
SELECT aurora_serverless.cluster_report(E'x\u202Eexe.txt', 2, 1, 'active', 0, 0, 0, now(), 0, '0/0');
SELECT aurora_serverless.cluster_report(E'line\u2028two', 2, 1, 'active', 0, 0, 0, now(), 0, '0/0');
SELECT aurora_serverless.cluster_report(E'next\u0085line', 2, 1, 'active', 0, 0, 0, now(), 0, '0/0');
SELECT aurora_serverless.cluster_report('x', 2, 0.3, 'active', 0, 0, 0, now(), 0, '0/0');
SELECT aurora_serverless.cluster_report('x', 2, 1, 'active', 262144, 0, 0, now(), 0, '0/0');
SELECT aurora_serverless.cluster_report('x', 2, 1, 'active', 10, 2147483647, 0, now(), 0, '0/0');
SELECT aurora_serverless.cluster_report('x', 2, 1, 'active', 10, 11, 0, now(), 0, '0/0');
SELECT aurora_serverless.cluster_report('x', 2, 1, 'active', 0, 0, 0, '-infinity', 0, '0/0');
SELECT aurora_serverless.cluster_report('regress-writer', 2, 1, 'active', 0, 0, 0, now(), 0, '0/0');
SELECT count(*) FROM aurora_serverless.cluster_instances;

-- reporting is not for everyone; reading is
CREATE ROLE as_cluster_nobody;
SET ROLE as_cluster_nobody;
SELECT aurora_serverless.cluster_report('x', 2, 1, 'active', 0, 0, 0, now(), 0, '0/0');
SELECT count(*) > 0 AS reads FROM aurora_serverless.cluster_instances;
RESET ROLE;
DROP ROLE as_cluster_nobody;

-- EXECUTE is not enough either: a reader reports as its replication role
CREATE ROLE as_cluster_granted;
GRANT EXECUTE ON FUNCTION aurora_serverless.cluster_report(text, int, numeric, text,
  int, int, bigint, timestamptz, float8, pg_lsn) TO as_cluster_granted;
SET ROLE as_cluster_granted;
SELECT aurora_serverless.cluster_report('x', 2, 1, 'active', 0, 0, 0, now(), 0, '0/0');
RESET ROLE;
ALTER ROLE as_cluster_granted REPLICATION;
SET ROLE as_cluster_granted;
-- a name of 63 characters is a name, however many bytes it takes
SELECT writer_name FROM aurora_serverless.cluster_report(repeat('€', 63), 5, 0.5, 'active', 0, 0, 0,
         '2026-01-01 00:00+00', 0, '0/0');
-- no instance of the cluster is counted above the cluster's max (16)
SELECT writer_name FROM aurora_serverless.cluster_report('big', 5, 256, 'active', 0, 0, 0,
         '2026-01-01 00:00+00', 0, '0/0');
-- removing a reader is a superuser's
SELECT aurora_serverless.cluster_remove_reader('big');
RESET ROLE;
SELECT length(instance_name) AS characters, octet_length(instance_name) AS bytes
  FROM aurora_serverless.cluster_instances WHERE instance_name LIKE '€%';
SELECT serverless_database_capacity AS capacity FROM aurora_serverless.cluster_instances
 WHERE instance_name = 'big';

-- the connections of tier 0/1 readers keep the writer awake: as many as
-- PostgreSQL allows each, and their sum never wraps (reported again until
-- a sample has counted them, since a report is believed for
-- cluster_stale_timeout only)
CREATE FUNCTION wait_for_awake() RETURNS boolean LANGUAGE plpgsql AS $$
DECLARE
  t timestamptz;
BEGIN
  FOR i IN 1..600 LOOP
    t := clock_timestamp();
    PERFORM aurora_serverless.cluster_report('huge-' || r, 0, 0.5, 'active', 262143, 262143, 0,
              '2026-01-01 00:00+00', 0, '0/0') FROM generate_series(0, 1) r;
    PERFORM pg_sleep(0.25);
    IF (SELECT awake_connections >= 2 * 262143 FROM aurora_serverless.metrics
         WHERE sample_time > t ORDER BY sample_time DESC LIMIT 1) THEN
      RETURN true;
    END IF;
  END LOOP;
  RETURN false;
END $$;
SELECT wait_for_awake();
SELECT min(awake_connections) >= 0 AS never_negative FROM aurora_serverless.metrics;

-- removed when the transaction commits, with an event; usage stays counted
BEGIN;
SELECT aurora_serverless.cluster_remove_reader('big');
ROLLBACK;
BEGIN;
SAVEPOINT s;
SELECT aurora_serverless.cluster_remove_reader('huge-0');
ROLLBACK TO SAVEPOINT s;
SELECT aurora_serverless.cluster_remove_reader('big');
SELECT aurora_serverless.cluster_remove_reader('big');
SELECT aurora_serverless.cluster_remove_reader(repeat('€', 63));
SELECT count(*) AS before_commit FROM aurora_serverless.cluster_instances
 WHERE instance_name IN ('big', 'huge-0') OR instance_name LIKE '€%';
COMMIT;
SELECT instance_name FROM aurora_serverless.cluster_instances
 WHERE instance_name IN ('big', 'huge-0') OR instance_name LIKE '€%';
SELECT event, reason, regexp_replace(detail, '€+', '€…') AS detail
  FROM aurora_serverless.scaling_events WHERE event = 'reader_removed' ORDER BY detail;
SELECT aurora_serverless.cluster_remove_reader('big');
SELECT aurora_serverless.cluster_remove_reader(NULL);
DROP FUNCTION wait_for_awake();
DROP OWNED BY as_cluster_granted;
DROP ROLE as_cluster_granted;

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
