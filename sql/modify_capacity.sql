-- modify_capacity(): validated as AWS does, applied at commit, persistent.

-- refused: each rule, with nothing changed
SELECT aurora_serverless.modify_capacity(0.5, 0.5);
SELECT aurora_serverless.modify_capacity(0.5, 0.75);
SELECT aurora_serverless.modify_capacity(0.25, 8);
SELECT aurora_serverless.modify_capacity(1, 300);
SELECT aurora_serverless.modify_capacity(1, 256.5);
SELECT aurora_serverless.modify_capacity(8, 4);
SELECT aurora_serverless.modify_capacity(-1, 4);
SELECT aurora_serverless.modify_capacity(NULL, 4);
SELECT aurora_serverless.modify_capacity(1, NULL);
SELECT aurora_serverless.modify_capacity('NaN', 4);
SELECT aurora_serverless.modify_capacity(1, 'Infinity');
SELECT aurora_serverless.modify_capacity(1, 1e400);
SELECT min_capacity, max_capacity FROM aurora_serverless.capacity;
SELECT count(*) FROM aurora_serverless.scaling_events
 WHERE event = 'config_change' AND reason = 'modify_capacity';

-- a rolled-back call changes nothing
BEGIN;
SELECT aurora_serverless.modify_capacity(2, 8);
ROLLBACK;
SELECT min_capacity, max_capacity FROM aurora_serverless.capacity;

-- nor does one in a rolled-back savepoint
BEGIN;
SAVEPOINT s1;
SELECT aurora_serverless.modify_capacity(2, 8);
ROLLBACK TO SAVEPOINT s1;
COMMIT;
SELECT min_capacity, max_capacity FROM aurora_serverless.capacity;

-- a prepared transaction cannot carry a change
BEGIN;
SELECT aurora_serverless.modify_capacity(2, 8);
PREPARE TRANSACTION 'as_modify';
SELECT min_capacity, max_capacity FROM aurora_serverless.capacity;

-- accepted: in force at commit (but for max_connections, which waits for a
-- restart: a NOTICE says so), recorded, and written by the worker to
-- postgresql.auto.conf for the next start (wait for the file to say so)
CREATE FUNCTION wait_for_file(want_min text, want_max text) RETURNS boolean
LANGUAGE plpgsql AS $$
BEGIN
  FOR i IN 1..600 LOOP
    IF (SELECT count(*) = 2 FROM pg_file_settings
         WHERE sourcefile LIKE '%postgresql.auto.conf'
           AND ((name = 'aurora_serverless.min_capacity' AND setting = want_min)
             OR (name = 'aurora_serverless.max_capacity' AND setting = want_max)))
    THEN
      RETURN true;
    END IF;
    PERFORM pg_sleep(0.05);
  END LOOP;
  RETURN false;
END $$;
CREATE FUNCTION wait_for_sample() RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  since timestamptz := clock_timestamp();
BEGIN
  FOR i IN 1..300 LOOP
    EXIT WHEN (SELECT last_sample_at > since FROM aurora_serverless.capacity);
    PERFORM pg_sleep(0.05);
  END LOOP;
END $$;
SELECT aurora_serverless.modify_capacity(1, 4);
SELECT min_capacity, max_capacity, max_connections
  FROM aurora_serverless.capacity;
SELECT event, reason, detail FROM aurora_serverless.scaling_events
 WHERE event = 'config_change' AND reason = 'modify_capacity';
-- max_connections is static: the value at server start stays in force, the
-- new one is pending until a restart (as PendingModifiedValues)
SELECT d->'MaxConnections' AS in_force, d->'PendingModifiedValues' AS pending
  FROM aurora_serverless.describe() d;
SELECT wait_for_file('1', '4');
SELECT name, setting, sourcefile LIKE '%postgresql.auto.conf' AS auto_conf
  FROM pg_file_settings
 WHERE name LIKE 'aurora_serverless.%_capacity' ORDER BY name;

-- committed in a transaction block, with a savepoint released
BEGIN;
SAVEPOINT s1;
SELECT aurora_serverless.modify_capacity(0, 2);
RELEASE SAVEPOINT s1;
COMMIT;
SELECT min_capacity, max_capacity, max_connections
  FROM aurora_serverless.capacity;
SELECT d->'ServerlessV2ScalingConfiguration' FROM aurora_serverless.describe() d;
SELECT wait_for_file('0', '2');
-- the worker's own write (and the reload after it) is not a second event
SELECT wait_for_sample();
SELECT count(*) FROM aurora_serverless.scaling_events
 WHERE event = 'config_change' AND reason = 'modify_capacity';

