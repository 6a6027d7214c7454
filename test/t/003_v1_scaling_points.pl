# Engine mode v1 on a real cluster: a LISTEN session blocks the scaling
# point; RollbackCapacityChange keeps the capacity, ForceApplyCapacityChange
# ends the session, whose client is told why, and applies.
use strict;
use warnings;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;

my $node = PostgreSQL::Test::Cluster->new('v1');
$node->init;
$node->append_conf('postgresql.conf', q{
shared_preload_libraries = 'aurora_serverless'
aurora_serverless.engine_mode = 'v1'
aurora_serverless.min_capacity = 2
aurora_serverless.max_capacity = 8
aurora_serverless.sample_interval = 250ms
aurora_serverless.seconds_before_timeout = 2s
aurora_serverless.timeout_action = 'RollbackCapacityChange'
});
$node->start;
$node->safe_psql('postgres', 'CREATE EXTENSION aurora_serverless');

sub query { return $node->safe_psql('postgres', shift); }

ok($node->poll_query_until('postgres',
	"SELECT engine_mode = 'v1' AND serverless_database_capacity = 2 FROM aurora_serverless.capacity"),
	'v1 instance starts at min capacity');

# a session that LISTENs blocks every scaling point
my $listener = $node->background_psql('postgres', on_error_stop => 0);
my $listener_pid = $listener->query_safe('SELECT pg_backend_pid()');
$listener->query_safe('LISTEN jobs');
ok($node->poll_query_until('postgres',
	"SELECT count(*) = 1 FROM aurora_serverless.scaling_blockers
	  WHERE blocker = 'listen' AND pid = $listener_pid AND detail = 'jobs'"),
	'the LISTEN session is a scaling blocker');

# RollbackCapacityChange: the search times out, capacity stays
query('SELECT aurora_serverless.modify_current_capacity(4)');
ok($node->poll_query_until('postgres',
	"SELECT count(*) = 1 FROM aurora_serverless.scaling_events WHERE event = 'rollback'"),
	'search times out and rolls back');
is(query('SELECT serverless_database_capacity FROM aurora_serverless.capacity'),
	'2', 'RollbackCapacityChange keeps the capacity');
is(query("SELECT string_agg(event, ',' ORDER BY event_time, event) FROM aurora_serverless.scaling_events
          WHERE event IN ('scaling_point_search', 'scaling_point_timeout', 'rollback')"),
	'scaling_point_search,rollback,scaling_point_timeout', 'search, timeout and rollback are events');
is($listener->query_safe('SELECT 1'), '1', 'the blocking session lives on');

# ForceApplyCapacityChange: the session is ended and the change applied
query("SELECT aurora_serverless.modify_current_capacity(4, 2, 'ForceApplyCapacityChange')");
ok($node->poll_query_until('postgres',
	'SELECT serverless_database_capacity = 4 FROM aurora_serverless.capacity'),
	'ForceApplyCapacityChange applies the change');
like(query("SELECT detail FROM aurora_serverless.scaling_events WHERE event = 'force_apply'"),
	qr/\b$listener_pid\b/, 'force_apply names the sessions it ended');
ok($node->poll_query_until('postgres',
	"SELECT count(*) = 0 FROM pg_stat_activity WHERE pid = $listener_pid"),
	'the blocking session is gone');

# what its client saw
eval { $listener->query('SELECT 1'); };
like($listener->{stderr},
	qr/The last transaction was aborted due to Seamless Scaling\. Please retry\./,
	'the client is told about Seamless Scaling');
eval { $listener->quit; };
ok($node->log_contains(qr/FATAL:  The last transaction was aborted due to Seamless Scaling/),
	'and so is the server log');

# with no blocker, a change applies at the first scaling point
query('SELECT aurora_serverless.modify_current_capacity(8)');
ok($node->poll_query_until('postgres',
	'SELECT serverless_database_capacity = 8 FROM aurora_serverless.capacity'),
	'a change with no blocker applies');
is(query("SELECT count(*) FROM aurora_serverless.scaling_events WHERE event = 'rollback'"),
	'1', 'no further rollback');

# a superuser's LISTEN is a blocker too, and is kept by a rollback
my $su = $node->background_psql('postgres', on_error_stop => 0);
$su->query_safe('LISTEN admin_jobs');
query('SELECT aurora_serverless.modify_current_capacity(4)');
ok($node->poll_query_until('postgres',
	"SELECT count(*) = 2 FROM aurora_serverless.scaling_events WHERE event = 'rollback'"),
	'a superuser session blocks the scaling point too');
is($su->query_safe('SELECT 1'), '1', 'and is not ended by a rollback');
$su->quit;

# session end removes the blocker
ok($node->poll_query_until('postgres',
	"SELECT count(*) = 0 FROM aurora_serverless.scaling_blockers WHERE blocker = 'listen'"),
	'a session that ends stops blocking');

$node->stop;
done_testing();
