-- The aurora scaling_lag profile beside what was measured on Aurora
-- PostgreSQL 15.5 Serverless v2 under heavy load (keisuke.dev, 2024).  Each
-- scenario runs simulate() at 1 s samples: load from t = 0 to 300 s asking
-- for the capacity the measurement reached, then none.  Times are seconds
-- from the load's start, or from reaching the first capacity of a
-- transition; a single measured value counts as a band of +-25%.  Any row
-- with inside = f means the profile left a measured band.
CREATE TEMP TABLE scenario (name text, min_c numeric, max_c numeric, cpu float8);
-- cpu 1.8375 vCPUs asks for 10.5 ACU (0.25 vCPU per ACU, 70% target), 1.925
-- for 11, 2 for all of a 1-4 range
INSERT INTO scenario VALUES
  ('1-4', 1, 4, 2), ('1-32', 1, 32, 1.8375), ('4-32', 4, 32, 1.8375), ('8-32', 8, 32, 1.925);

CREATE TEMP TABLE traj AS
SELECT sc.name, s.t, s.serverless_database_capacity AS acu, s.events
  FROM scenario sc,
       LATERAL aurora_serverless.simulate(
         (SELECT jsonb_agg(jsonb_build_object('t', g, 'cpu', CASE WHEN g < 300 THEN sc.cpu ELSE 0 END))
            FROM generate_series(0, 600) g),
         jsonb_build_object('min_capacity', sc.min_c, 'max_capacity', sc.max_c,
                            'scaling_lag', 'aurora', 'start_capacity', sc.min_c,
                            -- the other settings at their defaults
                            'scale_up_delay', 1, 'scale_down_delay', -1,
                            'scale_down_interval', 10, 'vcpus_per_acu', 0.25,
                            'target_cpu_utilization', 70, 'sample_interval', 1)) s;

-- the first time a scenario's capacity reached acu (NULL: never)
CREATE FUNCTION reached(scen text, want numeric) RETURNS float8 LANGUAGE sql AS
$$ SELECT min(t) FROM traj WHERE name = scen AND acu >= want AND t < 300 $$;

CREATE TEMP TABLE check_row (scen text, what text, measured text, lo float8, hi float8, simulated float8);
INSERT INTO check_row VALUES
  ('1-4', 'first step', '2-12 s', 2, 12,
     (SELECT min(t) FROM traj WHERE name = '1-4' AND events LIKE '%scale_up%')),
  ('1-4', 'max 4 reached', 'about 10 s', 7.5, 12.5, reached('1-4', 4)),
  ('1-32', '1 -> 4', 'about 2 s', 1.5, 2.5, reached('1-32', 4)),
  ('1-32', '4 -> 8', '15-73 s', 15, 73, reached('1-32', 8) - reached('1-32', 4)),
  ('1-32', '8 -> 10.5', '67-138 s', 67, 138, reached('1-32', 10.5) - reached('1-32', 8)),
  ('4-32', '4 -> 8', '15-16 s', 15, 16, reached('4-32', 8)),
  ('4-32', '8 -> 10.5', '67 s', 50.25, 83.75, reached('4-32', 10.5) - reached('4-32', 8)),
  ('8-32', '8 -> 11', '16 s', 12, 20, reached('8-32', 11));
-- scale-down began 90 s to about 5 min after the load stopped
INSERT INTO check_row
SELECT name, 'scale-down after load stops', '90 s - 5 min', 90, 300,
       (SELECT min(t) FROM traj x WHERE x.name = sc.name AND t >= 300 AND events LIKE '%scale_down%') - 300
  FROM scenario sc WHERE name <> '1-4' ORDER BY name;

SELECT scen AS range, what, measured, simulated AS simulated_s,
       simulated BETWEEN lo AND hi AS inside
  FROM check_row;

-- steps land on the capacity the demand asks for, in 0.5 ACU units
SELECT name AS range, string_agg(acu::text, ' -> ' ORDER BY t) AS steps
  FROM traj WHERE events LIKE '%scale_up%' OR t = 0 GROUP BY name ORDER BY name;

DROP FUNCTION reached(text, numeric);
