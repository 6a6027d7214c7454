# Connection pooling as the RDS Proxy analog: at 0.5 ACU with enforcement
# the derived limit is 90 connections, and a 250-client burst straight at
# the server is refused; the same burst through PgBouncer in transaction
# mode, whose pool holds 20 server connections, passes.
use strict;
use warnings;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;
use IPC::Run;

sub tail_of { my $s = shift; return length($s) > 4000 ? substr($s, -4000) : $s; }

if (!-x '/usr/sbin/pgbouncer')
{
	plan skip_all => 'pgbouncer is not installed (apt-get install pgbouncer)';
}

my $node = PostgreSQL::Test::Cluster->new('pooling');
$node->init;
$node->append_conf('postgresql.conf', q{
shared_preload_libraries = 'aurora_serverless'
max_connections = 400
aurora_serverless.sample_interval = 250ms
aurora_serverless.min_capacity = 0.5
aurora_serverless.max_capacity = 16
# held at 0.5 ACU: the burst meets the 90-connection limit
aurora_serverless.scale_up_delay = 1h
aurora_serverless.max_connections_basis = current_capacity
aurora_serverless.enforce_max_connections = on
});
$node->start;
$node->safe_psql('postgres', q{
	CREATE EXTENSION aurora_serverless;
	CREATE ROLE app LOGIN;
});
is($node->safe_psql('postgres', 'SELECT max_connections FROM aurora_serverless.capacity'),
	'90', 'at 0.5 ACU the limit is 90 connections');
$node->command_ok([ 'pgbench', '-i', '-s', '1', '-h', $node->host, '-p', $node->port, 'postgres' ],
	'pgbench tables');
$node->safe_psql('postgres', 'GRANT SELECT ON pgbench_accounts, pgbench_branches TO app');

# the burst straight at the server: refused
my ($out, $err) = ('', '');
IPC::Run::run([ 'pgbench', '-n', '-S', '-c', '250', '-j', '4', '-t', '20',
	'-h', $node->host, '-p', $node->port, '-U', 'app', 'postgres' ], '>', \$out, '2>', \$err);
like($err, qr/sorry, too many clients for 0\.5 ACU/, 'a 250-client burst straight at the server is refused');

# PgBouncer in front, transaction pooling, 20 server connections
my $dir = $node->basedir . '/pgbouncer';
mkdir $dir;
my $pool_port = PostgreSQL::Test::Cluster::get_free_port();
append_to_file("$dir/users.txt", qq{"app" ""\n});
append_to_file("$dir/pgbouncer.ini", qq{[databases]
postgres = host=@{[ $node->host ]} port=@{[ $node->port ]} dbname=postgres

[pgbouncer]
listen_addr =
unix_socket_dir = $dir
listen_port = $pool_port
auth_type = trust
auth_file = $dir/users.txt
pool_mode = transaction
default_pool_size = 20
# a client waits at most this long for a server connection, so that a
# broken pool fails the test instead of hanging it
query_wait_timeout = 60
max_client_conn = 300
logfile = $dir/pgbouncer.log
pidfile = $dir/pgbouncer.pid
});
# its output goes to a file: a pipe that nobody reads while pgbench runs
# would fill up with PgBouncer's log lines and stop it mid-burst
my $pgbouncer = IPC::Run::start([ '/usr/sbin/pgbouncer', "$dir/pgbouncer.ini" ],
	'>', "$dir/pgbouncer.out", '2>&1');
my $up = 0;
foreach (1 .. 10 * $PostgreSQL::Test::Utils::timeout_default)
{
	last if ($up = -S "$dir/.s.PGSQL.$pool_port");
	select(undef, undef, undef, 0.1);
}
ok($up, 'PgBouncer listens') or diag(slurp_file("$dir/pgbouncer.out"));
# the sessions of the refused burst close in their own time; until they
# have, the pool's server connections could meet the limit too
ok($node->poll_query_until('postgres',
	"SELECT count(*) = 0 FROM pg_stat_activity WHERE usename = 'app'"),
	'the direct burst has left the server');

# refusals are counted by the next sample: the window starts at a sample
# taken after the direct burst ended
my $burst_end = $node->safe_psql('postgres', 'SELECT now()');
$node->poll_query_until('postgres',
	"SELECT last_sample_at > '$burst_end' FROM aurora_serverless.capacity")
  or die 'no sample after the direct burst';
my $before = $node->safe_psql('postgres', 'SELECT last_sample_at FROM aurora_serverless.capacity');
($out, $err) = ('', '');
my $passed = eval {
	IPC::Run::run([ 'pgbench', '-n', '-S', '-c', '250', '-j', '4', '-t', '20',
		'-h', $dir, '-p', $pool_port, '-U', 'app', 'postgres' ], '>', \$out, '2>', \$err,
		IPC::Run::timeout(3 * $PostgreSQL::Test::Utils::timeout_default));
};
ok($passed, 'the same burst through PgBouncer passes')
  or diag("pgbench: $err\n$@\npgbouncer log:\n"
	  . (-e "$dir/pgbouncer.log" ? tail_of(slurp_file("$dir/pgbouncer.log")) : ''));
like($out, qr/number of transactions actually processed: 5000\/5000/, 'every transaction of it');
unlike($err, qr/too many clients/, 'with no refusal');
# a sample taken after the burst closes the window the checks read
my $after = $node->safe_psql('postgres', 'SELECT now()');
$node->poll_query_until('postgres',
	"SELECT last_sample_at > '$after' FROM aurora_serverless.capacity")
  or die 'no sample after the burst';
is($node->safe_psql('postgres', qq{
	SELECT count(*) > 0 AND max(database_connections) <= 22 AND sum(rejected_connections) = 0
	  FROM aurora_serverless.metrics WHERE sample_time > '$before'}),
	't', 'the server saw the pool\'s connections, never more than its 20, and refused none')
  or diag($node->safe_psql('postgres', qq{
	SELECT count(*), max(database_connections), sum(rejected_connections)
	  FROM aurora_serverless.metrics WHERE sample_time > '$before'}));

$pgbouncer->kill_kill;
$pgbouncer->finish;
$node->stop;
done_testing();
