# A sample asked for right after another measures no CPU that was not
# spent.  Each report of a tier 0 or 1 reader that saw connection attempts
# asks its writer for a sample at once (a paused writer wakes without waiting
# for its next interval), and so do modify_capacity(), pause() and resume().
# A rate taken over the millisecond since the last sample turned a reader's
# report of a fraction of a millisecond into a busy CPU, and the writer scaled
# up for load it never had.  Rates are measured over half an interval at
# least.
use strict;
use warnings;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;

my $node = PostgreSQL::Test::Cluster->new('writer');
$node->init;
$node->append_conf('postgresql.conf', q{
shared_preload_libraries = 'aurora_serverless'
aurora_serverless.sample_interval = 1s
aurora_serverless.scale_up_delay = 0
aurora_serverless.scale_down_delay = 1h
# the reports' own CPU (about 0.1 vCPU on a busy machine) must stay well
# below a step: at 1 vCPU per ACU 0.5 ACU holds 0.35 vCPU, while a rate
# taken over a millisecond reads several vCPUs, the error this test is for
aurora_serverless.vcpus_per_acu = 1
autovacuum = off
});
$node->start;
$node->safe_psql('postgres', 'CREATE EXTENSION aurora_serverless');
ok($node->poll_query_until('postgres',
	'SELECT serverless_database_capacity = 0.5 FROM aurora_serverless.capacity'),
	'the idle writer is at its minimum');

# two tier 1 readers report 40 times a second in all, each report with a
# connection attempt; every report asks for a sample at once
my $t0 = $node->safe_psql('postgres', 'SELECT now()');
$node->pgbench('-n -c 2 -j 2 -T 5 -R 40', 0, [qr{processed}], [qr{^$}],
	'two readers report their connection attempts',
	{ '016_reports' => q{SELECT aurora_serverless.cluster_report('reader-' || :client_id, 1, 0.5, 'active', 0, 0, 1, clock_timestamp(), 0, '0/0');} });
my ($samples, $max_busy, $min_interval) = split /\|/, $node->safe_psql('postgres',
	"SELECT count(*), max(busy_vcpus), min(interval_seconds) FROM aurora_serverless.metrics WHERE sample_time > '$t0'");
cmp_ok($samples, '>', 20, 'the reports asked for samples between the intervals');
cmp_ok($min_interval, '<', 0.5, 'some of them right after another sample');
is($node->safe_psql('postgres', 'SELECT serverless_database_capacity FROM aurora_serverless.capacity'),
	'0.5', 'the writer stayed at its minimum')
  or diag("samples $samples, max busy_vcpus $max_busy, shortest interval $min_interval s");
is($node->safe_psql('postgres',
	"SELECT count(*) FROM aurora_serverless.scaling_events WHERE event = 'scale_up' AND event_time > '$t0'"),
	'0', 'and did not scale up on the way');

$node->stop;
done_testing();
