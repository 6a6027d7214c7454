-- CloudWatch's GetMetricStatistics over the recorded samples, the text
-- chart, the HTML report and the narrow status view.
CREATE FUNCTION wait_for_samples(n int) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  FOR i IN 1..600 LOOP
    EXIT WHEN (SELECT count(*) >= n FROM aurora_serverless.metrics);
    PERFORM pg_sleep(0.05);
  END LOOP;
END $$;
SELECT wait_for_samples(10);
SELECT min(sample_time) AS t0, max(sample_time) + interval '1 ms' AS t1
  FROM aurora_serverless.metrics \gset

-- one row per period with samples; the statistics of the samples in it
CREATE TEMP TABLE stats AS
SELECT * FROM aurora_serverless.get_metric_statistics('ServerlessDatabaseCapacity',
         :'t0', :'t1', 60, ARRAY['Average', 'Maximum', 'Minimum', 'Sum', 'SampleCount']);
SELECT sum(sample_count) = (SELECT count(*) FROM aurora_serverless.metrics
                             WHERE sample_time >= :'t0' AND sample_time < :'t1') AS every_sample,
       bool_and(sum = round(average * sample_count, 3)) AS sum_is_average_times_count,
       bool_and(minimum <= average AND average <= maximum) AS ordered,
       min(unit) AS unit
  FROM stats;
-- the same figures as the metrics view, period by period
SELECT bool_and(s.maximum = m.mx AND s.sample_count = m.n) AS matches_metrics
  FROM stats s
  JOIN (SELECT to_timestamp(floor(extract(epoch FROM sample_time) / 60) * 60) AS p,
               max(serverless_database_capacity) AS mx, count(*) AS n
          FROM aurora_serverless.metrics
         WHERE sample_time >= :'t0' AND sample_time < :'t1' GROUP BY 1) m
    ON m.p = s."timestamp";
-- only the statistics asked for; each metric has its unit
SELECT average IS NULL AS no_average, maximum IS NOT NULL AS maximum, unit
  FROM aurora_serverless.get_metric_statistics('FreeableMemory', :'t0', :'t1', 3600,
                                               '{Maximum}') LIMIT 1;
SELECT m, (SELECT min(unit) FROM aurora_serverless.get_metric_statistics(m, :'t0', :'t1', 300, '{SampleCount}')) AS unit
  FROM unnest(ARRAY['ServerlessDatabaseCapacity', 'ACUUtilization', 'CPUUtilization',
                    'DatabaseConnections', 'FreeableMemory']) m;
-- bad input: clear errors naming what is valid
SELECT * FROM aurora_serverless.get_metric_statistics('Capacity', now() - interval '1 h', now(), 60, '{Average}');
SELECT * FROM aurora_serverless.get_metric_statistics('serverless_database_capacity', now() - interval '1 h', now(), 60, '{Average}');
SELECT * FROM aurora_serverless.get_metric_statistics('CPUUtilization', now() - interval '1 h', now(), 60, '{Mean}');
SELECT * FROM aurora_serverless.get_metric_statistics('CPUUtilization', now() - interval '1 h', now(), 60, '{}');
SELECT * FROM aurora_serverless.get_metric_statistics('CPUUtilization', now() - interval '1 h', now(), 60, ARRAY['Average', NULL]);
SELECT * FROM aurora_serverless.get_metric_statistics('CPUUtilization', now() - interval '1 h', now(), 0, '{Average}');
SELECT * FROM aurora_serverless.get_metric_statistics('CPUUtilization', now(), now() - interval '1 h', 60, '{Average}');
SELECT * FROM aurora_serverless.get_metric_statistics('CPUUtilization', now() - interval '2 days', now(), 60, '{Average}');
SELECT * FROM aurora_serverless.get_metric_statistics(NULL, now() - interval '1 h', now(), 60, '{Average}');
-- the widest range a timestamp has is still more than 1440 periods
SELECT * FROM aurora_serverless.get_metric_statistics('ACUUtilization', '4713-01-01 BC', '294276-12-30', 1, '{Average}');
SELECT * FROM aurora_serverless.get_metric_statistics('ACUUtilization', '4713-01-01 BC', '294276-12-30', 86400, '{Average}');

