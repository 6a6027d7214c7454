# The CPU limit (enforce_cpu): the server gets only the CPU that the current
# capacity buys.  Needs a cgroup the server's user may write, which only root
# can hand out: test/run creates one and names it in AS_TEST_CPU_CGROUP;
# without one the test is skipped and says why.
#
# The limit follows capacity through scale-up, scale-down, pause and resume;
# a CPU-bound load runs at most a quarter as fast at 0.5 ACU as at 4 ACU;
# the demand still sees what the limit holds back: it asks for more than the
# limited capacity's CPU time could, and capacity reaches 4 ACU in about as
# many steps with the limit as without; turning enforcement off
# lifts the limit; a killed worker leaves the server usable and its
# successor restores the limit; a cgroup that cannot be written is refused
# or reported, and nothing else changes.
use strict;
use warnings;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;
use Time::HiRes;
use POSIX ();
use IPC::Run;
use FindBin;
use lib $FindBin::RealBin;
use ServerlessTest;

my $cg = $ENV{AS_TEST_CPU_CGROUP} // '';
my $quota_file = -e "$cg/cpu.max" ? "$cg/cpu.max" : "$cg/cpu.cfs_quota_us";
if ($cg eq '' || !-w $quota_file || !-w "$cg/cgroup.procs")
{
	plan skip_all => 'no cgroup the server may write: test/run creates one as root and names it in AS_TEST_CPU_CGROUP';
}
my $v2 = -e "$cg/cpu.max";

# the limit in the cgroup's own files, in vCPUs ('none' when lifted)
sub limit_in_file
{
	if ($v2)
	{
		my ($quota, $period) = split ' ', slurp_file("$cg/cpu.max");
		return $quota eq 'max' ? 'none' : $quota / $period;
	}
	my $quota = slurp_file("$cg/cpu.cfs_quota_us");
	chomp $quota;
	return 'none' if $quota < 0;
	my $period = slurp_file("$cg/cpu.cfs_period_us");
	return $quota / $period;
}

