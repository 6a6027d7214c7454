# An Aurora cluster over streaming replication: a writer and two readers,
# reader-0 in promotion tier 0 and reader-2 in tier 2, each reporting to the
# writer through a role that has only REPLICATION and EXECUTE on
# cluster_report().  The writer sees its cluster; reader-0 follows the
# writer's capacity up and reader-2 does not; a load on reader-2 moves it
# alone; a reader that stops reporting turns stale and comes back; with
# auto-pause the writer and reader-0 pause together while reader-2 keeps its
# session, and a connection to reader-0 wakes both; after a failover to
# reader-0, reader-2 re-pointed at it reports to it.
use strict;
use warnings;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;
use IPC::Run;
use Time::HiRes qw(usleep);

my $common = q{
shared_preload_libraries = 'aurora_serverless'
aurora_serverless.sample_interval = 250ms
aurora_serverless.min_capacity = 0.5
aurora_serverless.max_capacity = 8
aurora_serverless.scale_up_delay = 0
aurora_serverless.scale_down_delay = 2s
aurora_serverless.scale_down_interval = 1s
aurora_serverless.cluster_stale_timeout = 3s
aurora_serverless.pause_ignore_roles = 'monitor'
};

my $writer = PostgreSQL::Test::Cluster->new('writer');
$writer->init(allows_streaming => 1);
$writer->append_conf('postgresql.conf', $common
	  . "aurora_serverless.instance_name = 'writer-1'\n");
$writer->start;
$writer->safe_psql('postgres', q{
	CREATE EXTENSION aurora_serverless;
	CREATE ROLE monitor LOGIN SUPERUSER;
	CREATE ROLE app LOGIN;
	-- what a reader's link needs: a replication role, and one function
	CREATE ROLE cluster_link LOGIN REPLICATION;
	GRANT EXECUTE ON FUNCTION aurora_serverless.cluster_report(text, integer, numeric,
	  text, integer, integer, bigint, timestamptz, double precision, pg_lsn) TO cluster_link;
});
$writer->pgbench('-i -s 1', 0, [qr{^$}], [qr{.*}], 'pgbench tables on the writer');
$writer->safe_psql('postgres', 'GRANT SELECT ON pgbench_accounts, pgbench_branches TO app');
$writer->backup('base');

sub reader
{
	my ($name, $tier) = @_;
	my $node = PostgreSQL::Test::Cluster->new($name);
	$node->init_from_backup($writer, 'base', has_streaming => 1);
	$node->append_conf('postgresql.conf', qq{
aurora_serverless.instance_name = '$name'
aurora_serverless.promotion_tier = $tier
primary_conninfo = '@{[ $writer->connstr ]} user=cluster_link application_name=$name'
});
	$node->start;
	return $node;
}
my $r0 = reader('reader-0', 0);
my $r2 = reader('reader-2', 2);
$writer->wait_for_catchup($r0);
$writer->wait_for_catchup($r2);

# every query of the test as the monitor role, which never keeps an
# instance awake or wakes it
sub mon
{
	my ($node, $sql) = @_;
	return $node->safe_psql('postgres', $sql, extra_params => [ '-U', 'monitor' ]);
}

