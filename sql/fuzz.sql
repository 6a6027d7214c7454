-- Hostile input to every function of the schema: NULLs, NaN, infinities,
-- huge and negative numbers, empty and very long strings, odd jsonb.  Each
-- call runs in a subtransaction that is rolled back, so a call that is
-- accepted changes nothing either; every refusal must be a clear ERROR with
-- a proper SQLSTATE, never an internal error (class XX) and never a crash.
CREATE TEMP TABLE fuzz_result (fn text, call text, sqlstate text);

DO $fuzz$
DECLARE
  f record;
  hostile jsonb := '{
    "numeric": ["NULL", "''NaN''", "''Infinity''", "''-Infinity''", "-1", "0", "0.25",
                "1e300", "-1e300", "1e-300", "1e1000", "257", "385"],
    "integer": ["NULL", "-1", "0", "601", "2147483647", "-2147483648"],
    "text": ["NULL", "''''", "repeat(''x'', 100000)", "''v9''", "''ForceApplyCapacityChange ''",
             "E''\\\\x01''", "''\\\"''"],
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
          INSERT INTO fuzz_result VALUES (f.proname, call, state);
        END;
      END LOOP;
    END LOOP;
  END LOOP;
END
$fuzz$;

-- every function was attacked; no internal error anywhere
SELECT fn, count(*) AS calls,
       string_agg(DISTINCT CASE WHEN sqlstate = 'AS000' THEN 'accepted' ELSE sqlstate END, ' '
                  ORDER BY CASE WHEN sqlstate = 'AS000' THEN 'accepted' ELSE sqlstate END) AS outcomes
  FROM fuzz_result GROUP BY fn ORDER BY fn;
SELECT call, sqlstate FROM fuzz_result WHERE sqlstate LIKE 'XX%' OR sqlstate LIKE '58%';

-- nothing changed
SELECT min_capacity, max_capacity, engine_mode FROM aurora_serverless.capacity;
SELECT count(*) FROM aurora_serverless.scaling_events
 WHERE (event = 'config_change' AND reason = 'modify_capacity')
    OR event = 'scaling_point_search';
