# The documentation's pg_cron and exporter recipes (docs/settings.md,
# docs/monitoring.md), followed literally on a cluster made with Debian's
# pg_createcluster: the blocks marked "<!-- recipe: NAME -->" in README.md
# or docs/*.md are run as written, with the cluster's version, name and
# port (and a free HTTP port) put in place of "15 main", 5432 and 9187.
# A pg_cron job with the recipe's command then runs and succeeds (before
# cron.use_background_workers was in the recipe, every run ended "connection
# failed"), and the exporter serves the extension's metrics from the query
# file make install put in the share directory.
#
# The cluster has a name of its own and a free port, and is dropped at the
# end (pg_dropcluster).  Skips where pg_createcluster does not apply: a
# major that Debian has not packaged here (the self-built 17 and 18).
use strict;
use warnings;
use FindBin;
use HTTP::Tiny;
use IPC::Run;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;

my $pg_config = $ENV{PG_CONFIG} || 'pg_config';
my ($major) = `$pg_config --version` =~ /PostgreSQL (\d+)/;
my ($bindir, $sharedir, $pkglibdir) = map { my $d = `$pg_config --$_`; chomp $d; $d }
  qw(bindir sharedir pkglibdir);

plan skip_all => 'pg_createcluster is not installed (Debian\'s postgresql-common)'
  unless -x '/usr/bin/pg_createcluster';
plan skip_all => "pg_createcluster applies to Debian's packaged majors; PostgreSQL $major is not packaged here"
  unless -x "/usr/lib/postgresql/$major/bin/initdb";
