-- Aurora Serverless v2 as AWS documents it in 2026: platform versions,
-- logical replication enabled, a reader's slower resume, paused members of
-- a cluster.
\set v2 '{"min_capacity": 0, "max_capacity": 16, "scale_up_delay": 1, "scale_down_delay": 10, "scale_down_interval": 1, "seconds_until_auto_pause": 300}'

-- the platform version: describe() shows AWS's ServerlessV2PlatformVersion,
-- a string; the latest, 4, by default
SHOW aurora_serverless.platform_version;
SELECT aurora_serverless.describe()->'ServerlessV2PlatformVersion' AS platform_version;

-- simulate() takes it as AWS writes it ("3") or as a number; the aurora
-- profile's first step from 4 ACU comes after 15 s on versions 1 and 2,
-- 12.12 s on 3 and 6.67 s on 4 (calibration has every step)
SELECT v.version, min(t) AS first_step_s
  FROM (VALUES ('"1"'), ('"2"'), ('"3"'), ('4')) v(version),
       LATERAL aurora_serverless.simulate(
         (SELECT jsonb_agg(jsonb_build_object('t', g / 4.0, 'cpu', 2)) FROM generate_series(0, 100) g),
         jsonb_build_object('min_capacity', 4, 'max_capacity', 32, 'scaling_lag', 'aurora',
                            'scale_up_delay', 1, 'sample_interval', 0.25,
                            'platform_version', v.version::jsonb))
 WHERE events LIKE '%scale_up%'
 GROUP BY v.version ORDER BY v.version;
-- the instant profile is not Aurora's: no version changes it
SELECT (SELECT array_agg(serverless_database_capacity ORDER BY step)
          FROM aurora_serverless.simulate(
            (SELECT jsonb_agg(jsonb_build_object('t', g, 'cpu', 2)) FROM generate_series(0, 10) g),
            '{"min_capacity": 0.5, "max_capacity": 32, "scaling_lag": "instant", "platform_version": "1"}'))
     = (SELECT array_agg(serverless_database_capacity ORDER BY step)
          FROM aurora_serverless.simulate(
            (SELECT jsonb_agg(jsonb_build_object('t', g, 'cpu', 2)) FROM generate_series(0, 10) g),
            '{"min_capacity": 0.5, "max_capacity": 32, "scaling_lag": "instant", "platform_version": "4"}'))
       AS instant_same_on_1_and_4;
-- bad versions change nothing
SELECT * FROM aurora_serverless.simulate('[{}]', '{"platform_version": "5"}');
SELECT * FROM aurora_serverless.simulate('[{}]', '{"platform_version": 3.5}');
SELECT * FROM aurora_serverless.simulate('[{}]', '{"platform_version": 0}');
SELECT * FROM aurora_serverless.simulate('[{}]', '{"platform_version": true}');
SELECT * FROM aurora_serverless.simulate('[{}]', '{"platform_version": ""}');

-- logical replication enabled (wal_level = logical, AWS's
-- rds.logical_replication = 1) keeps the writer and tier 0/1 readers awake
-- with no consumer connected, and cancels a pause under way; without it
-- the same samples pause
SELECT lr, step, t, state, events, reason
  FROM (VALUES (false), (true)) v(lr),
       LATERAL aurora_serverless.simulate(
         (SELECT jsonb_agg(jsonb_build_object('t', g, 'logical_replication', v.lr))
            FROM unnest(ARRAY[0, 300, 305, 400]) g), :'v2')
 WHERE events IS NOT NULL OR t = 400
 ORDER BY lr, step;
SELECT step, t, state, events, reason
  FROM aurora_serverless.simulate('[{"t": 0}, {"t": 300}, {"t": 302, "logical_replication": true}]', :'v2');
-- a tier 2-15 reader (logical_replication not set for it) still pauses
SELECT step, t, state, events
  FROM aurora_serverless.simulate('[{"t": 0, "reader": true}, {"t": 300, "reader": true}]', :'v2')
 WHERE events IS NOT NULL;
SELECT * FROM aurora_serverless.simulate('[{"logical_replication": 1}]');
SELECT * FROM aurora_serverless.simulate('[{"writer_capacity": 2, "reader": false}]');

-- a reader resumes slightly later than the writer: 2 s under the aurora
-- profile (the model's choice; AWS gives no figure), not with an explicit
-- resume_delay
SELECT who, min(t) FILTER (WHERE events LIKE '%resume_initiated%') AS initiated,
       min(t) FILTER (WHERE events = 'resume') AS resumed
  FROM (VALUES ('writer', false), ('reader', true)) v(who, reader),
       LATERAL aurora_serverless.simulate(
         (SELECT jsonb_agg(jsonb_build_object('t', g, 'reader', v.reader,
                                              'connections', CASE WHEN g >= 1000 THEN 1 ELSE 0 END))
            FROM generate_series(0, 1030) g),
         :'v2'::jsonb || '{"scaling_lag": "aurora"}')
 GROUP BY who ORDER BY who DESC;
SELECT who, min(t) FILTER (WHERE events = 'resume') AS resumed
  FROM (VALUES ('writer', false), ('reader', true)) v(who, reader),
       LATERAL aurora_serverless.simulate(
         (SELECT jsonb_agg(jsonb_build_object('t', g, 'reader', v.reader,
                                              'connections', CASE WHEN g >= 1000 THEN 1 ELSE 0 END))
            FROM generate_series(0, 1030) g),
         :'v2'::jsonb || '{"scaling_lag": "aurora", "resume_delay": 10}')
 GROUP BY who ORDER BY who DESC;

-- CloudWatch's cluster-level ServerlessDatabaseCapacity is the average over
-- the cluster's instances, a paused one counting as 0: a paused reader is
-- counted, not dropped, at 0 ACU whatever it reported
SELECT writer_name FROM aurora_serverless.cluster_report('awake-reader', 2, 4, 'active', 1, 1, 0,
         '2026-01-01 00:00+00', 10, '0/0');
SELECT writer_name FROM aurora_serverless.cluster_report('paused-reader', 3, 0, 'paused', 0, 0, 0,
         '2026-01-01 00:00+00', 10, '0/0');
SELECT writer_name FROM aurora_serverless.cluster_report('resuming-reader', 4, 2, 'resuming', 0, 0, 0,
         '2026-01-01 00:00+00', 10, '0/0');
SELECT instance_name, state, serverless_database_capacity AS capacity
  FROM aurora_serverless.cluster_instances
 WHERE instance_name IN ('awake-reader', 'paused-reader', 'resuming-reader')
 ORDER BY instance_name;
SELECT c.instances = i.live AS paused_counted,
       c.total_capacity = i.awake_total AS paused_at_0,
       c.serverless_database_capacity = round(c.total_capacity / c.instances, 3) AS average
  FROM aurora_serverless.cluster c,
       (SELECT count(*) FILTER (WHERE state <> 'stale') AS live,
               sum(serverless_database_capacity)
                 FILTER (WHERE state NOT IN ('stale', 'paused', 'resuming')) AS awake_total
          FROM aurora_serverless.cluster_instances) i;
SELECT aurora_serverless.cluster_remove_reader(n)
  FROM unnest(ARRAY['awake-reader', 'paused-reader', 'resuming-reader']) n;
