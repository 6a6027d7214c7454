-- Metric alarms as aws cloudwatch put-metric-alarm and delete-alarms define
-- them: checked when put, in force when the transaction commits.

-- the two alarms a scaling-lag diagnosis starts with: capacity near the
-- maximum, and connections near the derived limit at a cold start
SELECT aurora_serverless.put_metric_alarm('capacity-near-max', 'ServerlessDatabaseCapacity',
         'Maximum', 60, 5, 14.4, 'GreaterThanOrEqualToThreshold');
SELECT aurora_serverless.put_metric_alarm('connections-near-limit', 'DatabaseConnections',
         'Maximum', 60, 1, 72, 'GreaterThanOrEqualToThreshold');
SELECT alarm_name, metric_name, statistic, period, evaluation_periods, threshold,
       comparison_operator, state_value IN ('OK', 'ALARM', 'INSUFFICIENT_DATA') AS has_state
  FROM aurora_serverless.alarms ORDER BY alarm_name;

-- put replaces an alarm of the same name
SELECT aurora_serverless.put_metric_alarm('connections-near-limit', 'DatabaseConnections',
         'Average', 300, 2, 80, 'GreaterThanThreshold');
SELECT alarm_name, statistic, period, threshold FROM aurora_serverless.alarms
 WHERE alarm_name = 'connections-near-limit';

-- a rolled-back put or delete changes nothing, nor does one in a
-- rolled-back savepoint; a released savepoint's does at commit
BEGIN;
SELECT aurora_serverless.put_metric_alarm('rolled-back', 'CPUUtilization', 'Average', 60, 1, 90, 'GreaterThanThreshold');
SELECT aurora_serverless.delete_alarms('{capacity-near-max}');
ROLLBACK;
BEGIN;
SAVEPOINT s1;
SELECT aurora_serverless.put_metric_alarm('in-savepoint', 'CPUUtilization', 'Average', 60, 1, 90, 'GreaterThanThreshold');
ROLLBACK TO SAVEPOINT s1;
SAVEPOINT s2;
SELECT aurora_serverless.put_metric_alarm('released', 'FreeableMemory', 'Minimum', 60, 3, 1e9, 'LessThanThreshold');
RELEASE SAVEPOINT s2;
COMMIT;
SELECT string_agg(alarm_name, ', ' ORDER BY alarm_name) FROM aurora_serverless.alarms;

-- delete: every name must exist; then all go at commit
SELECT aurora_serverless.delete_alarms('{released, no-such-alarm, nor-this}');
SELECT aurora_serverless.delete_alarms('{released, connections-near-limit}');
SELECT string_agg(alarm_name, ', ' ORDER BY alarm_name) FROM aurora_serverless.alarms;

-- a prepared transaction cannot carry alarm changes
BEGIN;
SELECT aurora_serverless.put_metric_alarm('prepared', 'CPUUtilization', 'Average', 60, 1, 90, 'GreaterThanThreshold');
PREPARE TRANSACTION 'as_alarm';

-- bad input: clear errors naming what is valid
SELECT aurora_serverless.put_metric_alarm('x', 'Capacity', 'Average', 60, 1, 1, 'GreaterThanThreshold');
SELECT aurora_serverless.put_metric_alarm('x', 'CPUUtilization', 'Median', 60, 1, 1, 'GreaterThanThreshold');
SELECT aurora_serverless.put_metric_alarm('x', 'CPUUtilization', 'Average', 60, 1, 1, 'Above');
SELECT aurora_serverless.put_metric_alarm('x', 'CPUUtilization', 'Average', 0, 1, 1, 'GreaterThanThreshold');
SELECT aurora_serverless.put_metric_alarm('x', 'CPUUtilization', 'Average', 60, 0, 1, 'GreaterThanThreshold');
SELECT aurora_serverless.put_metric_alarm('x', 'CPUUtilization', 'Average', 3600, 169, 1, 'GreaterThanThreshold');
SELECT aurora_serverless.put_metric_alarm('x', 'CPUUtilization', 'Average', 60, 1, 'NaN', 'GreaterThanThreshold');
SELECT aurora_serverless.put_metric_alarm('', 'CPUUtilization', 'Average', 60, 1, 1, 'GreaterThanThreshold');
SELECT aurora_serverless.put_metric_alarm(repeat('a', 64), 'CPUUtilization', 'Average', 60, 1, 1, 'GreaterThanThreshold');
-- a name counts characters, not bytes, and holds no control character and
-- nothing that reorders or splits the text around it
SELECT aurora_serverless.put_metric_alarm(repeat('€', 63), 'CPUUtilization', 'Average', 60, 1, 1, 'GreaterThanThreshold');
SELECT length(alarm_name) AS characters, octet_length(alarm_name) AS bytes
  FROM aurora_serverless.alarms WHERE alarm_name LIKE '€%';
