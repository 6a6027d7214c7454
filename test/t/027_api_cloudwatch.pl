# The AWS API endpoint, CloudWatch: the clients that send the Query
# protocol (Debian's AWS CLI 2.9 and boto3 1.26) and those that send AWS
# JSON 1.0 (the JavaScript SDK v3 from npm; botocore 1.42.7 and later when
# this user can run one) read the metrics and make alarms, and what they see
# is checked against SQL: the same numbers as get_metric_statistics() for
# the same window, an alarm made over the API that fires in SQL (NOTIFY)
# under a pgbench burst and returns to OK, one made in SQL listed over the
# API, a read-only role refused alarms, CloudWatch's limits and errors, and
# Smithy RPC v2 CBOR refused with an error that names what is served.
use strict;
use warnings;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;
use IPC::Run;
use JSON::PP;
use File::Basename qw(dirname);
use Cwd qw(abs_path);
use Time::HiRes qw(usleep);

my $here = abs_path(dirname(__FILE__) . '/../api');
my $aws = '/usr/bin/aws';
my $python = '/usr/bin/python3';
my $have_aws = -x $aws;
my $have_boto3 = -x $python
  && system("$python -c 'import boto3' >/dev/null 2>&1") == 0;

my $node = PostgreSQL::Test::Cluster->new('cw');
$node->init;
my $api_port = PostgreSQL::Test::Cluster::get_free_port();
my $url = "http://127.0.0.1:$api_port";
$node->append_conf('postgresql.conf', qq{
shared_preload_libraries = 'aurora_serverless'
aurora_serverless.api_listen = '127.0.0.1:$api_port'
aurora_serverless.cluster_identifier = 'my-cluster'
aurora_serverless.instance_name = 'my-instance'
aurora_serverless.max_capacity = 4
aurora_serverless.sample_interval = 250ms
aurora_serverless.scale_up_delay = 0
aurora_serverless.scale_down_delay = 2s
aurora_serverless.scale_down_interval = 1s
aurora_serverless.notify_database = 'postgres'
});
$node->start;

sub query { return $node->safe_psql('postgres', shift); }

query('CREATE EXTENSION aurora_serverless');
query(q{CREATE ROLE ops LOGIN;
	GRANT EXECUTE ON FUNCTION aurora_serverless.put_metric_alarm(text, text, text, int, int, numeric, text),
	                          aurora_serverless.delete_alarms(text[]),
	                          aurora_serverless.set_alarm_state(text, text, text) TO ops;
	CREATE ROLE viewer LOGIN});
