-- Auto-pause and resume, refused connections as demand, and the aurora lag
-- profile, on simulated traces; the pause_blockers view; pause()/resume().
\set v2 '{"min_capacity": 0, "max_capacity": 8, "scale_up_delay": 0, "scale_down_delay": 1000, "seconds_until_auto_pause": 300}'

-- v2 with min_capacity 0: pauses after 300 s with no connection, at 0 ACU,
-- and the next connection resumes it at the capacity it paused at
SELECT step, t, connections, serverless_database_capacity AS capacity, state, events, reason
  FROM aurora_serverless.simulate('[
    {"t": 0, "connections": 3, "cpu": 0.4}, {"t": 1, "connections": 3, "cpu": 0.4},
    {"t": 2, "connections": 0}, {"t": 301}, {"t": 302}, {"t": 303},
    {"t": 900, "connections": 1}, {"t": 901, "connections": 1}]', :'v2');

-- connections of ignored roles (awake_connections 0) do not keep it awake
SELECT step, t, serverless_database_capacity AS capacity, state, events
  FROM aurora_serverless.simulate('[
    {"t": 0, "connections": 2, "awake_connections": 0},
    {"t": 300, "connections": 2, "awake_connections": 0},
    {"t": 400, "connections": 2, "awake_connections": 0}]', :'v2');

-- a connection that comes and goes resets the idle time
SELECT step, t, state, events
  FROM aurora_serverless.simulate('[
    {"t": 0}, {"t": 200, "connections": 1}, {"t": 201}, {"t": 450}, {"t": 501}]', :'v2');

-- blockers (of ignored sessions) keep it from pausing
SELECT max(state) AS state, count(events) AS events
  FROM aurora_serverless.simulate('[
    {"t": 0, "blocked": true}, {"t": 400, "blocked": true}, {"t": 800, "blocked": true}]', :'v2');

-- no auto-pause with min_capacity 0.5
SELECT max(state) AS state
  FROM aurora_serverless.simulate('[{"t": 0}, {"t": 1000}]',
    :'v2'::jsonb || '{"min_capacity": 0.5}');

-- v1 pauses with auto_pause on
SELECT step, t, serverless_database_capacity AS capacity, state, events
  FROM aurora_serverless.simulate('[{"t": 0}, {"t": 301}, {"t": 400, "connections": 1}]',
    '{"engine_mode": "v1", "min_capacity": 2, "max_capacity": 8, "auto_pause": true, "seconds_until_auto_pause": 300}');

-- pause() and resume(), modelled
SELECT step, state, events, reason
  FROM aurora_serverless.simulate('[
    {"t": 0, "connections": 1}, {"t": 1, "connections": 1, "pause": true},
    {"t": 2, "connections": 1}, {"t": 3, "connections": 1, "resume": true}]',
    :'v2'::jsonb || '{"min_capacity": 0.5}');

-- refused connections are demand: 90 open and 190 refused at 0.5 ACU ask
-- for 280 connections, 2 ACU, kept for 60 s after the last refusal
SELECT step, t, connections, connections_goal, target_capacity,
       serverless_database_capacity AS capacity, events
  FROM aurora_serverless.simulate('[
    {"t": 0, "connections": 90, "rejected": 190}, {"t": 1, "connections": 90},
    {"t": 2}, {"t": 59}, {"t": 61}]',
    '{"min_capacity": 0.5, "max_capacity": 16, "scale_up_delay": 0, "scale_down_delay": 1000}');

-- a storm whose last refusals are counted after the connections that were
-- in have closed: 90 open, 158 refused, then 32 more refused with none
-- open still wanted 90 + 190 = 280 connections (2 ACU), not 0 + 190
SELECT step, t, connections, connections_goal, target_capacity,
       serverless_database_capacity AS capacity, events
  FROM aurora_serverless.simulate('[
    {"t": 0, "connections": 90}, {"t": 1, "connections": 90, "rejected": 158},
    {"t": 2, "connections": 0, "rejected": 32}, {"t": 3}]',
    '{"min_capacity": 0.5, "max_capacity": 16, "scale_up_delay": 0, "scale_down_delay": 1000}');

