# The life cycle docs/operations.md describes (upgrade, dump, reset, removal).
# DROP EXTENSION removes the SQL objects and the grants on them, and
# nothing else: the worker goes on, the history, the alarms, the state file
# and the postgresql.auto.conf lines stay, and a new CREATE EXTENSION shows
# them.  reset() (REVOKEd from PUBLIC, applied at commit) forgets the
# history and keeps the settings and the alarms.  postgresql.auto.conf
# overrides postgresql.conf for the range modify_capacity() wrote.  Then
# the library removed as docs/operations.md says (DROP EXTENSION, ALTER SYSTEM
# RESET of the lines modify_capacity() wrote, shared_preload_libraries
# without it, the state file removed, a restart): the server starts with
# no error or warning caused by the extension.
use strict;
use warnings;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;

my $node = PostgreSQL::Test::Cluster->new('life');
$node->init;
$node->append_conf('postgresql.conf', q{
shared_preload_libraries = 'aurora_serverless'
aurora_serverless.sample_interval = 250ms
aurora_serverless.flush_interval = 1s
aurora_serverless.min_capacity = 0.5
aurora_serverless.max_capacity = 16
});
$node->start;
my $state = $node->data_dir . '/aurora_serverless.state';
sub query { return $node->safe_psql('postgres', shift); }

query('CREATE ROLE operator LOGIN');
query('CREATE EXTENSION aurora_serverless');
query(q{
	GRANT EXECUTE ON FUNCTION aurora_serverless.pause() TO operator;
	SELECT aurora_serverless.put_metric_alarm('capacity-near-max', 'ACUUtilization',
	         'Maximum', 60, 1, 90, 'GreaterThanOrEqualToThreshold');
	SELECT aurora_serverless.modify_capacity(1, 8);
});
ok($node->poll_query_until('postgres', q{
	SELECT current_setting('aurora_serverless.max_capacity') = '8'
	   AND (SELECT count(*) FROM aurora_serverless.metrics) >= 4}),
	'modify_capacity() wrote its range, and samples are recorded');
my $auto = slurp_file($node->data_dir . '/postgresql.auto.conf');
ok($auto =~ /^aurora_serverless\.min_capacity = '1'$/m
	  && $auto =~ /^aurora_serverless\.max_capacity = '8'$/m,
	'the range is in postgresql.auto.conf');
my $worker = query('SELECT worker_pid FROM aurora_serverless.capacity');

# postgresql.auto.conf overrides postgresql.conf
$node->append_conf('postgresql.conf', "aurora_serverless.max_capacity = 32\n");
query('SELECT pg_reload_conf()');
is(query(q{SELECT setting || ' from ' || (sourcefile ~ 'postgresql\.auto\.conf')::text
             FROM pg_settings WHERE name = 'aurora_serverless.max_capacity'}), '8 from true',
	'postgresql.auto.conf overrides a later postgresql.conf line');

# DROP EXTENSION: the SQL objects and their grants go, nothing else
query('DROP EXTENSION aurora_serverless');
is(query(q{SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'aurora_serverless worker'}),
	'1', 'after DROP EXTENSION the worker goes on');
is(query(q{SELECT pid FROM pg_stat_activity WHERE backend_type = 'aurora_serverless worker'}),
	$worker, 'the same worker');
is(query('SHOW aurora_serverless.max_capacity'), '8', 'the range stays in force');
ok(-f $state, 'the state file stays');
query('CREATE EXTENSION aurora_serverless');
cmp_ok(query('SELECT count(*) FROM aurora_serverless.metrics'), '>=', 4,
	'a new CREATE EXTENSION shows the old history');
is(query('SELECT alarm_name FROM aurora_serverless.alarms'), 'capacity-near-max',
	'and the old alarm');
is(query(q{SELECT has_function_privilege('operator', 'aurora_serverless.pause()', 'EXECUTE')}),
	'f', 'the grant went with the dropped function');

# reset(): not for PUBLIC; a rollback keeps the history; a commit forgets it
my ($rc, $out, $err) = $node->psql('postgres',
	'SET ROLE operator; SELECT aurora_serverless.reset()');
like($err, qr/permission denied for function reset/, 'reset() is REVOKEd from PUBLIC');
my $before = query('SELECT count(*) FROM aurora_serverless.metrics');
query('BEGIN; SELECT aurora_serverless.reset(); ROLLBACK');
cmp_ok(query('SELECT count(*) FROM aurora_serverless.metrics'), '>=', $before,
	'a rolled back reset() forgets nothing');
my $t = query('SELECT now()');
query('SELECT aurora_serverless.reset()');
is(query(qq{SELECT count(*) FROM aurora_serverless.metrics WHERE sample_time < '$t'}), '0',
	'a committed reset() forgets the samples');
is(query(q{SELECT string_agg(reason, ',') FROM aurora_serverless.scaling_events
            WHERE event = 'config_change'}), 'reset',
	'and the events, but one that says so');
like(query(q{SELECT detail FROM aurora_serverless.scaling_events WHERE reason = 'reset'}),
	qr/^recorded history reset: \d+ samples, \d+ events and 0 hours of accounting forgotten$/,
	'its detail counts what was forgotten');
is(query(q{SELECT alarm_name FROM aurora_serverless.alarms}), 'capacity-near-max',
	'the alarm definition stays');
is(query('SHOW aurora_serverless.max_capacity'), '8', 'and the range');
$t = query('SELECT now()');
ok($node->poll_query_until('postgres', qq{
	SELECT count(*) > 0 FROM aurora_serverless.metrics WHERE sample_time > '$t'}),
	'sampling goes on after the reset');
$node->restart;
is(query(q{SELECT count(*) FROM aurora_serverless.scaling_events WHERE reason = 'reset'}), '1',
	'the reset is kept in the state file across a restart');

# the library removed as docs/operations.md says
query('DROP EXTENSION aurora_serverless');
query('ALTER SYSTEM RESET aurora_serverless.min_capacity');
query('ALTER SYSTEM RESET aurora_serverless.max_capacity');
unlike(slurp_file($node->data_dir . '/postgresql.auto.conf'), qr/aurora_serverless/,
	'ALTER SYSTEM RESET takes the lines out of postgresql.auto.conf');
$node->append_conf('postgresql.conf', "shared_preload_libraries = ''\n");
$node->stop;
unlink($state) or die "unlink $state: $!";
my $offset = -s $node->logfile;
$node->start;
is(query('SELECT 1'), '1', 'the server starts without the library');
is(query(q{SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'aurora_serverless worker'}),
	'0', 'no worker');
$node->stop;
my $log = slurp_file($node->logfile, $offset);
unlike($log, qr/(WARNING|ERROR|FATAL|PANIC):/,
	'no error or warning in the log from start to stop') or diag($log);
ok(!-e $state, 'and no state file is written');

done_testing();
