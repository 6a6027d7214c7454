LISTEN aurora_serverless_bench;
UNLISTEN aurora_serverless_bench;
DECLARE aurora_serverless_bench CURSOR WITH HOLD FOR SELECT 1;
CLOSE aurora_serverless_bench;
SELECT pg_advisory_lock(424242);
SELECT pg_advisory_unlock(424242);
