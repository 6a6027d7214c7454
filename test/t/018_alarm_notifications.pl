# Alarm notifications are valid JSON whatever the alarm's name: alarms named
# with 63 double quotes, 63 backslashes and 21 euro signs, whose state
# reasons are as long as they get, are heard whole through LISTEN and decode
# to their names (the payload was cut at 639 bytes: "Unterminated string").
# Their events say the same in valid UTF-8.  The costliest alarms CloudWatch
# allows (8640 periods of 10 s) fill the other slots and are evaluated
# alongside; a worker that restarts rebuilds its windows from the recorded
# samples and changes no alarm's state.
use strict;
use warnings;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;
use JSON::PP;
use Time::HiRes qw(usleep);

my $node = PostgreSQL::Test::Cluster->new('alarmjson');
$node->init(extra => [ '--encoding=UTF8', '--locale=C' ]);
$node->append_conf('postgresql.conf', q{
shared_preload_libraries = 'aurora_serverless'
aurora_serverless.sample_interval = 250ms
aurora_serverless.notify_database = 'postgres'
aurora_serverless.worker_restart_time = 1
});
$node->start;
$node->safe_psql('postgres', 'CREATE EXTENSION aurora_serverless');
sub query { return $node->safe_psql('postgres', shift); }

my $listener = $node->background_psql('postgres');
$listener->set_query_timer_restart();
$listener->query_safe('LISTEN aurora_serverless_alarm');

# FreeableMemory is never above 1e15 bytes: each goes to ALARM once nine
# periods of samples are recorded, with a reason that lists the newest
# datapoints, each of 11 characters
my %names = (
	quotes => '"' x 63,
	backslashes => '\\' x 63,
	euros => "\x{20ac}" x 21);
my %sql_names = (
	quotes => q{repeat('"', 63)},
	backslashes => q{repeat(E'\\\\', 63)},
	euros => q{repeat(U&'\20AC', 21)});
foreach my $k (sort keys %sql_names)
{
	query("SELECT aurora_serverless.put_metric_alarm($sql_names{$k}, 'FreeableMemory',
	         'Minimum', 10, 9, 123456789012345, 'LessThanOrEqualToThreshold')");
}
query(q{SELECT count(aurora_serverless.put_metric_alarm('worst-' || g,
          (ARRAY['ServerlessDatabaseCapacity', 'ACUUtilization', 'CPUUtilization',
                 'DatabaseConnections', 'FreeableMemory'])[1 + g % 5],
          (ARRAY['Average', 'Maximum', 'Minimum', 'Sum', 'SampleCount'])[1 + g % 5],
          10, 8640, 1, 'GreaterThanThreshold'))
        FROM generate_series(1, 61) g});
is(query('SELECT count(*) FROM aurora_serverless.alarms'), '64', 'the 64 alarms are defined');

# every notification heard until the three are in ALARM: [raw, decoded]
my @heard;
my %alarmed;
my $deadline = time() + 2 * $PostgreSQL::Test::Utils::timeout_default;
while (keys %alarmed < 3 && time() < $deadline)
{
	my $out = $listener->query_safe('SELECT 1');
	while ($out =~ /Asynchronous notification "aurora_serverless_alarm" with payload "(.*?)" received/g)
	{
		my $raw = $1;
		my $payload = eval { decode_json($raw) };
		push @heard, [ $raw, $payload ];
		next unless $payload && $payload->{NewStateValue} eq 'ALARM';
		foreach my $k (keys %names)
		{
			$alarmed{$k} = $payload if $payload->{AlarmName} eq $names{$k};
		}
	}
	usleep(250_000);
}
ok(scalar(@heard) >= 3, 'the state changes are heard (' . scalar(@heard) . ')');
is(scalar(grep { !defined $_->[1] } @heard), 0, 'every payload is valid JSON')
  or diag(join("\n", map { $_->[0] } grep { !defined $_->[1] } @heard));
foreach my $k (sort keys %names)
{
	my $p = $alarmed{$k};
	ok($p, "the alarm named with $k is heard going to ALARM, its name whole");
	next unless $p;
	like($p->{NewStateReason},
		qr/^Threshold Crossed: 9 datapoints \[[0-9.e+]+(, [0-9.e+]+){7}, \.\.\.\] were less than or equal to the threshold \(1\.23457e\+14\)\.$/,
		"its reason lists the newest datapoints, whole ($k)");
	is($p->{Trigger}{EvaluationPeriods} . ' ' . $p->{Trigger}{Threshold}, '9 123457000000000',
		"its trigger ($k)");
}
my ($longest) = sort { $b <=> $a } map { length($_->[0]) } @heard;
cmp_ok($longest, '>', 640, "a payload is longer than the old 640-byte buffer ($longest bytes)");

# the events say so in valid UTF-8: convert_from() checks the bytes
is(query(q{SELECT count(*) FROM aurora_serverless.scaling_events
            WHERE event = 'alarm' AND reason = 'ALARM'
              AND convert_from(convert_to(detail, 'UTF8'), 'UTF8')
                  LIKE repeat(U&'\20AC', 21) || ': INSUFFICIENT_DATA -> ALARM: Threshold Crossed: 9 datapoints [%'}),
	'1', 'the alarm event of the euro-named alarm is valid UTF-8 and names it');

# the costliest alarms are evaluated: no period of theirs has been long
# enough, and they say how many datapoints are unknown
is(query(q{SELECT count(*) FROM aurora_serverless.alarms
            WHERE alarm_name LIKE 'worst-%' AND state_value = 'INSUFFICIENT_DATA'
              AND state_reason ~ '^Insufficient Data: \d+ datapoints were unknown\.$'}),
	'61', 'the 61 alarms of 8640 periods of 10 s are evaluated');

# a restarted worker rebuilds the windows from the samples it recorded: the
# three stay in ALARM, and the costly ones count one unknown datapoint less
# for each period that passes
my $unknown = q{(SELECT substring(state_reason FROM '\d+')::int FROM aurora_serverless.alarms
                  WHERE alarm_name = 'worst-1')};
my $events_before = query(q{SELECT count(*) FROM aurora_serverless.scaling_events WHERE event = 'alarm'});
my $old_pid = query('SELECT worker_pid FROM aurora_serverless.worker_stats');
query("SELECT pg_terminate_backend($old_pid)");
ok($node->poll_query_until('postgres',
	"SELECT worker_pid NOT IN (0, $old_pid) FROM aurora_serverless.worker_stats"),
	'the worker is back');
my $unknown_then = query("SELECT $unknown");
ok($node->poll_query_until('postgres', "SELECT $unknown < $unknown_then"),
	'after the restart, the costly alarms are evaluated from their rebuilt windows');
is(query(q{SELECT count(*) FROM aurora_serverless.scaling_events WHERE event = 'alarm'}),
	$events_before, 'and no alarm changed state');
is(query(q{SELECT count(*) FROM aurora_serverless.alarms WHERE state_value = 'ALARM'}),
	'3', 'the three are still in ALARM');

$listener->quit;
$node->stop;
done_testing();