SELECT aurora_serverless.delete_alarms(ARRAY[repeat('€', 63)]);
SELECT aurora_serverless.put_metric_alarm(repeat('€', 64), 'CPUUtilization', 'Average', 60, 1, 1, 'GreaterThanThreshold');
SELECT aurora_serverless.put_metric_alarm(E'evil\u202Egnp.exe', 'CPUUtilization', 'Average', 60, 1, 1, 'GreaterThanThreshold');
SELECT aurora_serverless.put_metric_alarm(E'two\u2028lines', 'CPUUtilization', 'Average', 60, 1, 1, 'GreaterThanThreshold');
SELECT aurora_serverless.put_metric_alarm(E'tab\there', 'CPUUtilization', 'Average', 60, 1, 1, 'GreaterThanThreshold');
SELECT aurora_serverless.put_metric_alarm(NULL, 'CPUUtilization', 'Average', 60, 1, 1, 'GreaterThanThreshold');
SELECT aurora_serverless.put_metric_alarm('x', 'CPUUtilization', 'Average', NULL, 1, 1, 'GreaterThanThreshold');
-- CloudWatch's limits on an alarm's periods (PutMetricAlarm), with its
-- error names: a period of 10, 20, 30 or a multiple of 60 s, at most one day
-- of periods under an hour, at most seven days of longer ones; so the
-- costliest alarm to evaluate has 8640 periods of 10 s, and 86400 periods of
-- 1 s are refused
SELECT aurora_serverless.put_metric_alarm('x', 'CPUUtilization', 'Average', 1, 86400, 1, 'GreaterThanThreshold');
SELECT aurora_serverless.put_metric_alarm('x', 'CPUUtilization', 'Average', 15, 1, 1, 'GreaterThanThreshold');
SELECT aurora_serverless.put_metric_alarm('x', 'CPUUtilization', 'Average', 90, 1, 1, 'GreaterThanThreshold');
SELECT aurora_serverless.put_metric_alarm('x', 'CPUUtilization', 'Average', -60, 1, 1, 'GreaterThanThreshold');
SELECT aurora_serverless.put_metric_alarm('x', 'CPUUtilization', 'Average', 10, 8641, 1, 'GreaterThanThreshold');
SELECT aurora_serverless.put_metric_alarm('x', 'CPUUtilization', 'Average', 60, 1441, 1, 'GreaterThanThreshold');
SELECT aurora_serverless.put_metric_alarm('x', 'CPUUtilization', 'Average', 86400, 8, 1, 'GreaterThanThreshold');
SELECT aurora_serverless.put_metric_alarm('x', 'CPUUtilization', 'Average', 60, 2147483647, 1, 'GreaterThanThreshold');
BEGIN;
SELECT aurora_serverless.put_metric_alarm('ten-seconds-for-a-day', 'CPUUtilization', 'Average', 10, 8640, 1, 'GreaterThanThreshold');
SELECT aurora_serverless.put_metric_alarm('twenty-seconds-for-a-day', 'CPUUtilization', 'Average', 20, 4320, 1, 'GreaterThanThreshold');
SELECT aurora_serverless.put_metric_alarm('hours-for-a-week', 'CPUUtilization', 'Average', 3600, 168, 1, 'GreaterThanThreshold');
SELECT aurora_serverless.put_metric_alarm('days-for-a-week', 'CPUUtilization', 'Average', 86400, 7, 1, 'GreaterThanThreshold');
ROLLBACK;
SELECT aurora_serverless.delete_alarms(NULL);
SELECT aurora_serverless.delete_alarms(ARRAY[NULL]::text[]);
-- no more than 64 alarms
SELECT aurora_serverless.put_metric_alarm('many-' || g, 'CPUUtilization', 'Average', 60, 1, 90, 'GreaterThanThreshold')
  FROM generate_series(1, 64) g;
