# Serverless v2 auto-pause as AWS documents it today, on a live server:
# every step is an event with its RDS event identifier; metrics are exactly 0
# while paused; a connection that fails authentication still wakes it; a
# pause is cancelled by a connection that arrives while it is being done; a
# change of the range while paused resumes it, and no auto-pause follows
# such an administrative wake-up for seconds_awake_after_wakeup; pause() is
# refused when the range does not allow it; the derived max_connections is
# static: a new max applies at the next restart; and with wal_level =
# logical (rds.logical_replication = 1) the writer stays awake, a logical
# replication stream shows in pause_blockers as a second reason, and the
# instance stays awake once the stream stops.
use strict;
use warnings;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;
use IPC::Run;
use Time::HiRes qw(usleep);

my $node = PostgreSQL::Test::Cluster->new('v2pause');
# wal_level = logical keeps a writer awake: it comes at the end
$node->init(allows_streaming => 1);
$node->append_conf('postgresql.conf', q{
shared_preload_libraries = 'aurora_serverless'
aurora_serverless.sample_interval = 250ms
aurora_serverless.min_capacity = 0
aurora_serverless.max_capacity = 16
aurora_serverless.seconds_until_auto_pause = 2s
aurora_serverless.pause_ignore_roles = 'monitor'
});
# a role that must give a password, checked before the trust lines
my $hba = $node->data_dir . '/pg_hba.conf';
my $rules = slurp_file($hba);
open(my $fh, '>', $hba) or die "open $hba: $!";
print $fh "local all locked scram-sha-256\n$rules";
close($fh);
$node->start;
$node->safe_psql('postgres', q{
	CREATE EXTENSION aurora_serverless;
	CREATE ROLE monitor LOGIN SUPERUSER;
	SET password_encryption = 'scram-sha-256';
	CREATE ROLE locked LOGIN PASSWORD 'right one';
});

# the monitor role watches without keeping the instance awake or waking it
sub mon
{
	return $node->safe_psql('postgres', shift, extra_params => [ '-U', 'monitor' ]);
}

sub wait_for
{
	my ($sql, $name) = @_;
	my $ok = 0;
	foreach (1 .. 10 * $PostgreSQL::Test::Utils::timeout_default)
	{
		if (mon($sql) eq 't') { $ok = 1; last; }
		usleep(100_000);
	}
	ok($ok, $name) or diag(mon('SELECT state, serverless_database_capacity FROM aurora_serverless.capacity'));
}

