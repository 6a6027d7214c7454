# Faults: a worker killed with SIGKILL, a server crash, state files that
# are missing, truncated, from another version, random or corrupt, and an
# invalid setting on reload.  None may stop the server or lose more than
# one flush interval.
use strict;
use warnings;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;
use Time::HiRes qw(usleep);
use FindBin;
use lib $FindBin::RealBin;
use ServerlessTest;

my $node = PostgreSQL::Test::Cluster->new('faults');
$node->init;
$node->append_conf('postgresql.conf', q{
shared_preload_libraries = 'aurora_serverless'
restart_after_crash = on
aurora_serverless.sample_interval = 250ms
aurora_serverless.flush_interval = 1s
aurora_serverless.worker_restart_time = 1s
});
$node->start;
$node->safe_psql('postgres', 'CREATE EXTENSION aurora_serverless');
sub query { return $node->safe_psql('postgres', shift); }
my $file = $node->data_dir . '/aurora_serverless.state';

# wait until the worker has written the state file after a given time (the
# file's modification time, to the microsecond)
sub wait_for_flush
{
	my ($since, $name) = @_;
	my $done = 0;
	foreach (1 .. 10 * $PostgreSQL::Test::Utils::timeout_default)
	{
		my @st = Time::HiRes::stat($file);
		if (@st && $st[9] > $since) { $done = 1; last; }
		usleep(100_000);
	}
	ok($done, $name);
}

# some history: configuration changes are events
query('SELECT aurora_serverless.modify_capacity(1, 8)');
query('SELECT aurora_serverless.modify_capacity(0.5, 16)');
ok($node->poll_query_until('postgres',
	"SELECT count(*) = 2 FROM aurora_serverless.scaling_events WHERE event = 'config_change'"),
	'two configuration changes recorded');
wait_for_flush(Time::HiRes::time(), 'the state file is written after the changes');
my $samples = query('SELECT count(*) FROM aurora_serverless.metrics');
ok(-s $file, 'the state file is written');
ok(!-e "$file.tmp", 'no temporary file is left behind');

# SIGKILL of the worker: the postmaster restarts every backend, the state
# comes back from the file
my $pid = query('SELECT worker_pid FROM aurora_serverless.capacity');
my $log_offset = -s $node->logfile;
kill 'KILL', $pid;
ok(poll_through_recovery($node,
	"SELECT worker_pid IS NOT NULL AND worker_pid <> $pid FROM aurora_serverless.capacity"),
	'after a SIGKILL the server recovers and the worker is back');
ok($node->log_contains(qr/terminated by signal 9/, $log_offset), 'the postmaster saw the crash');
ok($node->log_contains(qr/loaded state file "aurora_serverless\.state"/, $log_offset),
	'and the state came back from the file');
is(query("SELECT count(*) FROM aurora_serverless.scaling_events WHERE event = 'config_change'"),
	'2', 'no event lost');
cmp_ok(query('SELECT count(*) FROM aurora_serverless.metrics'), '>=', $samples - 8,
	'at most one flush interval of samples lost');
is(query('SELECT 1'), '1', 'the server keeps serving');

# a crash of the whole server
query('SELECT aurora_serverless.modify_capacity(1, 16)');
# the worker writes the range to postgresql.auto.conf, then the state file
ok($node->poll_query_until('postgres', q{SELECT count(*) = 1 FROM pg_file_settings
	WHERE name = 'aurora_serverless.min_capacity' AND setting = '1'}),
	'the new range is written to postgresql.auto.conf');
wait_for_flush(Time::HiRes::time(), 'and the state file after it');
$node->stop('immediate');
$node->start;
is(query("SELECT count(*) FROM aurora_serverless.scaling_events WHERE event = 'config_change'"),
	'3', 'after a crash of the server the events are back');
is(query('SELECT min_capacity FROM aurora_serverless.capacity'), '1',
	'and the settings');

# a state file that cannot be written (as on a full disk): the first
# failure is logged, the next ones only counted, the old file stays, and
# the first success after them is logged
my $tmp = "$file.tmp";
my $size_before = -s $file;
$log_offset = -s $node->logfile;
mkdir($tmp) or die "mkdir $tmp: $!";
ok($node->poll_query_until('postgres',
	'SELECT state_file_failures >= 4 FROM aurora_serverless.worker_stats'),
	'failed writes are counted in worker_stats');
