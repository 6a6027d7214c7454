# The AWS API endpoint, RDS: the real clients (Debian's AWS CLI 2.9, boto3
# 1.26, and the JavaScript SDK v3 from npm when it installs) run the
# commands users run against AWS, with only --endpoint-url changed, and
# what the database then shows is checked: the range in force, capacity,
# events.  Also: access keys mapped to roles (a read-only role is refused
# ModifyDBCluster and nothing changes), AWS's errors for bad signatures,
# unknown keys and requests dated 20 minutes away, 32 keep-alive clients
# at once, hostile clients, values that need escaping, a worker that dies,
# any-credentials mode on loopback only, and the keys through pg_dump.
use strict;
use warnings;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;
use IPC::Run;
use File::Basename qw(dirname);
use Cwd qw(abs_path);
use Time::HiRes qw(usleep);

my $here = abs_path(dirname(__FILE__) . '/../api');
my $aws = '/usr/bin/aws';
my $python = '/usr/bin/python3';
my $have_aws = -x $aws;
my $have_boto3 = -x $python
  && system("$python -c 'import boto3' >/dev/null 2>&1") == 0;

my $node = PostgreSQL::Test::Cluster->new('api');
$node->init;
my $api_port = PostgreSQL::Test::Cluster::get_free_port();
my $url = "http://127.0.0.1:$api_port";
$node->append_conf('postgresql.conf', qq{
shared_preload_libraries = 'aurora_serverless'
aurora_serverless.api_listen = '127.0.0.1:$api_port'
aurora_serverless.cluster_identifier = 'my-cluster'
aurora_serverless.instance_name = 'my-instance'
aurora_serverless.sample_interval = 250ms
aurora_serverless.scale_up_delay = 0
aurora_serverless.scale_down_delay = 2s
aurora_serverless.scale_down_interval = 1s
aurora_serverless.flush_interval = 1s
aurora_serverless.worker_restart_time = 1s
});
$node->start;

sub query { return $node->safe_psql('postgres', shift); }

my %keys = (
	admin => [ 'AKIAADMINEXAMPLE0001', 'adm1n/Secret+Key/For/Tests0000000000000' ],
	viewer => [ 'AKIAVIEWEREXAMPLE001', 'v1ewer/Secret+Key/For/Tests000000000000' ],
);

