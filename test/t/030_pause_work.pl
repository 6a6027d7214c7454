# Work that is not a client's, and a pause, as AWS documents Aurora
# Serverless v2 in 2026.
#
# pg_cron (where it is built for this server), in both of its modes: a
# background worker per job (cron.use_background_workers = on) and a libpq
# connection per job (off).  A job and an autovacuum worker running when a
# pause begins are cancelled, each a work_cancelled event, the job's run
# failed with the reason; a job scheduled while the instance is paused
# fails with "the instance is paused" in cron.job_run_details and neither
# runs nor resumes the instance; any other connection still resumes it.
# Everything is watched as a role in pause_ignore_roles, whose connections
# neither wake the instance nor keep it awake.
#
# Logical replication enabled (wal_level = logical, AWS's
# rds.logical_replication = 1) keeps the writer awake with no consumer
# connected: a pause_blockers row with no session, pause() refused, no
# auto-pause, and replay() of the recorded samples agrees with usage(); a
# reader in promotion tier 2-15 still pauses, one in tier 0 or 1 is kept
# awake.
use strict;
use warnings;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;
use Time::HiRes qw(usleep);

# a query as the watching role, which neither wakes nor keeps awake
sub watch
{
	my ($node, $sql) = @_;
	return $node->safe_psql('postgres', $sql, extra_params => [ '-U', 'watcher' ]);
}

# wait until watch() prints $expected ('t' unless given)
sub watch_until
{
	my ($node, $sql, $expected) = @_;
	$expected = 't' unless defined $expected;
	my $got;
	foreach (1 .. 10 * $PostgreSQL::Test::Utils::timeout_default)
	{
		$got = watch($node, $sql);
		return 1 if $got eq $expected;
		usleep(100_000);
	}
	diag("last answer: $got");
	return 0;
}

my $probe = PostgreSQL::Test::Cluster->new('probe');
my $pkglibdir = $probe->config_data('--pkglibdir');

