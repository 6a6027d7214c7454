# Auto-pause and resume on a real cluster, the roles it ignores, the resume
# delay, pause() and resume(); then connection-limit enforcement at 0.5 ACU
# under a 280-client pgbench burst.
use strict;
use warnings;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;
use IPC::Run;
use Time::HiRes qw(time);

my $node = PostgreSQL::Test::Cluster->new('pause');
$node->init;
$node->append_conf('postgresql.conf', q{
shared_preload_libraries = 'aurora_serverless'
aurora_serverless.sample_interval = 250ms
aurora_serverless.min_capacity = 0
aurora_serverless.max_capacity = 16
aurora_serverless.seconds_until_auto_pause = 2s
aurora_serverless.scale_down_delay = 1h
aurora_serverless.pause_ignore_roles = 'monitor'
});
$node->start;
$node->safe_psql('postgres', q{
	CREATE EXTENSION aurora_serverless;
	CREATE ROLE monitor LOGIN SUPERUSER;
	SELECT aurora_serverless.modify_capacity(4, 16);
});

# the monitor role watches without keeping the instance awake
sub mon { return $node->safe_psql('postgres', shift, extra_params => [ '-U', 'monitor' ]); }
sub mon_poll
{
	my ($sql, $name) = @_;
	ok($node->poll_query_until('postgres', $sql, 't', extra_params => [ '-U', 'monitor' ])
		  // 0, $name);
}
# poll_query_until has no extra_params: poll by hand
sub wait_for
{
	my ($sql, $name) = @_;
	my $ok = 0;
	for (1 .. 600)
	{
		if (mon($sql) eq 't') { $ok = 1; last; }
		select(undef, undef, undef, 0.1);
	}
	ok($ok, $name);
}

wait_for('SELECT serverless_database_capacity = 4 FROM aurora_serverless.capacity',
	'capacity raised to 4 ACU');
mon('SELECT aurora_serverless.modify_capacity(0, 16)');

# an ignored role's open session does not keep it awake
my $watcher = $node->background_psql('postgres', extra_params => [ '-U', 'monitor' ]);
$watcher->query_safe('SELECT 1');

wait_for("SELECT state = 'paused' AND serverless_database_capacity = 0 FROM aurora_serverless.capacity",
	'an idle instance pauses at 0 ACU');
is(mon("SELECT from_capacity || '->' || to_capacity || ' ' || reason FROM aurora_serverless.scaling_events
        WHERE event = 'pause' ORDER BY event_time DESC LIMIT 1"),
	'4->0 idle', 'the pause is an event, from the capacity it had');
ok(mon('SELECT paused_since IS NOT NULL FROM aurora_serverless.capacity') eq 't',
	'capacity shows since when');

# the next connection resumes it, at resume_capacity (2 ACU), not at the
# 4 ACU it paused at (Serverless v2)
$node->safe_psql('postgres', 'SELECT 1');
wait_for("SELECT state = 'active' AND serverless_database_capacity = 2 FROM aurora_serverless.capacity",
	'a connection resumes it at resume_capacity');
like(mon("SELECT detail FROM aurora_serverless.scaling_events WHERE event = 'resume'
          ORDER BY event_time DESC LIMIT 1"),
	qr/^paused for \d+ s; resumed at 2 ACU$/, 'the resume says how long it was paused');

# resume_delay holds the first connection while it resumes
$node->append_conf('postgresql.conf', "aurora_serverless.resume_delay = 1500ms\n");
$node->reload;
wait_for("SELECT state = 'paused' FROM aurora_serverless.capacity", 'paused again');
my $log_at = -s $node->logfile;
my $t0 = time();
my $first = $node->background_psql('postgres');
cmp_ok(time() - $t0, '>=', 1.4, 'the first connection waits resume_delay');
# the first stays open, so the instance cannot pause again before the second
$node->safe_psql('postgres', 'SELECT 1');
$first->quit;
# each held connection logs its wait before it runs a query: one line, for
# the first connection only
my @held = slurp_file($node->logfile, $log_at) =~
  /connection held (\d+) ms while the instance resumed/g;
is(scalar(@held), 1, 'later ones are not held, and the held one says so in the log');
$node->append_conf('postgresql.conf', "aurora_serverless.resume_delay = 0\n");
$node->reload;

# pause() says what keeps the instance awake
my $app = $node->background_psql('postgres');
$app->query_safe('LISTEN jobs');
my ($ret, $out, $err) = $node->psql('postgres', 'SELECT aurora_serverless.pause()',
	extra_params => [ '-U', 'monitor' ]);
like($err, qr/cannot pause: 2 session constructs keep the instance awake/,
	'pause() refuses while sessions keep it awake');
like($err, qr/DETAIL:.*connection \(idle.*listen \(jobs\)/s, 'and says which');
is(mon("SELECT string_agg(blocker, ',' ORDER BY blocker) FROM aurora_serverless.pause_blockers"),
	'connection,listen', 'pause_blockers shows the same');
$app->quit;

# pause() and resume() for admins
wait_for("SELECT count(*) = 0 FROM aurora_serverless.pause_blockers", 'nothing keeps it awake');
mon('SELECT aurora_serverless.resume()');
is(mon("SELECT aurora_serverless.pause()->>'Status'"), 'paused', 'pause() pauses at once');
is(mon("SELECT aurora_serverless.resume()->>'Status'"), 'available', 'resume() resumes at once');
is(mon("SELECT reason FROM aurora_serverless.scaling_events WHERE event = 'resume'
        ORDER BY event_time DESC LIMIT 1"), 'resume', 'resumed by resume()');
# a role that does not exist in the ignore list is reported, not crashed on
my $log_at = -s $node->logfile;
$node->append_conf('postgresql.conf', "aurora_serverless.pause_ignore_roles = 'monitor, ghost'\n");
$node->reload;
ok($node->wait_for_log(qr/WARNING:  role "ghost" in "aurora_serverless\.pause_ignore_roles" does not exist/,
	$log_at), 'an unknown role in pause_ignore_roles is reported');
is(mon('SELECT 1'), '1', 'and the server goes on');

$watcher->quit;
$node->stop;

# Connection limits: 90 connections at 0.5 ACU on the current_capacity basis
my $lim = PostgreSQL::Test::Cluster->new('limits');
$lim->init;
$lim->append_conf('postgresql.conf', q{
shared_preload_libraries = 'aurora_serverless'
max_connections = 400
aurora_serverless.sample_interval = 250ms
aurora_serverless.min_capacity = 0.5
aurora_serverless.max_capacity = 16
# no scaling while the burst below starts its 190 processes (which takes
# seconds): every client of it meets the limit; scaling is let go after
aurora_serverless.scale_up_delay = 1h
aurora_serverless.scale_down_delay = 1h
aurora_serverless.max_connections_basis = current_capacity
aurora_serverless.enforce_max_connections = on
# connections alone drive capacity here: the CPU of 280 forks must not
aurora_serverless.vcpus_per_acu = 64
log_error_verbosity = verbose
});
$lim->start;
$lim->safe_psql('postgres', q{
	CREATE EXTENSION aurora_serverless;
	CREATE ROLE app LOGIN;
	CREATE ROLE link LOGIN REPLICATION;
});
is($lim->safe_psql('postgres', 'SELECT max_connections FROM aurora_serverless.capacity'),
	'90', 'at 0.5 ACU the current-capacity limit is 90');

# the held connections stay until this test ends them, however slow the
# machine is to start the burst below
my $sleep = $lim->basedir . '/sleep.sql';
append_to_file($sleep, "\\sleep 600 s\n");
my @common = ('-h', $lim->host, '-p', $lim->port, '-U', 'app', '-n', 'postgres');

# hold 89 connections of the ordinary role, then fill the last slot
my ($hout, $herr) = ('', '');
my $hold = IPC::Run::start([ 'pgbench', '-c', '89', '-j', '2', '-T', '600', '-f', $sleep, @common ],
	'>', \$hout, '2>', \$herr);
ok($lim->poll_query_until('postgres',
	"SELECT count(*) >= 89 FROM pg_stat_activity WHERE usename = 'app'"), '89 app connections open');
my $last = $lim->background_psql('postgres', extra_params => [ '-U', 'app' ]);
$last->query_safe('SELECT 1');
is($lim->safe_psql('postgres', 'SELECT serverless_database_capacity FROM aurora_serverless.capacity'),
	'0.5', 'still at 0.5 ACU with 90 connections open');

($ret, $out, $err) = $lim->psql('postgres', 'SELECT 1', extra_params => [ '-U', 'app' ]);
isnt($ret, 0, 'the 91st connection of an ordinary role is refused');
like($err, qr/FATAL:  sorry, too many clients for 0\.5 ACU/, 'naming the ACU');
like($err, qr/derived max_connections at 0\.5 ACU is 90/, 'and the limit');
ok($lim->log_contains(qr/FATAL:  53300: sorry, too many clients for 0\.5 ACU/),
	'with SQLSTATE 53300 (too_many_connections)');
is($lim->safe_psql('postgres', 'SELECT 1'), '1', 'a superuser still connects');
# the cluster link's application_name is anybody's to choose: it does not
# make an ordinary role a reader's link; a replication role's link passes
{
	local $ENV{PGAPPNAME} = 'aurora_serverless cluster link';
	($ret, $out, $err) = $lim->psql('postgres', 'SELECT 1', extra_params => [ '-U', 'app' ]);
	isnt($ret, 0, 'an ordinary role naming itself the cluster link is refused too');
	like($err, qr/too many clients for 0\.5 ACU/, 'by the same limit');
	($ret, $out, $err) = $lim->psql('postgres', 'SELECT 1', extra_params => [ '-U', 'link' ]);
	is($out, '1', 'a replication role\'s cluster link is the cluster\'s own traffic, not refused');
}

# a 280-client burst of the ordinary role: 190 more clients, each its own
# pgbench (a pgbench run stops at its first refused connection)
my $short = $lim->basedir . '/short.sql';
append_to_file($short, "\\sleep 2 s\n");
my @burst;
my $burst_err = '';
foreach my $i (1 .. 190)
{
	my ($o, $e) = ('', '');
	push @burst, [ IPC::Run::start([ 'pgbench', '-c', '1', '-t', '1', '-f', $short, @common ],
		'>', \$o, '2>', \$e), \$e ];
}
foreach my $b (@burst)
{
	$b->[0]->finish;
	$burst_err .= ${ $b->[1] };
}
like($burst_err, qr/too many clients for [0-9.]+ ACU/, 'the burst meets refusals');
is($lim->safe_psql('postgres', 'SELECT serverless_database_capacity FROM aurora_serverless.capacity'),
	'0.5', 'no scaling yet (scale_up_delay holds it)');
# let capacity follow at once: the refused demand is remembered for 60 s
$lim->append_conf('postgresql.conf', "aurora_serverless.scale_up_delay = 0\n");
$lim->reload;

# every refusal was counted before its client was told; the worker reads
# the count at its next sample: wait for all of them
ok($lim->poll_query_until('postgres',
	'SELECT sum(rejected_connections) >= 190 FROM aurora_serverless.metrics'),
	'refusals are counted in the metrics: all 190');
ok($lim->poll_query_until('postgres',
	"SELECT count(*) > 0 FROM aurora_serverless.scaling_events WHERE event = 'connection_rejected'"),
	'refusals are events');
like($lim->safe_psql('postgres', "SELECT detail FROM aurora_serverless.scaling_events
	WHERE event = 'connection_rejected' ORDER BY event_time LIMIT 1"),
	qr/^\d+ connections? refused since the last sample at the limit of 90 connections \(0\.5 ACU\); now \d+ open$/,
	'the event names the limit the refused clients met');
# the two rings are read one after the other: a sample may land between
# the reads, so wait until both agree (one event per refusal never would)
ok($lim->poll_query_until('postgres',
	"SELECT (SELECT count(*) FROM aurora_serverless.scaling_events WHERE event = 'connection_rejected')
	      = (SELECT count(*) FROM aurora_serverless.metrics WHERE rejected_connections > 0)"),
	'refusals are aggregated: one event per sample that had any');

# the connections in leave; the storm still wanted 90 + 190
$last->quit;
$hold->kill_kill;
$hold->finish;

ok($lim->poll_query_until('postgres',
	'SELECT serverless_database_capacity >= 2 FROM aurora_serverless.capacity'),
	'capacity rises for the refused connections');
cmp_ok($lim->safe_psql('postgres', 'SELECT max_connections FROM aurora_serverless.capacity'),
	'>=', 300, 'and with it the limit');

# a later burst is accepted
my $one = $lim->basedir . '/one.sql';
append_to_file($one, "SELECT 1;\n");
my ($bout, $berr) = ("", "");
my $ok = IPC::Run::run([ 'pgbench', '-c', '280', '-j', '8', '-t', '5', '-f', $one, @common ],
	'>', \$bout, '2>', \$berr);
ok($ok, 'a later 280-client burst is accepted');
unlike($berr, qr/too many clients/, 'with no refusal');

$lim->stop;
done_testing();
