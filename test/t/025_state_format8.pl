# An update of the extension keeps what the state file holds: a file of
# format 8, as version 1.0 wrote it (test/t/data/state-format8.bin: an
# instance named format8, 14 samples, 3 events, two alarms), is read into
# the current format, its alarms, samples and events kept, and rewritten
# in the current format; a damaged file of format 8 is a LOG line and a
# fresh start.
use strict;
use warnings;
use File::Copy;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;

my $fixture = 'test/t/data/state-format8.bin';

my $node = PostgreSQL::Test::Cluster->new('format8');
$node->init;
$node->append_conf('postgresql.conf', q{
shared_preload_libraries = 'aurora_serverless'
aurora_serverless.instance_name = 'format8'
aurora_serverless.sample_interval = 250ms
});
my $state = $node->data_dir . '/aurora_serverless.state';
copy($fixture, $state) or die "copy $fixture: $!";
chmod 0600, $state;
$node->start;
$node->safe_psql('postgres', 'CREATE EXTENSION aurora_serverless');
sub query { return $node->safe_psql('postgres', shift); }

ok($node->log_contains(qr/reading state file "aurora_serverless\.state" of an earlier version \(format 8\)/),
	'the file of format 8 is read, and the log says so');
is(query('SELECT string_agg(alarm_name || \' \' || metric_name || \' \' || statistic || \' \' || period
                            || \' \' || evaluation_periods || \' \' || threshold || \' \' || comparison_operator,
                            \', \' ORDER BY alarm_name)
            FROM aurora_serverless.alarms'),
	'capacity-near-max ACUUtilization Maximum 60 1 90 GreaterThanOrEqualToThreshold, '
	  . 'connections-high DatabaseConnections Average 60 2 50 GreaterThanThreshold',
	'its two alarms are kept as they were defined');
cmp_ok(query("SELECT count(*) FROM aurora_serverless.metrics WHERE sample_time < pg_postmaster_start_time()"),
	'==', 14, 'its 14 samples are kept');
is(query("SELECT string_agg(event, ',' ORDER BY event_time) FROM aurora_serverless.scaling_events
           WHERE event_time < pg_postmaster_start_time()"),
	'startup,config_change,scale_up', 'and its events');
# rewritten in the current format at the next write: a restart reads it
# without the note
ok($node->poll_query_until('postgres',
	"SELECT count(*) > 0 FROM aurora_serverless.metrics WHERE sample_time > pg_postmaster_start_time() + interval '2 s'"),
	'the worker samples on');
$node->restart;
my $log = slurp_file($node->logfile);
my @loads = $log =~ /(loaded state file|of an earlier version)/g;
is($loads[-1], 'loaded state file', 'after a restart the file is of the current format');
is(query('SELECT count(*) FROM aurora_serverless.alarms'), '2', 'with the alarms still there');

# a damaged file of format 8: a LOG line and a fresh start
$node->stop;
my $bytes = slurp_file($fixture);
substr($bytes, 30000 > length($bytes) ? 24000 : 30000, 1) ^= "\x01";
open(my $fh, '>', $state) or die;
binmode $fh;
print $fh $bytes;
close $fh;
$node->start;
ok($node->log_contains(qr/ignoring state file "aurora_serverless\.state": its checksum does not match/),
	'a damaged file of format 8 is a LOG line');
is(query('SELECT count(*) FROM aurora_serverless.alarms'), '0', 'and a fresh start');

$node->stop;
done_testing();