-- the storm began while the connections that were in left: the sample
-- before its first refusal counts as open during it
SELECT step, t, connections, connections_goal, target_capacity
  FROM aurora_serverless.simulate('[
    {"t": 0, "connections": 90}, {"t": 1, "connections": 0, "rejected": 190}]',
    '{"min_capacity": 0.5, "max_capacity": 16, "scale_up_delay": 0, "scale_down_delay": 1000}');

-- a second storm within the memory of the first never lowers the demand;
-- one after the memory is over starts afresh
SELECT step, t, connections_goal, target_capacity
  FROM aurora_serverless.simulate('[
    {"t": 0, "connections": 90, "rejected": 190}, {"t": 20, "connections": 10, "rejected": 5},
    {"t": 100}, {"t": 120, "connections": 10, "rejected": 5}]',
    '{"min_capacity": 0.5, "max_capacity": 16, "scale_up_delay": 0, "scale_down_delay": 1000}');

-- the aurora lag profile: each scale-up step takes 15 s at 0.5 ACU, more
-- at larger sizes, up to 90 s at 256 ACU
SELECT step, t, serverless_database_capacity AS capacity, events
  FROM aurora_serverless.simulate(
    (SELECT jsonb_agg(jsonb_build_object('t', g, 'cpu', 3)) FROM generate_series(0, 150, 5) g),
    '{"min_capacity": 0.5, "max_capacity": 64, "scale_up_delay": 1, "scaling_lag": "aurora"}')
 WHERE events IS NOT NULL;
SELECT step, t, serverless_database_capacity AS capacity, events
  FROM aurora_serverless.simulate(
    (SELECT jsonb_agg(jsonb_build_object('t', g, 'cpu', 3)) FROM generate_series(0, 10) g),
    '{"min_capacity": 0.5, "max_capacity": 64, "scale_up_delay": 1, "scaling_lag": "instant"}')
 WHERE events IS NOT NULL;

-- bad input
SELECT * FROM aurora_serverless.simulate('[{}]', '{"scaling_lag": "slow"}');
SELECT * FROM aurora_serverless.simulate('[{}]', '{"auto_pause": "yes"}');
SELECT * FROM aurora_serverless.simulate('[{}]', '{"seconds_until_auto_pause": 0}');
SELECT * FROM aurora_serverless.simulate('[{"rejected": -1}]');
SELECT * FROM aurora_serverless.simulate('[{"arrivals": 0.5}]');
SELECT * FROM aurora_serverless.simulate('[{"pause": 1}]');

-- the pause_blockers view: auto-pause is off here, and this session is a
-- connection that keeps the instance awake
SELECT pid IS NULL AS no_pid, blocker, detail, hint
  FROM aurora_serverless.pause_blockers WHERE pid IS NULL;
SELECT blocker, detail ~ '^(active|idle) for [0-9]+ s$' AS detail, hint
  FROM aurora_serverless.pause_blockers WHERE pid = pg_backend_pid();

-- pause_ignore_roles: list syntax and role names are checked
ALTER SYSTEM SET aurora_serverless.pause_ignore_roles = 'no_such_role';
ALTER SYSTEM SET aurora_serverless.pause_ignore_roles = '"unterminated';
ALTER SYSTEM SET aurora_serverless.pause_ignore_roles = 'a,,b';
CREATE ROLE regress_monitor;
ALTER SYSTEM SET aurora_serverless.pause_ignore_roles = 'regress_monitor';
SELECT pg_reload_conf();
ALTER SYSTEM RESET aurora_serverless.pause_ignore_roles;
SELECT pg_reload_conf();
DROP ROLE regress_monitor;
ALTER SYSTEM SET aurora_serverless.scaling_lag = 'slow';
ALTER SYSTEM SET aurora_serverless.seconds_until_auto_pause = 0;
ALTER SYSTEM SET aurora_serverless.resume_delay = '2min';

-- pause() refuses while other sessions keep the instance awake; resume()
-- of an active instance is a notice; neither is for everyone
SELECT aurora_serverless.resume()->>'Status' AS status;
CREATE ROLE regress_plain;
SET ROLE regress_plain;
SELECT aurora_serverless.pause();
SELECT aurora_serverless.resume();
RESET ROLE;
DROP ROLE regress_plain;