my $node = PostgreSQL::Test::Cluster->new('cpulimit');
$node->init;
$node->append_conf('postgresql.conf', qq{
shared_preload_libraries = 'aurora_serverless'
restart_after_crash = on
aurora_serverless.sample_interval = 250ms
aurora_serverless.min_capacity = 0.5
aurora_serverless.max_capacity = 16
aurora_serverless.scale_up_delay = 1h
aurora_serverless.scale_down_delay = 1s
aurora_serverless.scale_down_interval = 1s
aurora_serverless.worker_restart_time = 1s
aurora_serverless.cpu_cgroup = '$cg'
});
$node->start;
$node->safe_psql('postgres', 'CREATE EXTENSION aurora_serverless');
sub query { return $node->safe_psql('postgres', shift); }
sub wait_until
{
	my ($sql, $name) = @_;
	ok($node->poll_query_until('postgres', $sql), $name)
	  or diag(query('SELECT state, serverless_database_capacity, cpu_enforced, cpu_limit_vcpus
	                   FROM aurora_serverless.capacity'));
}
sub wait_file
{
	my ($want, $name) = @_;
	my $got;
	foreach (1 .. 10 * $PostgreSQL::Test::Utils::timeout_default)
	{
		$got = limit_in_file();
		last if $got eq $want;
		select(undef, undef, undef, 0.1);
	}
	is($got, $want, $name);
}

is(query('SELECT cpu_enforced FROM aurora_serverless.capacity'), 'f', 'off by default');

# turned on: the server moves into the cgroup, limited to 0.5 ACU x 0.25
$node->append_conf('postgresql.conf', "aurora_serverless.enforce_cpu = on\n");
$node->reload;
wait_until('SELECT cpu_enforced AND cpu_limit_vcpus = 0.125 FROM aurora_serverless.capacity',
	'enforced at 0.125 vCPU for 0.5 ACU');
wait_file('0.125', 'the cgroup holds that limit');
my $cg_name = (split m{/}, $cg)[-1];
my $session = $node->background_psql('postgres');
my $backend = $session->query_safe('SELECT pg_backend_pid()');
like(slurp_file("/proc/$backend/cgroup"), qr{:/(.*/)?\Q$cg_name\E$}m,
	'a new backend runs in the cgroup');
like(slurp_file('/proc/' . $node->safe_psql('postgres', 'SELECT worker_pid FROM aurora_serverless.capacity')
	. '/cgroup'), qr{:/(.*/)?\Q$cg_name\E$}m, 'and so does the worker');
$session->quit;

# a CPU-bound load: at 0.5 ACU, then at 4 ACU.  What the kernel enforces is
# a bound on CPU time, whatever else the machine runs: the backends of the
# load may use at most 0.125 vCPU-seconds a second at 0.5 ACU.  Their CPU
# time is read from the postmaster's count of its reaped children
# (/proc/PID/stat: cutime and cstime), so a busy machine can only make it
# smaller.
my $burn = $node->basedir . '/burn.sql';
append_to_file($burn, "SELECT count(*) FROM generate_series(1, 300000);\n");
my $ticks = POSIX::sysconf(POSIX::_SC_CLK_TCK);
sub children_cpu
{
	my @f = split ' ', (slurp_file('/proc/' . $node->{_pid} . '/stat') =~ /\)\s+(.*)$/s)[0];
	# after the command's ")": state is field 3, cutime 16 and cstime 17
	return ($f[13] + $f[14]) / $ticks;
}
sub load
{
	my ($out, $err) = ('', '');
	my $cpu0 = children_cpu();
	my $t0 = Time::HiRes::time();
	IPC::Run::run([ 'pgbench', '-n', '-c', '2', '-j', '2', '-T', '6', '-f', $burn,
		'-h', $node->host, '-p', $node->port, 'postgres' ], '>', \$out, '2>', \$err);
	my $wall = Time::HiRes::time() - $t0;
	$node->poll_query_until('postgres',
		"SELECT count(*) = 0 FROM pg_stat_activity WHERE application_name = 'pgbench'");
	return ($out =~ /tps = ([0-9.]+)/ ? $1 : 0, children_cpu() - $cpu0, $wall);
}
my ($tps_small, $cpu_small, $wall_small) = load();
query('SELECT aurora_serverless.modify_capacity(4, 16)');
wait_until('SELECT serverless_database_capacity = 4 FROM aurora_serverless.capacity', 'raised to 4 ACU');
wait_file('1', 'the limit follows the scale-up: 1 vCPU at 4 ACU');
my ($tps_large, $cpu_large, $wall_large) = load();
diag(sprintf('CPU-bound load: %.2f tps and %.2f CPU-s in %.1f s at 0.5 ACU; '
	  . '%.2f tps and %.2f CPU-s in %.1f s at 4 ACU',
	$tps_small, $cpu_small, $wall_small, $tps_large, $cpu_large, $wall_large));
cmp_ok($tps_large, '>', 0, 'the load runs at 4 ACU');
# a quota is granted per 100 ms period: allow one period's worth and the
# clock tick of the count on top of the bound
cmp_ok($cpu_small, '<=', 0.125 * $wall_small * 1.1 + 0.05,
	'at 0.5 ACU the load uses at most the 0.125 vCPU the limit buys');

# scale-down
query('SELECT aurora_serverless.modify_capacity(0.5, 16)');
wait_until('SELECT serverless_database_capacity = 0.5 FROM aurora_serverless.capacity',
	'back to 0.5 ACU');
wait_file('0.125', 'the limit follows the scale-down');

# the demand sees what the limit holds back: a CPU-bound burst that asks for
# more than 4 ACU reaches 4 in about as many steps with the limit as without.
# Two clients need 2 CPUs to ask for 8 ACU; on a machine busy with other
# work they get about one, which still asks for more than 4 (1 vCPU at 70%
# is 5.7 ACU)
sub steps_to_4
{
	my $from = query('SELECT now()');
	$node->append_conf('postgresql.conf', "aurora_serverless.scale_up_delay = 0\n");
	$node->reload;
	my ($out, $err) = ('', '');
	my $h = IPC::Run::start([ 'pgbench', '-n', '-c', '2', '-j', '2', '-T', '300', '-f', $burn,
		'-h', $node->host, '-p', $node->port, 'postgres' ], '>', \$out, '2>', \$err);
	wait_until('SELECT serverless_database_capacity >= 4 FROM aurora_serverless.capacity',
		'a CPU-bound burst raises capacity to 4 ACU');
	$h->kill_kill;
	$h->finish;
	my $steps = query("SELECT count(*) FROM aurora_serverless.scaling_events
	                    WHERE event = 'scale_up' AND event_time > '$from'
	                      AND from_capacity < 4");
	$node->append_conf('postgresql.conf', "aurora_serverless.scale_up_delay = 1h\n");
	$node->reload;
	query('SELECT aurora_serverless.modify_capacity(0.5, 1)');
	wait_until('SELECT serverless_database_capacity <= 1 FROM aurora_serverless.capacity',
		'brought down again');
	query('SELECT aurora_serverless.modify_capacity(0.5, 16)');
	wait_until('SELECT serverless_database_capacity = 0.5 FROM aurora_serverless.capacity',
		'and back at 0.5 ACU');
	return ($steps, $from);
}
my ($steps_on, $from_on) = steps_to_4();
like(query('SELECT max(throttled_vcpus) > 0 FROM aurora_serverless.metrics'), qr/t/,
	'the limit held demand back, and the metrics say how much');
# CPU time alone, capped by the limit (busy <= capacity x vcpus_per_acu),
# could never ask for more than capacity / 0.7 at 70% target utilization,
# rounded up to a 0.5 ACU step: at most 1.5 x capacity + 0.5; with what the
# limit held back it asks for more
is(query("SELECT count(*) > 0 FROM aurora_serverless.metrics
	       WHERE sample_time > '$from_on' AND cpu_limit_vcpus > 0
	         AND serverless_database_capacity < 4
	         AND target_capacity > 1.5 * serverless_database_capacity + 0.5"), 't',
	'under the limit, the demand asks for more than the capacity it is held to could');
$node->append_conf('postgresql.conf', "aurora_serverless.enforce_cpu = off\n");
$node->reload;
wait_until('SELECT NOT cpu_enforced FROM aurora_serverless.capacity', 'enforcement turned off');
wait_file('none', 'turning enforcement off lifts the limit');
my ($steps_off) = steps_to_4();
diag("scale-up steps to 4 ACU: $steps_on with the limit, $steps_off without");
# other load on the machine makes the demand noisier and either count
# larger, by a step or two
cmp_ok($steps_on, '<=', $steps_off + 2, 'reaching 4 ACU takes about as many steps with the limit');

# pause and resume: a paused instance keeps the 0.5 ACU limit, and resumes
# at 2 ACU with its limit
$node->append_conf('postgresql.conf', qq{
aurora_serverless.enforce_cpu = on
aurora_serverless.pause_ignore_roles = 'monitor'
aurora_serverless.seconds_until_auto_pause = 1s
});
$node->reload;
query('CREATE ROLE monitor LOGIN SUPERUSER');
wait_until('SELECT cpu_enforced FROM aurora_serverless.capacity', 'enforced again');
$node->safe_psql('postgres', 'SELECT aurora_serverless.modify_capacity(0, 16)',
	extra_params => [ '-U', 'monitor' ]);
my $paused = 0;
foreach (1 .. 10 * $PostgreSQL::Test::Utils::timeout_default)
{
	$paused = 1, last if $node->safe_psql('postgres',
		"SELECT state = 'paused' FROM aurora_serverless.capacity",
		extra_params => [ '-U', 'monitor' ]) eq 't';
	select(undef, undef, undef, 0.1);
}
ok($paused, 'the idle instance pauses');
wait_file('0.125', 'paused, it keeps the 0.5 ACU limit, so that a connection can wake it');
query('SELECT 1');
wait_until("SELECT state = 'active' AND serverless_database_capacity = 2 FROM aurora_serverless.capacity",
	'a connection resumes it at 2 ACU');
wait_file('0.5', 'the limit follows the resume');
$node->safe_psql('postgres', 'SELECT aurora_serverless.modify_capacity(0.5, 16)',
	extra_params => [ '-U', 'monitor' ]);

# a killed worker: the server stays usable, the next worker restores it
my $pid = query('SELECT worker_pid FROM aurora_serverless.capacity');
my $before = limit_in_file();
kill 'KILL', $pid;
# the postmaster restarts every process after it and refuses connections
# until crash recovery ends
ok(poll_through_recovery($node,
	"SELECT worker_pid IS NOT NULL AND worker_pid <> $pid AND cpu_enforced FROM aurora_serverless.capacity"),
	'after a SIGKILL the worker is back and enforcing');
is(query('SELECT 1'), '1', 'the server is usable');
my $cap = query('SELECT serverless_database_capacity FROM aurora_serverless.capacity');
wait_file(($cap > 0 ? $cap : 0.5) * 0.25 . '', 'and the limit is what the capacity buys');

# a cgroup that cannot be written: refused by ALTER SYSTEM, reported when
# it comes from a file, and nothing else changes
my $log_at = -s $node->logfile;
query(q{ALTER SYSTEM SET aurora_serverless.cpu_cgroup = '/nonexistent/cgroup'});
query('SELECT pg_reload_conf()');
# a session started after the reload sees the new cgroup
wait_until(q{SELECT current_setting('aurora_serverless.cpu_cgroup') = '/nonexistent/cgroup'},
	'the new cgroup is read');
my ($ret, $out, $err) = $node->psql('postgres', 'ALTER SYSTEM SET aurora_serverless.enforce_cpu = on');
like($err, qr/ERROR:  invalid value for parameter "aurora_serverless.enforce_cpu"/,
	'ALTER SYSTEM refuses enforcement in a cgroup that cannot be used');
like($err, qr/DETAIL:  .*nonexistent\/cgroup/, 'naming the cgroup');
like($err, qr/HINT:  .*cpu_cgroup/, 'with a hint');
wait_until(q{SELECT count(*) > 0 FROM aurora_serverless.scaling_events
               WHERE event = 'config_rejected' AND reason = 'enforce_cpu'},
	'from the configuration file, a config_rejected event says so');
ok($node->wait_for_log(qr/WARNING:  aurora_serverless: cannot enforce the CPU limit/, $log_at),
	'and a WARNING in the log');
is(query('SELECT cpu_enforced FROM aurora_serverless.capacity'), 'f',
	'capacity says it is not enforced');
like(query(q{SELECT d->'CpuLimit'->>'Problem' FROM aurora_serverless.describe() d}),
	qr/nonexistent\/cgroup/, 'describe() says why');
my $ticks = query('SELECT ticks FROM aurora_serverless.worker_stats');
ok($node->poll_query_until('postgres',
	"SELECT ticks > $ticks + 4 FROM aurora_serverless.worker_stats"), 'and the worker goes on sampling');
query('ALTER SYSTEM RESET aurora_serverless.cpu_cgroup');
query('SELECT pg_reload_conf()');

# the server stops: the limit is lifted
$node->stop;
is(limit_in_file(), 'none', 'the limit is lifted when the server stops');
done_testing();
