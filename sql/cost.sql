-- Accounting, cost, replay and advice.

-- exact ACU-hours of known trajectories: simulate() bills the capacity held
-- since the previous sample, as AWS does
\set flat '{"min_capacity": 2, "max_capacity": 8, "scale_up_delay": 0, "scale_down_delay": 1000}'
SELECT sum(acu_seconds) AS acu_seconds, sum(acu_seconds) / 3600 AS acu_hours,
       round((sum(acu_seconds) / 3600 * 0.12)::numeric, 6) AS cost_at_0_12
  FROM aurora_serverless.simulate(
    (SELECT jsonb_agg(jsonb_build_object('t', g)) FROM generate_series(0, 3600, 60) g), :'flat');

-- a step trajectory: 2 ACU for 10 s, then 8 ACU for 10 s
SELECT step, t, held_capacity, acu_seconds, serverless_database_capacity AS capacity
  FROM aurora_serverless.simulate('[
    {"t": 0}, {"t": 10, "cpu": 1.3}, {"t": 11, "cpu": 1.3}, {"t": 21, "cpu": 1.3}]', :'flat');
SELECT sum(acu_seconds) AS acu_seconds
  FROM aurora_serverless.simulate('[
    {"t": 0}, {"t": 10, "cpu": 1.3}, {"t": 11, "cpu": 1.3}, {"t": 21, "cpu": 1.3}]', :'flat');

-- paused time costs nothing: 0.5 ACU until the pause initiated at 300 s is
-- done, 5 s later; nothing after
SELECT sum(acu_seconds) AS acu_seconds, sum(CASE WHEN state = 'paused' THEN 1 END) AS paused_samples
  FROM aurora_serverless.simulate(
    (SELECT jsonb_agg(jsonb_build_object('t', g)) FROM generate_series(0, 900, 5) g),
    '{"min_capacity": 0, "max_capacity": 8, "seconds_until_auto_pause": 300}');

-- a higher min never costs less, on the same trace
SELECT m AS min_capacity, sum(acu_seconds) AS acu_seconds
  FROM unnest(ARRAY[0.5, 1, 2, 4, 8]) AS m,
       LATERAL aurora_serverless.simulate(
         (SELECT jsonb_agg(jsonb_build_object('t', g, 'cpu', CASE WHEN g % 30 < 5 THEN 1 ELSE 0.05 END))
            FROM generate_series(0, 600) g),
         jsonb_build_object('min_capacity', m, 'max_capacity', 16, 'scale_up_delay', 1,
                            'scale_down_delay', 10, 'scale_down_interval', 2))
 GROUP BY m ORDER BY m;

-- usage() of what the worker recorded in this cluster: covers every sample
-- (the worker samples all along: as many as there were before, or after)
SELECT count(*) AS samples_before FROM aurora_serverless.metrics \gset
SELECT samples BETWEEN :samples_before AND (SELECT count(*) FROM aurora_serverless.metrics)
         AS every_sample,
       acu_hours > 0 AS billed, abs(estimated_cost - acu_hours * 0.12) <= 0.000001 AS cost,
       acu_hour_price, peak_capacity >= avg_capacity AS peak_above_avg
  FROM aurora_serverless.usage('-infinity', 'infinity');
-- (acu_hours, each acu_seconds and the costs are shown to 6 places: equal
-- within that)
SELECT abs(u.acu_hours - (SELECT sum(acu_seconds) / 3600 FROM aurora_serverless.metrics))
       <= 0.5e-6 + (SELECT count(*) FROM aurora_serverless.metrics) * 0.5e-6 / 3600 AS equals_ring
  FROM aurora_serverless.usage('-infinity', 'infinity') u;
-- the price is a setting
SET aurora_serverless.acu_hour_price = 0.16;
SELECT abs(estimated_cost - acu_hours * 0.16) <= 0.000001 AS io_optimized
  FROM aurora_serverless.usage('-infinity', 'infinity');
RESET aurora_serverless.acu_hour_price;
SELECT count(*) >= 1 AS hours, sum(acu_hours) > 0 AS billed
  FROM aurora_serverless.usage_hourly('-infinity', 'infinity');

-- replay() at min = max = 4 costs 4 ACU over the recorded span
SELECT abs(acu_hours * 3600 - 4 * (SELECT sum(interval_seconds) FROM aurora_serverless.metrics))
       <= 0.5e-6 * 3600 + 4 * (SELECT count(*) FROM aurora_serverless.metrics) * 0.0005 AS four_acu,
       avg_capacity, peak_capacity
  FROM aurora_serverless.replay(4, 4);
