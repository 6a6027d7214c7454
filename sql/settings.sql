-- Settings refuse bad values with a clear message; the old value stays.
-- (PostgreSQL 16 and later word range errors with units and unknown
-- reserved-prefix names otherwise: settings_1.out holds their wording.)
SHOW aurora_serverless.engine_mode;
SHOW aurora_serverless.min_capacity;
SHOW aurora_serverless.sample_interval;

-- capacities move in 0.5 ACU steps
ALTER SYSTEM SET aurora_serverless.min_capacity = 0.3;
ALTER SYSTEM SET aurora_serverless.max_capacity = 7.25;
ALTER SYSTEM SET aurora_serverless.max_capacity = 0.5;
ALTER SYSTEM SET aurora_serverless.max_capacity = 500;
ALTER SYSTEM SET aurora_serverless.min_capacity = 'NaN';
ALTER SYSTEM SET aurora_serverless.engine_mode = 'v3';
ALTER SYSTEM SET aurora_serverless.sample_interval = '10ms';
ALTER SYSTEM SET aurora_serverless.max_connections_basis = 'peak';
ALTER SYSTEM SET aurora_serverless.vcpus_per_acu = 0;
ALTER SYSTEM SET aurora_serverless.target_cpu_utilization = 0;
ALTER SYSTEM SET aurora_serverless.scale_down_delay = -2;
ALTER SYSTEM SET aurora_serverless.cpu_cgroup = 'relative/path';
ALTER SYSTEM SET aurora_serverless.scaling_lag = 'slow';
ALTER SYSTEM SET aurora_serverless.platform_version = 5;
ALTER SYSTEM SET aurora_serverless.platform_version = 'v4';
ALTER SYSTEM SET aurora_serverless.seconds_until_auto_pause = 0;
ALTER SYSTEM SET aurora_serverless.resume_delay = '2min';
ALTER SYSTEM SET aurora_serverless.resume_delay = -2;
ALTER SYSTEM SET aurora_serverless.resume_capacity = 1.2;
ALTER SYSTEM SET aurora_serverless.resume_capacity = 0;
ALTER SYSTEM SET aurora_serverless.seconds_awake_after_wakeup = -1;
ALTER SYSTEM SET aurora_serverless.no_such_setting = 1;

-- they change in the configuration, not per session
SET aurora_serverless.max_capacity = 8;
SET aurora_serverless.metrics_history = 10;

SELECT name, setting, unit, context FROM pg_settings
 WHERE name LIKE 'aurora_serverless.%' ORDER BY name;