# the events of one kind since a given event count, as "event rds_event_id reason"
sub events_since
{
	my ($n) = @_;
	return mon("SELECT string_agg(event || ' ' || coalesce(rds_event_id, '-') || ' ' || reason, ', ')
	              FROM (SELECT *, row_number() OVER () AS k FROM aurora_serverless.scaling_events) e
	             WHERE k > $n AND event LIKE ANY (ARRAY['pause%', 'resume%'])");
}
sub event_count { return mon('SELECT count(*) FROM aurora_serverless.scaling_events'); }

# -- pause and resume, step by step
my $n0 = event_count();
wait_for("SELECT state = 'paused' FROM aurora_serverless.capacity", 'an idle instance pauses');
is(events_since($n0), 'pause_initiated RDS-EVENT-0370 idle, pause RDS-EVENT-0372 idle',
	'the pause is initiated (RDS-EVENT-0370), then done (RDS-EVENT-0372)');
is(mon('SELECT serverless_database_capacity || \',\' || acu_utilization || \',\' || cpu_utilization
          FROM aurora_serverless.capacity'), '0,0,0',
	'paused: capacity, ACU and CPU utilization are exactly 0');
# samples taken while paused all read 0
my $since = mon('SELECT last_sample_at FROM aurora_serverless.capacity');
wait_for("SELECT last_sample_at > '$since' FROM aurora_serverless.capacity", 'a later sample');
is(mon("SELECT count(*) FROM aurora_serverless.metrics WHERE state = 'paused'
          AND (serverless_database_capacity <> 0 OR acu_utilization <> 0 OR cpu_utilization <> 0)"),
	'0', 'every sample taken while paused reads 0 for all three');

# a connection that fails authentication wakes it all the same
my $n1 = event_count();
my ($ret, $out, $err) = $node->psql('postgres', 'SELECT 1',
	extra_params => [ '-U', 'locked', '-w' ], connstr => $node->connstr('postgres') . ' password=wrong');
isnt($ret, 0, 'a wrong password is refused');
like($err, qr/password authentication failed for user "locked"/, 'for its password');
wait_for("SELECT state = 'active' FROM aurora_serverless.capacity",
	'and yet the attempt woke the paused instance');
is(events_since($n1), 'resume_initiated RDS-EVENT-0373 connection, resume RDS-EVENT-0374 connection',
	'the resume is initiated (RDS-EVENT-0373), then done (RDS-EVENT-0374)');
is(mon('SELECT serverless_database_capacity FROM aurora_serverless.capacity'), '2',
	'a v2 instance resumes at resume_capacity, 2 ACU');

# a connection that arrives while the pause is being done cancels it
wait_for("SELECT state = 'pausing' FROM aurora_serverless.capacity", 'a pause is initiated again');
my $n2 = event_count() - 1;
$node->safe_psql('postgres', 'SELECT 1');
wait_for("SELECT count(*) > 0 FROM aurora_serverless.scaling_events WHERE event = 'pause_cancelled'",
	'a connection during the pause cancels it');
like(events_since($n2), qr/^pause_initiated RDS-EVENT-0370 idle, pause_cancelled RDS-EVENT-0371 workload/,
	'as RDS-EVENT-0371, because of workload');

wait_for("SELECT state = 'paused' FROM aurora_serverless.capacity", 'paused again');

# -- a change of the range while paused resumes it, and no auto-pause
# follows for seconds_awake_after_wakeup
my $n3 = event_count();
mon('SELECT aurora_serverless.modify_capacity(0, 8)');
wait_for("SELECT state = 'active' FROM aurora_serverless.capacity", 'a new range while paused resumes it');
is(events_since($n3),
	'resume_initiated RDS-EVENT-0373 configuration, resume RDS-EVENT-0374 configuration',
	'the resume says it was the configuration');
$since = mon('SELECT now()');
wait_for("SELECT count(*) >= 16 FROM aurora_serverless.metrics WHERE sample_time > '$since'",
	'four seconds of samples pass, twice seconds_until_auto_pause');
is(mon("SELECT state FROM aurora_serverless.capacity"), 'active',
	'after an administrative wake-up it does not pause again soon');
$node->append_conf('postgresql.conf', "aurora_serverless.seconds_awake_after_wakeup = 3s\n");
$node->reload;
wait_for("SELECT state = 'paused' FROM aurora_serverless.capacity",
	'it pauses once seconds_awake_after_wakeup has passed');

# raising min from 0 resumes it: never paused with a non-zero minimum
mon('SELECT aurora_serverless.modify_capacity(0.5, 8)');
wait_for("SELECT state = 'active' AND min_capacity = 0.5 FROM aurora_serverless.capacity",
	'raising min_capacity from 0 resumes it');
is(mon("SELECT count(*) FROM aurora_serverless.metrics WHERE state = 'paused' AND min_capacity > 0"),
	'0', 'no sample was ever paused with a non-zero minimum');

# pause() is refused when the range does not allow a pause
($ret, $out, $err) = $node->psql('postgres', 'SELECT aurora_serverless.pause()',
	extra_params => [ '-U', 'monitor', '-v', 'VERBOSITY=verbose' ]);
like($err, qr/55000: cannot pause: the scaling range does not allow a pause/,
	'pause() refuses with min_capacity 0.5 (SQLSTATE 55000)');
like($err, qr/DETAIL:  min_capacity is 0.5; Serverless v2 pauses only with min_capacity 0\./,
	'and says why');

# -- max_connections is static: a new max applies at the next restart
is(mon('SELECT max_connections FROM aurora_serverless.capacity'), '2000',
	'max_connections as evaluated at start (min 0, max 16: 2000)');
($ret, $out, $err) = $node->psql('postgres', 'SELECT aurora_serverless.modify_capacity(1, 4)',
	extra_params => [ '-U', 'monitor' ]);
like($err, qr/NOTICE:  the derived max_connections becomes 823 at the next server restart/,
	'modify_capacity() says a new max applies at the next restart');
wait_for("SELECT max_capacity = 4 FROM aurora_serverless.capacity", 'the new range is in force');
is(mon('SELECT max_connections FROM aurora_serverless.capacity'), '2000',
	'max_connections does not change with it');
is(mon(q{SELECT d->>'MaxConnections' || ',' || (d->'PendingModifiedValues'->>'MaxConnections')
           FROM aurora_serverless.describe() d}), '2000,823',
	'describe() shows the new value pending');
wait_for(q{SELECT count(*) = 1 FROM pg_file_settings WHERE name = 'aurora_serverless.max_capacity'
             AND setting = '4' AND sourcefile LIKE '%postgresql.auto.conf'}, 'and it is written');
$node->restart;
is(mon('SELECT max_connections FROM aurora_serverless.capacity'), '823',
	'after a restart the new max_connections is in force');
is(mon(q{SELECT d ? 'PendingModifiedValues' FROM aurora_serverless.describe() d}), 'f',
	'and nothing is pending');

# -- logical replication enabled (wal_level = logical, AWS's
# rds.logical_replication = 1) keeps the writer awake whether or not a
# consumer is connected; a logical replication stream is a second reason
mon('SELECT aurora_serverless.modify_capacity(0, 16)');
wait_for(q{SELECT count(*) = 2 FROM pg_file_settings
            WHERE (name, setting) IN (('aurora_serverless.min_capacity', '0'),
                                      ('aurora_serverless.max_capacity', '16'))
              AND sourcefile LIKE '%postgresql.auto.conf'}, 'a range that allows a pause is written');
$node->append_conf('postgresql.conf', "wal_level = logical\n");
$node->restart;
is(mon(q{SELECT coalesce(pid::text, 'none') || ' ' || blocker FROM aurora_serverless.pause_blockers}),
	'none logical_replication_enabled', 'logical replication enabled shows in pause_blockers');
$node->safe_psql('postgres',
	q{SELECT pg_create_logical_replication_slot('stream', 'test_decoding')},
	extra_params => [ '-U', 'monitor' ]);
my ($rout, $rerr) = ('', '');
my $recv = IPC::Run::start(
	[ 'pg_recvlogical', '-d', $node->connstr('postgres'), '-U', 'postgres', '-S', 'stream',
	  '--start', '-f', '-', '-s', '1', '-F', '1' ],
	'>', \$rout, '2>', \$rerr);
wait_for("SELECT count(*) = 1 FROM aurora_serverless.pause_blockers WHERE blocker = 'logical_replication'",
	'a logical replication stream shows in pause_blockers too');
like(mon("SELECT detail || ' | ' || hint FROM aurora_serverless.pause_blockers
           WHERE blocker = 'logical_replication'"),
	qr/^logical replication, .* for \d+ s \| Logical replication keeps an Aurora instance awake/,
	'saying what it is and what to do');
# more than seconds_until_auto_pause of samples later it is still awake
my $awake_from = mon('SELECT now()');
wait_for("SELECT count(*) >= 16 FROM aurora_serverless.metrics WHERE sample_time > '$awake_from'",
	'four seconds of samples pass');
is(mon("SELECT count(*) FROM aurora_serverless.metrics
         WHERE sample_time > '$awake_from' AND state <> 'active'"),
	'0', 'while it streams the instance never pauses');
$recv->kill_kill;
$recv->finish;
mon(q{SELECT pg_drop_replication_slot('stream')});
$awake_from = mon('SELECT now()');
wait_for("SELECT count(*) >= 16 FROM aurora_serverless.metrics WHERE sample_time > '$awake_from'",
	'four more seconds of samples pass');
is(mon("SELECT count(*) FROM aurora_serverless.metrics
         WHERE sample_time > '$awake_from' AND state <> 'active'"),
	'0', 'with no consumer connected it stays awake: logical replication is enabled');

$node->stop;
done_testing();