plan skip_all => "PostgreSQL $major at $bindir is a self-built major, which pg_createcluster does not run"
  unless `$bindir/postgres --version` =~ /\(Debian /;
plan skip_all => "pg_cron is not installed for PostgreSQL $major (Debian package postgresql-$major-cron)"
  unless -f "$pkglibdir/pg_cron.so";

my $name = "as_recipes_$$";
my $port = PostgreSQL::Test::Cluster::get_free_port();
my $http = PostgreSQL::Test::Cluster::get_free_port();
# a private copy of Debian's major (not the system's) runs with its own binaries
my @bindir = $bindir eq "/usr/lib/postgresql/$major/bin" ? () : ("--bindir=$bindir");
my $socket = '/var/run/postgresql';

sub run_cmd
{
	my @cmd = @_;
	my ($out, $err) = ('', '');
	IPC::Run::run(\@cmd, '<', \'', '>', \$out, '2>', \$err);
	return ($? >> 8, $out, $err);
}

my $created = 0;
END
{
	run_cmd('pg_dropcluster', '--stop', $major, $name) if $created;
}

my ($rc, $out, $err) = run_cmd('pg_createcluster', $major, $name, '-p', $port, '--', '--no-sync');
is($rc, 0, "pg_createcluster $major $name") or diag($out . $err);
$created = 1 if $rc == 0;
($rc, $out, $err) = run_cmd('pg_ctlcluster', @bindir, $major, $name, 'start');
is($rc, 0, 'pg_ctlcluster start') or diag($out . $err);

# a marked block of the documentation, with this cluster in place of 15 main
sub recipe
{
	my ($tag) = @_;
	my $top = "$FindBin::Bin/../..";
	my $text;
	foreach my $page ("$top/README.md", sort glob("$top/docs/*.md"))
	{
		next unless slurp_file($page) =~ /<!-- recipe: \Q$tag\E -->\n```\w*\n(.*?)```/s;
		$text = $1;
		last;
	}
	die "no page of the documentation has a recipe block \"$tag\"" unless defined $text;
	$text =~ s/\b15 main\b/$major $name/g;
	$text =~ s/\b5432\b/$port/g;
	$text =~ s/127\.0\.0\.1:9187/127.0.0.1:$http/g;
	$text =~ s{/usr/share/postgresql/15/}{$sharedir/}g;
	$text =~ s/^pg_ctlcluster /pg_ctlcluster @bindir /mg if @bindir;
	return $text;
}

sub psql
{
	my ($sql) = @_;
	return run_cmd("$bindir/psql", '-X', '-A', '-t', '-q', '-v', 'ON_ERROR_STOP=1',
		'-h', $socket, '-p', $port, '-d', 'postgres', '-c', $sql);
}

# wait until a query prints t
sub poll
{
	my ($sql) = @_;
	foreach (1 .. $PostgreSQL::Test::Utils::timeout_default)
	{
		my ($r, $o) = psql($sql);
		return 1 if $r == 0 && $o =~ /^t$/m;
		sleep 1;
	}
	return 0;
}

# --- pg_cron ----------------------------------------------------------------
($rc, $out, $err) = run_cmd('bash', '-e', '-c', recipe('pg_cron-config'));
is($rc, 0, 'the pg_cron configuration recipe runs') or diag($out . $err);
($rc, $out, $err) = run_cmd("$bindir/psql", '-X', '-q', '-v', 'ON_ERROR_STOP=1', '-h', $socket,
	'-p', $port, '-d', 'postgres', '-c', recipe('pg_cron-sql'));
is($rc, 0, 'the pg_cron SQL recipe runs') or diag($out . $err);
($rc, $out) = psql(q{SELECT string_agg(jobname || ' ' || schedule, ', ' ORDER BY jobname) FROM cron.job});
is($out, "cooldown 0 19 * * 1-5, prewarm 55 7 * * 1-5\n", 'both jobs are scheduled');

# the recipe's command, every minute, until one run has ended
($rc, $out) = psql(q{SELECT cron.schedule('recipe-check', '* * * * *',
	'SELECT aurora_serverless.modify_capacity(2, 16)')});
my $job = $out;
chomp $job;
ok(poll(qq{SELECT count(*) > 0 FROM cron.job_run_details
            WHERE jobid = $job AND status IN ('succeeded', 'failed')}),
	'a run of the job ends');
($rc, $out) = psql(qq{SELECT status || ' ' || coalesce(return_message, '')
                        FROM cron.job_run_details WHERE jobid = $job ORDER BY runid LIMIT 1});
like($out, qr/^succeeded /, 'and succeeds') or diag($out);
ok(poll(q{SELECT current_setting('aurora_serverless.min_capacity') = '2'}),
	'the range it set is in force');
psql(q{SELECT cron.unschedule('recipe-check')});

# --- the exporter -------------------------------------------------------------
SKIP:
{
	skip 'prometheus-postgres-exporter is not installed', 3
	  unless -x '/usr/bin/prometheus-postgres-exporter';
	ok(-f "$sharedir/aurora_serverless/postgres_exporter.yaml",
		'make install put the query file in the share directory');
	my $cmd = recipe('exporter');
	my ($eout, $eerr) = ('', '');
	my $exporter = IPC::Run::start([ 'bash', '-c', $cmd ], '<', \'', '>', \$eout, '2>', \$eerr);
	my $body = '';
	foreach (1 .. $PostgreSQL::Test::Utils::timeout_default)
	{
		my $r = HTTP::Tiny->new(timeout => 5)->get("http://127.0.0.1:$http/metrics");
		$body = $r->{content} if $r->{success};
		last if $body =~ /^aurora_serverless_serverless_database_capacity\{/m;
		sleep 1;
	}
	$exporter->kill_kill;
	$exporter->finish;
	like($body, qr/^pg_up 1$/m, 'the exporter connects as the recipe says') or diag($eerr);
	like($body, qr/^aurora_serverless_serverless_database_capacity\{/m,
		'and serves the extension\'s metrics') or diag($eerr);
}

($rc, $out, $err) = run_cmd('pg_dropcluster', '--stop', $major, $name);
is($rc, 0, 'pg_dropcluster') or diag($out . $err);
$created = 0 if $rc == 0;
ok(!-d "/etc/postgresql/$major/$name", 'nothing of the cluster is left');

done_testing();
