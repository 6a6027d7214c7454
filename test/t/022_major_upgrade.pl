# A major-version upgrade keeps what the user made.
#
# pg_upgrade from the previous self-built major (17 to 18 in test/run):
# a cluster where the extension is created, its range set with
# modify_capacity() (written to postgresql.auto.conf), with history, an
# alarm, an edited provisioned_classes and an operator role granted
# EXECUTE.  pg_upgrade --check passes, the upgrade completes, the library
# stands aside in the servers pg_upgrade starts; the new server's first
# start without the state file says in its log that the history starts
# afresh; with the file and the aurora_serverless.* lines of
# postgresql.auto.conf copied over (docs/operations.md's steps) the
# history, the alarm and the range come across, and the grants and edits
# are there.
#
# Dump and restore from Debian's 15 (whose pg_upgrade to a self-built
# major fails on the column option pg_attver that Debian's 15.20 keeps):
# 15's own pg_dumpall --globals-only and pg_dump, then the new major's
# psql and pg_restore.
#
# Each part skips, with the reason, where its old major is not there:
#   AS_UPGRADE_FROM   prefix of the previous major (default: the test/pg-build
#                     cache, ${AS_PG_CACHE:-/var/cache/aurora_serverless/pg}/N)
#   AS_PG15_PREFIX    prefix of Debian's 15 (default /usr/lib/postgresql/15)
# Either must have this version of the extension installed.
use strict;
use warnings;
use File::Copy;
use IPC::Run;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;

my $pg_config = $ENV{PG_CONFIG} || 'pg_config';
my ($new_major) = `$pg_config --version` =~ /PostgreSQL (\d+)/;
my $new_bin = `$pg_config --bindir`;
chomp $new_bin;
my $new_share = `$pg_config --sharedir`;
chomp $new_share;

# a prefix with a PostgreSQL of major $m and this version of the extension,
# or the reason there is none
sub old_prefix
{
	my ($prefix, $m) = @_;
	my $pgc = "$prefix/bin/pg_config";
	return (undef, "no PostgreSQL $m at $prefix") unless -x $pgc;
	my ($major) = `$pgc --version` =~ /PostgreSQL (\d+)/;
	return (undef, "$prefix is PostgreSQL $major, not $m") unless $major == $m;
	my $lib = `$pgc --pkglibdir`;
	my $share = `$pgc --sharedir`;
	chomp($lib, $share);
	my $missing = "this version of the extension is not installed in $prefix (make PG_CONFIG=$pgc install)";
	return (undef, $missing) unless -f "$lib/aurora_serverless.so";
	# the same control file and scripts as the major under test has
	foreach my $f (glob("$new_share/extension/aurora_serverless*"))
	{
		(my $name = $f) =~ s{.*/}{};
		my $theirs = "$share/extension/$name";
		return (undef, $missing) unless -f $theirs && slurp_file($theirs) eq slurp_file($f);
	}
	return ($prefix, '');
}

my $dir = PostgreSQL::Test::Utils::tempdir;

sub run_in
{
	my ($cwd, @cmd) = @_;
	my ($out, $err) = ('', '');
	IPC::Run::run(\@cmd, '<', \'', '>', \$out, '2>', \$err, init => sub { chdir $cwd });
	return ($? >> 8, $out . $err);
}

my $conf = q{
shared_preload_libraries = 'aurora_serverless'
aurora_serverless.sample_interval = 250ms
aurora_serverless.flush_interval = 1s
};

# what the user made, the same on both sides
my $made_sql = q{
	SELECT (SELECT string_agg(format('%s %s', instance_class, hourly_price), ', '
	                          ORDER BY instance_class)
	          FROM aurora_serverless.provisioned_class_edits)
	       || ' | ' || has_function_privilege('operator',
	                     'aurora_serverless.modify_capacity(numeric, numeric)', 'EXECUTE')
	       || ' | ' || has_function_privilege('operator', 'aurora_serverless.pause()', 'EXECUTE')
	       || ' | ' || coalesce((SELECT string_agg(alarm_name, ',' ORDER BY alarm_name)
	                               FROM aurora_serverless.alarms), '')
};