SKIP:
{
	skip "pg_cron is not installed for this server ($pkglibdir/pg_cron.so): "
	  . 'Debian 12 packages it for PostgreSQL 15 only, and test/pg-build could not fetch or build it for this one',
	  21
	  unless -e "$pkglibdir/pg_cron.so";

	# one server per pg_cron mode, side by side: pg_cron 1.4 schedules in
	# minutes only, so both wait for the same minutes
	my %mode = (background_worker => 'on', libpq => 'off');
	my %node;
	foreach my $m (sort keys %mode)
	{
		my $node = PostgreSQL::Test::Cluster->new("cron_$m");
		$node->init;
		$node->append_conf('postgresql.conf', qq{
shared_preload_libraries = 'pg_cron,aurora_serverless'
cron.database_name = 'postgres'
cron.use_background_workers = $mode{$m}
cron.host = '@{[ $node->host ]}'
max_worker_processes = 16
autovacuum_naptime = 1
aurora_serverless.sample_interval = 200ms
aurora_serverless.min_capacity = 0
aurora_serverless.pause_ignore_roles = 'watcher'
});
		$node->start;
		$node->safe_psql('postgres', q{
			CREATE EXTENSION aurora_serverless;
			CREATE EXTENSION pg_cron;
			CREATE ROLE watcher SUPERUSER LOGIN;
		});
		$node{$m} = $node;
	}

	# an autovacuum worker kept busy: every page costs it a 100 ms sleep
	my $bg = $node{background_worker};
	$bg->safe_psql('postgres', q{
		CREATE TABLE big (id int) WITH (autovacuum_vacuum_cost_delay = 100,
		  autovacuum_vacuum_cost_limit = 1, autovacuum_vacuum_threshold = 0,
		  autovacuum_vacuum_scale_factor = 0, autovacuum_analyze_threshold = 2000000000);
		INSERT INTO big SELECT generate_series(1, 200000);
		DELETE FROM big;
	});

	# pg_cron 1.5 and later also schedule in seconds; 1.4 (Debian 12's, for
	# 15) has minutes only, so its jobs run at the next minute
	my $schedule = $bg->safe_psql('postgres', q{
		SELECT CASE WHEN string_to_array(split_part(extversion, '-', 1), '.')::int[] >= '{1,5}'
		            THEN '1 seconds' ELSE '* * * * *' END
		  FROM pg_extension WHERE extname = 'pg_cron'});
	my (%job_pid, %log_offset);
	foreach my $m (sort keys %node)
	{
		my $node = $node{$m};
		$node->safe_psql('postgres',
			"SELECT cron.schedule('sleeper', '$schedule', 'SELECT pg_sleep(600)')");
		my $which = $m eq 'libpq' ? "application_name = 'pg_cron'" : "backend_type = 'pg_cron'";
		ok($node->poll_query_until('postgres', qq{
			SELECT count(*) = 1 FROM pg_stat_activity
			 WHERE $which AND state = 'active' AND query = 'SELECT pg_sleep(600)'}),
			"$m: the pg_cron job runs");
		$job_pid{$m} = $node->safe_psql('postgres', qq{
			SELECT pid FROM pg_stat_activity
			 WHERE $which AND state = 'active' AND query = 'SELECT pg_sleep(600)'});
	}
	ok($bg->poll_query_until('postgres', q{
		SELECT count(*) > 0 FROM pg_stat_activity
		 WHERE backend_type = 'autovacuum worker' AND query LIKE '%public.big%'}),
		'an autovacuum worker vacuums big');
	my $av_pid = $bg->safe_psql('postgres', q{
		SELECT pid FROM pg_stat_activity
		 WHERE backend_type = 'autovacuum worker' AND query LIKE '%public.big%' LIMIT 1});

	# the job's connection neither keeps the instance awake nor blocks a pause
	is(watch($node{libpq}, 'SELECT count(*) FROM aurora_serverless.pause_blockers'), '0',
		'libpq: a running pg_cron job is no pause blocker');

	# a pause begins: running work is cancelled
	foreach my $m (sort keys %node)
	{
		$log_offset{$m} = -s $node{$m}->logfile;
		is($node{$m}->safe_psql('postgres', "SELECT aurora_serverless.pause()->>'Status'"),
			'paused', "$m: pause() pauses the instance");
	}
	foreach my $m (sort keys %node)
	{
		my $node = $node{$m};
		my $pid = $job_pid{$m};
		ok(watch_until($node, qq{
			SELECT count(*) FROM aurora_serverless.scaling_events
			 WHERE event = 'work_cancelled' AND reason = 'pg_cron' AND detail LIKE 'PID $pid: pg_cron job%'}, '1'),
			"$m: the running job is a work_cancelled event");
		ok(watch_until($node, qq{
			SELECT status || ': ' || return_message LIKE 'failed: %canceling pg_cron job: the instance is pausing%'
			  FROM cron.job_run_details WHERE job_pid = $pid}),
			"$m: its run failed, saying the instance is pausing");
	}
	ok(watch_until($bg, qq{
		SELECT count(*) FROM aurora_serverless.scaling_events
		 WHERE event = 'work_cancelled' AND reason = 'autovacuum'
		   AND detail LIKE 'PID $av_pid: autovacuum worker (%public.big, database postgres) cancelled as the pause began'}, '1'),
		'the autovacuum worker is a work_cancelled event naming its table');
	ok(watch_until($bg, "SELECT count(*) FROM pg_stat_activity WHERE pid = $av_pid", '0'),
		'the autovacuum worker has ended');
	ok($bg->log_contains(qr/terminating autovacuum worker: the instance is pausing/,
		$log_offset{background_worker}), 'its log line says why');

	# while paused, a job neither wakes the instance nor runs
	foreach my $m (sort keys %node)
	{
		my $node = $node{$m};
		ok(watch_until($node, q{
			SELECT count(*) > 0 FROM cron.job_run_details
			 WHERE status = 'failed' AND return_message LIKE '%pg_cron job skipped: the instance is paus%'}),
			"$m: a job scheduled while paused fails, saying so");
		is(watch($node, q{
			SELECT state || ', ' || (SELECT count(*) FROM aurora_serverless.scaling_events
			                         WHERE event = 'resume_initiated')
			  FROM aurora_serverless.status}), 'paused, 0',
			"$m: the job neither ran nor resumed the instance");
		is(watch($node, q{
			SELECT count(*) FROM cron.job_run_details WHERE status = 'succeeded'}), '0',
			"$m: no run succeeded");
	}

	# any other connection still resumes it
	foreach my $m (sort keys %node)
	{
		my $node = $node{$m};
		$node->safe_psql('postgres', 'SELECT 1');
		ok(watch_until($node, q{
			SELECT state = 'active' AND (SELECT count(*) = 1 FROM aurora_serverless.scaling_events
			                             WHERE event = 'resume_initiated' AND reason = 'connection')
			  FROM aurora_serverless.status}),
			"$m: a client connection resumes the instance");
		$node->stop;
	}
}