-- the worker applies a new range at its next sample
SELECT clock_timestamp() AS t0 \gset
SELECT aurora_serverless.modify_capacity(4, 8);
SELECT wait_for_sample();
SELECT serverless_database_capacity FROM aurora_serverless.capacity;
SELECT aurora_serverless.modify_capacity(0.5, 2);
SELECT wait_for_sample();
SELECT serverless_database_capacity FROM aurora_serverless.capacity;
SELECT event, to_capacity, reason
  FROM aurora_serverless.scaling_events
 WHERE event IN ('scale_up', 'scale_down') AND event_time > :'t0'
 ORDER BY event_time;
DROP FUNCTION wait_for_sample();
SELECT wait_for_file('0.5', '2');
DROP FUNCTION wait_for_file(text, text);

-- changing settings is not for everyone
CREATE ROLE as_plain LOGIN;
SET ROLE as_plain;
SELECT aurora_serverless.modify_capacity(1, 8);
RESET ROLE;
-- an operator given EXECUTE may
GRANT EXECUTE ON FUNCTION aurora_serverless.modify_capacity(numeric, numeric) TO as_plain;
SET ROLE as_plain;
SELECT aurora_serverless.modify_capacity(0.5, 16);
RESET ROLE;
REVOKE EXECUTE ON FUNCTION aurora_serverless.modify_capacity(numeric, numeric) FROM as_plain;
DROP ROLE as_plain;
SELECT min_capacity, max_capacity FROM aurora_serverless.capacity;

-- SecondsUntilAutoPause with the range, as ModifyDBCluster takes it: in
-- force at commit, then written to postgresql.auto.conf; NULL keeps it
CREATE FUNCTION wait_for_pause_setting(want text) RETURNS boolean
LANGUAGE plpgsql AS $$
BEGIN
  FOR i IN 1..600 LOOP
    IF EXISTS (SELECT 1 FROM pg_file_settings
                WHERE sourcefile LIKE '%postgresql.auto.conf'
                  AND name = 'aurora_serverless.seconds_until_auto_pause' AND setting = want)
    THEN
      RETURN true;
    END IF;
    PERFORM pg_sleep(0.05);
  END LOOP;
  RETURN false;
END $$;
BEGIN;
SELECT aurora_serverless.modify_capacity(0.5, 16, 600);
SELECT seconds_until_auto_pause AS before_commit FROM aurora_serverless.capacity;
COMMIT;
SELECT seconds_until_auto_pause AS after_commit FROM aurora_serverless.capacity;
SELECT wait_for_pause_setting('600');
SELECT aurora_serverless.modify_capacity(0.5, 16, NULL);
SELECT seconds_until_auto_pause FROM aurora_serverless.capacity;
-- bad values are refused and change nothing
SELECT aurora_serverless.modify_capacity(0.5, 16, 0);
SELECT aurora_serverless.modify_capacity(0.5, 16, 86401);
SELECT aurora_serverless.modify_capacity(0.5, 0.5, 600);
SELECT seconds_until_auto_pause FROM aurora_serverless.capacity;
-- an operator granted the two-argument form is not granted this one
CREATE ROLE as_plain2 LOGIN;
GRANT EXECUTE ON FUNCTION aurora_serverless.modify_capacity(numeric, numeric) TO as_plain2;
SET ROLE as_plain2;
SELECT aurora_serverless.modify_capacity(0.5, 16, 300);
RESET ROLE;
DROP OWNED BY as_plain2;
DROP ROLE as_plain2;
-- a change committed while the worker writes the one before it, or before
-- the worker has read it back, stays in force: a read right after each
-- commit sees it (one configuration read of the file as it was put the
-- older seconds_until_auto_pause back until the next write)
DO $$
DECLARE
  missed int := 0;
BEGIN
  FOR i IN 1..100 LOOP
    PERFORM aurora_serverless.modify_capacity(0.5, 16 - i % 2);
    COMMIT;
    PERFORM pg_sleep(random() * 0.004);
    PERFORM aurora_serverless.modify_capacity(0.5, 16, 300 + i);
    COMMIT;
    PERFORM pg_sleep(random() * 0.004);
    IF (SELECT (min_capacity, max_capacity, seconds_until_auto_pause) <> (0.5, 16, 300 + i)
          FROM aurora_serverless.capacity) THEN
      missed := missed + 1;
    END IF;
  END LOOP;
  RAISE NOTICE 'reads that missed the change just committed: %', missed;
END $$;
SELECT aurora_serverless.modify_capacity(0.5, 16, 300);
SELECT wait_for_pause_setting('300');
DROP FUNCTION wait_for_pause_setting(text);
