# Every view fits a terminal of 80 columns, or has a narrow companion that
# does (capacity's is status; the others' are named after them with _brief).
# A companion must fit whatever its rows hold: each is copied empty into a
# temporary table, which gets one row of the widest value every column can
# hold, and psql's aligned output of it is measured.  A view or a column
# this file does not know fails until its widest value is written here.
use strict;
use warnings;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;
use IPC::Run;
use Encode qw(decode);

my $node = PostgreSQL::Test::Cluster->new('widths');
$node->init;
$node->append_conf('postgresql.conf', q{
shared_preload_libraries = 'aurora_serverless'
aurora_serverless.instance_name = 'an-instance-name-longer-than-twenty-characters'
});
$node->start;
$node->safe_psql('postgres', 'CREATE EXTENSION aurora_serverless');

# The widest value of each column, and where its bound comes from.
my $state = 'resuming';               # active, pausing, paused, resuming, scaling
my $acu = '255.5';                    # v2: 0.5 steps up to 256; v1: at most 384
my $time = '2026-12-31 23:59:59';     # timestamps cut to the second
my $pid = '4194304';                  # Linux's largest pid_max
my $goal = '9999.9';                  # goals are capped there by the view
my %widest = (
	status => {
		state => $state,
		acu => $acu,
		target => $acu,
		range => '255.5-256',             # min and max, 0.5 steps
		why => 'memory',                  # cpu, memory, conns, min, max, writer
		connections => '262143/5000',     # PostgreSQL's largest max_connections / Aurora's cap
		'cpu%' => '999',                  # capped by the view
		'acu%' => '100',
	},
	metrics_brief => {
		sample_time => $time,
		state => $state,
		acu => $acu,
		target => $acu,
		cpu => $goal,
		memory => $goal,
		conns => $goal,
	},
	scaling_events_brief => {
		event_time => $time,
		event => 'scaling_point_timeout',  # the longest event name
		acu => $acu,
		reason => 'x' x 24,                # cut by the view
	},
	scaling_blockers_brief => {
		pid => $pid,
		usename => 'x' x 12,               # cut by the view
		blocker => 'long_transaction',     # the longest scaling blocker kind
		detail => 'x' x 31,                # cut by the view
	},
	pause_blockers_brief => {
		pid => $pid,
		usename => 'x' x 12,
		blocker => 'logical_replication',  # the longest pause blocker kind
		detail => 'x' x 31,
	},
	alarms_brief => {
		alarm_name => 'x' x 24,                        # cut by the view
		metric_name => 'ServerlessDatabaseCapacity',   # the longest metric name
		state_value => 'INSUFFICIENT_DATA',
	},
	cluster_instances_brief => {
		instance_name => 'x' x 20,         # cut by the view
		role => 'writer',
		tier => '15',
		acu => $acu,
		state => 'unreachable',            # an instance state, stale or unreachable
		conns => '262143',
		failover => '15',
	},
	cluster_brief => {
		role => 'writer',
		writer => 'x' x 20,                # cut by the view
		link => 'unreachable',             # writer, connected, connecting, unreachable, none
		instances => '16',                 # a writer and 15 readers
		stale => '15',
		acu => '255.969',                  # an average, to 3 places
	},
	worker_stats_brief => {
		ticks => '999999999999',           # 3000 years of 100 ms samples
		mean_us => '9999999',              # capped by the view
		max_us => '9999999',
		procs => '99999',
		source => 'sessions',              # proc or sessions
		pid => $pid,
		failures => '999999999999',        # at most one per tick
	},
	provisioned_classes_brief => {
		class => 'x' x 16,                 # cut by the view
		vcpus => '99999',                  # capped by the view
		gib => '99999.9',
		price => '9999.999',
		note => 'x' x 30,                  # cut by the view
	},
);
my %companion_of = (capacity => 'status');

# psql's aligned output, as a terminal shows it, and its widest line
sub widest_line
{
	my ($sql) = @_;
	my ($out, $err) = ('', '');
	IPC::Run::run([ 'psql', '-X', '-d', $node->connstr('postgres'), '-c', $sql ],
		'>', \$out, '2>', \$err) or die "psql failed: $err";
	my $w = 0;
	foreach my $line (split /\n/, decode('UTF-8', $out))
	{
		$w = length($line) if length($line) > $w;
	}
	return ($w, $out);
}

my @views = split /\n/, $node->safe_psql('postgres', q{
	SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
	 WHERE n.nspname = 'aurora_serverless' AND c.relkind = 'v' ORDER BY 1});
cmp_ok(scalar(@views), '>=', 10, 'the extension has its views');

foreach my $view (@views)
{
	if (!$widest{$view})
	{
		my $companion = $companion_of{$view} // "${view}_brief";
		ok($widest{$companion} && grep({ $_ eq $companion } @views),
			"$view has a narrow companion whose widest row is checked ($companion)");
		next;
	}
	my $cols = $widest{$view};
	my $tmp = "w_$view";
	my @names = split /\n/, $node->safe_psql('postgres', qq{
		SELECT attname FROM pg_attribute
		 WHERE attrelid = 'aurora_serverless.$view'::regclass AND attnum > 0
		 ORDER BY attnum});
	is(join(',', sort @names), join(',', sort keys %$cols),
		"every column of $view has its widest value here");
	my $values = join(', ', map {
		my $v = $cols->{$_} // 'NULL';
		$v eq 'NULL' ? $v : "'$v'"
	} @names);
	my ($w, $out) = widest_line(qq{
		CREATE TEMP TABLE $tmp AS SELECT * FROM aurora_serverless.$view WHERE false;
		INSERT INTO $tmp VALUES ($values);
		SELECT * FROM $tmp;});
	cmp_ok($w, '<=', 80, "SELECT * FROM $view fits 80 columns with its widest row ($w)")
	  or diag($out);
}

# the cuts the widest rows rely on, on values longer than them
my $long = 'an-alarm-name-longer-than-twenty-four-characters';
$node->safe_psql('postgres', qq{SELECT aurora_serverless.put_metric_alarm('$long',
	'ACUUtilization', 'Maximum', 60, 1, 90, 'GreaterThanOrEqualToThreshold')});
is($node->safe_psql('postgres', 'SELECT alarm_name FROM aurora_serverless.alarms_brief'),
	substr($long, 0, 21) . '...', 'alarms_brief cuts a long name to 24 characters');
is($node->safe_psql('postgres', "SELECT instance_name FROM aurora_serverless.cluster_instances_brief
	 WHERE role = 'writer'"),
	'an-instance-name-...', 'cluster_instances_brief cuts a long name to 20 characters');
is($node->safe_psql('postgres', 'SELECT writer FROM aurora_serverless.cluster_brief'),
	'an-instance-name-...', 'cluster_brief too');
$node->safe_psql('postgres', q{INSERT INTO aurora_serverless.provisioned_classes
	VALUES ('db.a-class-name-longer-than-sixteen', 123456, 1234567.891, 12345.6789,
	        'a note longer than thirty characters')});
is($node->safe_psql('postgres', q{SELECT class, vcpus, gib, price, note
	 FROM aurora_serverless.provisioned_classes_brief WHERE class LIKE 'db.a-%'}),
	'db.a-class-na...|99999|99999.9|9999.999|a note longer than thirty c...',
	'provisioned_classes_brief cuts a long class and note, and caps the numbers');

done_testing();