# logical replication enabled: the writer does not pause
my $writer = PostgreSQL::Test::Cluster->new('logical');
$writer->init(allows_streaming => 'logical');
$writer->append_conf('postgresql.conf', q{
shared_preload_libraries = 'aurora_serverless'
aurora_serverless.sample_interval = 200ms
aurora_serverless.min_capacity = 0
aurora_serverless.seconds_until_auto_pause = 1
aurora_serverless.pause_ignore_roles = 'watcher'
});
$writer->start;
$writer->safe_psql('postgres', q{
	CREATE EXTENSION aurora_serverless;
	CREATE ROLE watcher SUPERUSER LOGIN;
});
is(watch($writer, q{
	SELECT coalesce(pid::text, 'no session') || ' | ' || blocker || ' | ' || detail
	  FROM aurora_serverless.pause_blockers}),
	'no session | logical_replication_enabled | wal_level = logical (rds.logical_replication = 1): the writer does not auto-pause',
	'pause_blockers: logical replication enabled, with no session');
my ($ret, $out, $err) = $writer->psql('postgres', 'SELECT aurora_serverless.pause()');
like($err, qr/cannot pause: logical replication is enabled/, 'pause() is refused');

# idle for three times seconds_until_auto_pause, with no consumer connected
my $t0 = watch($writer, 'SELECT now()');
ok(watch_until($writer, qq{
	SELECT count(*) > 0 FROM aurora_serverless.metrics
	 WHERE sample_time > '$t0'::timestamptz + interval '3 s'}),
	'samples three times seconds_until_auto_pause after the last client left');
is(watch($writer, qq{
	SELECT state || ', ' || (SELECT count(*) FROM aurora_serverless.scaling_events
	                         WHERE event = 'pause_initiated' AND event_time > '$t0')
	  FROM aurora_serverless.status}), 'active, 0', 'the writer stays awake');
# replay() of the recorded samples keeps it awake too, as the worker did
my ($usage, $replay) = split /\|/, watch($writer, qq{
	SELECT u.acu_hours, r.acu_hours
	  FROM aurora_serverless.usage('$t0', now()) u,
	       aurora_serverless.replay(0, 16, 'v2', '$t0') r});
ok($usage > 0 && abs($replay - $usage) <= 1e-6 * $usage + 0.6e-6,
	"replay() agrees with usage() ($replay, $usage)");

# readers: tier 2-15 still pauses; tier 0 or 1 is kept awake
$writer->backup('b');
my $reader = PostgreSQL::Test::Cluster->new('logical_reader');
$reader->init_from_backup($writer, 'b', has_streaming => 1);
$reader->append_conf('postgresql.conf', q{
aurora_serverless.promotion_tier = 5
aurora_serverless.instance_name = 'tier5'
});
$reader->start;
is(watch($reader, 'SELECT count(*) FROM aurora_serverless.pause_blockers'), '0',
	'a reader in tier 5: nothing keeps it awake');
ok(watch_until($reader, q{
	SELECT count(*) > 0 FROM aurora_serverless.scaling_events WHERE event = 'pause'}),
	'a reader in tier 5 pauses');
watch($reader, q{ALTER SYSTEM SET aurora_serverless.promotion_tier = 1});
watch($reader, 'SELECT pg_reload_conf()');
ok(watch_until($reader, q{
	SELECT blocker || ': ' || detail FROM aurora_serverless.pause_blockers},
	'logical_replication_enabled: wal_level = logical (rds.logical_replication = 1): the reader, in promotion tier 0 or 1, does not auto-pause'),
	'a reader in tier 1: logical replication keeps it awake');
$reader->stop;
$writer->stop;
done_testing();