my %keys = (
	ops => [ 'AKIAOPSEXAMPLE000001', 'ops/Secret+Key/For/CloudWatch/Tests0000' ],
	viewer => [ 'AKIAVIEWEREXAMPLE002', 'viewer/Secret+Key/For/CloudWatch/Tests0' ],
);
query("SET log_statement = 'none';
	SELECT aurora_serverless.create_api_access_key('ops', '$keys{ops}[0]', '$keys{ops}[1]');
	SELECT aurora_serverless.create_api_access_key('viewer', '$keys{viewer}[0]', '$keys{viewer}[1]')");

sub client
{
	my ($who, @cmd) = @_;
	my ($out, $err) = ('', '');
	local $ENV{AWS_ACCESS_KEY_ID} = $keys{$who}[0];
	local $ENV{AWS_SECRET_ACCESS_KEY} = $keys{$who}[1];
	local $ENV{AWS_DEFAULT_REGION} = 'us-east-1';
	local $ENV{AWS_CONFIG_FILE} = '/dev/null';
	local $ENV{AWS_SHARED_CREDENTIALS_FILE} = '/dev/null';
	local $ENV{AWS_PAGER} = '';
	local $ENV{AWS_MAX_ATTEMPTS} = '1';
	local $ENV{AWS_EC2_METADATA_DISABLED} = 'true';
	local $ENV{HOME} = $node->basedir;
	IPC::Run::run(\@cmd, '>', \$out, '2>', \$err,
		IPC::Run::timeout($PostgreSQL::Test::Utils::timeout_default));
	return ($? >> 8, $out, $err);
}

sub aws { my $who = shift; return client($who, $aws, '--endpoint-url', $url, @_); }

# a JSON 1.0 client: botocore 1.42.7 or later on PATH, if this user may run
# it, or the packages of the AWS CLI v1 and boto3 that test/run copied where
# this user can read them (AS_AWS_V1_PATH), run by Debian's python3
my $json_python;
{
	my $py = `command -v python3 2>/dev/null`;
	chomp $py;
	if ($ENV{AS_AWS_V1_PATH} && -d $ENV{AS_AWS_V1_PATH})
	{
		$py = $node->basedir . '/python3-aws-v1';
		append_to_file($py, "#!/bin/sh\nPYTHONPATH='$ENV{AS_AWS_V1_PATH}' exec $python \"\$@\"\n");
		chmod 0755, $py;
	}
	if ($py && $py ne $python)
	{
		my $v = `$py -c 'import boto3, botocore; print(botocore.__version__)' 2>/dev/null`;
		chomp $v;
		my @v = split /\./, $v;
		$json_python = $py
		  if @v == 3 && ($v[0] > 1 || ($v[0] == 1 && ($v[1] > 42 || ($v[1] == 42 && $v[2] >= 7))));
	}
}

# the JavaScript SDK v3, from npm, outside the tree
my $npm_dir = $ENV{AS_NPM_DIR} // '/var/tmp/aurora_serverless_npm';
my $have_js = 0;
if (system('command -v node >/dev/null && command -v npm >/dev/null') == 0)
{
	if (!-d "$npm_dir/node_modules/\@aws-sdk/client-cloudwatch")
	{
		mkdir $npm_dir;
		$npm_dir = $node->basedir . '/npm' unless -w $npm_dir;
		my ($nout, $nerr) = ('', '');
		IPC::Run::run([ 'npm', 'install', '--prefix', $npm_dir, '--no-audit',
				'--no-fund', '--loglevel=error', '@aws-sdk/client-cloudwatch@3' ],
			'>', \$nout, '2>', \$nerr, IPC::Run::timeout(300));
	}
	$have_js = -d "$npm_dir/node_modules/\@aws-sdk/client-cloudwatch";
}
sub js
{
	local $ENV{NODE_PATH} = "$npm_dir/node_modules";
	local $ENV{NODE_NO_WARNINGS} = '1';
	return client(shift, 'node', "$here/cloudwatch_client.cjs", $url, @_);
}

ok($node->poll_query_until('postgres',
	'SELECT count(*) >= 40 FROM aurora_serverless.metrics'), 'the worker has samples');

# a window wholly in the past: both sides see the same samples
my $end = query('SELECT floor(extract(epoch FROM now()))::bigint - 1');
my $start = $end - 600;

# the numbers of SQL for a metric: [[epoch, average, maximum], ...]
sub sql_points
{
	my ($metric, $period) = @_;
	my @rows = map { [ split /\|/ ] } split /\n/, $node->safe_psql('postgres', qq{
		SELECT extract(epoch FROM "timestamp")::bigint, average, maximum
		  FROM aurora_serverless.get_metric_statistics('$metric', to_timestamp($start),
		       to_timestamp($end), $period, '{Average,Maximum}') ORDER BY 1});
	return \@rows;
}

sub same_points
{
	my ($got, $want) = @_;
	return 0 unless ref $got eq 'ARRAY' && @$got == @$want && @$want > 0;
	for my $i (0 .. $#$want)
	{
		for my $j (0 .. 2)
		{
			return 0 unless $got->[$i][$j] == $want->[$i][$j];
		}
	}
	return 1;
}

SKIP:
{
	skip "Debian's AWS CLI ($aws) is not installed", 8 unless $have_aws;

	# the recipe, literally
	my ($rc, $out, $err) = aws('viewer', 'cloudwatch', 'get-metric-statistics',
		'--namespace', 'AWS/RDS', '--metric-name', 'ACUUtilization',
		'--dimensions', 'Name=DBClusterIdentifier,Value=my-cluster',
		'--statistics', 'Average', 'Maximum', '--period', '60',
		'--start-time', $start, '--end-time', $end);
	is($rc, 0, 'aws cloudwatch get-metric-statistics succeeds') or diag($err);
	my $got = decode_json($out);
	is($got->{Label}, 'ACUUtilization', '... labelled with the metric');
	my @cli = sort { $a->[0] <=> $b->[0] } map {
		my $t = $_->{Timestamp};
		[ query("SELECT extract(epoch FROM '$t'::timestamptz)::bigint"), $_->{Average}, $_->{Maximum} ]
	} @{ $got->{Datapoints} };
	ok(same_points(\@cli, sql_points('ACUUtilization', 60)),
		'... with the same numbers as get_metric_statistics() for the window')
	  or diag(explain(\@cli), explain(sql_points('ACUUtilization', 60)));

	($rc, $out, $err) = aws('viewer', 'cloudwatch', 'get-metric-data',
		'--metric-data-queries',
		'[{"Id":"acu","MetricStat":{"Metric":{"Namespace":"AWS/RDS","MetricName":"ServerlessDatabaseCapacity","Dimensions":[{"Name":"DBInstanceIdentifier","Value":"my-instance"}]},"Period":60,"Stat":"Maximum"}}]',
		'--start-time', $start, '--end-time', $end, '--scan-by', 'TimestampAscending');
	$got = decode_json($out)->{MetricDataResults}[0];
	is_deeply([ map { $_ + 0 } @{ $got->{Values} } ],
		[ map { $_->[2] + 0 } @{ sql_points('ServerlessDatabaseCapacity', 60) } ],
		'get-metric-data: the values of SQL, by the instance dimension') or diag($out, $err);

	($rc, $out, $err) = aws('viewer', 'cloudwatch', 'list-metrics', '--namespace', 'AWS/RDS');
	$got = decode_json($out)->{Metrics};
	is(scalar(@$got), 15, 'list-metrics: five metrics under three sets of dimensions');
	ok((grep { join(',', map { "$_->{Name}=$_->{Value}" } @{ $_->{Dimensions} }) eq 'DBClusterIdentifier=my-cluster,Role=WRITER' } @$got),
		'... Role=WRITER among them');

	($rc, $out, $err) = aws('viewer', 'cloudwatch', 'get-metric-statistics',
		'--namespace', 'AWS/RDS', '--metric-name', 'ACUUtilization',
		'--statistics', 'Average', '--period', '1',
		'--start-time', $start - 86400, '--end-time', $end);
	like($err, qr/\(InvalidParameterCombination\).*You have requested up to 87000 datapoints, which exceeds the limit of 1440/s,
		'over 1,440 datapoints: InvalidParameterCombination, as CloudWatch says it');
	($rc, $out, $err) = aws('viewer', 'cloudwatch', 'get-metric-statistics',
		'--namespace', 'AWS/RDS', '--metric-name', 'NoSuchMetric',
		'--statistics', 'Average', '--period', '60',
		'--start-time', $start, '--end-time', $end);
	like($out, qr/"Datapoints": \[\]/, 'an unknown metric: an empty list, as in CloudWatch');
}

SKIP:
{
	skip "python3-boto3 ($python) is not installed", 3 unless $have_boto3;
	my ($rc, $out, $err) = client('viewer', $python, "$here/cloudwatch.py", $url, 'protocol');
	is($out, "query\n", 'boto3 1.26 speaks the Query protocol to CloudWatch');
	($rc, $out, $err) = client('viewer', $python, "$here/cloudwatch.py", $url,
		'statistics', 'my-cluster', $start, $end, 10);
	my $got = eval { decode_json($out) } // {};
	is(join(',', sort keys %$got),
		'ACUUtilization,CPUUtilization,DatabaseConnections,FreeableMemory,ServerlessDatabaseCapacity',
		'boto3 lists the five metrics') or diag($err);
	my @bad = grep { !same_points($got->{$_}, sql_points($_, 10)) } sort keys %$got;
	is("@bad", '', 'every one has the numbers of get_metric_statistics(), period 10 s');
}

SKIP:
{
	skip 'no botocore 1.42.7 or later on PATH that this user may run (it sends AWS JSON 1.0)', 2
	  unless $json_python;
	my ($rc, $out, $err) = client('viewer', $json_python, "$here/cloudwatch.py", $url, 'protocol');
	is($out, "json\n", "$json_python: botocore speaks AWS JSON 1.0 to CloudWatch");
	($rc, $out, $err) = client('viewer', $json_python, "$here/cloudwatch.py", $url,
		'statistics', 'my-cluster', $start, $end, 10);
	my $got = eval { decode_json($out) } // {};
	my @bad = grep { !same_points($got->{$_}, sql_points($_, 10)) } sort keys %$got;
	ok(%$got && "@bad" eq '', '... and reads the numbers of get_metric_statistics() over it')
	  or diag($out, $err);
}

SKIP:
{
	skip 'no AWS CLI v1 of botocore 1.42.7 or later that this user may run (it sends AWS JSON 1.0)', 3
	  unless $json_python && system("$json_python -c 'import awscli' 2>/dev/null") == 0;
	my ($rc, $out, $err) = client('viewer', $json_python, '-m', 'awscli', '--endpoint-url', $url,
		'--debug', 'cloudwatch', 'get-metric-statistics',
		'--namespace', 'AWS/RDS', '--metric-name', 'ACUUtilization',
		'--dimensions', 'Name=DBClusterIdentifier,Value=my-cluster',
		'--statistics', 'Average', 'Maximum', '--period', '60',
		'--start-time', $start, '--end-time', $end);
	is($rc, 0, 'the AWS CLI v1 runs get-metric-statistics') or diag($err);
	like($err, qr/x-amz-json-1\.0/, '... in AWS JSON 1.0');
	my $got = eval { decode_json($out) } // {};
	my @cli = sort { $a->[0] <=> $b->[0] } map {
		my $t = $_->{Timestamp};
		[ $t =~ /^\d+(\.\d+)?$/ ? int($t) : query("SELECT extract(epoch FROM '$t'::timestamptz)::bigint"),
		  $_->{Average}, $_->{Maximum} ]
	} @{ $got->{Datapoints} // [] };
	ok(same_points(\@cli, sql_points('ACUUtilization', 60)),
		'... with the numbers of get_metric_statistics()') or diag($out);
}

SKIP:
{
	skip "\@aws-sdk/client-cloudwatch could not be installed with npm into $npm_dir", 2 unless $have_js;
	my ($rc, $out, $err) = js('viewer', 'statistics', 'CPUUtilization', 'my-cluster', $start, $end, 10);
	like($out, qr/^protocol: application\/x-amz-json-1\.0$/m,
		'@aws-sdk/client-cloudwatch sends AWS JSON 1.0');
	my ($line) = $out =~ /^(\[.*\])$/m;
	ok(same_points(eval { decode_json($line // '') }, sql_points('CPUUtilization', 10)),
		'... and reads the numbers of get_metric_statistics()') or diag($out, $err);
}

# alarms: "ACU utilization approaching maximum", made over the API
SKIP:
{
	skip "Debian's AWS CLI ($aws) is not installed", 19 unless $have_aws;
	my ($rc, $out, $err) = aws('ops', 'cloudwatch', 'put-metric-alarm',
		'--alarm-name', 'acu-approaching-max',
		'--alarm-description', 'ACU utilization approaching maximum',
		'--namespace', 'AWS/RDS', '--metric-name', 'ACUUtilization',
		'--dimensions', 'Name=DBClusterIdentifier,Value=my-cluster',
		'--statistic', 'Maximum', '--period', '10', '--evaluation-periods', '1',
		'--threshold', '75', '--comparison-operator', 'GreaterThanOrEqualToThreshold');
	is($rc, 0, 'aws cloudwatch put-metric-alarm succeeds') or diag($err);
	my $limit = query('SELECT max_connections FROM aurora_serverless.capacity');
	my $near = int($limit * 0.8);
	($rc, $out, $err) = aws('ops', 'cloudwatch', 'put-metric-alarm',
		'--alarm-name', 'connections-approaching-limit',
		'--namespace', 'AWS/RDS', '--metric-name', 'DatabaseConnections',
		'--dimensions', 'Name=DBInstanceIdentifier,Value=my-instance',
		'--statistic', 'Maximum', '--period', '60', '--evaluation-periods', '1',
		'--threshold', $near, '--comparison-operator', 'GreaterThanThreshold');
	is($rc, 0, "a second: connections over 80% of the derived limit ($near of $limit)") or diag($err);
	is(query(q{SELECT string_agg(alarm_name || ' ' || metric_name || ' ' || statistic || ' ' || period
		|| ' ' || threshold || ' ' || comparison_operator, '; ' ORDER BY alarm_name)
		FROM aurora_serverless.alarms}),
		"acu-approaching-max ACUUtilization Maximum 10 75 GreaterThanOrEqualToThreshold; "
		  . "connections-approaching-limit DatabaseConnections Maximum 60 $near GreaterThanThreshold",
		'both are alarms in SQL');

	query(q{SELECT aurora_serverless.put_metric_alarm('made-in-sql', 'FreeableMemory', 'Minimum', 60, 1, 1, 'LessThanThreshold')});
	($rc, $out, $err) = aws('viewer', 'cloudwatch', 'describe-alarms', '--alarm-names', 'made-in-sql');
	like($out, qr/"AlarmName": "made-in-sql".*"MetricName": "FreeableMemory".*"Statistic": "Minimum"/s,
		'an alarm made in SQL is listed over the API');

	# the read-only role reads, and may not make or delete alarms
	($rc, $out, $err) = aws('viewer', 'cloudwatch', 'put-metric-alarm',
		'--alarm-name', 'not-allowed', '--namespace', 'AWS/RDS',
		'--metric-name', 'ACUUtilization', '--statistic', 'Maximum', '--period', '60',
		'--evaluation-periods', '1', '--threshold', '1',
		'--comparison-operator', 'GreaterThanThreshold');
	like($err, qr/\(AccessDenied\).*user\/viewer is not authorized to perform: cloudwatch:PutMetricAlarm.*permission denied for function put_metric_alarm/s,
		'the read-only role: AccessDenied from PutMetricAlarm');
	($rc, $out, $err) = aws('viewer', 'cloudwatch', 'delete-alarms', '--alarm-names', 'made-in-sql');
	like($err, qr/\(AccessDenied\)/, '... and from DeleteAlarms');
	is(query("SELECT count(*) FROM aurora_serverless.alarms WHERE alarm_name IN ('not-allowed', 'made-in-sql')"),
		'1', '... and nothing changed');

	# the burst: the alarm goes to ALARM, heard with LISTEN, seen by every client
	ok($node->poll_query_until('postgres',
		"SELECT state_value = 'OK' FROM aurora_serverless.alarms WHERE alarm_name = 'acu-approaching-max'"),
		'idle: the API-made alarm is OK');

	# set-alarm-state: the state until the alarm's next evaluation
	($rc, $out, $err) = aws('ops', 'cloudwatch', 'set-alarm-state',
		'--alarm-name', 'acu-approaching-max', '--state-value', 'ALARM',
		'--state-reason', 'testing the pager');
	is(query("SELECT state_value || ' ' || state_reason FROM aurora_serverless.alarms
	           WHERE alarm_name = 'acu-approaching-max'"), 'ALARM testing the pager',
		'aws cloudwatch set-alarm-state sets the state and its reason') or diag($err);
	($rc, $out, $err) = aws('viewer', 'cloudwatch', 'set-alarm-state',
		'--alarm-name', 'acu-approaching-max', '--state-value', 'OK', '--state-reason', 'no');
	like($err, qr/\(AccessDenied\)/, '... which the read-only role may not');
	($rc, $out, $err) = aws('ops', 'cloudwatch', 'set-alarm-state',
		'--alarm-name', 'no-such-alarm', '--state-value', 'OK', '--state-reason', 'no');
	like($err, qr/\(ResourceNotFound\).*alarm "no-such-alarm" does not exist/s,
		'... and an unknown alarm is ResourceNotFound, as CloudWatch says it');
	ok($node->poll_query_until('postgres',
		"SELECT state_value = 'OK' FROM aurora_serverless.alarms WHERE alarm_name = 'acu-approaching-max'"),
		'the next evaluation puts it back to its actual state');
	my $listener = $node->background_psql('postgres');
	$listener->query_safe('LISTEN aurora_serverless_alarm');
	my $burn = $node->basedir . '/burn.sql';
	append_to_file($burn, "SELECT count(*) FROM generate_series(1, 2000000);\n");
	my ($bout, $berr) = ('', '');
	my $bench = IPC::Run::start([ 'pgbench', '-n', '-c', '2', '-j', '2', '-T', '600', '-f', $burn,
			'-h', $node->host, '-p', $node->port, 'postgres' ], '>', \$bout, '2>', \$berr);
	my $heard = '';
	foreach (1 .. 10 * $PostgreSQL::Test::Utils::timeout_default)
	{
		$heard .= $listener->query_safe('SELECT 1');
		last if $heard =~ /"AlarmName": ?"acu-approaching-max".*"NewStateValue": ?"ALARM"/;
		usleep(100_000);
	}
	like($heard, qr/"AlarmName": ?"acu-approaching-max".*"NewStateValue": ?"ALARM"/,
		'under a pgbench burst the alarm goes to ALARM: NOTIFY aurora_serverless_alarm');
	my %seen;
	($rc, $out, $err) = aws('viewer', 'cloudwatch', 'describe-alarms', '--alarm-names', 'acu-approaching-max',
		'--query', 'MetricAlarms[0].StateValue', '--output', 'text');
	$seen{'aws 2.9'} = $out;
	if ($have_boto3)
	{
		($rc, $out, $err) = client('viewer', $python, "$here/cloudwatch.py", $url, 'alarms');
		($seen{'boto3 1.26'}) = $out =~ /^acu-approaching-max (\S+)$/m;
	}
	if ($have_js)
	{
		($rc, $out, $err) = js('viewer', 'alarms');
		($seen{'client-cloudwatch'}) = $out =~ /^acu-approaching-max (\S+)$/m;
	}
	if ($json_python)
	{
		($rc, $out, $err) = client('viewer', $json_python, "$here/cloudwatch.py", $url, 'alarms');
		($seen{'botocore JSON'}) = $out =~ /^acu-approaching-max (\S+)$/m;
	}
	my @not = grep { ($seen{$_} // '') !~ /^ALARM\s*$/ } sort keys %seen;
	is("@not", '', 'describe-alarms says ALARM from every client (' . join(', ', sort keys %seen) . ')');

	$bench->kill_kill;
	$bench->finish;
	ok($node->poll_query_until('postgres',
		"SELECT state_value = 'OK' FROM aurora_serverless.alarms WHERE alarm_name = 'acu-approaching-max'"),
		'after the burst it returns to OK');
	%seen = ();
	($rc, $out, $err) = aws('viewer', 'cloudwatch', 'describe-alarms', '--alarm-names', 'acu-approaching-max',
		'--query', 'MetricAlarms[0].StateValue', '--output', 'text');
	$seen{'aws 2.9'} = $out;
	if ($have_boto3)
	{
		($rc, $out, $err) = client('viewer', $python, "$here/cloudwatch.py", $url, 'alarms');
		($seen{'boto3 1.26'}) = $out =~ /^acu-approaching-max (\S+)$/m;
	}
	if ($have_js)
	{
		($rc, $out, $err) = js('viewer', 'alarms');
		($seen{'client-cloudwatch'}) = $out =~ /^acu-approaching-max (\S+)$/m;
	}
	@not = grep { ($seen{$_} // '') !~ /^OK\s*$/ } sort keys %seen;
	is("@not", '', 'describe-alarms says OK again from every client');
	$listener->quit;

	($rc, $out, $err) = aws('viewer', 'cloudwatch', 'describe-alarm-history',
		'--alarm-name', 'acu-approaching-max', '--history-item-type', 'StateUpdate');
	like($out, qr/"HistorySummary": "Alarm updated from OK to ALARM".*|"HistorySummary": "Alarm updated from ALARM to OK"/s,
		'describe-alarm-history has the changes of state');

	($rc, $out, $err) = aws('ops', 'cloudwatch', 'delete-alarms', '--alarm-names', 'made-in-sql', 'no-such-alarm');
	like($err, qr/\(ResourceNotFound\).*no-such-alarm/s, 'delete-alarms with an unknown name: ResourceNotFound');
	($rc, $out, $err) = aws('ops', 'cloudwatch', 'delete-alarms', '--alarm-names', 'made-in-sql');
	is(query("SELECT string_agg(alarm_name, ',' ORDER BY alarm_name) FROM aurora_serverless.alarms"),
		'acu-approaching-max,connections-approaching-limit', 'delete-alarms deletes it in SQL');
}

SKIP:
{
	skip "\@aws-sdk/client-cloudwatch could not be installed with npm into $npm_dir", 3 unless $have_js;
	my ($rc, $out, $err) = js('ops', 'put', 'from-javascript');
	like($out, qr/^put\nprotocol: application\/x-amz-json-1\.0$/m, 'PutMetricAlarm in AWS JSON 1.0') or diag($out);
	is(query("SELECT metric_name FROM aurora_serverless.alarms WHERE alarm_name = 'from-javascript'"),
		'DatabaseConnections', '... is an alarm in SQL');
	($rc, $out, $err) = js('viewer', 'delete', 'from-javascript');
	like($out, qr/^error: AccessDenied/m, '... that the read-only role may not delete, in JSON 1.0 too')
	  or diag($out);
}

# Smithy RPC v2 CBOR: refused, in CBOR, naming what is served
SKIP:
{
	skip "python3 ($python) is not installed", 2 unless -x $python;
	my $py = q{
import sys, urllib.request
req = urllib.request.Request(sys.argv[1] + "/service/GraniteServiceVersion20100801/operation/GetMetricData",
    data=b"\xa0", method="POST",
    headers={"smithy-protocol": "rpc-v2-cbor", "Content-Type": "application/cbor"})
try:
    urllib.request.urlopen(req)
except urllib.error.HTTPError as e:
    print(e.code, e.headers["Content-Type"])
    print(e.read().decode("latin-1"))
};
	my ($rc, $out, $err) = client('viewer', $python, '-c', $py, $url);
	like($out, qr{^400 application/cbor}, 'a Smithy RPC v2 CBOR request: 400, in CBOR');
	like($out, qr/UnsupportedProtocol.*AWS Query protocol and AWS JSON 1\.0/s,
		'... saying which protocols the endpoint speaks');
}

$node->stop;
done_testing();