my $log = slurp_file($node->logfile, $log_offset);
my @lines = ($log =~ /could not create file "aurora_serverless\.state\.tmp"/g);
is(scalar(@lines), 1, 'only the first failure of a run is logged');
like($log, qr/Later failures are counted in aurora_serverless\.worker_stats/,
	'and it says where the next ones go');
is(-s $file, $size_before, 'the previous state file stays as it was');
rmdir($tmp) or die "rmdir $tmp: $!";
ok($node->wait_for_log(qr/wrote state file "aurora_serverless\.state" again after \d+ failed attempts/,
	$log_offset), 'the first write that succeeds again is logged');

# bad state files: a LOG line naming the file, a fresh start
sub restart_with
{
	my ($name, $mangle, $pattern) = @_;
	$node->stop;
	$mangle->();
	my $offset = -s $node->logfile;
	$node->start;
	is(query('SELECT 1'), '1', "$name state file: the server starts");
	if ($pattern)
	{
		ok($node->log_contains(qr/ignoring state file "aurora_serverless\.state": $pattern/, $offset),
			"$name state file: a LOG line says why")
		  or diag(slurp_file($node->logfile, $offset));
	}
	ok($node->poll_query_until('postgres',
		"SELECT count(*) = 1 AND bool_and(event = 'startup') FROM aurora_serverless.scaling_events"),
		"$name state file: a fresh start");
	ok($node->poll_query_until('postgres', 'SELECT count(*) > 0 FROM aurora_serverless.metrics'),
		"$name state file: sampling goes on");
}

sub rewrite
{
	my ($fn) = @_;
	open(my $fh, '+<:raw', $file) or die "open $file: $!";
	local $/;
	my $data = <$fh>;
	$data = $fn->($data);
	seek($fh, 0, 0);
	truncate($fh, 0);
	print $fh $data;
	close($fh);
}

restart_with('missing', sub { unlink $file }, undef);
# cut in its tail: the header says more than the file holds
restart_with('truncated', sub { rewrite(sub { substr($_[0], 0, length($_[0]) - 37) }) },
	'it is truncated');
restart_with('foreign version',
	sub { rewrite(sub { my $d = $_[0]; substr($d, 4, 4) = pack('L', 999); $d }) },
	'it was written by another version');
restart_with('random',
	sub { rewrite(sub { join('', map { chr(int(rand(256))) } 1 .. length($_[0])) }) },
	'it is not an aurora_serverless state file');
restart_with('corrupt',
	sub {
		rewrite(sub {
			my $d = $_[0];
			my $at = int(length($d) / 2);
			substr($d, $at, 1) = chr(ord(substr($d, $at, 1)) ^ 0xff);
			$d;
		});
	},
	'its checksum does not match');
restart_with('empty', sub { rewrite(sub { '' }) }, 'its size does not match');

# an invalid setting in postgresql.conf is refused, the old value stays
my $offset = -s $node->logfile;
$node->append_conf('postgresql.conf', "aurora_serverless.vcpus_per_acu = 0.5\n");
$node->reload;
ok($node->poll_query_until('postgres', "SELECT current_setting('aurora_serverless.vcpus_per_acu') = '0.5'"),
	'a valid setting applies on reload');
$node->append_conf('postgresql.conf', "aurora_serverless.vcpus_per_acu = -2\n");
$node->reload;
ok($node->wait_for_log(qr/-2 is outside the valid range for parameter "aurora_serverless\.vcpus_per_acu"/,
	$offset), 'an invalid setting is refused on reload');
is(query('SHOW aurora_serverless.vcpus_per_acu'), '0.5', 'the old value stays');
like(query("SELECT detail FROM aurora_serverless.scaling_events WHERE event = 'config_change'
            ORDER BY event_time DESC LIMIT 1"), qr/vcpus_per_acu 0\.25 -> 0\.5/,
	'the worker applied the valid one at its next tick');

$node->stop;
done_testing();