SELECT count(*) FROM aurora_serverless.alarms;
-- the failed transaction gave back the slots it held: 63 more fit, and the
-- 65th is refused at once (LimitExceeded); replacing one needs no room
SELECT count(aurora_serverless.put_metric_alarm('many-' || g, 'CPUUtilization', 'Average', 60, 1, 90, 'GreaterThanThreshold'))
  FROM generate_series(1, 63) g;
SELECT aurora_serverless.put_metric_alarm('one-too-many', 'CPUUtilization', 'Average', 60, 1, 90, 'GreaterThanThreshold');
SELECT aurora_serverless.put_metric_alarm('many-1', 'CPUUtilization', 'Maximum', 60, 1, 95, 'GreaterThanThreshold');
SELECT count(*), count(*) FILTER (WHERE statistic = 'Maximum') AS replaced FROM aurora_serverless.alarms;
SELECT aurora_serverless.delete_alarms(ARRAY(SELECT 'many-' || g FROM generate_series(1, 63) g));
SELECT count(*) FROM aurora_serverless.alarms;

-- set-alarm-state: the state and reason until the next evaluation, at
-- commit; a change of state is an alarm event
BEGIN;
SELECT aurora_serverless.set_alarm_state('capacity-near-max', 'ALARM', 'testing the pager');
SELECT state_value AS before_commit FROM aurora_serverless.alarms WHERE alarm_name = 'capacity-near-max';
ROLLBACK;
SELECT state_value AS rolled_back FROM aurora_serverless.alarms WHERE alarm_name = 'capacity-near-max';
SELECT count(*) AS alarm_events_before FROM aurora_serverless.scaling_events WHERE event = 'alarm' \gset
SELECT aurora_serverless.set_alarm_state('capacity-near-max', 'ALARM', 'testing the pager');
SELECT state_value, state_reason FROM aurora_serverless.alarms WHERE alarm_name = 'capacity-near-max';
SELECT reason, regexp_replace(detail, '^capacity-near-max: [A-Z_]+ -> ', '... -> ') AS detail
  FROM aurora_serverless.scaling_events WHERE event = 'alarm' ORDER BY event_time DESC LIMIT 1;
SELECT count(*) - :alarm_events_before AS new_events FROM aurora_serverless.scaling_events WHERE event = 'alarm';
SELECT aurora_serverless.set_alarm_state('capacity-near-max', 'alarm', 'x');
SELECT aurora_serverless.set_alarm_state('no-such-alarm', 'OK', 'x');
SELECT aurora_serverless.set_alarm_state('capacity-near-max', 'OK', '');
SELECT aurora_serverless.set_alarm_state('capacity-near-max', 'OK', repeat('x', 1024));
SELECT aurora_serverless.set_alarm_state('capacity-near-max', NULL, 'x');

-- changing alarms is not for everyone; reading them is
CREATE ROLE regress_alarm_reader;
SET ROLE regress_alarm_reader;
SELECT aurora_serverless.put_metric_alarm('x', 'CPUUtilization', 'Average', 60, 1, 1, 'GreaterThanThreshold');
SELECT aurora_serverless.delete_alarms('{capacity-near-max}');
SELECT aurora_serverless.set_alarm_state('capacity-near-max', 'OK', 'x');
SELECT count(*) FROM aurora_serverless.alarms;
RESET ROLE;
DROP ROLE regress_alarm_reader;

SELECT aurora_serverless.delete_alarms('{capacity-near-max}');
SELECT count(*) FROM aurora_serverless.alarms;