# Run a client with the credentials of a key; returns (exit code, stdout,
# stderr).  No retries: an error is seen once, as it is.
sub client
{
	my ($who, @cmd) = @_;
	my ($out, $err) = ('', '');
	local $ENV{AWS_ACCESS_KEY_ID} = $keys{$who} ? $keys{$who}[0] : $who;
	local $ENV{AWS_SECRET_ACCESS_KEY} = $keys{$who} ? $keys{$who}[1] : 'any-secret';
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

# The worker is there, in its own process, before the extension is.
is(query("SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'aurora_serverless api'"),
	'1', 'the API worker runs, in a process of its own');
ok($node->wait_for_log(qr/aurora_serverless api: listening on 127\.0\.0\.1:$api_port/),
	'it says where it listens');
like(slurp_file($node->logfile), qr/extension is not installed in database "postgres"/,
	'it says the extension is missing');

SKIP:
{
	skip "Debian's AWS CLI ($aws) is not installed", 1 unless $have_aws;
	my ($rc, $out, $err) = aws('admin', 'rds', 'describe-db-clusters');
	like($err, qr/\(ServiceUnavailable\).*CREATE EXTENSION aurora_serverless/s,
		'without the extension: ServiceUnavailable, saying what to do');
}

query('CREATE EXTENSION aurora_serverless');
query(q{CREATE ROLE dba LOGIN;
	GRANT EXECUTE ON FUNCTION aurora_serverless.modify_capacity(numeric, numeric),
	  aurora_serverless.modify_capacity(numeric, numeric, integer) TO dba;
	CREATE ROLE viewer LOGIN});
# given secrets are in the statement: keep it out of the log (the TAP
# cluster logs every statement)
query("SET log_statement = 'none';
	SELECT aurora_serverless.create_api_access_key('dba', '$keys{admin}[0]', '$keys{admin}[1]');
	SELECT aurora_serverless.create_api_access_key('viewer', '$keys{viewer}[0]', '$keys{viewer}[1]')");
my $random = query("SELECT access_key_id || ' ' || length(secret_access_key)
	FROM aurora_serverless.create_api_access_key('viewer')");
like($random, qr/^AKIA[A-Z2-7]{16} 40$/, 'a random key: a 20-character ID, a 40-character secret');

my ($rc, $out, $err) = $node->psql('postgres',
	'SET ROLE viewer; SELECT count(*) FROM aurora_serverless.api_access_keys');
like($err, qr/permission denied for table api_access_keys/,
	'secrets: a non-superuser cannot read the keys');
($rc, $out, $err) = $node->psql('postgres',
	"SET ROLE viewer; SELECT aurora_serverless.create_api_access_key('viewer')");
like($err, qr/permission denied for function create_api_access_key/,
	'a non-superuser cannot create keys');
($rc, $out, $err) = $node->psql('postgres',
	"SELECT aurora_serverless.create_api_access_key('nobody')");
like($err, qr/role "nobody" does not exist/, 'a key needs an existing role');
($rc, $out, $err) = $node->psql('postgres',
	"SELECT aurora_serverless.create_api_access_key('viewer', 'AKIA BAD', 'x')");
like($err, qr/invalid access key ID/, 'a malformed key ID is refused');
($rc, $out, $err) = $node->psql('postgres',
	"SELECT aurora_serverless.create_api_access_key('viewer', 'AKIAOTHER', 'has a space')");
like($err, qr/invalid secret access key/, 'a malformed secret is refused');
unlike($err, qr/has a space/, 'without repeating the secret');

SKIP:
{
	skip "Debian's AWS CLI ($aws) is not installed", 17 unless $have_aws;

	# the recipe: describe with --query
	($rc, $out, $err) = aws('admin', 'rds', 'describe-db-clusters',
		'--db-cluster-identifier', 'my-cluster',
		'--query', 'DBClusters[0].ServerlessV2ScalingConfiguration');
	is($rc, 0, 'aws rds describe-db-clusters --query succeeds') or diag($err);
	my $range = query("SELECT min_capacity || ' ' || max_capacity FROM aurora_serverless.capacity");
	like($out, qr/"MinCapacity": 0\.5,\s+"MaxCapacity": 16\.0/s,
		"... and shows the range in force ($range)");

	($rc, $out, $err) = aws('admin', 'rds', 'describe-db-clusters');
	like($out, qr/"DBClusterIdentifier": "my-cluster".*"Engine": "aurora-postgresql".*"Port": ${\ $node->port }/s,
		'describe-db-clusters: identifier, engine, port');
	like($out, qr/"DBInstanceIdentifier": "my-instance",\s+"IsClusterWriter": true/s,
		'... the writer among its members');
	like($out, qr{"DBClusterArn": "arn:aws:rds:us-east-1:000000000000:cluster:my-cluster"},
		'... the ARN in the signed region');

	# the recipe: modify with the shorthand syntax
	($rc, $out, $err) = aws('admin', 'rds', 'modify-db-cluster',
		'--db-cluster-identifier', 'my-cluster',
		'--serverless-v2-scaling-configuration', 'MinCapacity=4,MaxCapacity=64',
		'--apply-immediately');
	is($rc, 0, 'aws rds modify-db-cluster with the shorthand syntax succeeds') or diag($err);
	like($out, qr/"MinCapacity": 4\.0,\s+"MaxCapacity": 64\.0/s, '... and answers the new range');
	is(query("SELECT min_capacity || '-' || max_capacity FROM aurora_serverless.capacity"),
		'4-64', 'the database has the range in force');
	ok($node->poll_query_until('postgres',
		"SELECT serverless_database_capacity >= 4 FROM aurora_serverless.capacity"),
		'capacity rises to the new minimum');
	ok($node->poll_query_until('postgres',
		"SELECT current_setting('aurora_serverless.min_capacity') = '4'"),
		'the range is written for the next restart (SHOW)');
	like(query("SELECT detail FROM aurora_serverless.scaling_events
		WHERE event = 'config_change' ORDER BY event_time DESC LIMIT 1"),
		qr/min_capacity 0\.5 -> 4, max_capacity 16 -> 64/, 'a config_change event records it');

	# AWS's validation, from modify_capacity()
	($rc, $out, $err) = aws('admin', 'rds', 'modify-db-cluster',
		'--db-cluster-identifier', 'my-cluster',
		'--serverless-v2-scaling-configuration', 'MinCapacity=8,MaxCapacity=4');
	like($err, qr/\(InvalidParameterValue\).*min_capacity must not exceed max_capacity/s,
		'min above max: InvalidParameterValue with the reason');
	($rc, $out, $err) = aws('admin', 'rds', 'modify-db-cluster',
		'--db-cluster-identifier', 'my-cluster',
		'--serverless-v2-scaling-configuration', 'MinCapacity=1.25,MaxCapacity=4');
	like($err, qr/\(InvalidParameterValue\).*multiple of 0\.5/s, 'a capacity off the 0.5 grid');
	($rc, $out, $err) = aws('admin', 'rds', 'modify-db-cluster',
		'--db-cluster-identifier', 'my-cluster', '--backup-retention-period', '7');
	like($err, qr/\(InvalidParameterCombination\).*BackupRetentionPeriod is not supported/s,
		'an unsupported parameter is refused, not dropped');
	is(query("SELECT min_capacity || '-' || max_capacity FROM aurora_serverless.capacity"),
		'4-64', '... and refused calls change nothing');
	($rc, $out, $err) = aws('admin', 'rds', 'describe-db-clusters',
		'--db-cluster-identifier', 'other-cluster');
	like($err, qr/\(DBClusterNotFoundFault\).*DBCluster other-cluster not found/s,
		'an unknown cluster: DBClusterNotFoundFault');
	($rc, $out, $err) = aws('admin', 'rds', 'describe-db-cluster-snapshots');
	like($err, qr/\(InvalidAction\)/, 'an action not served: InvalidAction');
}

SKIP:
{
	skip "Debian's AWS CLI ($aws) is not installed", 6 unless $have_aws;

	# identity: the read-only role may describe, not modify
	my $before = query("SELECT count(*) FROM aurora_serverless.scaling_events WHERE event = 'config_change'");
	($rc, $out, $err) = aws('viewer', 'rds', 'describe-db-clusters');
	is($rc, 0, 'the read-only role describes');
	($rc, $out, $err) = aws('viewer', 'rds', 'modify-db-cluster',
		'--db-cluster-identifier', 'my-cluster',
		'--serverless-v2-scaling-configuration', 'MinCapacity=0.5,MaxCapacity=8');
	like($err, qr/\(AccessDenied\).*user\/viewer is not authorized to perform: rds:ModifyDBCluster.*permission denied for function modify_capacity/s,
		'the read-only role gets AccessDenied from ModifyDBCluster');
	is(query("SELECT min_capacity || '-' || max_capacity || ' ' ||
		(SELECT count(*) FROM aurora_serverless.scaling_events WHERE event = 'config_change')
		FROM aurora_serverless.capacity"),
		"4-64 $before", '... and nothing changed');

	{
		local $keys{admin}[1] = 'wrong-secret';
		($rc, $out, $err) = aws('admin', 'rds', 'describe-db-clusters');
	}
	like($err, qr/\(SignatureDoesNotMatch\).*does not match the signature you provided/s,
		'a wrong secret: SignatureDoesNotMatch');
	($rc, $out, $err) = aws('AKIAUNKNOWNKEY000000', 'rds', 'describe-db-clusters');
	like($err, qr/\(InvalidClientTokenId\).*security token included in the request is invalid/s,
		'an unknown key: InvalidClientTokenId');
	unlike(slurp_file($node->logfile), qr/\Q$keys{admin}[1]\E|\Q$keys{viewer}[1]\E|wrong-secret/,
		'no secret in the server log');
}

SKIP:
{
	skip "python3-boto3 ($python) is not installed", 12 unless $have_boto3;

	# the pre-warm function, at the start and at the end of the day
	($rc, $out, $err) = client('admin', $python, "$here/prewarm.py", 'end', 'my-cluster', $url);
	is($out, "end: MinCapacity 0.5 MaxCapacity 64\n", 'boto3 pre-warm "end" runs') or diag($err);
	is(query('SELECT min_capacity FROM aurora_serverless.capacity'), '0.5',
		'... min_capacity 0.5 is in force');
	ok($node->poll_query_until('postgres',
		'SELECT serverless_database_capacity < 4 FROM aurora_serverless.capacity'),
		'... and capacity goes down from 4');
	($rc, $out, $err) = client('admin', $python, "$here/prewarm.py", 'start', 'my-cluster', $url);
	is($out, "start: MinCapacity 4 MaxCapacity 64\n", 'boto3 pre-warm "start" runs') or diag($err);
	is(query('SELECT min_capacity FROM aurora_serverless.capacity'), '4',
		'... min_capacity 4 is in force');
	ok($node->poll_query_until('postgres',
		'SELECT serverless_database_capacity >= 4 FROM aurora_serverless.capacity'),
		'... and capacity is at least 4: the cluster is warm');
	($rc, $out, $err) = client('admin', $python, "$here/prewarm.py", 'end', 'my-cluster', $url);
	is(query('SELECT min_capacity FROM aurora_serverless.capacity'), '0.5',
		'pre-warm "end" again: back to 0.5');

	# signatures dated 20 minutes away, made by botocore's own signer
	($rc, $out, $err) = client('admin', $python, "$here/probe.py", 'skew', $url, 1200);
	like($out, qr/status: 403\ncode: SignatureDoesNotMatch\nmessage: Signature expired: \d{8}T\d{6}Z is now earlier than \d{8}T\d{6}Z \(\d{8}T\d{6}Z - 15 min\.\)/,
		'a request signed 20 minutes ago: Signature expired, as AWS says it');
	($rc, $out, $err) = client('admin', $python, "$here/probe.py", 'skew', $url, -1200);
	like($out, qr/code: SignatureDoesNotMatch\nmessage: Signature not yet current: /,
		'a request dated 20 minutes ahead: Signature not yet current');
	($rc, $out, $err) = client('admin', $python, "$here/probe.py", 'skew', $url, 600);
	like($out, qr/status: 200/, 'a request signed 10 minutes ago is accepted');

	# values that need escaping, through botocore's parser
	my $odd = qq{a<b&"c'>\td\ne\rf};
	($rc, $out, $err) = client('admin', $python, "$here/probe.py", 'notfound', $url, $odd);
	is($out, qq{code: DBClusterNotFoundFault\nmessage: "DBCluster a<b&\\"c'>\\td\\ne\\rf not found."\n},
		'an identifier with <, &, quotes, tab, newline and CR comes back intact');

	# 32 clients, each on one keep-alive connection, all open at once
	($rc, $out, $err) = client('admin', $python, "$here/probe.py", 'keepalive', $url, 32, 10);
	like($out, qr/requests ok: 320 of 320\nconnections per client: 1\n/,
		'32 concurrent keep-alive clients are served, each on one connection')
	  or diag($out, $err);
}

SKIP:
{
	skip "Debian's AWS CLI ($aws) is not installed", 3 unless $have_aws;

	# a burst of load, then describe-events
	query('CREATE TABLE burst AS SELECT 1');
	my $script = $node->basedir . '/burn.sql';
	append_to_file($script, "SELECT count(*) FROM generate_series(1, 2000000);\n");
	my $t0 = query('SELECT now()');
	my ($bout, $berr) = ('', '');
	my $bench = IPC::Run::start(
		[ 'pgbench', '-n', '-c', '2', '-j', '2', '-T', '60', '-f', $script,
		  '-h', $node->host, '-p', $node->port, 'postgres' ],
		'>', \$bout, '2>', \$berr);
	ok($node->poll_query_until('postgres',
		"SELECT count(*) > 0 FROM aurora_serverless.scaling_events
		 WHERE event = 'scale_up' AND reason = 'cpu' AND event_time >= '$t0'"),
		'a burst scales the instance up (cpu)');
	$bench->kill_kill;
	$bench->finish;
	# the count in SQL, the same before and after the call: no scale-up
	# landed in between
	my ($ups, $after, @seen);
	foreach (1 .. 10)
	{
		$ups = query("SELECT count(*) FROM aurora_serverless.scaling_events
			WHERE event = 'scale_up' AND event_time >= now() - interval '60 minutes'");
		($rc, $out, $err) = aws('viewer', 'rds', 'describe-events',
			'--source-type', 'db-instance', '--source-identifier', 'my-instance',
			'--duration', '60');
		$after = query("SELECT count(*) FROM aurora_serverless.scaling_events
			WHERE event = 'scale_up' AND event_time >= now() - interval '60 minutes'");
		last if $ups eq $after;
	}
	@seen = ($out =~ /"Message": "The DB instance scaled up from/g);
	is(scalar(@seen), $ups, "describe-events lists the $ups scale-ups that scaling_events holds")
	  or diag($out, $err);
	like($out, qr/"SourceType": "db-instance".*"EventCategories": \[\s+"notification"\s+\]/s,
		'... as db-instance notifications');
}

SKIP:
{
	skip "python3 ($python) with botocore is not installed", 10 unless $have_boto3;

	my $worker = query("SELECT pid FROM pg_stat_activity WHERE backend_type = 'aurora_serverless api'");
	my $sampler = query("SELECT worker_pid FROM aurora_serverless.capacity");
	($rc, $out, $err) = client('admin', $python, "$here/probe.py", 'hostile', $url);
	like($out, qr/^content-length over 1 MiB: 413 RequestEntityTooLarge$/m,
		'a body announced over 1 MiB: 413 before it is read');
	like($out, qr/^chunked over 1 MiB: 413$/m, 'a chunked body growing past 1 MiB: 413');
	like($out, qr/^trickled body: 408$/m, 'a body trickled over 10 s: 408');
	like($out, qr/^half-closed after the request: 200 -$/m,
		'a client that half-closes after its request gets its answer');
	like($out, qr/^half-closed in the body: closed$/m,
		'one that half-closes in the middle of its body is disconnected (after 10 s)');
	like($out, qr/^malformed body: 404 MalformedQueryString$/m,
		'a malformed form body: MalformedQueryString');
	like($out, qr/^unsigned: 403 MissingAuthenticationToken$/m,
		'no signature: MissingAuthenticationToken');
	like($out, qr/^80 headers: 400 /m, 'too many headers: 400');
	like($out, qr/^100 kB header: 431 /m, 'a header over the memory bound: 431');
	is(query("SELECT pid FROM pg_stat_activity WHERE backend_type = 'aurora_serverless api'")
		  . ' ' . query('SELECT worker_pid FROM aurora_serverless.capacity'),
		"$worker $sampler", 'after all that, both workers are the same processes');
}

# the JavaScript SDK v3, from npm, installed outside the tree
SKIP:
{
	my $npm_dir = $ENV{AS_NPM_DIR} // '/var/tmp/aurora_serverless_npm';
	skip 'node and npm are not installed', 3
	  unless system('command -v node >/dev/null && command -v npm >/dev/null') == 0;
	if (!-d "$npm_dir/node_modules/\@aws-sdk/client-rds")
	{
		mkdir $npm_dir;
		$npm_dir = $node->basedir . '/npm' unless -w $npm_dir;
		my ($nout, $nerr) = ('', '');
		IPC::Run::run([ 'npm', 'install', '--prefix', $npm_dir, '--no-audit',
				'--no-fund', '--loglevel=error', '@aws-sdk/client-rds@3' ],
			'>', \$nout, '2>', \$nerr, IPC::Run::timeout(300));
	}
	skip "npm could not install \@aws-sdk/client-rds into $npm_dir", 5
	  unless -d "$npm_dir/node_modules/\@aws-sdk/client-rds";
	local $ENV{NODE_PATH} = "$npm_dir/node_modules";
	local $ENV{NODE_NO_WARNINGS} = '1';
	($rc, $out, $err) = client('admin', 'node', "$here/rds_client.cjs", $url,
		'my-cluster', '2', '32');
	like($out, qr/^before: [0-9.]+-64\nafter: 2-32\n/, '@aws-sdk/client-rds: ModifyDBCluster')
	  or diag($out, $err);
	is(query("SELECT min_capacity || '-' || max_capacity FROM aurora_serverless.capacity"),
		'2-32', '... the database has its range in force');
	like($out, qr/^instances: my-instance db\.serverless available\nmissing: DBClusterNotFoundFault 404$/m,
		'... DescribeDBInstances with a filter, and its error as an exception');
	# SecondsUntilAutoPause, which this SDK's model has (Debian's CLI and
	# boto3 1.26 do not): in force and written for the next start; AWS
	# shows it with a minimum of 0 only
	($rc, $out, $err) = client('admin', 'node', "$here/rds_client.cjs", $url,
		'my-cluster', '0', '32', '600');
	like($out, qr/^after: 0-32 600$/m, '@aws-sdk/client-rds: ModifyDBCluster with SecondsUntilAutoPause')
	  or diag($out, $err);
	ok($node->poll_query_until('postgres',
		"SELECT seconds_until_auto_pause = 600 FROM aurora_serverless.capacity
		   WHERE current_setting('aurora_serverless.seconds_until_auto_pause') = '10min'"),
		'... in force, and in postgresql.auto.conf');
	query('SELECT aurora_serverless.modify_capacity(2, 32, 300)');
}

# identifiers that need escaping, in what the endpoint describes
SKIP:
{
	skip "python3-boto3 ($python) is not installed", 2 unless $have_boto3;
	query(q{ALTER SYSTEM SET aurora_serverless.cluster_identifier = 'odd<&"''>cluster'});
	query(q{ALTER SYSTEM SET aurora_serverless.instance_name = 'db<&"''>1'});
	$node->reload;
	$node->poll_query_until('postgres',
		q{SELECT current_setting('aurora_serverless.cluster_identifier') = 'odd<&"''>cluster'});
	my $py = q{
import boto3, json, sys
rds = boto3.client("rds", endpoint_url=sys.argv[1])
c = rds.describe_db_clusters(DBClusterIdentifier='odd<&"\'>cluster')["DBClusters"][0]
i = rds.describe_db_instances()["DBInstances"][0]
print(json.dumps([c["DBClusterIdentifier"], c["DBClusterMembers"][0]["DBInstanceIdentifier"],
                  i["DBInstanceIdentifier"], i["DBClusterIdentifier"]]))
};
	($rc, $out, $err) = client('admin', $python, '-c', $py, $url);
	is($out, qq{["odd<&\\"'>cluster", "db<&\\"'>1", "db<&\\"'>1", "odd<&\\"'>cluster"]\n},
		'a cluster and an instance named with <, &, quotes: through botocore intact')
	  or diag($err);
	query('ALTER SYSTEM RESET aurora_serverless.cluster_identifier');
	query('ALTER SYSTEM RESET aurora_serverless.instance_name');
	$node->reload;
	ok($node->poll_query_until('postgres',
		q{SELECT current_setting('aurora_serverless.cluster_identifier') = 'my-cluster'}),
		'identifiers reset');
}

# a worker that dies is started again; the database goes on
my $old = query("SELECT pid FROM pg_stat_activity WHERE backend_type = 'aurora_serverless api'");
query("SELECT pg_terminate_backend($old)");
ok($node->poll_query_until('postgres',
	"SELECT count(*) = 1 FROM pg_stat_activity
	 WHERE backend_type = 'aurora_serverless api' AND pid <> $old"),
	'the postmaster starts a terminated API worker again');
SKIP:
{
	skip "Debian's AWS CLI ($aws) is not installed", 1 unless $have_aws;
	my $ok = 0;
	foreach (1 .. 50)
	{
		($rc, $out, $err) = aws('admin', 'rds', 'describe-db-instances');
		if ($rc == 0) { $ok = 1; last; }
		usleep(100_000);
	}
	ok($ok, '... and it serves again');
}

# any credentials, as local emulators accept: on loopback only
SKIP:
{
	skip "Debian's AWS CLI ($aws) is not installed", 5 unless $have_aws;
	$node->append_conf('postgresql.conf', "aurora_serverless.api_accept_any_credentials = 'viewer'\n");
	$node->reload;
	ok($node->wait_for_log(qr/accepting any well-formed signature, as role "viewer"/),
		'any-credentials mode says so in the log');
	($rc, $out, $err) = aws('AKIAANYTHING', 'rds', 'describe-db-clusters');
	is($rc, 0, 'any key is accepted on a loopback endpoint') or diag($err);
	($rc, $out, $err) = aws('AKIAANYTHING', 'rds', 'modify-db-cluster',
		'--db-cluster-identifier', 'my-cluster',
		'--serverless-v2-scaling-configuration', 'MinCapacity=0.5,MaxCapacity=8');
	like($err, qr/\(AccessDenied\)/, '... with the privileges of the role it names');

	my $log_at = -s $node->logfile;
	$node->append_conf('postgresql.conf', "aurora_serverless.api_listen = '0.0.0.0:$api_port'\n");
	$node->restart;
	ok($node->wait_for_log(qr/api_accept_any_credentials" is ignored: the endpoint does not listen on a loopback address/, $log_at),
		'on a non-loopback address it is refused, with a LOG line');
	my $served = 0;
	foreach (1 .. 50)
	{
		($rc, $out, $err) = aws('AKIAANYTHING', 'rds', 'describe-db-clusters');
		if ($err =~ /InvalidClientTokenId/) { $served = 1; last; }
		usleep(100_000);
	}
	ok($served, '... and an unknown key is InvalidClientTokenId again');
}

# the keys through pg_dump and pg_restore: every row, once, no error
{
	my $dump = $node->basedir . '/keys.dump';
	$node->command_ok([ 'pg_dump', '-Fc', '-f', $dump,
			'--exclude-table-data=aurora_serverless.provisioned_classes',
			'-d', $node->connstr('postgres') ], 'pg_dump of the database');
	query('CREATE DATABASE restored');
	$node->command_ok([ 'pg_restore', '--exit-on-error', '-d', $node->connstr('restored'), $dump ],
		'pg_restore into a fresh database, without an error');
	is($node->safe_psql('restored',
		'SELECT string_agg(access_key_id || role, \',\' ORDER BY access_key_id)
		 FROM aurora_serverless.api_access_keys'),
		query('SELECT string_agg(access_key_id || role, \',\' ORDER BY access_key_id)
		 FROM aurora_serverless.api_access_keys'),
		'the keys are restored, each once');
	query("SELECT aurora_serverless.drop_api_access_key('$keys{viewer}[0]')");
	($rc, $out, $err) = $node->psql('postgres',
		"SELECT aurora_serverless.drop_api_access_key('$keys{viewer}[0]')");
	like($err, qr/access key "$keys{viewer}[0]" does not exist/, 'dropping a key twice is an error');
}

$node->stop;
done_testing();
