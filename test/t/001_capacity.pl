# The capacity engine on a real cluster: the worker, pgbench load that
# raises capacity and lets it fall, settings reloads, a worker that is
# killed, and a restart that keeps events, metrics and settings.
use strict;
use warnings;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;
use IPC::Run;

my $node = PostgreSQL::Test::Cluster->new('capacity');
$node->init;
$node->append_conf('postgresql.conf', q{
shared_preload_libraries = 'aurora_serverless'
aurora_serverless.sample_interval = 250ms
aurora_serverless.scale_up_delay = 0
aurora_serverless.scale_down_delay = 3s
aurora_serverless.scale_down_interval = 1s
aurora_serverless.flush_interval = 1s
aurora_serverless.worker_restart_time = 1s
});
$node->start;
$node->safe_psql('postgres', 'CREATE EXTENSION aurora_serverless');

sub query { return $node->safe_psql('postgres', shift); }

is(query("SELECT count(*) FROM pg_stat_activity
      WHERE backend_type = 'aurora_serverless worker' AND datname IS NULL"),
	'1', 'worker shows in pg_stat_activity, connected to no database');

ok($node->poll_query_until('postgres',
	'SELECT count(*) >= 4 FROM aurora_serverless.metrics'), 'worker samples');
# start-up work may lift it for a moment; an idle cluster settles at min
ok($node->poll_query_until('postgres',
	'SELECT serverless_database_capacity = 0.5 FROM aurora_serverless.capacity'),
	'idle cluster sits at min capacity');

# CPU-bound load from two clients: each keeps a backend busy
my $script = $node->basedir . '/burn.sql';
PostgreSQL::Test::Utils::append_to_file($script,
	"SELECT count(*) FROM generate_series(1, 2000000);\n");
my ($out, $err) = ('', '');
my $bench = IPC::Run::start(
	[ 'pgbench', '-n', '-c', '2', '-j', '2', '-T', '60', '-f', $script,
	  '-h', $node->host, '-p', $node->port, 'postgres' ],
	'>', \$out, '2>', \$err);

ok($node->poll_query_until('postgres',
	'SELECT serverless_database_capacity >= 2 FROM aurora_serverless.capacity'),
	'capacity rises above min under load');
like(query("SELECT string_agg(DISTINCT reason, ',') FROM aurora_serverless.scaling_events
        WHERE event = 'scale_up'"), qr/cpu/, 'scale-up events name the cpu demand');
cmp_ok(query('SELECT max(busy_vcpus) FROM aurora_serverless.metrics'), '>', 0.5,
	'busy vCPUs are measured');
my $peak = query('SELECT max(serverless_database_capacity) FROM aurora_serverless.metrics');
cmp_ok($peak, '<=', 16, 'capacity stays within max');

$bench->kill_kill;
$bench->finish;

ok($node->poll_query_until('postgres',
	'SELECT serverless_database_capacity = 0.5 FROM aurora_serverless.capacity'),
	'capacity comes back to min when the load stops');
my $downs = query("SELECT count(*) FROM aurora_serverless.scaling_events WHERE event = 'scale_down'");
cmp_ok($downs, '>=', 2, 'scale-down is gradual: several steps');

# a setting changed in postgresql.conf applies at the next tick
$node->append_conf('postgresql.conf', "aurora_serverless.min_capacity = 2\n");
$node->reload;
ok($node->poll_query_until('postgres',
	'SELECT min_capacity = 2 AND serverless_database_capacity = 2 FROM aurora_serverless.capacity'),
	'reloaded min_capacity raises capacity');
like(query("SELECT detail FROM aurora_serverless.scaling_events
        WHERE event = 'config_change' ORDER BY event_time DESC LIMIT 1"),
	qr/min_capacity 0\.5 -> 2/, 'config_change event says what changed');

# a reload lists every setting it changed, the policy's or not
$node->append_conf('postgresql.conf',
	"aurora_serverless.resume_delay = 1500ms\naurora_serverless.enforce_max_connections = on\n");
$node->reload;
ok($node->poll_query_until('postgres',
	"SELECT count(*) = 1 FROM aurora_serverless.scaling_events WHERE event = 'config_change'
	    AND detail = 'enforce_max_connections off -> on, resume_delay -1 -> 1500ms'"),
	'config_change lists every changed setting, with its unit');
$node->append_conf('postgresql.conf',
	"aurora_serverless.resume_delay = -1\naurora_serverless.enforce_max_connections = off\n");
$node->reload;

# an invalid pair from the file is refused and the old range stays
$node->append_conf('postgresql.conf', "aurora_serverless.max_capacity = 1\n");
$node->reload;
ok($node->poll_query_until('postgres',
	"SELECT count(*) > 0 FROM aurora_serverless.scaling_events WHERE event = 'config_rejected'"),
	'min above max is rejected');
is(query('SELECT min_capacity || \',\' || max_capacity FROM aurora_serverless.capacity'),
	'2,16', 'the range in force is kept');
$node->append_conf('postgresql.conf',
	"aurora_serverless.min_capacity = 0.5\naurora_serverless.max_capacity = 16\n");
$node->reload;
ok($node->poll_query_until('postgres',
	'SELECT min_capacity = 0.5 FROM aurora_serverless.capacity'), 'range restored');

# a killed worker comes back
my $pid = query('SELECT worker_pid FROM aurora_serverless.capacity');
query("SELECT pg_terminate_backend($pid)");
ok($node->poll_query_until('postgres',
	"SELECT worker_pid IS NOT NULL AND worker_pid <> $pid FROM aurora_serverless.capacity"),
	'postmaster restarts a terminated worker');

# restart keeps events, metrics and settings
query('SELECT aurora_serverless.modify_capacity(1, 8)');
ok($node->poll_query_until('postgres',
	'SELECT serverless_database_capacity = 1 FROM aurora_serverless.capacity'),
	'modify_capacity applies');
my $events = query('SELECT count(*) FROM aurora_serverless.scaling_events');
my $metrics = query('SELECT count(*) FROM aurora_serverless.metrics');
ok(-f $node->data_dir . '/aurora_serverless.state', 'state file written');
my $log_at = -s $node->logfile;
$node->restart;
ok(!$node->log_contains(qr/"aurora_serverless worker".*exited with exit code/, $log_at),
	'at a server shutdown the worker exits cleanly');
is(query('SELECT min_capacity || \',\' || max_capacity FROM aurora_serverless.capacity'),
	'1,8', 'settings survive a restart');
cmp_ok(query("SELECT count(*) FROM aurora_serverless.scaling_events WHERE event <> 'startup'"),
	'>=', $events - 2, 'events survive a restart');
cmp_ok(query('SELECT count(*) FROM aurora_serverless.metrics'), '>=', $metrics,
	'metrics survive a restart');
is(query("SELECT count(*) FROM aurora_serverless.scaling_events WHERE event = 'startup'"),
	'3', 'each worker start is an event');
ok($node->log_contains(qr/loaded state file "aurora_serverless.state"/),
	'the state file is read at start');

$node->stop;
done_testing();