-- replay() under the live settings adds up to usage()
SELECT abs(r.acu_hours - u.acu_hours) <= 1e-6 AS agrees
  FROM aurora_serverless.replay(0.5, 16) r, aurora_serverless.usage('-infinity', 'infinity') u;
-- a higher min never costs less
SELECT bool_and(c1 <= c2) AS monotonic
  FROM (SELECT estimated_cost AS c1,
               lead(estimated_cost) OVER (ORDER BY m) AS c2
          FROM unnest(ARRAY[0.5, 1, 2, 4, 8, 16]) m,
               LATERAL aurora_serverless.replay(m, 16)) s
 WHERE c2 IS NOT NULL;
SELECT count(*) AS samples_before FROM aurora_serverless.metrics \gset
SELECT count(*) BETWEEN :samples_before AND (SELECT count(*) FROM aurora_serverless.metrics)
         AS every_sample,
       bool_and(serverless_database_capacity = 4) AS at_four
  FROM aurora_serverless.replay_trajectory(4, 4);
SELECT samples > 0 AS samples FROM aurora_serverless.replay(2, 8, 'v1');

-- advice
SELECT setting, recommended_value IS NOT NULL AS has_value, length(reason) > 20 AS explained
  FROM aurora_serverless.recommend();
-- a history shorter than min_history (an hour) gives no advice on the
-- minimum, and says why; a shorter min_history lets it advise, with its budget
SELECT current_value = recommended_value AS kept,
       reason LIKE 'The history holds % s of samples; recommend() advises on min_capacity from 3600 s or more%' AS says_why
  FROM aurora_serverless.recommend() WHERE setting = 'min_capacity';
-- (with a few seconds of history, what the load asked above min_capacity
-- lasted less than 5 minutes: the peak of a short burst is never advised)
SELECT current_value = recommended_value AS kept,
       reason ~ '^(Budget: demand above capacity for at most 1% of the time\.|Keep it: the load asked for )' AS explained
  FROM aurora_serverless.recommend(min_history => '1 s') WHERE setting = 'min_capacity';
SELECT reason LIKE 'Budget: demand above capacity for at most 0% of the time (avoid_all_lag).%' AS no_lag_asked
  FROM aurora_serverless.recommend(true, '1 s') WHERE setting = 'min_capacity';
SELECT * FROM aurora_serverless.recommend(min_history => '-1 s');

-- the provisioned classes to compare with, and the comparison
SELECT count(*) AS classes, min(hourly_price) > 0 AS priced FROM aurora_serverless.provisioned_classes;
SELECT instance_class, provisioned_monthly_cost, cheaper IN ('serverless', 'provisioned') AS verdict,
       breakeven_avg_capacity
  FROM aurora_serverless.compare_provisioned() WHERE instance_class LIKE 'db.r6g.%large' ORDER BY 2 LIMIT 3;
SELECT provisioned_monthly_cost FROM aurora_serverless.compare_provisioned(24)
 WHERE instance_class = 'db.r6g.large';

-- bad input: clear errors
SELECT * FROM aurora_serverless.usage('2026-01-02 00:00+00', '2026-01-01 00:00+00');
SELECT * FROM aurora_serverless.usage(NULL, now());
SELECT * FROM aurora_serverless.usage_hourly(now(), NULL);
SET aurora_serverless.acu_hour_price = -1;
SET aurora_serverless.acu_hour_price = 'NaN';
SELECT * FROM aurora_serverless.replay(1, 8, 'v3');
SELECT * FROM aurora_serverless.replay(1, 8, NULL);
SELECT * FROM aurora_serverless.replay(NULL, 8);
SELECT * FROM aurora_serverless.replay(8, 1);
SELECT * FROM aurora_serverless.replay(3, 8, 'v1');
SELECT * FROM aurora_serverless.replay(1, 'Infinity');
SELECT * FROM aurora_serverless.compare_provisioned(0);
SELECT * FROM aurora_serverless.compare_provisioned(-5);
SELECT * FROM aurora_serverless.compare_provisioned(NULL);
SELECT * FROM aurora_serverless.compare_provisioned('NaN');
SELECT * FROM aurora_serverless.compare_provisioned(1e9);
