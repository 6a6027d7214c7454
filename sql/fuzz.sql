-- Hostile input to every function of the schema: NULLs, NaN, infinities,
-- huge and negative numbers, empty and very long strings, multibyte,
-- control and bidirectional text, odd jsonb.  Each call runs in a
-- subtransaction that is rolled back, so a call that is accepted changes
-- nothing either; every refusal must be a clear ERROR with a proper
-- SQLSTATE, never an internal error (class XX) and never a crash.  The walk
-- is made by every kind of role the documentation names: a superuser, the
-- operator (EXECUTE on the changing functions), a reader's reporting role
-- (REPLICATION and EXECUTE on cluster_report()) and a role with nothing
-- granted; a function added to the schema is walked by all of them.
CREATE TEMP TABLE fuzz_result (role text, fn text, call text, sqlstate text);
GRANT ALL ON fuzz_result TO PUBLIC;

CREATE ROLE regress_fuzz_plain;
CREATE ROLE regress_fuzz_reporter REPLICATION;
GRANT EXECUTE ON FUNCTION aurora_serverless.cluster_report(text, int, numeric, text,
  int, int, bigint, timestamptz, float8, pg_lsn) TO regress_fuzz_reporter;
CREATE ROLE regress_fuzz_operator;
GRANT EXECUTE ON FUNCTION aurora_serverless.modify_capacity(numeric, numeric),
                          aurora_serverless.modify_capacity(numeric, numeric, integer),
                          aurora_serverless.modify_current_capacity(numeric, int, text),
                          aurora_serverless.pause(),
                          aurora_serverless.resume(),
                          aurora_serverless.put_metric_alarm(text, text, text, int, int, numeric, text),
                          aurora_serverless.delete_alarms(text[])
   TO regress_fuzz_operator;

CREATE FUNCTION fuzz_walk() RETURNS void LANGUAGE plpgsql AS $fuzz$
DECLARE
  f record;
  hostile jsonb := '{
    "numeric": ["NULL", "''NaN''", "''Infinity''", "''-Infinity''", "-1", "0", "0.25",
                "1e300", "-1e300", "1e-300", "1e1000", "257", "385"],
    "integer": ["NULL", "-1", "0", "601", "2147483647", "-2147483648"],
    "text": ["NULL", "''''", "repeat(''x'', 100000)", "''v9''", "''ForceApplyCapacityChange ''",
             "E''\\\\x01''", "''\\\"''", "repeat(''€'', 100)", "repeat(''€'', 21) || ''x''",
             "E''\\\\u202Eevil''", "E''a\\\\u2028b''", "''<script>&amp;''"],
    "jsonb": ["NULL", "''{}''", "''[]''", "''null''", "''\"x\"''", "''[1]''", "''[[]]''",
              "''[{\"cpu\": \"NaN\"}]''", "''[{\"cpu\": 1e400}]''", "''[{\"t\": -1e300}]''",
              "''[{\"connections\": 1e12}]''", "''{\"min_capacity\": \"1\"}''",
              "''{\"engine_mode\": null}''", "''{\"sample_interval\": 1e-9}''",
              "(repeat(''['', 5000) || repeat('']'', 5000))::jsonb",
              "''{\"a\":''"],
    "timestamp with time zone": ["NULL", "''-infinity''", "''infinity''", "''2000-01-01''", "now()"],
    "text[]": ["NULL", "''{}''", "ARRAY[NULL]::text[]", "''{{Average},{Sum}}''",
               "''{Average,Average,Average,Average,Average,Average}''", "''{x}''",
               "ARRAY[repeat(''x'', 100000)]"],
    "boolean": ["NULL", "true", "false"],
    "interval": ["NULL", "''-1 day''", "''0''", "''178000000 years''", "''1 s''"],
    "bigint": ["NULL", "-1", "0", "9223372036854775807"],
    "double precision": ["NULL", "''NaN''", "''Infinity''", "-1", "0", "1e300"],
    "name": ["NULL", "''''", "''no_such_role''", "repeat(''r'', 100)"],
    "pg_lsn": ["NULL", "''0/0''", "''FFFFFFFF/FFFFFFFF''"]
  }';
  -- a valid value of each type, for the arguments not under attack
  valid jsonb := '{"numeric": "1", "integer": "10", "text": "''v2''", "jsonb": "''[{}]''",
                   "timestamp with time zone": "''-infinity''", "text[]": "''{Average}''",
                   "boolean": "false", "interval": "''1 hour''", "bigint": "0",
                   "double precision": "0", "pg_lsn": "''0/0''",
                   "name": "current_user"}';
  types text[];
  call text;
  args text[];
  state text;
