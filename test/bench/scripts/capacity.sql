-- a reader of the shared state: the capacity view, as dashboards read it
SELECT * FROM aurora_serverless.capacity;