sub wait_for
{
	my ($node, $sql, $name, $why) = @_;
	foreach (1 .. 10 * $PostgreSQL::Test::Utils::timeout_default)
	{
		if (mon($node, $sql) eq 't')
		{
			pass($name);
			return 1;
		}
		usleep(100_000);
	}
	fail($name);
	diag(mon($node, $why // 'SELECT * FROM aurora_serverless.cluster_instances'));
	return 0;
}

sub events
{
	my ($node, $where) = @_;
	return mon($node, "SELECT count(*) FROM aurora_serverless.scaling_events WHERE $where");
}

# -- the writer sees its cluster
wait_for($writer, q{SELECT count(*) = 3 AND bool_and(state = 'active')
	FROM aurora_serverless.cluster_instances}, 'both readers report to the writer');
is(mon($writer, q{SELECT string_agg(instance_name || ' ' || role || ' ' || promotion_tier || ' '
	                     || coalesce(failover_order::text, '-'), ', ' ORDER BY role DESC, failover_order)
	                FROM aurora_serverless.cluster_instances}),
	'writer-1 writer 1 -, reader-0 reader 0 1, reader-2 reader 2 2',
	'cluster_instances: the writer, then its readers in failover order (lowest tier first)');
is(events($writer, "event = 'reader_joined'"), '2', 'a reader_joined event for each');
is(mon($r0, q{SELECT role || ' ' || writer_name || ' ' || writer_link FROM aurora_serverless.cluster}),
	'reader writer-1 connected', 'reader-0 reports to writer-1');
like(mon($r2, q{SELECT detail FROM aurora_serverless.scaling_events WHERE event = 'writer_connected'}),
	qr/^reporting to writer writer-1, which runs at [0-9.]+ ACU; promotion tier 2$/,
	'reader-2 records its link as an event');
is(mon($writer, q{SELECT count(*) FROM pg_stat_activity
	               WHERE application_name = 'aurora_serverless cluster link'
	                 AND usename = 'cluster_link'}), '2',
	'one link session per reader, as the reporting role');
is(mon($writer, q{SELECT instances || ' ' || (total_capacity = (SELECT sum(serverless_database_capacity)
	                       FROM aurora_serverless.cluster_instances))
	                FROM aurora_serverless.cluster}), '3 true',
	'cluster: three instances, their capacities add up to the total');
my $usage_ok = mon($writer, q{SELECT abs(acu_hours - (SELECT sum(acu_hours)
	                                  FROM aurora_serverless.cluster_instances)) < 0.00001
	                           AND acu_hours > 0
	                      FROM aurora_serverless.cluster});
is($usage_ok, 't', 'cluster: the usage is the sum of the instances\' usage');

# a replica made from a base backup has a copy of the writer's state file;
# its history starts with itself
foreach my $node ($r0, $r2)
{
	is(mon($node, q{SELECT event || ' ' || reason FROM aurora_serverless.scaling_events
	                 ORDER BY event_time LIMIT 1}),
		'startup reader', $node->name . ': its history starts with its own startup');
	ok($node->log_contains(qr/ignoring state file "aurora_serverless\.state": it holds the history of instance "writer-1", not of this one/),
		$node->name . ': a LOG line says whose history it left');
}

# -- a load on reader-2 (tier 2) moves it alone
foreach my $node ($writer, $r0, $r2)
{
	wait_for($node, 'SELECT serverless_database_capacity = 0.5 FROM aurora_serverless.capacity',
		$node->name . ' is at its minimum, 0.5 ACU, before the loads',
		'SELECT serverless_database_capacity FROM aurora_serverless.capacity');
}
my $t0 = mon($writer, 'SELECT now()');
$r2->pgbench('-n -c 2 -j 2 -T 5 -S -U app', 0, [qr{processed}], [qr{^$}], 'read load on reader-2',
	undef, 'postgres');
cmp_ok(mon($r2, "SELECT max(serverless_database_capacity) FROM aurora_serverless.metrics
	                WHERE sample_time > '$t0'"), '>', 0.5, 'reader-2 scaled up on its own load');
is(mon($writer, "SELECT max(serverless_database_capacity) FROM aurora_serverless.metrics
	                WHERE sample_time > '$t0'"), '0.5', 'the writer stayed at its minimum');
is(events($r0, "reason = 'writer' AND event_time > '$t0'"), '0', 'reader-0 had nothing to follow');

# -- a load on the writer lifts reader-0 (tier 0), not reader-2
wait_for($r2, 'SELECT serverless_database_capacity = 0.5 FROM aurora_serverless.capacity',
	'reader-2 is back at its minimum',
	'SELECT serverless_database_capacity FROM aurora_serverless.capacity');
# Every query of this test starts a backend, and its first CPU counts for the
# instance it runs on: a probe of reader-2 may lift it one step by itself.
# So reader-2 is judged over the writer's load alone, when nothing queries it:
# from $t1 to $t2.  $t1 is the time of reader-2's second report to the writer
# after its last probe ended (watched on the writer, not on reader-2): the
# samples that count the probe's CPU, and any step it caused, come before it.
my $t1 = mon($writer, 'SELECT now()');
foreach my $report (1, 2)
{
	$writer->poll_query_until('postgres', qq{
		SELECT last_report_at > '$t1' FROM aurora_serverless.cluster_instances
		 WHERE instance_name = 'reader-2'})
	  or die "reader-2 stopped reporting to the writer";
	$t1 = mon($writer, q{SELECT last_report_at FROM aurora_serverless.cluster_instances
		WHERE instance_name = 'reader-2'});
}
$writer->pgbench('-n -c 2 -j 2 -T 8 -S -U app', 0, [qr{processed}], [qr{^$}], 'read load on the writer',
	undef, 'postgres');
my $t2 = mon($writer, 'SELECT now()');
my $writer_peak = mon($writer, "SELECT max(serverless_database_capacity) FROM aurora_serverless.metrics
	                               WHERE sample_time > '$t0'");
cmp_ok($writer_peak, '>', 0.5, "the writer scaled up ($writer_peak ACU)");
wait_for($r0, "SELECT count(*) > 0 FROM aurora_serverless.scaling_events
	            WHERE event = 'scale_up' AND reason = 'writer'",
	'reader-0 followed the writer up (scale_up, reason writer)',
	'SELECT * FROM aurora_serverless.scaling_events');
like(mon($r0, "SELECT detail FROM aurora_serverless.scaling_events
	             WHERE event = 'scale_up' AND reason = 'writer' ORDER BY event_time DESC LIMIT 1"),
	qr/the writer runs at [0-9.]+ ACU; a reader in promotion tier 0 or 1 runs at least as high/,
	'the event says why');
cmp_ok(mon($r0, "SELECT max(serverless_database_capacity) FROM aurora_serverless.metrics
	               WHERE sample_time > '$t0'"), '>=', $writer_peak,
	'reader-0 reached the writer\'s peak');
is(events($r2, "reason = 'writer'"), '0', 'reader-2 (tier 2) did not follow');
is(events($r2, "event LIKE 'scale%' AND event_time > '$t1' AND event_time <= '$t2'"), '0',
	'and did not move at all while the writer ran its load');

# -- a reader that stops reporting is stale, not dropped; it comes back
$r2->stop;
wait_for($writer, q{SELECT state = 'stale' AND failover_order IS NULL
	FROM aurora_serverless.cluster_instances WHERE instance_name = 'reader-2'},
	'a stopped reader shows as stale after cluster_stale_timeout');
wait_for($writer, q{SELECT count(*) = 1 FROM aurora_serverless.scaling_events
	WHERE event = 'reader_stale'}, 'a reader_stale event', 'SELECT * FROM aurora_serverless.scaling_events');
like(mon($writer, q{SELECT detail FROM aurora_serverless.scaling_events WHERE event = 'reader_stale'}),
	qr/^reader reader-2 \(promotion tier 2\) has not reported for 3 s; last at \d+(\.5)? ACU$/,
	'which names the reader');
is(mon($writer, 'SELECT instances || \' \' || stale_instances FROM aurora_serverless.cluster'),
	'2 1', 'cluster counts it apart');
$r2->start;
wait_for($writer, q{SELECT state = 'active' FROM aurora_serverless.cluster_instances
	WHERE instance_name = 'reader-2'}, 'reader-2 reports again after its restart');
like(mon($writer, q{SELECT detail FROM aurora_serverless.scaling_events
	                  WHERE event = 'reader_joined' ORDER BY event_time DESC LIMIT 1}),
	qr/^reader reader-2, promotion tier 2, reports again after \d+ s/, 'the writer says so');

# -- auto-pause: the writer and its tier 0 reader pause together; reader-2
# keeps its session
foreach my $node ($writer, $r0, $r2)
{
	$node->append_conf('postgresql.conf', q{
aurora_serverless.min_capacity = 0
aurora_serverless.seconds_until_auto_pause = 2s
});
	$node->reload;
}
my $session = IPC::Run::start([ 'psql', '-XAtq', '-U', 'app', '-d', $r2->connstr('postgres') ],
	'<', \(my $in = ''), '>', \(my $out = ''), '2>', \(my $err = ''));
$in .= "SELECT 1;\n";
$session->pump until $out =~ /1/;
wait_for($writer, q{SELECT state = 'paused' FROM aurora_serverless.capacity}, 'the writer pauses',
	'SELECT state FROM aurora_serverless.capacity');
wait_for($r0, q{SELECT state = 'paused' FROM aurora_serverless.capacity}, 'reader-0 pauses with it',
	'SELECT state FROM aurora_serverless.capacity');
like(mon($r0, q{SELECT reason FROM aurora_serverless.scaling_events
	              WHERE event = 'pause' ORDER BY event_time DESC LIMIT 1}),
	qr/^writer$/, 'its pause event says it followed the writer');
is(mon($r2, 'SELECT state FROM aurora_serverless.capacity'), 'active',
	'reader-2, with a session open, stays awake');

# a connection to reader-0 resumes it, and through it the writer
my $resumes = events($writer, "event = 'resume'");
$r0->safe_psql('postgres', 'SELECT 1', extra_params => [ '-U', 'app' ]);
wait_for($r0, q{SELECT state = 'active' FROM aurora_serverless.capacity},
	'a connection to reader-0 resumes it', 'SELECT state FROM aurora_serverless.capacity');
wait_for($writer, "SELECT count(*) > $resumes FROM aurora_serverless.scaling_events WHERE event = 'resume'",
	'and the writer resumes with it', 'SELECT * FROM aurora_serverless.scaling_events');
$in .= "\\q\n";
$session->finish;

# -- failover: the writer is gone, reader-0 is promoted, reader-2 follows it
foreach my $node ($writer, $r0, $r2)
{
	$node->append_conf('postgresql.conf', "aurora_serverless.min_capacity = 0.5\n");
	$node->reload;
}
$writer->stop;
wait_for($r2, q{SELECT writer_link = 'unreachable' FROM aurora_serverless.cluster},
	'reader-2 says the writer is unreachable', 'SELECT * FROM aurora_serverless.cluster');
is(events($r2, "event = 'writer_unreachable'"), '1', 'once, as an event');
$r0->promote;
wait_for($r0, q{SELECT role = 'writer' FROM aurora_serverless.capacity}, 'reader-0 is promoted');
$r2->append_conf('postgresql.conf', qq{
primary_conninfo = '@{[ $r0->connstr ]} user=cluster_link application_name=reader-2'
});
$r2->reload;
wait_for($r2, q{SELECT writer_name = 'reader-0' AND writer_link = 'connected'
	FROM aurora_serverless.cluster}, 'reader-2, re-pointed, reports to reader-0',
	'SELECT * FROM aurora_serverless.cluster');
like(mon($r2, q{SELECT detail FROM aurora_serverless.scaling_events
	              WHERE event = 'writer_connected' ORDER BY event_time DESC LIMIT 1}),
	qr/^reporting to writer reader-0 \(was writer-1\)/, 'and records the new writer');
wait_for($r0, q{SELECT string_agg(instance_name || ' ' || role, ', ' ORDER BY role DESC)
	              = 'reader-0 writer, reader-2 reader' FROM aurora_serverless.cluster_instances},
	'reader-0, the writer now, sees reader-2');
is(events($r0, "event = 'reader_joined'"), '1', 'with a reader_joined event on its side');

$r2->stop;
$r0->stop;
done_testing();
