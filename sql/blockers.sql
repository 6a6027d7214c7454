-- The scaling_blockers view, its privileges, and modify_current_capacity().

-- this session's own blockers, every column
LISTEN regress_channel;
CREATE TEMP TABLE regress_temp (a int);
SELECT pid = pg_backend_pid() AS me, usename = current_user AS usename,
       datname = current_database() AS datname, application_name, blocker,
       detail, since IS NOT NULL AS since, hint
  FROM aurora_serverless.scaling_blockers ORDER BY blocker;

-- another role sees that a session blocks, not with what (as in
-- pg_stat_activity); pg_read_all_stats sees everything
CREATE ROLE regress_watcher;
SET ROLE regress_watcher;
SELECT blocker, detail, since FROM aurora_serverless.scaling_blockers ORDER BY blocker;
RESET ROLE;
GRANT pg_read_all_stats TO regress_watcher;
SET ROLE regress_watcher;
SELECT blocker, detail, since IS NOT NULL AS since
  FROM aurora_serverless.scaling_blockers ORDER BY blocker;
RESET ROLE;
DROP ROLE regress_watcher;
UNLISTEN *;
DROP TABLE regress_temp;
SELECT count(*) FROM aurora_serverless.scaling_blockers WHERE pid = pg_backend_pid();

-- modify_current_capacity() is for engine mode v1
SELECT aurora_serverless.modify_current_capacity(4);

CREATE FUNCTION wait_for(cond text) RETURNS boolean LANGUAGE plpgsql AS $$
DECLARE
  ok boolean;
BEGIN
  FOR i IN 1..300 LOOP
    EXECUTE cond INTO ok;
    IF ok THEN RETURN true; END IF;
    PERFORM pg_sleep(0.05);
  END LOOP;
  RETURN false;
END $$;

ALTER SYSTEM SET aurora_serverless.engine_mode = 'v1';
ALTER SYSTEM SET aurora_serverless.min_capacity = 2;
ALTER SYSTEM SET aurora_serverless.max_capacity = 16;
SELECT pg_reload_conf();
SELECT wait_for($$SELECT engine_mode = 'v1' AND serverless_database_capacity = 2
                    FROM aurora_serverless.capacity$$);
SELECT d->>'EngineMode' AS engine_mode, d->'ScalingConfigurationInfo' AS scaling
  FROM aurora_serverless.describe() d;

-- refused, with nothing changed
SELECT aurora_serverless.modify_current_capacity(3);
SELECT aurora_serverless.modify_current_capacity(32);
SELECT aurora_serverless.modify_current_capacity(NULL);
SELECT aurora_serverless.modify_current_capacity('NaN');
SELECT aurora_serverless.modify_current_capacity(4, 0);
SELECT aurora_serverless.modify_current_capacity(4, -5);
SELECT aurora_serverless.modify_current_capacity(4, 601);
SELECT aurora_serverless.modify_current_capacity(4, NULL, 'Wait');
SELECT aurora_serverless.modify_current_capacity(4, NULL, '');
SELECT aurora_serverless.modify_current_capacity(4, NULL, repeat('x', 10000));
SELECT aurora_serverless.modify_capacity(3, 16);
SELECT aurora_serverless.modify_capacity(2, 100);
SELECT count(*) FROM aurora_serverless.scaling_events
 WHERE event = 'scaling_point_search';

-- not for everyone
CREATE ROLE regress_plain;
SET ROLE regress_plain;
SELECT aurora_serverless.modify_current_capacity(4);
RESET ROLE;
DROP ROLE regress_plain;

-- accepted: searched for at commit, found (nothing blocks), applied
SELECT aurora_serverless.modify_current_capacity(4, 10, 'RollbackCapacityChange');
SELECT wait_for($$SELECT serverless_database_capacity = 4 FROM aurora_serverless.capacity$$);
SELECT event, from_capacity, to_capacity, reason
  FROM aurora_serverless.scaling_events
 WHERE reason = 'modify_current_capacity' ORDER BY event_time;

-- back to v2
ALTER SYSTEM RESET aurora_serverless.engine_mode;
ALTER SYSTEM RESET aurora_serverless.min_capacity;
ALTER SYSTEM RESET aurora_serverless.max_capacity;
SELECT pg_reload_conf();
SELECT wait_for($$SELECT engine_mode = 'v2' AND min_capacity = 0.5
                    FROM aurora_serverless.capacity$$);
DROP FUNCTION wait_for(text);