# a cluster the way a user leaves it: extension, edits, grants, an alarm,
# a range set by modify_capacity() (as the operator) and some history
sub populate
{
	my ($node) = @_;
	$node->safe_psql('postgres', 'CREATE ROLE operator LOGIN');
	$node->safe_psql('postgres', 'CREATE DATABASE appdb');
	$node->safe_psql('appdb', q{
		CREATE EXTENSION aurora_serverless;
		UPDATE aurora_serverless.provisioned_classes SET hourly_price = 0.300
		 WHERE instance_class = 'db.r6g.large';
		GRANT EXECUTE ON FUNCTION aurora_serverless.modify_capacity(numeric, numeric),
		                          aurora_serverless.pause(), aurora_serverless.resume()
		   TO operator;
		SELECT aurora_serverless.put_metric_alarm('capacity-near-max', 'ACUUtilization',
		         'Maximum', 60, 1, 90, 'GreaterThanOrEqualToThreshold');
	});
	$node->safe_psql('appdb', 'SET ROLE operator; SELECT aurora_serverless.modify_capacity(1, 8)');
	ok($node->poll_query_until('appdb', q{
		SELECT current_setting('aurora_serverless.max_capacity') = '8'
		   AND current_setting('aurora_serverless.min_capacity') = '1'
		   AND (SELECT count(*) FROM aurora_serverless.metrics) >= 8}),
		'the range is written to postgresql.auto.conf and samples are recorded');
	# the state file holds all of it
	my $t = $node->safe_psql('appdb', 'SELECT now()');
	ok($node->poll_query_until('appdb', qq{
		SELECT last_tick_at > '$t'::timestamptz + interval '1.5 s'
		  FROM aurora_serverless.worker_stats}), 'a flush later');
}

# --- pg_upgrade from the previous major -------------------------------------
SKIP:
{
	my $from = $new_major - 1;
	$from-- if $from == 16;    # 16 is not built here
	my ($old, $why) = (undef, 'the major under test is 15, the oldest supported');
	if ($from > 15)
	{
		($old, $why) = old_prefix($ENV{AS_UPGRADE_FROM}
			  || (($ENV{AS_PG_CACHE} || '/var/cache/aurora_serverless/pg') . "/$from"),
			$from);
	}
	elsif ($from == 15)
	{
		$why = "pg_upgrade from Debian's 15 to a self-built $new_major cannot work "
		  . '(its pg_dump copies the column option pg_attver that Debian 15.20 keeps, '
		  . 'which the new server refuses); dump and restore is tested below';
	}
	skip("pg_upgrade $from -> $new_major: $why", 18) unless $old;

	my $oldnode = PostgreSQL::Test::Cluster->new('old', install_path => $old);
	$oldnode->init;
	$oldnode->append_conf('postgresql.conf', $conf);
	$oldnode->start;
	populate($oldnode);
	my $made = $oldnode->safe_psql('appdb', $made_sql);
	my ($samples, $events) = split /\|/, $oldnode->safe_psql('appdb', q{
		SELECT (SELECT count(*) FROM aurora_serverless.metrics),
		       (SELECT count(*) FROM aurora_serverless.scaling_events)});
	$oldnode->stop;

	my $newnode = PostgreSQL::Test::Cluster->new('new');
	# 18's initdb turns data checksums on by default; the old cluster has none
	$newnode->init(extra => $new_major >= 18 ? ['--no-data-checksums'] : []);
	$newnode->append_conf('postgresql.conf', $conf);

	my @upgrade = (
		"$new_bin/pg_upgrade", '--retain',
		'-b', "$old/bin", '-B', $new_bin,
		'-d', $oldnode->data_dir, '-D', $newnode->data_dir,
		'-p', $oldnode->port, '-P', $newnode->port,
		'-s', $newnode->host);
	my ($rc, $out) = run_in($dir, @upgrade, '--check');
	is($rc, 0, "pg_upgrade --check $from -> $new_major passes") or diag($out);
	($rc, $out) = run_in($dir, @upgrade);
	is($rc, 0, "pg_upgrade $from -> $new_major completes") or diag($out);
	my $server_logs = join('', map { slurp_file($_) }
		  glob($newnode->data_dir . '/pg_upgrade_output.d/*/log/pg_upgrade_server.log'));
	like($server_logs, qr/aurora_serverless: not started in binary upgrade mode/,
		'the library stands aside in the servers pg_upgrade starts');

	# the first start on its own: no history, and the log says so
	$newnode->start;
	ok($newnode->log_contains(qr/no state file "aurora_serverless\.state": capacity history starts afresh/),
		'without the state file the history starts afresh, with a LOG line');
	is($newnode->safe_psql('appdb', 'SELECT count(*) FROM aurora_serverless.alarms'), '0',
		'and no alarm came with it');
	isnt($newnode->safe_psql('appdb', q{SELECT current_setting('aurora_serverless.max_capacity')}),
		'8', 'nor the range: pg_upgrade does not copy postgresql.auto.conf');
	$newnode->stop;

	# docs/operations.md's steps: the state file and the range carried over
	copy($oldnode->data_dir . '/aurora_serverless.state',
		$newnode->data_dir . '/aurora_serverless.state')
	  or die "copy: $!";
	my @range = grep { /^aurora_serverless\./ }
	  split /\n/, slurp_file($oldnode->data_dir . '/postgresql.auto.conf');
	is(scalar(@range), 2, 'the old postgresql.auto.conf holds the two settings modify_capacity wrote');
	$newnode->append_conf('postgresql.auto.conf', join("\n", @range) . "\n");
	my $offset = -s $newnode->logfile;
	$newnode->start;
	ok($newnode->log_contains(qr/loaded state file "aurora_serverless\.state".*\n.*DETAIL:  The file was written by instance "[^"]+" on PostgreSQL $from; this server .* takes its history over/,
		$offset), 'the copied state file is taken over, and the log says whose it was');
	is($newnode->safe_psql('appdb', $made_sql), $made,
		'edits, grants and the alarm are there after the upgrade');
	is($newnode->safe_psql('appdb', q{
		SELECT current_setting('aurora_serverless.min_capacity') || ' ' ||
		       current_setting('aurora_serverless.max_capacity')}), '1 8',
		'the range modify_capacity() set is in force');
	my ($samples_after, $events_after) = split /\|/, $newnode->safe_psql('appdb', q{
		SELECT (SELECT count(*) FROM aurora_serverless.metrics),
		       (SELECT count(*) FROM aurora_serverless.scaling_events)});
	cmp_ok($samples_after, '>=', $samples, 'the samples came across');
	cmp_ok($events_after, '>=', $events, 'the events came across');
	my $t = $newnode->safe_psql('appdb', 'SELECT now()');
	ok($newnode->poll_query_until('appdb', qq{
		SELECT max(sample_time) > '$t' FROM aurora_serverless.metrics}),
		'the worker samples on the new major');
	is($newnode->safe_psql('appdb', q{
		SET ROLE operator;
		SELECT aurora_serverless.modify_capacity(1, 4)->>'MaxCapacity'}), '4',
		'the operator calls modify_capacity() with its grant');
	ok($newnode->poll_query_until('appdb',
		q{SELECT current_setting('aurora_serverless.max_capacity') = '4'}),
		'and the new range is written');
	$newnode->stop;
	ok(!$newnode->log_contains(qr/(WARNING|ERROR|FATAL):.*aurora_serverless/),
		'no warning or error of the extension in the new server\'s log');
}

