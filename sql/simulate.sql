-- simulate(): the worker's policy on synthetic samples, exact, no clock.
-- Settings used throughout: 0.25 vCPU per ACU at 70% target, so 1 busy vCPU
-- asks for 5.72 ACU and 0.35 vCPU for 2 ACU.
\set base '{"min_capacity": 0.5, "max_capacity": 16, "vcpus_per_acu": 0.25, "target_cpu_utilization": 70, "memory_headroom": 25, "scale_up_delay": 1, "scale_down_delay": 10, "scale_down_interval": 2, "sample_interval": 1}'

-- idle stays at min
SELECT count(*) AS samples, min(serverless_database_capacity),
       max(serverless_database_capacity), count(events) AS events
  FROM aurora_serverless.simulate(
    (SELECT jsonb_agg(jsonb_build_object('cpu', 0.01, 'connections', 3))
       FROM generate_series(1, 120)), :'base');

-- a burst scales up within the delay, in growing steps, to the target
SELECT step, cpu, cpu_goal, target_capacity, serverless_database_capacity AS capacity,
       events, reason
  FROM aurora_serverless.simulate(
    (SELECT jsonb_agg(jsonb_build_object('cpu', CASE WHEN g <= 3 THEN 0 ELSE 2 END))
       FROM generate_series(1, 12) g), :'base');

-- a fall scales down only after the delay, then gradually
SELECT step, cpu, target_capacity, serverless_database_capacity AS capacity, events
  FROM aurora_serverless.simulate(
    (SELECT jsonb_agg(jsonb_build_object('cpu', 0))
       FROM generate_series(1, 26)),
    :'base'::jsonb || '{"start_capacity": 8}')
 WHERE events IS NOT NULL OR step IN (1, 10, 11, 26);

-- a fall that does not last does not scale down: demand back at capacity
-- for scale_up_delay (two samples) every 8 s restarts the 10 s wait
SELECT max(serverless_database_capacity) = min(serverless_database_capacity) AS held
  FROM aurora_serverless.simulate(
    (SELECT jsonb_agg(jsonb_build_object('cpu', CASE WHEN g % 8 IN (0, 1) THEN 1.4 ELSE 0 END))
       FROM generate_series(1, 60) g),
    :'base'::jsonb || '{"start_capacity": 8}');

-- a single busy sample (shorter than scale_up_delay) does not: the first
-- step down comes 10 s after the fall, as with no spike at all
SELECT step, cpu, target_capacity, serverless_database_capacity AS capacity, events
  FROM aurora_serverless.simulate(
    (SELECT jsonb_agg(jsonb_build_object('cpu', CASE WHEN g % 8 = 0 THEN 1.4 ELSE 0 END))
       FROM generate_series(1, 14) g),
    :'base'::jsonb || '{"start_capacity": 8}')
 WHERE step IN (1, 8, 10, 11, 12);

-- clamped at max
SELECT max(target_capacity) AS target, max(serverless_database_capacity) AS capacity
  FROM aurora_serverless.simulate(
    (SELECT jsonb_agg(jsonb_build_object('cpu', 100)) FROM generate_series(1, 20)),
    :'base'::jsonb || '{"max_capacity": 6}');

-- 0.5 ACU rounding, each component
SELECT step, cpu, memory_gib, connections, cpu_goal, memory_goal,
       connections_goal, target_capacity
  FROM aurora_serverless.simulate('[
    {"cpu": 0.18},
    {"cpu": 0.175},
    {"memory_gib": 3.3},
    {"memory_gib": 3.2},
    {"connections": 181},
    {"connections": 180},
    {"cpu": 0.1, "memory_gib": 1, "connections": 500}
  ]', :'base');

-- a new range applies at the next sample: above a lowered max comes down,
-- below a raised min goes up
SELECT step, min_capacity, max_capacity, serverless_database_capacity AS capacity,
       events, reason
  FROM aurora_serverless.simulate('[{"cpu": 0}, {"cpu": 0, "max_capacity": 4},
    {"cpu": 0}, {"cpu": 0, "min_capacity": 6, "max_capacity": 8}, {"cpu": 0}]',
    :'base'::jsonb || '{"start_capacity": 12}');
SELECT * FROM aurora_serverless.simulate('[{"cpu": 0}, {"max_capacity": 0.5}]');
SELECT * FROM aurora_serverless.simulate('[{"min_capacity": 4, "max_capacity": 2}]');

-- times given explicitly: the delay is in seconds, not samples
SELECT step, t, serverless_database_capacity AS capacity, events
  FROM aurora_serverless.simulate('[
    {"t": 0, "cpu": 2}, {"t": 0.5, "cpu": 2}, {"t": 1, "cpu": 2},
    {"t": 5, "cpu": 2}, {"t": 6, "cpu": 2}]', :'base');

-- the settings in force are the default
SELECT count(*) FROM aurora_serverless.simulate('[{}]');

-- bad input: clear errors
SELECT * FROM aurora_serverless.simulate(NULL);
SELECT * FROM aurora_serverless.simulate('[]', NULL);
SELECT * FROM aurora_serverless.simulate('{}');
SELECT * FROM aurora_serverless.simulate('5');
SELECT * FROM aurora_serverless.simulate('[1]');
SELECT * FROM aurora_serverless.simulate('[{"cpu": -1}]');
SELECT * FROM aurora_serverless.simulate('[{"cpu": "lots"}]');
SELECT * FROM aurora_serverless.simulate('[{"cpus": 1}]');
SELECT * FROM aurora_serverless.simulate('[{"connections": 2.5}]');
SELECT * FROM aurora_serverless.simulate('[{"t": 5}, {"t": 4}]');
SELECT * FROM aurora_serverless.simulate('[{"cpu": 1e400}]');
SELECT * FROM aurora_serverless.simulate('[{}]', '[]');
SELECT * FROM aurora_serverless.simulate('[{}]', '{"max_capacity": 0.5}');
SELECT * FROM aurora_serverless.simulate('[{}]', '{"min_capacity": 9, "max_capacity": 8}');
SELECT * FROM aurora_serverless.simulate('[{}]', '{"engine_mode": "v9"}');
SELECT * FROM aurora_serverless.simulate('[{}]', '{"engine_mode": 2}');
SELECT * FROM aurora_serverless.simulate('[{}]', '{"scale_up_delay": -1}');
SELECT * FROM aurora_serverless.simulate('[{}]', '{"vcpus_per_acu": 0}');
SELECT * FROM aurora_serverless.simulate('[{}]', '{"bogus": 1}');
SELECT * FROM aurora_serverless.simulate('[{}]', '{"sample_interval": 0}');
