# The cgroup v2 interface of the CPU limit, on a stand-in directory: this
# machine mounts only the v1 CPU controller, so no kernel limits anything
# here.  The directory holds the files a v2 cgroup has (cpu.max,
# cgroup.procs, cpu.stat) and the test checks what the worker writes and
# reads: the postmaster joins cgroup.procs; cpu.max holds "quota period" for
# the capacity's vCPUs, follows a scale-up, and is "max 100000" when
# enforcement is turned off; throttled time in cpu.stat (throttled_usec)
# reaches the metrics.  test/t/011 covers the limit itself on cgroup v1.
use strict;
use warnings;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;
use Time::HiRes qw(usleep);

my $node = PostgreSQL::Test::Cluster->new('cgv2');
$node->init;
my $cg = $node->basedir . '/cgroup-v2';
mkdir $cg or die "mkdir $cg: $!";
append_to_file("$cg/cpu.max", "max 100000\n");
append_to_file("$cg/cgroup.procs", '');
append_to_file("$cg/cpu.stat", "usage_usec 0\nnr_periods 0\nnr_throttled 0\nthrottled_usec 0\n");
$node->append_conf('postgresql.conf', qq{
shared_preload_libraries = 'aurora_serverless'
aurora_serverless.sample_interval = 250ms
aurora_serverless.scale_up_delay = 1h
aurora_serverless.enforce_cpu = on
aurora_serverless.cpu_cgroup = '$cg'
});
$node->start;
$node->safe_psql('postgres', 'CREATE EXTENSION aurora_serverless');
sub query { return $node->safe_psql('postgres', shift); }

sub wait_file
{
	my ($file, $want, $name) = @_;
	foreach (1 .. 10 * $PostgreSQL::Test::Utils::timeout_default)
	{
		my $got = slurp_file("$cg/$file");
		$got =~ s/\s+$//;
		if ($got eq $want)
		{
			pass($name);
			return;
		}
		usleep(100_000);
	}
	fail($name);
	diag("$file holds: " . slurp_file("$cg/$file"));
}

ok($node->poll_query_until('postgres', 'SELECT cpu_enforced FROM aurora_serverless.capacity'),
	'enforcement is in force');
ok($node->log_contains(qr/enforcing the CPU limit in cgroup "\Q$cg\E" \(cgroup v2\)/),
	'the directory is taken for a cgroup v2');
wait_file('cpu.max', '12500 100000', 'at 0.5 ACU cpu.max holds 0.125 CPU: "12500 100000"');
# the stand-in keeps the last pid written: the postmaster's, then each of
# its children's
like(slurp_file("$cg/cgroup.procs"), qr/^\d+$/, 'the server\'s processes were written to cgroup.procs');

query('SELECT aurora_serverless.modify_capacity(4, 16)');
wait_file('cpu.max', '100000 100000', 'at 4 ACU: "100000 100000", one CPU');
is(query('SELECT cpu_limit_vcpus FROM aurora_serverless.capacity'), '1',
	'the capacity view shows the limit');

# the kernel adds throttled time to cpu.stat; the demand sees it
my $t0 = query('SELECT now()');
open(my $fh, '>', "$cg/cpu.stat") or die "open cpu.stat: $!";
print $fh "usage_usec 9000000\nnr_periods 90\nnr_throttled 50\nthrottled_usec 5000000\n";
close($fh);
ok($node->poll_query_until('postgres',
	"SELECT count(*) > 0 FROM aurora_serverless.metrics
	  WHERE sample_time > '$t0' AND throttled_vcpus > 0"),
	'throttled_usec of cpu.stat reaches the metrics as throttled_vcpus');

$node->append_conf('postgresql.conf', "aurora_serverless.enforce_cpu = off\n");
$node->reload;
wait_file('cpu.max', 'max 100000', 'turning enforcement off writes "max 100000"');
ok($node->poll_query_until('postgres', 'SELECT NOT cpu_enforced FROM aurora_serverless.capacity'),
	'and the capacity view says so');

$node->stop;
done_testing();