# --- dump and restore from Debian's 15 -----------------------------------------
SKIP:
{
	skip("dump and restore 15 -> $new_major: the major under test is 15", 6)
	  if $new_major <= 15;
	my ($old, $why) = old_prefix($ENV{AS_PG15_PREFIX} || '/usr/lib/postgresql/15', 15);
	skip("dump and restore 15 -> $new_major: $why", 6) unless $old;

	my $n15 = PostgreSQL::Test::Cluster->new('from15', install_path => $old);
	$n15->init;
	$n15->append_conf('postgresql.conf', $conf);
	$n15->start;
	populate($n15);
	my $made = $n15->safe_psql('appdb', $made_sql);
	$made =~ s/ \| capacity-near-max$/ | /;    # alarms live in the state file

	my $target = PostgreSQL::Test::Cluster->new('to_new');
	$target->init;
	$target->append_conf('postgresql.conf', $conf);
	$target->start;
	# 15's own pg_dumpall and pg_dump, the new major's psql and pg_restore
	my ($rc, $out) = run_in($dir, "$old/bin/pg_dumpall", '--globals-only',
		'-f', "$dir/globals.sql", '-d', $n15->connstr('postgres'));
	is($rc, 0, "15's pg_dumpall --globals-only") or diag($out);
	run_in($dir, "$new_bin/psql", '-X', '-q', '-f', "$dir/globals.sql", '-d',
		$target->connstr('postgres'));
	($rc, $out) = run_in($dir, "$old/bin/pg_dump", '-Fc', '-f', "$dir/appdb.dump",
		'-d', $n15->connstr('appdb'));
	is($rc, 0, "15's pg_dump -Fc") or diag($out);
	$target->safe_psql('postgres', 'CREATE DATABASE appdb');
	($rc, $out) = run_in($dir, "$new_bin/pg_restore", '--exit-on-error', '-d',
		$target->connstr('appdb'), "$dir/appdb.dump");
	is($rc, 0, "$new_major\'s pg_restore of 15\'s dump: no error") or diag($out);
	is($target->safe_psql('appdb', $made_sql), $made,
		"15 -> $new_major by dump and restore: edits and grants kept");
	$n15->stop;
	$target->stop;
}

done_testing();