BEGIN
  FOR f IN
    SELECT p.proname, string_to_array(oidvectortypes(p.proargtypes), ', ') AS types
      FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
     WHERE n.nspname = 'aurora_serverless' AND p.pronargs > 0
     ORDER BY p.proname
  LOOP
    types := f.types;
    FOR i IN 1 .. array_length(types, 1) LOOP
      FOR v IN 0 .. jsonb_array_length(hostile -> types[i]) - 1 LOOP
        args := ARRAY[]::text[];
        FOR j IN 1 .. array_length(types, 1) LOOP
          IF j = i THEN
            args := args || (hostile -> types[i] ->> v);
          ELSE
            args := args || (valid ->> types[j]);
          END IF;
        END LOOP;
        call := format('SELECT * FROM aurora_serverless.%I(%s)', f.proname,
                       array_to_string(args, ', '));
        BEGIN
          EXECUTE call;
          RAISE EXCEPTION USING ERRCODE = 'AS000';   -- undo whatever it did
        EXCEPTION WHEN OTHERS THEN
          GET STACKED DIAGNOSTICS state = RETURNED_SQLSTATE;
          INSERT INTO fuzz_result VALUES (current_user, f.proname, call, state);
        END;
      END LOOP;
    END LOOP;
  END LOOP;
END
$fuzz$;

SELECT fuzz_walk();
SET ROLE regress_fuzz_operator;
SELECT fuzz_walk();
SET ROLE regress_fuzz_reporter;
SELECT fuzz_walk();
SET ROLE regress_fuzz_plain;
SELECT fuzz_walk();
RESET ROLE;

-- every function was attacked by every role; no internal error anywhere;
-- what a role may not call it is refused (42501) whatever the input
CREATE FUNCTION fuzz_outcomes(r text, f text) RETURNS text LANGUAGE sql AS $$
  SELECT string_agg(DISTINCT CASE WHEN sqlstate = 'AS000' THEN 'accepted' ELSE sqlstate END, ' '
                    ORDER BY CASE WHEN sqlstate = 'AS000' THEN 'accepted' ELSE sqlstate END)
    FROM fuzz_result WHERE role = r AND fn = f $$;
SELECT fn, count(*) / 4 AS calls,
       fuzz_outcomes(current_user::text, fn) AS superuser,
       fuzz_outcomes('regress_fuzz_operator', fn) AS operator,
       fuzz_outcomes('regress_fuzz_reporter', fn) AS reporter,
       fuzz_outcomes('regress_fuzz_plain', fn) AS plain
  FROM fuzz_result GROUP BY fn ORDER BY fn;
SELECT role, call, sqlstate FROM fuzz_result WHERE sqlstate LIKE 'XX%' OR sqlstate LIKE '58%';

-- nothing changed
SELECT min_capacity, max_capacity, engine_mode FROM aurora_serverless.capacity;
SELECT count(*) FROM aurora_serverless.scaling_events
 WHERE (event = 'config_change' AND reason = 'modify_capacity')
    OR event = 'scaling_point_search';

DROP FUNCTION fuzz_walk();
DROP FUNCTION fuzz_outcomes(text, text);
DROP TABLE fuzz_result;
DROP OWNED BY regress_fuzz_reporter, regress_fuzz_operator;
DROP ROLE regress_fuzz_plain, regress_fuzz_reporter, regress_fuzz_operator;
