-- simulate() in engine mode v1: the capacity list, thresholds, cooldowns,
-- scaling points and timeout actions.  At 0.25 vCPU per ACU a 2 ACU
-- instance has 0.5 vCPU, so 0.4 busy vCPU is 80% CPU; the connection limit
-- of a 2 ACU instance is 400.
\set v1 '{"engine_mode": "v1", "min_capacity": 2, "max_capacity": 16, "vcpus_per_acu": 0.25, "scale_up_delay": 0, "seconds_before_timeout": 5, "timeout_action": "RollbackCapacityChange", "v1_cooldown_after_scale_up": 60, "v1_cooldown_after_scale_down": 31}'

-- CPU above 70%: one step at a time, each after a scaling point is found
SELECT step, t, cpu, serverless_database_capacity AS capacity, target_capacity, state, events, reason
  FROM aurora_serverless.simulate('[
    {"t": 0, "cpu": 0.1}, {"t": 1, "cpu": 0.4}, {"t": 2, "cpu": 0.4},
    {"t": 3, "cpu": 0.8}, {"t": 4, "cpu": 0.8}, {"t": 5, "cpu": 0.8}]', :'v1');

-- connections above 90% of the limit scale up too; 89% does not
SELECT step, connections, serverless_database_capacity AS capacity, events, reason
  FROM aurora_serverless.simulate('[
    {"t": 0, "connections": 356}, {"t": 1, "connections": 356},
    {"t": 2, "connections": 361}, {"t": 3, "connections": 361}]', :'v1');

-- scale-down: only when CPU < 30% and connections < 40% of the limit (823
-- at 4 ACU), not within 60 s of a scale-up nor 31 s of a scale-down
SELECT step, t, cpu, connections, serverless_database_capacity AS capacity, events
  FROM aurora_serverless.simulate('[
    {"t": 0, "cpu": 0.5}, {"t": 1, "cpu": 0.5},
    {"t": 30, "cpu": 0.1, "connections": 340}, {"t": 59, "cpu": 0.1},
    {"t": 61, "cpu": 0.4, "connections": 100}, {"t": 62, "cpu": 0.1, "connections": 100},
    {"t": 63, "cpu": 0.1, "connections": 100}]', :'v1');
SELECT step, t, serverless_database_capacity AS capacity, events
  FROM aurora_serverless.simulate('[
    {"t": 0}, {"t": 1}, {"t": 20}, {"t": 31}, {"t": 32}, {"t": 33}]',
    :'v1'::jsonb || '{"start_capacity": 8}');

-- blocked: the search times out and rolls back, capacity stays; a new
-- search starts only after as long again
SELECT step, t, blocked, serverless_database_capacity AS capacity, state, events
  FROM aurora_serverless.simulate('[
    {"t": 0, "cpu": 0.4}, {"t": 1, "cpu": 0.4, "blocked": true},
    {"t": 3, "cpu": 0.4, "blocked": true}, {"t": 5, "cpu": 0.4, "blocked": true},
    {"t": 7, "cpu": 0.4, "blocked": true}, {"t": 10, "cpu": 0.4, "blocked": true},
    {"t": 11, "cpu": 0.4}]', :'v1');

-- ForceApplyCapacityChange: applies at the timeout regardless
SELECT step, t, blocked, serverless_database_capacity AS capacity, events
  FROM aurora_serverless.simulate('[
    {"t": 0, "cpu": 0.4}, {"t": 1, "cpu": 0.4, "blocked": true},
    {"t": 5, "cpu": 0.4, "blocked": true}, {"t": 6, "cpu": 0.4, "blocked": true}]',
    :'v1'::jsonb || '{"timeout_action": "ForceApplyCapacityChange"}');

-- modify_current_capacity, modelled: a search for the requested capacity
SELECT step, serverless_database_capacity AS capacity, events, reason
  FROM aurora_serverless.simulate('[
    {"t": 0}, {"t": 1, "requested_capacity": 8}, {"t": 2}, {"t": 3}]',
    :'v1'::jsonb || '{"v1_cooldown_after_scale_up": 0, "v1_cooldown_after_scale_down": 0}');

-- bad input
SELECT * FROM aurora_serverless.simulate('[{}]', '{"engine_mode": "v1", "min_capacity": 3, "max_capacity": 16}');
SELECT * FROM aurora_serverless.simulate('[{}]', '{"engine_mode": "v1", "min_capacity": 2, "max_capacity": 100}');
SELECT * FROM aurora_serverless.simulate('[{"requested_capacity": 6}]', :'v1');
SELECT * FROM aurora_serverless.simulate('[{"requested_capacity": 8}]');
SELECT * FROM aurora_serverless.simulate('[{"blocked": 1}]', :'v1');
SELECT * FROM aurora_serverless.simulate('[{}]', :'v1'::jsonb || '{"timeout_action": "Wait"}');
SELECT * FROM aurora_serverless.simulate('[{}]', :'v1'::jsonb || '{"seconds_before_timeout": 0}');
SELECT * FROM aurora_serverless.simulate('[{}]', :'v1'::jsonb || '{"v1_cooldown_after_scale_up": -1}');
