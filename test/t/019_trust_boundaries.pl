# What a reader's report, a setting and a connection string may do to the
# instance, and what they may not: the writer's register of readers is
# never full for good (the longest-stale reader makes room, stale readers
# expire) and a removed reader's usage stays counted; a role list of
# multibyte names leaves event details that every client encoding can
# read; report() shows a hostile cluster identifier as text and runs no
# script;
# a reader whose primary_conninfo holds a password it cannot parse shows
# neither the password nor libpq's message to anyone but a superuser.
use strict;
use warnings;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;
use IPC::Run;

# a cluster identifier that would run script if the page took it as markup
my $hostile = '</title><script>document.title="pwned"</script><img src=x>';

my $node = PostgreSQL::Test::Cluster->new('trust');
$node->init(allows_streaming => 1);
$node->append_conf('postgresql.conf', qq{
shared_preload_libraries = 'aurora_serverless'
aurora_serverless.sample_interval = 200ms
aurora_serverless.min_capacity = 0.5
aurora_serverless.max_capacity = 8
aurora_serverless.instance_name = 'writer'
aurora_serverless.cluster_stale_timeout = 1h
aurora_serverless.cluster_member_expiry = 1h
});
$node->start;
$node->safe_psql('postgres', q{
	CREATE EXTENSION aurora_serverless;
	CREATE ROLE reporter LOGIN REPLICATION;
	GRANT EXECUTE ON FUNCTION aurora_serverless.cluster_report(text, integer, numeric,
	  text, integer, integer, bigint, timestamptz, double precision, pg_lsn) TO reporter;
	CREATE ROLE plain LOGIN;
});

sub query { return $node->safe_psql('postgres', shift); }

# a report as the reporting role; returns psql's exit code and stderr
sub report
{
	my ($name, $acu_seconds) = @_;
	my ($ret, $out, $err) = $node->psql('postgres',
		"SELECT writer_name FROM aurora_serverless.cluster_report('$name', 5, 0.5, 'active', 0, 0, 0, "
		  . "'2026-01-01 00:00+00', $acu_seconds, '0/0')",
		extra_params => [ '-U', 'reporter' ]);
	return ($ret, $err);
}