-- an error that quotes a long argument cuts it at a character, so that it
-- converts to any client encoding (here LATIN9, which has the euro sign)
CREATE FUNCTION error_in_latin9(query text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
  msg text;
BEGIN
  EXECUTE query;
  RETURN 'no error';
EXCEPTION WHEN OTHERS THEN
  GET STACKED DIAGNOSTICS msg = MESSAGE_TEXT;
  RETURN convert_from(convert_to(msg, 'LATIN9'), 'LATIN9');
END $$;
SELECT error_in_latin9($$SELECT * FROM aurora_serverless.chart(repeat('€', 30))$$);
SELECT error_in_latin9($$SELECT * FROM aurora_serverless.get_metric_statistics(repeat('€', 70), now() - interval '1 h', now(), 60, '{Average}')$$);
SELECT error_in_latin9($$SELECT * FROM aurora_serverless.get_metric_statistics('ACUUtilization', now() - interval '1 h', now(), 60, ARRAY[repeat('€', 70)])$$);
SELECT error_in_latin9($$SELECT aurora_serverless.put_metric_alarm('x', 'CPUUtilization', 'Average', 60, 1, 1, repeat('€', 70))$$);
SELECT error_in_latin9($$SELECT aurora_serverless.simulate('[{}]', jsonb_build_object('engine_mode', repeat('€', 70)))$$);
DROP FUNCTION error_in_latin9(text);

-- a text chart that fits its width: a title, 8 rows, the axis, the times
SELECT count(*) AS lines, max(length(line)) <= 40 AS fits_40,
       bool_or(line ~ '[▁▂▃▄▅▆▇█]') AS has_bars
  FROM aurora_serverless.chart('serverless_database_capacity', :'t0', :'t1', 40) AS line;
SELECT max(length(line)) <= 72 AS fits_72
  FROM aurora_serverless.chart() AS line;
SELECT line FROM aurora_serverless.chart('DatabaseConnections', :'t0', :'t1', 30) AS line LIMIT 1;
SELECT * FROM aurora_serverless.chart('nothing');
SELECT * FROM aurora_serverless.chart(width => 10);
-- bytes of freeable memory on a 6-column axis, at the narrowest width; the
-- two times under the plot only when both fit with a space between them
SELECT max(length(line)) AS widest, count(*) FILTER (WHERE line ~ '\d\d:\d\d:\d\d') AS time_lines,
       bool_and(line !~ '\d\d:\d\d:\d\d\d\d') AS times_apart
  FROM aurora_serverless.chart('freeable_memory', :'t0', :'t1', 20) AS line;
SELECT length((regexp_match(line, '^ *([^ ]+) ┤'))[1]) <= 6 AS label_fits
  FROM aurora_serverless.chart('freeable_memory', :'t0', :'t1', 40) AS line
 WHERE line ~ '┤' LIMIT 1;
SELECT max(length(line)) AS widest,
       bool_or(line ~ '^ {8}\d\d:\d\d:\d\d +\d\d:\d\d:\d\d$') AS both_times
  FROM aurora_serverless.chart('freeable_memory', :'t0', :'t1', 40) AS line;
SELECT * FROM aurora_serverless.chart(since => now(), until => now() - interval '1 h');

-- the report: one page, an SVG with one point per sample, nothing fetched
SELECT r LIKE '<!DOCTYPE html>%' AS html,
       (regexp_match(r, 'data-samples="(\d+)"'))[1]::int =
         (SELECT count(*) FROM aurora_serverless.metrics
           WHERE sample_time >= :'t0' AND sample_time <= :'t1') AS one_point_per_sample,
       (regexp_match(r, '<polyline id="capacity" data-points="(\d+)"'))[1]::int =
         array_length(string_to_array((regexp_match(r, '<polyline id="capacity"[^>]* points="([^"]*)"'))[1], ' '), 1)
         AS points_drawn,
       r !~* '<script|src=|href=|@import|url\(' AS self_contained
  FROM aurora_serverless.report(:'t0', :'t1') r;

-- the status view: what capacity, why, how close to the limits (once the
-- CPU of the queries above has left the samples)
DO $$
BEGIN
  FOR i IN 1..1200 LOOP
    EXIT WHEN (SELECT target = 0.5 FROM aurora_serverless.status);
    PERFORM pg_sleep(0.05);
  END LOOP;
END $$;
SELECT state, acu, target, range, why FROM aurora_serverless.status;
SELECT array_agg(attname ORDER BY attnum) FROM pg_attribute
 WHERE attrelid = 'aurora_serverless.status'::regclass AND attnum > 0;

DROP FUNCTION wait_for_samples(int);
