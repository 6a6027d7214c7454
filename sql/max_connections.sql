-- Aurora PostgreSQL's derived max_connections at Serverless v2 capacities.

-- the values AWS documents, with min_capacity 1
SELECT acu, aurora_serverless.max_connections_for(acu) AS max_connections
  FROM unnest(ARRAY[1, 2, 4, 8, 16, 32, 64, 128, 256]::numeric[]) AS acu;

-- capped at 2000 when min_capacity is 0.5 or 0 (auto-pause)
SELECT aurora_serverless.max_connections_for(16, 0.5) AS min_half,
       aurora_serverless.max_connections_for(16, 0) AS min_zero,
       aurora_serverless.max_connections_for(4, 0.5) AS small_max,
       aurora_serverless.max_connections_for(256, 1) AS big;

-- bad input: clear errors
SELECT aurora_serverless.max_connections_for(0.5);
SELECT aurora_serverless.max_connections_for(300);
SELECT aurora_serverless.max_connections_for(1.3);
SELECT aurora_serverless.max_connections_for(-4);
SELECT aurora_serverless.max_connections_for(8, 16);
SELECT aurora_serverless.max_connections_for(NULL);
SELECT aurora_serverless.max_connections_for(8, NULL);
SELECT aurora_serverless.max_connections_for('NaN');
SELECT aurora_serverless.max_connections_for('Infinity');
SELECT aurora_serverless.max_connections_for('-Infinity');
SELECT aurora_serverless.max_connections_for(1e300);
