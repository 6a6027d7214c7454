-- Auto-pause and resume, refused connections as demand, and the aurora lag
-- profile, on simulated traces; the pause_blockers view; pause()/resume().
\set v2 '{"min_capacity": 0, "max_capacity": 8, "scale_up_delay": 0, "scale_down_delay": 1000, "seconds_until_auto_pause": 300}'

-- v2 with min_capacity 0: 300 s with no connection initiate a pause
-- (RDS-EVENT-0370), done 5 s later at 0 ACU (0372); the next connection
-- initiates a resume (0373), done (0374) at resume_capacity (2 ACU by
-- default), not at the 3.5 ACU it paused at
SELECT step, t, connections, serverless_database_capacity AS capacity, state, events, reason
  FROM aurora_serverless.simulate('[
    {"t": 0, "connections": 3, "cpu": 0.6}, {"t": 1, "connections": 3, "cpu": 0.6},
    {"t": 2, "connections": 3, "cpu": 0.6},
    {"t": 3, "connections": 0}, {"t": 302}, {"t": 303}, {"t": 305}, {"t": 308}, {"t": 309},
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

-- v2 resumes at resume_capacity within the range; v1 where it paused
SELECT engine, step, t, serverless_database_capacity AS capacity, state, events
  FROM (VALUES ('v2 resume_capacity 4', :'v2'::jsonb || '{"resume_capacity": 4}'),
               ('v2 max 1', :'v2'::jsonb || '{"max_capacity": 1}'),
               ('v1', '{"engine_mode": "v1", "min_capacity": 2, "max_capacity": 8, "auto_pause": true, "seconds_until_auto_pause": 300}')) v(engine, cfg),
       LATERAL aurora_serverless.simulate('[{"t": 0}, {"t": 300}, {"t": 305}, {"t": 400, "connections": 1}]', cfg)
 WHERE t >= 400;

-- a connection that arrives while the pause is being done cancels it
-- (RDS-EVENT-0371); the instance stays awake and waits again
SELECT step, t, serverless_database_capacity AS capacity, state, events, reason
  FROM aurora_serverless.simulate('[
    {"t": 0}, {"t": 300}, {"t": 302, "arrivals": 1}, {"t": 303}, {"t": 600}, {"t": 602}, {"t": 605}]', :'v2');

-- resume_delay: a resume takes that long (connections wait for it), the
-- aurora profile's 15 s, and 30 s after more than a day paused
SELECT cfg, step, t, serverless_database_capacity AS capacity, state, events
  FROM (VALUES ('resume_delay 10', :'v2'::jsonb || '{"resume_delay": 10}'),
               ('aurora, paused 1 h', :'v2'::jsonb || '{"scaling_lag": "aurora"}')) v(cfg, settings),
       LATERAL aurora_serverless.simulate('[{"t": 0}, {"t": 300}, {"t": 305},
         {"t": 4000, "connections": 1}, {"t": 4009, "connections": 1},
         {"t": 4010, "connections": 1}, {"t": 4015, "connections": 1}]', settings)
 WHERE t >= 4000;
SELECT step, t, state, events
  FROM aurora_serverless.simulate('[{"t": 0}, {"t": 300}, {"t": 305},
         {"t": 100000, "connections": 1}, {"t": 100015, "connections": 1},
         {"t": 100030, "connections": 1}]', :'v2'::jsonb || '{"scaling_lag": "aurora"}')
 WHERE t >= 100000;

-- pause() and resume(), modelled: an administrative wake-up (resume(), or
-- a change of the range while paused) keeps it awake for
-- seconds_awake_after_wakeup (20 minutes), a connection does not
SELECT step, t, state, events, reason
  FROM aurora_serverless.simulate('[
    {"t": 0, "connections": 1}, {"t": 1, "connections": 1, "pause": true},
    {"t": 6}, {"t": 10, "resume": true},
    {"t": 400}, {"t": 1209}, {"t": 1210}, {"t": 1215}]', :'v2');
SELECT step, t, state, events, reason
  FROM aurora_serverless.simulate('[
    {"t": 0}, {"t": 300}, {"t": 305}, {"t": 310, "connections": 1}, {"t": 311},
    {"t": 611}, {"t": 616}]', :'v2');

-- a change of the range while paused resumes it: raising min from 0 never
-- leaves it paused with a non-zero minimum; a new max resumes it too
SELECT step, t, min_capacity, serverless_database_capacity AS capacity, state, events, reason
  FROM aurora_serverless.simulate('[
    {"t": 0}, {"t": 300}, {"t": 305}, {"t": 400, "min_capacity": 0.5}, {"t": 401}]', :'v2');
SELECT step, t, max_capacity, serverless_database_capacity AS capacity, state, events, reason
  FROM aurora_serverless.simulate('[
    {"t": 0}, {"t": 300}, {"t": 305}, {"t": 400, "max_capacity": 16}, {"t": 401}]', :'v2');

-- pause() is refused when the range does not allow a pause
SELECT * FROM aurora_serverless.simulate('[{"pause": true}]', :'v2'::jsonb || '{"min_capacity": 0.5}');
SELECT * FROM aurora_serverless.simulate('[{"pause": true}]',
  '{"engine_mode": "v1", "min_capacity": 2, "max_capacity": 8, "auto_pause": false}');

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

-- the aurora lag profile as measured in 2024 (platform version 2): small
-- capacities step within seconds, larger ones after a reaction time (15 s
-- at 4 ACU) and a cooldown that grows with the capacity (70 s at 8 ACU);
-- version 4, the default, takes the same steps in 0.44 of the time; see
-- the calibration test
SELECT v.version, step, t, serverless_database_capacity AS capacity, events
  FROM (VALUES ('2'), ('4')) v(version),
       LATERAL aurora_serverless.simulate(
    (SELECT jsonb_agg(jsonb_build_object('t', g, 'cpu', 3)) FROM generate_series(0, 150, 5) g),
    '{"min_capacity": 0.5, "max_capacity": 64, "scale_up_delay": 1, "scaling_lag": "aurora"}'::jsonb
      || jsonb_build_object('platform_version', v.version))
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
SELECT * FROM aurora_serverless.simulate('[{}]', '{"resume_delay": -0.5}');
SELECT * FROM aurora_serverless.simulate('[{}]', '{"resume_delay": 61}');
SELECT * FROM aurora_serverless.simulate('[{}]', '{"resume_capacity": 0.25}');
SELECT * FROM aurora_serverless.simulate('[{}]', '{"resume_capacity": 2.2}');
SELECT * FROM aurora_serverless.simulate('[{}]', '{"scale_down_delay": -2}');
SELECT * FROM aurora_serverless.simulate('[{}]', '{"seconds_awake_after_wakeup": -1}');
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

-- pause() refuses while other sessions keep the instance awake; resume()
-- of an active instance is a notice; neither is for everyone
SELECT aurora_serverless.resume()->>'Status' AS status;
-- pause() is refused when the range does not allow a pause (min 0.5 here)
SELECT aurora_serverless.pause();
CREATE ROLE regress_plain;
SET ROLE regress_plain;
SELECT aurora_serverless.pause();
SELECT aurora_serverless.resume();
RESET ROLE;
DROP ROLE regress_plain;