# -- the register: 15 readers, all live, leave no room
report('reader-1', 0);
# reader-1 then used 1 ACU-second of its run, which the time since its first
# report allows (at 8 ACU, an eighth of a second)
ok($node->poll_query_until('postgres',
	"SELECT now() - usage_since > interval '0.2 s' FROM aurora_serverless.cluster_instances
	  WHERE instance_name = 'reader-1'"), 'time passes after reader-1 joins');
report('reader-1', 1);
is(query("SELECT acu_hours * 3600 FROM aurora_serverless.cluster_instances
           WHERE instance_name = 'reader-1'"), '1.000800', 'its usage is recorded (to 6 places of an hour)');
report("reader-$_", 0) foreach 2 .. 15;
my ($ret, $err) = report('reader-16', 0);
isnt($ret, 0, 'a 16th reader is refused while the 15 are live');
like($err, qr/the writer has 15 readers already/, 'saying so');
like($err, qr/every one of them has reported within/, 'and why');
is(query("SELECT count(*) FROM aurora_serverless.cluster_instances WHERE role = 'reader'"),
	'15', '15 readers');

# -- once they are stale, the one stale the longest makes room
$node->append_conf('postgresql.conf', "aurora_serverless.cluster_stale_timeout = 1s\n");
$node->reload;
ok($node->poll_query_until('postgres',
	'SELECT stale_instances = 15 FROM aurora_serverless.cluster'), 'the 15 turn stale');
my $before = query("SELECT c.acu_hours - (SELECT sum(acu_hours) FROM aurora_serverless.cluster_instances)
                      FROM aurora_serverless.cluster c");
($ret, $err) = report('reader-16', 0);
is($ret, 0, 'a 16th reader then joins') or diag($err);
is(query("SELECT count(*) FROM aurora_serverless.cluster_instances
           WHERE instance_name IN ('reader-1', 'reader-16')"), '1', 'in reader-1\'s place');
like(query("SELECT detail FROM aurora_serverless.scaling_events WHERE event = 'reader_removed'"),
	qr/^removed after \d+ s stale, to make room for reader-16: reader reader-1, promotion tier 5$/,
	'a reader_removed event says why');
my $after = query("SELECT c.acu_hours - (SELECT sum(acu_hours) FROM aurora_serverless.cluster_instances)
                     FROM aurora_serverless.cluster c");
cmp_ok(abs(($after - $before) * 3600 - 1), '<', 0.5,
	'the usage of the removed reader stays in the cluster\'s total');

# -- and stale readers expire
$node->append_conf('postgresql.conf', "aurora_serverless.cluster_member_expiry = 2s\n");
$node->reload;
ok($node->poll_query_until('postgres',
	"SELECT count(*) = 0 FROM aurora_serverless.cluster_instances WHERE role = 'reader'"),
	'stale readers expire after cluster_member_expiry');
like(query("SELECT detail FROM aurora_serverless.scaling_events WHERE event = 'reader_removed'
             ORDER BY event_time DESC LIMIT 1"),
	qr/^removed after no report for 2 s \(cluster_member_expiry\): reader reader-\d+/,
	'each with an event');
is(query("SELECT count(*) FROM aurora_serverless.scaling_events WHERE event = 'reader_removed'"),
	'16', 'one for every reader');

# -- a role list of multibyte names: every event detail stays valid text
# (four names of 59 bytes: the config_change detail is cut, at a character,
# where bytes would have cut the fourth name inside a euro sign)
my @roles = map { "r$_" . ('€' x 19) } 1 .. 4;
$node->safe_psql('postgres', join('', map { qq{CREATE ROLE "$_";} } @roles));
$node->append_conf('postgresql.conf',
	"aurora_serverless.pause_ignore_roles = '" . join(',', @roles) . "'\n");
$node->reload;
ok($node->poll_query_until('postgres',
	"SELECT count(*) > 0 FROM aurora_serverless.scaling_events
	  WHERE event = 'config_change' AND detail LIKE '%pause_ignore_roles%'"),
	'the list of roles is a config_change event');
my ($lret, $lout, $lerr);
{
	local $ENV{PGCLIENTENCODING} = 'LATIN9';
	($lret, $lout, $lerr) = $node->psql('postgres',
		'SELECT event, detail FROM aurora_serverless.scaling_events');
}
is($lret, 0, 'a LATIN9 client reads every event') or diag($lerr);
is(query("SELECT count(*) FROM aurora_serverless.scaling_events
           WHERE convert_to(detail, 'LATIN9') IS NULL"), '0', 'every detail converts to LATIN9');

# -- a reader whose primary_conninfo holds a password libpq cannot parse
$node->backup('base');
my $reader = PostgreSQL::Test::Cluster->new('reader');
$reader->init_from_backup($node, 'base', has_streaming => 1);
$reader->append_conf('postgresql.conf', q{
cluster_name = 'reader'
aurora_serverless.instance_name = 'reader'
aurora_serverless.pause_ignore_roles = ''
primary_conninfo = 'postgresql://reporter:pa%zzSECRET@localhost/postgres'
});
$reader->start;
ok($reader->poll_query_until('postgres',
	"SELECT count(*) > 0 FROM aurora_serverless.scaling_events WHERE event = 'writer_unreachable'"),
	'the reader cannot reach its writer');
is($reader->safe_psql('postgres', 'SELECT link_error FROM aurora_serverless.cluster'),
	'primary_conninfo is not a valid connection string',
	'a superuser reads which setting is wrong');
my ($pret, $pout, $perr) = $reader->psql('postgres',
	"SELECT coalesce(link_error, 'hidden') FROM aurora_serverless.cluster",
	extra_params => [ '-U', 'plain' ]);
is($pout, 'hidden', 'another role does not read the link\'s error');
($pret, $pout, $perr) = $reader->psql('postgres',
	"SELECT count(*) FROM aurora_serverless.scaling_events WHERE detail ~ 'SECRET|zz'",
	extra_params => [ '-U', 'plain' ]);
is($pout, '0', 'no event holds any part of the connection string');
ok(!$reader->log_contains(qr/aurora_serverless: .*SECRET/),
	'nor does any line the extension logs');

$reader->stop;

# -- report() shows the cluster's identifier as text, and the page forbids
# script
$node->append_conf('postgresql.conf', "aurora_serverless.cluster_identifier = '$hostile'\n");
$node->reload;
ok($node->poll_query_until('postgres',
	"SELECT current_setting('aurora_serverless.cluster_identifier') LIKE '</title>%'"),
	'the identifier is set');
my $report = query('SELECT aurora_serverless.report()');
like($report, qr{<h1>aurora_serverless: &lt;/title&gt;&lt;script&gt;document\.title=&quot;pwned&quot;},
	'the identifier is escaped');
unlike($report, qr/<script|<img|onerror/i, 'no markup of it is left');
like($report, qr/<meta http-equiv="Content-Security-Policy" content="default-src 'none'/,
	'and the page allows no script in any case');
SKIP:
{
	skip 'chromium is not installed', 1 unless -x '/usr/bin/chromium';
	my $html = $node->basedir . '/report.html';
	append_to_file($html, $report);
	my ($dom, $cerr) = ('', '');
	IPC::Run::run([ '/usr/bin/chromium', '--headless', '--no-sandbox', '--disable-gpu',
		'--disable-quic', '--no-first-run', '--disable-background-networking',
		'--disable-component-update', '--disable-sync',
		'--user-data-dir=' . $node->basedir . '/chromium', '--dump-dom', "file://$html" ],
		'>', \$dom, '2>', \$cerr, IPC::Run::timeout(120));
	like($dom, qr{<title>aurora_serverless report</title>}, 'headless Chromium ran no script of it')
	  or diag($cerr);
}

$node->stop;
done_testing();
