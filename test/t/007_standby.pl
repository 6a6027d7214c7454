# A hot standby with the library preloaded reports its own capacity as a
# reader and scales on its own load; promotion makes it the writer.
use strict;
use warnings;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;

my $primary = PostgreSQL::Test::Cluster->new('primary');
$primary->init(allows_streaming => 1);
$primary->append_conf('postgresql.conf', q{
shared_preload_libraries = 'aurora_serverless'
aurora_serverless.sample_interval = 250ms
aurora_serverless.scale_up_delay = 0
aurora_serverless.scale_down_delay = 1h
# autovacuum analyzing pgbench's new tables is writer load of its own, which
# the 1h scale-down delay would keep: the writer must move for the reader
# only
autovacuum = off
});
$primary->start;
$primary->safe_psql('postgres', 'CREATE EXTENSION aurora_serverless');
$primary->pgbench('-i -s 1', 0, [qr{^$}], [qr{.*}], 'pgbench init on the primary');
$primary->backup('base');

my $standby = PostgreSQL::Test::Cluster->new('standby');
$standby->init_from_backup($primary, 'base', has_streaming => 1);
$standby->start;
$primary->wait_for_catchup($standby);

is($standby->safe_psql('postgres', 'SELECT pg_is_in_recovery()'), 't', 'the standby is in recovery');
ok($standby->poll_query_until('postgres',
	"SELECT role = 'reader' AND worker_pid IS NOT NULL FROM aurora_serverless.capacity"),
	'the standby reports itself as a reader');
is($primary->safe_psql('postgres', 'SELECT role FROM aurora_serverless.capacity'), 'writer',
	'the primary as the writer');
is($standby->safe_psql('postgres',
	"SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'aurora_serverless worker'"),
	'1', 'the standby runs its own worker');

# the WAL sender feeding the standby is not a client connection
my $t0 = $primary->safe_psql('postgres', 'SELECT now()');
ok($primary->poll_query_until('postgres',
	"SELECT count(*) >= 4 FROM aurora_serverless.metrics WHERE sample_time > '$t0'"),
	'the primary samples while the standby streams');
is($primary->safe_psql('postgres', 'SELECT count(*) FROM pg_stat_replication'), '1',
	'one WAL sender');
cmp_ok($primary->safe_psql('postgres',
	"SELECT max(database_connections) FROM aurora_serverless.metrics WHERE sample_time > '$t0'"),
	'<=', 1, 'which is not counted among the connections');

# the reader scales on its own load; the writer does not move
my $writer_before = $primary->safe_psql('postgres',
	'SELECT serverless_database_capacity FROM aurora_serverless.capacity');
$standby->pgbench('-n -c 2 -j 2 -T 5 -S', 0, [qr{processed}], [qr{^$}], 'read load on the standby');
cmp_ok($standby->safe_psql('postgres', 'SELECT max(serverless_database_capacity) FROM aurora_serverless.metrics'),
	'>', 0.5, 'the reader scaled up under its load');
is($primary->safe_psql('postgres', 'SELECT serverless_database_capacity FROM aurora_serverless.capacity'),
	$writer_before, 'the writer did not move')
  or diag($primary->safe_psql('postgres',
	"SELECT sample_time, serverless_database_capacity, target_capacity, busy_vcpus, cpu_goal, memory_goal, connections_goal, database_connections FROM aurora_serverless.metrics WHERE target_capacity > 0.5"));

# promotion makes it the writer
$standby->promote;
ok($standby->poll_query_until('postgres',
	"SELECT role = 'writer' FROM aurora_serverless.capacity"), 'promoted: now the writer');
ok($standby->poll_query_until('postgres',
	"SELECT count(*) = 1 FROM aurora_serverless.scaling_events WHERE event = 'role_change' AND reason = 'writer'"),
	'the promotion is a role_change event');

$standby->stop;
$primary->stop;
done_testing();
