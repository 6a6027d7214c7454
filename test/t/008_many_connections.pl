# A thousand connections, idle and active, held for a number of the
# worker's ticks: shared memory is fixed at start, the rings stay bounded,
# the worker's private memory does not grow tick after tick, and capacity
# follows the connections.  When they have gone, the worker stops reading
# /proc for them.
use strict;
use warnings;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;
use IPC::Run;

# ticks (of 250 ms) the load is held for while the worker's memory is watched
my $hold_ticks = $ENV{AS_MANY_HOLD_TICKS} // 120;

my $node = PostgreSQL::Test::Cluster->new('many');
$node->init;
$node->append_conf('postgresql.conf', q{
shared_preload_libraries = 'aurora_serverless'
max_connections = 1100
shared_buffers = 256MB
aurora_serverless.sample_interval = 250ms
aurora_serverless.metrics_history = 100
aurora_serverless.events_history = 50
aurora_serverless.scale_up_delay = 0
});
$node->start;
$node->safe_psql('postgres', 'CREATE EXTENSION aurora_serverless');
sub query { return $node->safe_psql('postgres', shift); }

my $shmem = query("SELECT size FROM pg_shmem_allocations WHERE name = 'aurora_serverless state'");
cmp_ok($shmem, '>', 0, "shared memory is allocated at start ($shmem bytes)");

my $idle = $node->basedir . '/idle.sql';
append_to_file($idle, "\\sleep 900 s\n");
my $active = $node->basedir . '/active.sql';
append_to_file($active, "SELECT pg_sleep(0.2);\n");
my @common = ('-n', '-h', $node->host, '-p', $node->port, 'postgres');
my ($o1, $e1, $o2, $e2) = ('', '', '', '');
my $idlers = IPC::Run::start([ 'pgbench', '-c', '800', '-j', '4', '-T', '900', '-f', $idle, @common ],
	'>', \$o1, '2>', \$e1);
my $workers = IPC::Run::start([ 'pgbench', '-c', '200', '-j', '4', '-T', '900', '-f', $active, @common ],
	'>', \$o2, '2>', \$e2);

ok($node->poll_query_until('postgres',
	'SELECT database_connections >= 1000 FROM aurora_serverless.capacity'),
	'the worker counts a thousand connections');
ok($node->poll_query_until('postgres',
	'SELECT serverless_database_capacity >= 6 FROM aurora_serverless.capacity'),
	'capacity follows the connections (1000 / 180 per ACU)');

sub worker_anon_kb
{
	my $pid = query('SELECT worker_pid FROM aurora_serverless.capacity');
	open(my $fh, '<', "/proc/$pid/status") or return -1;
	while (<$fh>) { return $1 if /^RssAnon:\s+(\d+) kB/; }
	return -1;
}

# wait for ticks, not for time: a busy machine ticks later, not fewer times
sub wait_ticks
{
	my ($n, $name) = @_;
	my $from = query('SELECT ticks FROM aurora_serverless.worker_stats');
	ok($node->poll_query_until('postgres',
		"SELECT ticks >= $from + $n FROM aurora_serverless.worker_stats"), $name);
}

wait_ticks(20, 'the worker ticks under the load');
my $rss0 = worker_anon_kb();
wait_ticks($hold_ticks, "the worker kept ticking under the load ($hold_ticks ticks)");
my $rss1 = worker_anon_kb();
my ($mean, $max, $read) = split /\|/,
  query('SELECT mean_tick_us, max_tick_us, procs_read FROM aurora_serverless.worker_stats');
diag("worker mean tick $mean us, max $max us; "
	. "/proc entries read at the last tick: $read; RssAnon $rss0 -> $rss1 kB");

cmp_ok($read, '<=', 32, 'a tick reads at most 32 /proc files however many sessions are busy');
cmp_ok($read, '>=', 16, 'and reads while sessions are busy');
cmp_ok($rss0, '>', 0, 'the worker\'s private memory is readable');
cmp_ok($rss1 - $rss0, '<=', 512, 'and does not grow tick after tick');
cmp_ok(query('SELECT count(*) FROM aurora_serverless.metrics'), '<=', 100, 'the metrics ring stays bounded');
cmp_ok(query('SELECT count(*) FROM aurora_serverless.scaling_events'), '<=', 50, 'the events ring too');
is(query("SELECT size FROM pg_shmem_allocations WHERE name = 'aurora_serverless state'"),
	$shmem, 'shared memory did not change');

$idlers->kill_kill;
$workers->kill_kill;
$idlers->finish;
$workers->finish;
ok($node->poll_query_until('postgres',
	'SELECT database_connections < 10 FROM aurora_serverless.capacity'),
	'the connections are gone from the count');
# the processes that ended leave their pids in PGPROC: the worker must not
# keep trying to read their /proc entries (only the server's own processes
# that are not waiting for a client are read on an idle server)
ok($node->poll_query_until('postgres',
	'SELECT procs_read <= 12 FROM aurora_serverless.worker_stats'),
	'once they have ended, their /proc entries are not read again');
$node->stop;
done_testing();
